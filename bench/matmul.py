#!/usr/bin/env python3
"""Kiln's compiled matmuls and MLP training step against PyTorch.

Times, in one session and in turn (ROUNDS rounds, each running every workload
on both sides), the products of the 784-512-256-10 MLP at batch BATCH and its
forward+backward pass:

- Kiln: each workload is a small nn model compiled and timed by
  `kiln-bench` (JIT at the host CPU, --warmup untimed calls, then --iters
  timed calls; its median). Transposed operands are `nn.transpose` ops in the
  model, as the gradients of matmuls produce them. The MLP workload is
  `@loss_grad` that kiln-autodiff builds from `@loss` (softmax cross-entropy
  of the logits): loss plus the gradients of the six parameters.
- PyTorch (Debian's python3-torch 1.13, /usr/bin/python3): the same products
  (`a.t() @ b`, no copies) and the same MLP written with the same [in, out]
  weight layout, `torch.autograd.grad` of the loss; medians over the same
  call counts. Configured as ../shared/notes/baselines.md says:
  torch.set_num_threads(THREADS), OPENBLAS_NUM_THREADS=THREADS,
  OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, GLIBC_TUNABLES raising the
  malloc trim and mmap thresholds (Kiln's run gets the same malloc tuning
  and OMP_NUM_THREADS=THREADS for its parallel products).

PyTorch must run on OpenBLAS, not the reference BLAS (libblas3) that is 20-35x
slower: install libopenblas0-pthread, or pass --blas-dir with a folder that
holds OpenBLAS's libblas.so.3 (e.g. extracted from the .deb with dpkg -x).
The script prints the BLAS library PyTorch loaded.

For each workload it prints both medians (ms; each the median over rounds of
the per-round medians), GFLOP/s and the ratio Kiln time / PyTorch time.
Numbers are for the machine it runs on; nothing here is a test.

  /usr/bin/python3 bench/matmul.py [--build build] [--batch 128] [--rounds 3]
      [--iters 50] [--warmup 10] [--threads 1] [--blas-dir DIR] [--only NAME]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ROOT = benchlib.ROOT


def products(batch):
    """The MLP's products: (name, M, K, N, transposed operand or None)."""
    b = batch
    return [
        ("fc1 x.W1", b, 784, 512, None),
        ("fc2 h1.W2", b, 512, 256, None),
        ("fc3 h2.W3", b, 256, 10, None),
        ("dW1 xT.dy1", 784, b, 512, "a"),
        ("dW2 h1T.dy2", 512, b, 256, "a"),
        ("dW3 h2T.dy3", 256, b, 10, "a"),
        ("dh1 dy2.W2T", b, 256, 512, "b"),
        ("dh2 dy3.W3T", b, 10, 256, "b"),
    ]


def product_model(m, k, n, transposed):
    """nn model of one product; a transposed operand is stored transposed."""
    a_shape = f"{k}x{m}" if transposed == "a" else f"{m}x{k}"
    b_shape = f"{n}x{k}" if transposed == "b" else f"{k}x{n}"
    lines = [f"func.func @product(%a: tensor<{a_shape}xf32>, "
             f"%b: tensor<{b_shape}xf32>) -> tensor<{m}x{n}xf32> {{"]
    lhs, rhs = "%a", "%b"
    if transposed == "a":
        lines.append(f"  %t = nn.transpose %a perm = [1, 0] : "
                     f"tensor<{a_shape}xf32>")
        lhs = "%t"
    if transposed == "b":
        lines.append(f"  %t = nn.transpose %b perm = [1, 0] : "
                     f"tensor<{b_shape}xf32>")
        rhs = "%t"
    lines.append(f"  %p = nn.matmul {lhs}, {rhs} : tensor<{m}x{k}xf32>, "
                 f"tensor<{k}x{n}xf32>")
    lines.append(f"  return %p : tensor<{m}x{n}xf32>")
    lines.append("}")
    return "\n".join(lines) + "\n"


def mlp_model(batch):
    return f"""func.func @loss(%x: tensor<{batch}x784xf32> {{nn.name = "x"}},
                %y: tensor<{batch}xi64> {{nn.name = "labels"}}) -> tensor<f32>
    attributes {{nn.differentiate}} {{
  %w1 = nn.param "fc1.w" xavier_uniform seed = 1 : tensor<784x512xf32>
  %b1 = nn.param "fc1.b" zeros seed = 2 : tensor<512xf32>
  %w2 = nn.param "fc2.w" xavier_uniform seed = 3 : tensor<512x256xf32>
  %b2 = nn.param "fc2.b" zeros seed = 4 : tensor<256xf32>
  %w3 = nn.param "fc3.w" xavier_uniform seed = 5 : tensor<256x10xf32>
  %b3 = nn.param "fc3.b" zeros seed = 6 : tensor<10xf32>
  %0 = nn.matmul %x, %w1 : tensor<{batch}x784xf32>, tensor<784x512xf32>
  %1 = nn.add %0, %b1 : tensor<{batch}x512xf32>, tensor<512xf32>
  %2 = nn.relu %1 : tensor<{batch}x512xf32>
  %3 = nn.matmul %2, %w2 : tensor<{batch}x512xf32>, tensor<512x256xf32>
  %4 = nn.add %3, %b2 : tensor<{batch}x256xf32>, tensor<256xf32>
  %5 = nn.relu %4 : tensor<{batch}x256xf32>
  %6 = nn.matmul %5, %w3 : tensor<{batch}x256xf32>, tensor<256x10xf32>
  %7 = nn.add %6, %b3 : tensor<{batch}x10xf32>, tensor<10xf32>
  %l = nn.cross_entropy %7, %y : tensor<{batch}x10xf32>, tensor<{batch}xi64>
  return %l : tensor<f32>
}}
"""


