#!/usr/bin/env python3
"""Run the shell commands of a Markdown document and check what it shows.

Usage:
  check-doc-commands.py DOC.md [--src DIR] [--build DIR] [--work DIR]
                        [--section TITLE] [--substitute OLD=NEW]...
                        [--expensive] [--list]

The fenced code blocks of DOC.md are taken in document order (only those
under the heading TITLE with --section), in a work directory that looks like
the repository root: every top-level entry of the source tree (--src,
default: this script's repository) is a symbolic link, and `build` links to
the build directory under test (--build, default: SRC/build). So
`build/bin/kilnc examples/mnist_mlp.mlir -o mnist_mlp` runs the tools under
test on the real examples and writes `mnist_mlp` into the work directory.
HOME is WORK/home, so `cmake --install build --prefix "$HOME/kiln"` stays in
the work directory too.

What each block means, from its info string (only its first word shows when
rendered):

  ```bash          commands: run in a fresh `bash -e -o pipefail` in the
                   work directory; the block must exit with status 0.
  ```bash exit=N   the block must exit with status N (an error shown on
                   purpose); `set -e` is off, the last command's status
                   counts.
  ```LANG output   what the last `bash` block printed (stdout and stderr):
                   every line shown must be in the output, exactly (trailing
                   spaces aside). Consecutive lines must be consecutive
                   there too; a line `...` skips any number of lines. Lines
                   that come from stdout keep their order, as do those from
                   stderr. With `output numbers-vary`, every number matches
                   any number (timings, losses that depend on the CPU).
  ```LANG file=NAME  written to WORK/NAME before the following blocks run
                   (NAME: a relative path that does not go through a linked
                   entry of the source tree).
  anything else    shown, not run.

A `bash` block with a comment line starting with `# expensive` (e.g.
`# expensive: trains for ten minutes`) is skipped, with its output block,
unless --expensive is given. --substitute OLD=NEW replaces OLD with NEW in
every command before running it (e.g. fewer epochs for the README's
examples).

Exits 0 if every block ran as shown, 1 otherwise (each failure shows the
block, the command output and what was expected), 2 on bad usage.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING_RE = re.compile(r"^(?P<level>#{1,6})\s+(?P<title>.*?)\s*#*\s*$")
NUMBER_RE = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class Block:
    """A fenced code block: its info string, text and line number."""

    def __init__(self, info, text, line):
        words = info.split()
        self.lang = words[0] if words else ""
        self.attrs = {}
        for word in words[1:]:
            key, _, value = word.partition("=")
            self.attrs[key] = value
        self.text = text
        self.line = line

    def describe(self, doc):
        return "%s:%d (```%s block)" % (doc, self.line, self.lang)


def read_blocks(path, section):
    """Returns the fenced blocks of `path`, those under `section` only if
    it is given."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []
    in_section = section is None
    section_level = 0
    found_section = False
    i = 0
    while i < len(lines):
        heading = HEADING_RE.match(lines[i])
        if heading and section is not None:
            level = len(heading.group("level"))
            if heading.group("title") == section:
                in_section, section_level, found_section = True, level, True
            elif in_section and level <= section_level:
                in_section = False
        fence = FENCE_RE.match(lines[i])
        if not fence:
            i += 1
            continue
        start = i
        marker = fence.group("fence")
        indent = len(fence.group("indent"))
        body = []
        i += 1
        while i < len(lines):
            close = lines[i].strip()
            if close.startswith(marker[0] * len(marker)) and \
                    set(close) == {marker[0]}:
                break
            line = lines[i]
            body.append(line[indent:] if line[:indent].isspace() else line)
            i += 1
        if i >= len(lines):
            raise SystemExit("%s:%d: unterminated code block" %
                             (path, start + 1))
        i += 1
        if in_section:
            blocks.append(Block(fence.group("info").strip(),
                                "\n".join(body) + "\n", start + 1))
    if section is not None and not found_section:
        raise SystemExit("%s: no heading '%s'" % (path, section))
    return blocks


def is_expensive(block):
    return any(line.strip().startswith("# expensive")
               for line in block.text.splitlines())


def make_work_dir(work, src, build):
    """Fills `work` with links to the entries of `src`, `build` -> build."""
    os.makedirs(work, exist_ok=True)
    linked = set()
    for name in sorted(os.listdir(src)):
        if name == ".git" or name == "build" or name.startswith("build-"):
            continue
        os.symlink(os.path.join(src, name), os.path.join(work, name))
        linked.add(name)
    os.symlink(build, os.path.join(work, "build"))
    linked.add("build")
    os.makedirs(os.path.join(work, "home"), exist_ok=True)
    return linked


def normalize(line, numbers_vary):
    line = line.rstrip()
    if numbers_vary:
        line = NUMBER_RE.sub("#", line)
    return line


def match_output(expected_text, stdout, stderr, numbers_vary):
    """Checks the lines of `expected_text` against the two streams. Returns
    None if they match, else a message naming the first line not found."""
    groups = [[]]
    for line in expected_text.splitlines():
        if line.strip() == "...":
            groups.append([])
        else:
            groups[-1].append(normalize(line, numbers_vary))
    groups = [g for g in groups if g]
    streams = {
        "stdout": [normalize(l, numbers_vary) for l in stdout.splitlines()],
        "stderr": [normalize(l, numbers_vary) for l in stderr.splitlines()],
    }
    positions = {"stdout": 0, "stderr": 0}
    for group in groups:
        found = False
        for name in ("stdout", "stderr"):
            lines, start = streams[name], positions[name]
            for at in range(start, len(lines) - len(group) + 1):
                if lines[at:at + len(group)] == group:
                    positions[name] = at + len(group)
                    found = True
                    break
            if found:
                break
        if not found:
            return ("not found in the output (in order, consecutive):\n" +
                    "\n".join("    " + l for l in group))
    return None


