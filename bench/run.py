#!/usr/bin/env python3
"""Kiln against PyTorch on every workload of issue 5, side by side in one run.

  /usr/bin/python3 bench/run.py [--rounds 3] [--iters 30] [--warmup 5]
      [--only NAME]... [--build build] [--json FILE]

Each round runs every workload (bench/workloads.py) in turn on both sides:

- Kiln: kiln-bench JIT-compiles the workload's nn model for the host CPU and
  times its entry point (a whole training step, a forward pass or one
  product): the median of --iters calls after --warmup untimed ones, once
  with 1 thread and once with 2 (OMP_NUM_THREADS: the cache tiles of large
  products run on OpenMP threads, with the same results on any number).
  Kiln's figure is the better of the two, like PyTorch's.
- PyTorch (Debian's python3-torch 1.13, /usr/bin/python3): the same model
  written with torch.nn and torch.optim, timed the same way, once with 1
  thread and once with 2, in PyTorch's strongest configuration here
  (bench/benchlib.py: explicit threads, GLIBC_TUNABLES for malloc,
  OPENBLAS_CORETYPE unset). Its figure is the better of the two.
- Products: Kiln's generated matmul against NumPy's (OpenBLAS sgemm, 1 and 2
  threads) and against the FMA peak that bench/fma_peak.c measures.
- Compile time: `kilnc examples/mnist_mlp.mlir -o EXE` (wall time).

The table reports medians over rounds and the throughput ratio PyTorch time
/ Kiln time (above 1: Kiln is faster), next to issue 5's target, and the
memory of Kiln's call: its arguments (params, states, inputs, outputs) and
its workspace, planned at compile time (kiln-plan-buffers; kiln-bench's
argument_bytes + workspace_bytes), next to PyTorch's peak: in a separate
process on 1 thread with bench/memshim.c preloaded (it counts the heap
bytes in use), the largest heap growth from before the model, optimizer
and inputs are built through 5 steps: params, gradients, optimizer states,
inputs and the step's temporaries. Numbers are for the machine it runs on;
nothing here is a test.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import workloads  # noqa: E402

# Issue 5's targets: workload -> minimal ratio PyTorch time / Kiln time.
TARGETS = {
    "mlp_sgd_b32": 2.0, "mlp_sgd_b128": 1.3, "mlp_sgd_b512": 1.2,
    "mlp_adam_b128": 1.3, "lenet_sgd_b64": 2.0, "lstm_sgd": 2.0,
    "mlp_infer_b1": 3.0,
}
MATMUL_TARGET = 0.9  # of OpenBLAS sgemm
COMPILE_TARGET_S = 1.0


def torch_worker(argv):
    """In the PyTorch process: time the named workloads; print JSON."""
    threads, warmup, iters = int(argv[0]), int(argv[1]), int(argv[2])
    import numpy as np
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    times, numpy_times = {}, {}
    for name in argv[3:]:
        n_iters = iters_for(name, iters)
        times[name] = benchlib.median_ms(workloads.torch_callable(name),
                                         warmup, n_iters)
        if workloads.WORKLOADS[name][0] == "matmul":
            n = workloads.WORKLOADS[name][2]["n"]
            a = np.random.rand(n, n).astype(np.float32)
            b = np.random.rand(n, n).astype(np.float32)
            numpy_times[name] = benchlib.median_ms(lambda: a @ b, warmup,
                                                   n_iters)
    print(json.dumps({"times": times, "numpy": numpy_times,
                      "blas": benchlib.blas_libraries()}))


def torch_memory_worker(names):
    """In a PyTorch process with bench/memshim.c preloaded: each workload's
    peak heap growth over building it and running 5 calls; print JSON."""
    import ctypes
    import torch
    torch.set_num_threads(1)
    shim = ctypes.CDLL(None)
    shim.memshim_live.restype = ctypes.c_longlong
    shim.memshim_peak.restype = ctypes.c_longlong
    peaks = {}
    for name in names:
        base = shim.memshim_live()
        shim.memshim_reset()
        fn = workloads.torch_callable(name)
        for _ in range(5):
            fn()
        peaks[name] = shim.memshim_peak() - base
        del fn
    print(json.dumps(peaks))


def torch_memory(tmp, names):
    lib = os.path.join(tmp, "memshim.so")
    # Debian's compiler itself, not a clang-19 earlier on PATH (such as
    # utils/sanitize.sh's, which adds -fsanitize=): a library preloaded into
    # Python must not need the sanitizer runtimes.
    cc = "/usr/bin/clang-19"
    if not os.path.exists(cc):
        cc = "clang-19"
    subprocess.run([cc, "-O2", "-shared", "-fPIC",
                    os.path.join(benchlib.ROOT, "bench", "memshim.c"), "-o",
                    lib], check=True)
    env = dict(benchlib.torch_env(1), LD_PRELOAD=lib)
    out = subprocess.run(
        ["/usr/bin/python3", os.path.abspath(__file__), "--torch-memory"] +
        names, check=True, env=env, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def iters_for(name, iters):
    # The 2048^3 product takes ~0.1 s a call: fewer calls.
    return max(3, iters // 3) if name == "matmul_2048" else iters


def run_torch(threads, names, args):
    out = subprocess.run(
        ["/usr/bin/python3", os.path.abspath(__file__), "--torch-worker",
         str(threads), str(args.warmup), str(args.iters)] + names,
        check=True, env=benchlib.torch_env(threads), stdout=subprocess.PIPE,
        text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def fma_peak(tmp, threads):
    exe = os.path.join(tmp, "fma_peak")
    if not os.path.exists(exe):
        subprocess.run(["clang-19", "-O2", "-march=native", "-pthread",
                        os.path.join(benchlib.ROOT, "bench", "fma_peak.c"),
                        "-o", exe], check=True)
    return float(subprocess.run([exe, str(threads)], check=True,
                                stdout=subprocess.PIPE, text=True).stdout)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--torch-worker":
        return torch_worker(sys.argv[2:])
    if len(sys.argv) > 1 and sys.argv[1] == "--torch-memory":
        return torch_memory_worker(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(benchlib.ROOT, "build"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--only", action="append", default=[],
                    help="only workloads whose name contains this")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()
    bench = os.path.join(args.build, "bin", "kiln-bench")
    kilnc = os.path.join(args.build, "bin", "kilnc")
    for tool in (bench, kilnc):
        if not os.access(tool, os.X_OK):
            sys.exit(f"run.py: {tool} not found; build Kiln first")
    names = [n for n in workloads.WORKLOADS
             if not args.only or any(s in n for s in args.only)]
    with_compile = not args.only or any(s in "compile" for s in args.only)

    kiln = {1: {n: [] for n in names}, 2: {n: [] for n in names}}
    kiln_bytes = {}
    torch_t = {1: {n: [] for n in names}, 2: {n: [] for n in names}}
    numpy_t = {1: {n: [] for n in names}, 2: {n: [] for n in names}}
    compile_s, peaks, blas = [], {1: [], 2: []}, []
    with tempfile.TemporaryDirectory() as tmp:
        models = {}
        for n in names:
            text, entry = workloads.kiln_model(n)
            path = os.path.join(tmp, n + ".mlir")
            with open(path, "w") as f:
                f.write(text)
            models[n] = (path, entry)
        for r in range(args.rounds):
            print(f"round {r + 1}/{args.rounds}", file=sys.stderr)
            for n in names:
                path, entry = models[n]
                for threads in (1, 2):
                    res = benchlib.kiln_bench(bench, path, entry, args.warmup,
                                              iters_for(n, args.iters),
                                              threads=threads)
                    kiln[threads][n].append(res["median_ms"])
                kiln_bytes[n] = (res["argument_bytes"] +
                                 res["workspace_bytes"])
            for threads in (1, 2):
                res = run_torch(threads, names, args)
                blas = res["blas"]
                for n, ms in res["times"].items():
                    torch_t[threads][n].append(ms)
                for n, ms in res["numpy"].items():
                    numpy_t[threads][n].append(ms)
                if any(workloads.WORKLOADS[n][0] == "matmul" for n in names):
                    peaks[threads].append(fma_peak(tmp, threads))
            if with_compile:
                exe = os.path.join(tmp, "mnist_mlp")
                start = time.perf_counter()
                subprocess.run([kilnc, os.path.join(
                    benchlib.ROOT, "examples", "mnist_mlp.mlir"), "-o", exe],
                    check=True)
                compile_s.append(time.perf_counter() - start)
        torch_bytes = torch_memory(
            tmp, [n for n in names if workloads.WORKLOADS[n][0] != "matmul"])

    med = statistics.median
    results = {"rounds": args.rounds, "iters": args.iters, "blas": blas,
               "workloads": {}}
    print(f"{args.rounds} rounds; medians of per-round medians of "
          f"{args.iters} calls; Kiln and PyTorch: each the better of 1 "
          f"and 2 threads")
    print(f"PyTorch BLAS: {', '.join(blas) or 'none found'}")
    print()
    print("| workload | Kiln ms (1T / 2T) | PyTorch ms (1T / 2T) | "
          "PyTorch/Kiln | target | met | memory MiB Kiln / PyTorch |")
    print("|---|---|---|---|---|---|---|")
    for n in names:
        kind, desc, _ = workloads.WORKLOADS[n]
        if kind == "matmul":
            continue
        k1, k2 = med(kiln[1][n]), med(kiln[2][n])
        t1, t2 = med(torch_t[1][n]), med(torch_t[2][n])
        ratio = min(t1, t2) / min(k1, k2)
        target = TARGETS.get(n)
        met = "-" if target is None else ("yes" if ratio >= target else "no")
        tgt = "-" if target is None else f">= {target}x"
        mib, tmib = kiln_bytes[n] / 2**20, torch_bytes[n] / 2**20
        print(f"| {desc} | {k1:.3f} / {k2:.3f} | {t1:.3f} / {t2:.3f} | "
              f"{ratio:.2f}x | {tgt} | {met} | {mib:.2f} / {tmib:.2f} |")
        results["workloads"][n] = {"kiln_ms_1t": k1, "kiln_ms_2t": k2,
                                   "torch_ms_1t": t1,
                                   "torch_ms_2t": t2, "ratio": ratio,
                                   "kiln_bytes": kiln_bytes[n],
                                   "torch_peak_bytes": torch_bytes[n]}
    mats = [n for n in names if workloads.WORKLOADS[n][0] == "matmul"]
    if mats:
        p1, p2 = med(peaks[1]), med(peaks[2])
        print()
        print(f"FMA peak (bench/fma_peak.c): {p1:.0f} GFLOP/s on 1 thread, "
              f"{p2:.0f} on 2")
        print()
        print("| product | Kiln GFLOP/s 1T / 2T | OpenBLAS 1T / 2T | Kiln / "
              "OpenBLAS 1T / 2T | Kiln / peak 1T / 2T | target |")
        print("|---|---|---|---|---|---|")
        for n in mats:
            f = workloads.flop(n)
            k1 = f / med(kiln[1][n]) / 1e6
            k2 = f / med(kiln[2][n]) / 1e6
            o1 = f / med(numpy_t[1][n]) / 1e6
            o2 = f / med(numpy_t[2][n]) / 1e6
            print(f"| {workloads.WORKLOADS[n][1]} | {k1:.0f} / {k2:.0f} | "
                  f"{o1:.0f} / {o2:.0f} | {k1 / o1:.2f} / {k2 / o2:.2f} | "
                  f"{k1 / p1:.2f} / {k2 / p2:.2f} | >= {MATMUL_TARGET} of "
                  f"OpenBLAS |")
            results["workloads"][n] = {"kiln_gflops_1t": k1,
                                       "kiln_gflops_2t": k2,
                                       "openblas_1t": o1,
                                       "openblas_2t": o2, "peak_1t": p1,
                                       "peak_2t": p2}
    if compile_s:
        c = med(compile_s)
        print()
        print(f"compile time, examples/mnist_mlp.mlir to an executable: "
              f"{c:.3f} s (target < {COMPILE_TARGET_S} s: "
              f"{'yes' if c < COMPILE_TARGET_S else 'no'})")
        results["compile_s"] = c
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
