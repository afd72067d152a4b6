#!/usr/bin/env python3
"""Differential test: compiled code (JIT and AOT) against the f64 reference.

Usage:
  kiln-diff-test.py MODEL.mlir --bin BUILD/bin --work DIR [--seed N]
                    [--range LO,HI] [--label-range LO,HI] [--rtol R] [--atol A]
                    [--entry NAME]...

For every public function of MODEL (or each --entry), it
  1. runs `kiln-interp` with seeded random inputs (saving them as .npy),
  2. compiles MODEL once with `kilnc -o` (AOT) and runs the executable,
  3. runs the same entry through `kilnc --run` (JIT),
and compares both outputs with the reference using `kiln-npy compare`
(|compiled - ref| <= atol + rtol * |ref| elementwise). It prints one line per
entry and exits non-zero if any comparison fails or any tool fails.
"""

import argparse
import glob
import os
import re
import subprocess
import sys

FUNC_RE = re.compile(
    r"^\s*func\.func\s+(?P<vis>private\s+|public\s+)?@(?P<name>[\w.$-]+)\s*\(",
    re.M)


def public_entries(text):
    return [m.group("name") for m in FUNC_RE.finditer(text)
            if not (m.group("vis") or "").startswith("private")]


def count_results(text, name):
    """Number of results of @name, read from its signature."""
    start = text.index("@" + name + "(")
    depth, i = 0, text.index("(", start)
    while True:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            break
        i += 1
    rest = text[i + 1:].lstrip()
    if not rest.startswith("->"):
        return 0
    rest = rest[2:].lstrip()
    if rest.startswith("("):
        inner = rest[1:rest.index(")")]
        return inner.count("tensor<")
    return 1


# Seconds a command may take before it counts as hung, times
# $KILN_TEST_TIMEOUT_SCALE (test/lit.cfg.py sets 10 in sanitizer builds).
TIMEOUT = 300 * float(os.environ.get("KILN_TEST_TIMEOUT_SCALE", "1"))


def run(cmd, what):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=TIMEOUT)
    if proc.returncode != 0:
        sys.stdout.write(f"FAIL {what}: {' '.join(cmd)}\n{proc.stdout}")
        return False
    return True


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("model")
    p.add_argument("--bin", required=True, help="folder with kilnc, kiln-interp, kiln-npy")
    p.add_argument("--work", required=True, help="scratch folder")
    p.add_argument("--seed", default="1")
    p.add_argument("--range", default="-2,2")
    p.add_argument("--label-range", default=None)
    p.add_argument("--rtol", default="1e-5")
    p.add_argument("--atol", default="1e-6")
    p.add_argument("--entry", action="append", default=[])
    args = p.parse_args()

    tool = lambda name: os.path.join(args.bin, name)
    with open(args.model) as f:
        text = f.read()
    entries = args.entry or public_entries(text)
    if not entries:
        print(f"FAIL {args.model}: no public function")
        return 1
    os.makedirs(args.work, exist_ok=True)

    prog = os.path.join(args.work, "prog")
    if not run([tool("kilnc"), args.model, "-o", prog], "kilnc -o"):
        return 1

    ok = True
    for entry in entries:
        base = os.path.join(args.work, entry)
        for old in glob.glob(base + ".*"):
            os.remove(old)
        n = count_results(text, entry)
        outs = lambda tag: [f"{base}.{tag}{i}.npy" for i in range(n)]
        out_flags = lambda files: [x for f in files for x in ("-o", f)]

        interp = [tool("kiln-interp"), args.model, "--entry", entry,
                  "--rand-inputs", args.seed, "--rand-range", args.range,
                  "--save-inputs", base + ".in"] + out_flags(outs("ref"))
        if args.label_range:
            interp += ["--label-range", args.label_range]
        if not run(interp, f"{entry}: reference"):
            ok = False
            continue
        inputs = sorted(glob.glob(base + ".in*.npy"),
                        key=lambda s: int(re.search(r"\.in(\d+)\.npy$", s).group(1)))

        for mode, cmd in (
                ("aot", [prog, "--entry", entry] + out_flags(outs("aot")) + inputs),
                ("jit", [tool("kilnc"), args.model, "--run", "--entry", entry]
                 + out_flags(outs("jit")) + inputs)):
            if not run(cmd, f"{entry}: {mode} run"):
                ok = False
                continue
            same = all([run([tool("kiln-npy"), "compare", got, ref,
                             "--rtol", args.rtol, "--atol", args.atol],
                            f"{entry}: {mode} vs reference "
                            f"({os.path.basename(got)})")
                        for got, ref in zip(outs(mode), outs("ref"))])
            ok &= same
            if same:
                print(f"ok {entry} {mode} ({n} output{'s' if n != 1 else ''}, "
                  f"rtol {args.rtol}, atol {args.atol})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
