#!/usr/bin/env python3
"""Wall time of compiling a model to a native executable with kilnc.

Usage: bench/compile_time.py [--kilnc build/bin/kilnc] [--runs 7] [MODEL...]

Compiles each model (default: examples/mlp_forward.mlir) to an executable
`--runs` times and prints the median and minimum wall time, plus the time of
each stage (--emit=linalg, llvm-mlir, llvm-ir, obj) so a regression can be
located. This is a benchmark, not a test: nothing here asserts a time.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wall(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--kilnc", default=os.path.join(ROOT, "build", "bin", "kilnc"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("models", nargs="*",
                        default=[os.path.join(ROOT, "examples", "mlp_forward.mlir")])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'model':<28} {'stage':<12} {'median s':>9} {'min s':>9}")
        for model in args.models:
            name = os.path.basename(model)
            stages = [("linalg", ["--emit=linalg", "-o", os.devnull]),
                      ("llvm-mlir", ["--emit=llvm-mlir", "-o", os.devnull]),
                      ("llvm-ir", ["--emit=llvm-ir", "-o", os.devnull]),
                      ("obj", ["--emit=obj", "-o", os.path.join(tmp, "m.o")]),
                      ("executable", ["-o", os.path.join(tmp, "prog")])]
            for stage, extra in stages:
                times = [wall([args.kilnc, model] + extra) for _ in range(args.runs)]
                print(f"{name:<28} {stage:<12} {statistics.median(times):9.3f} "
                      f"{min(times):9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