def indent(text):
    return "\n".join("    " + line for line in text.rstrip("\n").split("\n"))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__[__doc__.index("The fenced"):])
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("doc", help="the Markdown file")
    parser.add_argument("--src", default=repo,
                        help="the source tree (default: %(default)s)")
    parser.add_argument("--build", help="the build directory (default: "
                        "SRC/build)")
    parser.add_argument("--work", help="the work directory, created empty "
                        "(default: a temporary directory, removed after)")
    parser.add_argument("--section", help="only the blocks under this "
                        "heading (its text, without the #s)")
    parser.add_argument("--substitute", action="append", default=[],
                        metavar="OLD=NEW",
                        help="replace OLD with NEW in every command")
    parser.add_argument("--expensive", action="store_true",
                        help="also run the blocks marked # expensive")
    parser.add_argument("--list", action="store_true",
                        help="only list the blocks and what would be done")
    args = parser.parse_args()

    substitutions = []
    for item in args.substitute:
        old, sep, new = item.partition("=")
        if not sep or not old:
            parser.error("--substitute expects OLD=NEW, got '%s'" % item)
        substitutions.append((old, new))
    src = os.path.abspath(args.src)
    build = os.path.abspath(args.build or os.path.join(src, "build"))
    if not os.path.isdir(build):
        parser.error("no build directory '%s'" % build)
    doc = args.doc
    blocks = read_blocks(doc, args.section)

    if args.list:
        for block in blocks:
            kind = "shown"
            if block.lang == "bash":
                kind = "skipped (expensive)" if is_expensive(block) and \
                    not args.expensive else "run"
            elif "output" in block.attrs:
                kind = "output check"
            elif "file" in block.attrs:
                kind = "file " + block.attrs["file"]
            print("%s: %s" % (block.describe(doc), kind))
        return 0

    if args.work:
        if os.path.exists(args.work):
            shutil.rmtree(args.work)
        work = os.path.abspath(args.work)
        cleanup = False
    else:
        work = tempfile.mkdtemp(prefix="kiln-doc-")
        cleanup = True
    linked = make_work_dir(work, src, build)
    env = dict(os.environ, HOME=os.path.join(work, "home"))

    failures = 0
    ran = skipped = checked = 0
    last = None  # (block, stdout, stderr) of the last bash block, or None
    last_skipped = False
    for block in blocks:
        if "file" in block.attrs:
            name = block.attrs["file"]
            parts = os.path.normpath(name).split(os.sep)
            if not name or os.path.isabs(name) or parts[0] == ".." or \
                    parts[0] in linked:
                print("error: %s: file=%s must be a relative path outside "
                      "the source tree's entries" % (block.describe(doc),
                                                     name))
                failures += 1
                continue
            path = os.path.join(work, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(block.text)
            continue

        if block.lang == "bash":
            if is_expensive(block) and not args.expensive:
                skipped += 1
                last, last_skipped = None, True
                continue
            script = block.text
            for old, new in substitutions:
                script = script.replace(old, new)
            expected_status = int(block.attrs.get("exit", "0") or "0")
            prologue = "set -o pipefail\n"
            if expected_status == 0:
                prologue += ("set -e\ntrap 'echo \"check-doc-commands: "
                             "failed: $BASH_COMMAND\" >&2' ERR\n")
            result = subprocess.run(["bash", "-c", prologue + script],
                                    cwd=work, env=env, capture_output=True,
                                    text=True, errors="replace")
            ran += 1
            last, last_skipped = (block, result.stdout, result.stderr), False
            if result.returncode != expected_status:
                failures += 1
                print("FAIL: %s exited with status %d, expected %d\n"
                      "  commands:\n%s\n  stdout:\n%s\n  stderr:\n%s\n" %
                      (block.describe(doc), result.returncode,
                       expected_status, indent(script),
                       indent(result.stdout), indent(result.stderr)))
            continue

        if "output" in block.attrs:
            if last_skipped:
                continue
            if last is None:
                failures += 1
                print("FAIL: %s: an output block without a bash block "
                      "before it" % block.describe(doc))
                continue
            command, stdout, stderr = last
            checked += 1
            problem = match_output(block.text, stdout, stderr,
                                   "numbers-vary" in block.attrs)
            if problem:
                failures += 1
                print("FAIL: %s: the output of %s does not match: %s\n"
                      "  commands:\n%s\n  stdout:\n%s\n  stderr:\n%s\n" %
                      (block.describe(doc), command.describe(doc), problem,
                       indent(command.text), indent(stdout), indent(stderr)))

    print("%s: %d command blocks run, %d outputs checked, %d skipped as "
          "expensive, %d failures" % (doc, ran, checked, skipped, failures))
    if cleanup and not failures:
        shutil.rmtree(work, ignore_errors=True)
    elif failures:
        print("work directory: %s" % work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
