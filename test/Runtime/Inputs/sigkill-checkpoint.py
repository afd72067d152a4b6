#!/usr/bin/env python3
"""Kills a trainer with SIGKILL while it writes a checkpoint, at several
points, and checks that nothing is lost (used by checkpoint-sigkill.test).

  sigkill-checkpoint.py TRAINER DATA WORK

1. Reference: TRAINER trains 2 epochs straight (checkpoint + params).
2. TRAINER trains epoch 1 and checkpoints it (ck).
3. For each stall point (bytes 0, 1, inside the header, inside the tensor
   records, the last byte, and after the complete file is synced but before
   its rename), a run resumes from ck for epoch 2 with
   KILN_TEST_CHECKPOINT_STALL set, so that its checkpoint writer stops at
   that point; once it says so on stderr it gets SIGKILL. Then ck must be
   byte-identical to the epoch-1 checkpoint, and resuming from it must end
   with the checkpoint and params of the straight run, bit for bit.
Prints `ok STALL ...` per point, or `FAIL ...` and exits 1.
"""

import filecmp
import os
import shutil
import signal
import subprocess
import sys


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def main():
    trainer, data, work = sys.argv[1:4]
    common = [trainer, "--data", data, "--quiet"]
    run(common + ["--epochs", "2", "--seed", "9", "--checkpoint",
                  os.path.join(work, "straight.ck"), "--save-params",
                  os.path.join(work, "straight")])
    first = os.path.join(work, "epoch1.ck")
    run(common + ["--epochs", "1", "--seed", "9", "--checkpoint", first])
    size = os.path.getsize(first)
    failures = 0
    for point in ["0", "1", "60", str(size // 2), str(size - 1), "rename"]:
        ck = os.path.join(work, "ck-" + point)
        shutil.copyfile(first, ck)
        proc = subprocess.Popen(
            common + ["--epochs", "2", "--resume", ck, "--checkpoint", ck],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, KILN_TEST_CHECKPOINT_STALL=point))
        said = ""
        for line in proc.stderr:
            said = line.strip()
            if "stalled" in said:
                break
        if "stalled" not in said:
            proc.kill()
            print("FAIL %s: the writer never stalled (%s)" % (point, said))
            failures += 1
            continue
        tmp_size = os.path.getsize(ck + ".tmp")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        intact = filecmp.cmp(ck, first, shallow=False)
        out = os.path.join(work, "resumed-" + point)
        run(common + ["--epochs", "2", "--resume", ck, "--checkpoint", ck,
                      "--save-params", out])
        same = filecmp.cmp(ck, os.path.join(work, "straight.ck"),
                           shallow=False) and all(
            filecmp.cmp(os.path.join(out, f),
                        os.path.join(work, "straight", f), shallow=False)
            for f in os.listdir(os.path.join(work, "straight")))
        ok = proc.returncode == -signal.SIGKILL and intact and same
        print("%s %s: killed with %d of %d bytes in the temporary file; "
              "previous checkpoint intact: %s; resumed run bit-identical: %s"
              % ("ok" if ok else "FAIL", point, tmp_size, size, intact, same))
        failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