# Runs in the PyTorch process: argv = threads, warmup, iters, workloads JSON.
TORCH_SCRIPT = r"""
import json, sys, time
import torch
threads, warmup, iters = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
work = json.loads(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)

def blas():
    with open('/proc/self/maps') as f:
        libs = {l.split()[-1] for l in f if 'blas' in l and '.so' in l}
    return sorted(libs)

def median_ms(fn):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    n = len(times)
    return times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2

result = {}
for w in work:
    if w['kind'] == 'product':
        m, k, n, t = w['m'], w['k'], w['n'], w['transposed']
        a = torch.rand(k, m) * 2 - 1 if t == 'a' else torch.rand(m, k) * 2 - 1
        b = torch.rand(n, k) * 2 - 1 if t == 'b' else torch.rand(k, n) * 2 - 1
        if t == 'a':
            fn = lambda: a.t() @ b
        elif t == 'b':
            fn = lambda: a @ b.t()
        else:
            fn = lambda: a @ b
    else:
        B = w['batch']
        def param(*shape):
            return (torch.rand(*shape) * 0.1 - 0.05).requires_grad_()
        ps = [param(784, 512), param(512), param(512, 256), param(256),
              param(256, 10), param(10)]
        x = torch.rand(B, 784) * 2 - 1
        y = torch.randint(0, 10, (B,))
        def fn():
            w1, b1, w2, b2, w3, b3 = ps
            h1 = torch.relu(x @ w1 + b1)
            h2 = torch.relu(h1 @ w2 + b2)
            loss = torch.nn.functional.cross_entropy(h2 @ w3 + b3, y)
            return torch.autograd.grad(loss, ps)
    result[w['name']] = median_ms(fn)
print(json.dumps({'blas': blas(), 'times': result}))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="build folder holding bin/kiln-bench")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--iters", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1,
                    help="threads of both PyTorch and Kiln's code "
                         "(OMP_NUM_THREADS)")
    ap.add_argument("--blas-dir", default="",
                    help="folder with OpenBLAS's libblas.so.3 for PyTorch")
    ap.add_argument("--only", action="append", default=[],
                    help="run only workloads whose name contains this")
    args = ap.parse_args()
    bench = os.path.join(args.build, "bin", "kiln-bench")
    if not os.access(bench, os.X_OK):
        sys.exit(f"matmul.py: {bench} not found; build the kiln-bench target")

    work = []
    for name, m, k, n, t in products(args.batch):
        work.append({"kind": "product", "name": name, "m": m, "k": k, "n": n,
                     "transposed": t, "flop": 2 * m * k * n})
    work.append({"kind": "mlp", "name": f"MLP fwd+bwd b{args.batch}",
                 "batch": args.batch,
                 # Products only: no gradient for the input batch.
                 "flop": args.batch * 2407424})
    if args.only:
        work = [w for w in work if any(s in w["name"] for s in args.only)]

    torch_env = benchlib.torch_env(args.threads, args.blas_dir)

    kiln_times = {w["name"]: [] for w in work}
    torch_times = {w["name"]: [] for w in work}
    blas = []
    with tempfile.TemporaryDirectory() as tmp:
        models = {}
        for i, w in enumerate(work):
            path = os.path.join(tmp, f"w{i}.mlir")
            with open(path, "w") as f:
                f.write(product_model(w["m"], w["k"], w["n"], w["transposed"])
                        if w["kind"] == "product" else mlp_model(w["batch"]))
            models[w["name"]] = (path, "product" if w["kind"] == "product"
                                 else "loss_grad")
        for _ in range(args.rounds):
            for w in work:
                path, entry = models[w["name"]]
                kiln_times[w["name"]].append(benchlib.kiln_bench(
                    bench, path, entry, args.warmup, args.iters,
                    threads=args.threads)["median_ms"])
            out = subprocess.run(
                ["/usr/bin/python3", "-c", TORCH_SCRIPT, str(args.threads),
                 str(args.warmup), str(args.iters), json.dumps(work)],
                check=True, env=torch_env, stdout=subprocess.PIPE,
                text=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            blas = result["blas"]
            for name, ms in result["times"].items():
                torch_times[name].append(ms)

    print(f"batch {args.batch}, {args.rounds} rounds x {args.iters} calls, "
          f"{args.threads} thread(s) each")
    print(f"PyTorch BLAS: {', '.join(blas) or 'none found'}")
    if not any("openblas" in lib for lib in blas):
        print("warning: PyTorch is not using OpenBLAS; see --blas-dir")
    print(f"{'workload':<22} {'kiln ms':>9} {'GFLOP/s':>8} {'torch ms':>9} "
          f"{'GFLOP/s':>8} {'kiln/torch':>10}")
    for w in work:
        k = statistics.median(kiln_times[w["name"]])
        t = statistics.median(torch_times[w["name"]])
        print(f"{w['name']:<22} {k:9.4f} {w['flop'] / k / 1e6:8.1f} "
              f"{t:9.4f} {w['flop'] / t / 1e6:8.1f} {k / t:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
