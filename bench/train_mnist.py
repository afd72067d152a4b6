#!/usr/bin/env python3
"""Time per epoch of examples/mnist_mlp.mlir: Kiln's AOT trainer vs PyTorch.

Runs, in one session and in turn, the same training on the same data:

- Kiln: `kilnc examples/mnist_mlp.mlir -o mnist_mlp`, then
  `./mnist_mlp --data data/mnist --epochs E --metrics m.jsonl --quiet`;
  the per-epoch training time is batches * 128 / samples_per_sec of each
  line of m.jsonl (the trainer times its training steps alone, evaluation
  excluded; docs/Runtime.md, "The loop").
- PyTorch (Debian's python3-torch, /usr/bin/python3): the same 784-512-256-10
  ReLU MLP, torch.optim.Adam(lr=1e-3), batch 128, the last partial batch
  dropped, 62 steps per epoch on the same 8,000 images; timed around the
  training steps only, configured as ../shared/notes/baselines.md says
  (explicit thread count, GLIBC_TUNABLES for malloc, OPENBLAS_CORETYPE unset).

Both use THREADS threads (default 1: Kiln's generated code is single-threaded).
Prints the median seconds per epoch of each and the ratio. Numbers are for the
machine it runs on; nothing here is a test.

  /usr/bin/python3 bench/train_mnist.py [--epochs 3] [--threads 1]
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

TORCH_SCRIPT = r"""
import sys, time, json
import numpy as np
import torch
threads, epochs, data = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
def idx(path):
    b = open(path, 'rb').read()
    rank = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * rank).reshape(dims)
x = torch.from_numpy((idx(data + '/train-images-idx3-ubyte').reshape(-1, 784) / 255.0).astype(np.float32))
y = torch.from_numpy(idx(data + '/train-labels-idx1-ubyte').astype(np.int64))
model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(),
                            torch.nn.Linear(512, 256), torch.nn.ReLU(),
                            torch.nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
g = torch.Generator().manual_seed(0)
B = 128
times = []
for e in range(epochs):
    perm = torch.randperm(len(x), generator=g)
    t0 = time.perf_counter()
    for k in range(len(x) // B):
        idxs = perm[k * B:(k + 1) * B]
        opt.zero_grad()
        loss = loss_fn(model(x[idxs]), y[idxs])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
blas = sorted({l.split()[-1] for l in open('/proc/self/maps')
               if 'blas' in l and '.so' in l})
print(json.dumps({'times': times, 'blas': blas}))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "mnist"))
    ap.add_argument("--kilnc", default=os.path.join(ROOT, "build", "bin",
                                                    "kilnc"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "mnist_mlp")
        subprocess.run([args.kilnc, os.path.join(ROOT, "examples",
                                                 "mnist_mlp.mlir"), "-o", exe],
                       check=True)
        metrics = os.path.join(tmp, "m.jsonl")
        subprocess.run([exe, "--data", args.data, "--epochs",
                        str(args.epochs), "--metrics", metrics, "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
        with open(metrics) as f:
            rows = [json.loads(line) for line in f]
        kiln = [r["batches"] * 128 / r["samples_per_sec"] for r in rows]

        env = benchlib.torch_env(args.threads)
        out = subprocess.run(["/usr/bin/python3", "-c", TORCH_SCRIPT,
                              str(args.threads), str(args.epochs), args.data],
                             check=True, env=env, stdout=subprocess.PIPE,
                             text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        torch_times = result["times"]

    k, t = statistics.median(kiln), statistics.median(torch_times)
    print(f"epochs {args.epochs}, threads {args.threads}, "
          f"62 steps of batch 128 per epoch")
    print(f"kiln    s/epoch median {k:.3f}  all {[round(v, 3) for v in kiln]}")
    print(f"pytorch s/epoch median {t:.3f}  all "
          f"{[round(v, 3) for v in torch_times]}")
    print(f"kiln / pytorch = {k / t:.2f}x time")
    print(f"PyTorch BLAS: {', '.join(result['blas']) or 'none found'}")
    if not any("openblas" in lib for lib in result["blas"]):
        print("warning: PyTorch is not using OpenBLAS (utils/setup.sh "
              "installs libopenblas0-pthread)")
    if rows and rows[-1].get("eval_accuracy") is not None:
        print(f"kiln held-out accuracy after {len(rows)} epochs: "
              f"{rows[-1]['eval_accuracy']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
