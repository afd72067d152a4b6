"""Shared pieces of the benchmark scripts in bench/.

- `torch_env(threads)`: the environment of PyTorch's strongest configuration
  on this kind of machine (../shared/notes/baselines.md): malloc thresholds
  raised, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, OpenBLAS and
  PyTorch threads set explicitly.
- `kiln_bench(...)`: times one entry point of a model with build/bin/kiln-bench
  (JIT, host CPU) and returns its JSON result.
- `blas_libraries()`: run inside a PyTorch or NumPy process, the BLAS
  libraries it loaded.
- `median_ms(fn, warmup, iters)`: median wall time of a Python callable.
"""

import json
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLIBC_TUNABLES = ("glibc.malloc.mmap_threshold=33554432:"
                  "glibc.malloc.trim_threshold=1073741824")


def torch_env(threads=None, blas_dir=""):
    env = dict(os.environ, GLIBC_TUNABLES=GLIBC_TUNABLES)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    if threads is not None:
        env["OPENBLAS_NUM_THREADS"] = str(threads)
        env["OMP_NUM_THREADS"] = str(threads)
    if blas_dir:
        env["LD_LIBRARY_PATH"] = os.pathsep.join(
            p for p in [blas_dir, env.get("LD_LIBRARY_PATH")] if p)
    return env


def kiln_env(threads=None):
    """Kiln's code runs its large products on OpenMP threads: OMP_NUM_THREADS
    sets how many (default: one per core)."""
    env = dict(os.environ, GLIBC_TUNABLES=GLIBC_TUNABLES)
    if threads is not None:
        env["OMP_NUM_THREADS"] = str(threads)
    return env


def kiln_bench(bench, model, entry, warmup, iters, int_range="0,10",
               threads=None):
    out = subprocess.run([bench, model, "--entry", entry, "--warmup",
                          str(warmup), "--iters", str(iters), "--int-range",
                          int_range],
                         check=True, env=kiln_env(threads),
                         stdout=subprocess.PIPE,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def blas_libraries():
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1] for line in f
                       if "blas" in line and ".so" in line})


def median_ms(fn, warmup, iters):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)
