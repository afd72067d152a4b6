#!/usr/bin/env python3
"""Train every examples/mnist_*.mlir model to its target; time it against PyTorch.

For each model, in turn and in one run:

1. Kiln: `kilnc examples/mnist_M.mlir -o M` (compile time reported), then
   `./M --data data/mnist --epochs E --metrics M.jsonl --image-dir IMG`.
   The reached metric is read from the last epoch's line; Kiln's time per
   epoch is the median over epochs of batches * batch / samples_per_sec (the
   training steps alone; docs/Runtime.md, "The loop").
2. PyTorch: the same model (bench/zoo_torch.py) for --torch-epochs epochs,
   configured as ../shared/notes/baselines.md says (explicit thread count,
   GLIBC_TUNABLES for malloc, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset);
   the median time per epoch of its training steps.

Targets (issue 4): LeNet >= 98% held-out accuracy; LSTM and GRU >= 95%; the
GAN's held-out discriminator accuracy strictly between 0 and 1 with finite
losses; the VAE's held-out negative ELBO lower after the last epoch than after
the first. The batch-norm/dropout MLP has no target; its accuracy is shown.
The exit status is 1 if a target is missed. Nothing here is a test: numbers
are for the machine it runs on.

  /usr/bin/python3 bench/train_zoo.py [--models lenet,gan] [--epochs N]
      [--torch-epochs 2] [--threads 1] [--out DIR]
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ROOT = benchlib.ROOT

# model -> (batch, default epochs, metric key, target description)
MODELS = {
    "lenet": (64, 15, "eval_accuracy", ">= 0.98"),
    "lstm": (64, 12, "eval_accuracy", ">= 0.95"),
    "gru": (64, 12, "eval_accuracy", ">= 0.95"),
    "mlp_bn_dropout": (128, 10, "eval_accuracy", "(none)"),
    "gan": (64, 20, "eval_d_acc", "in (0, 1)"),
    "vae": (128, 10, "eval_loss", "decreasing"),
}


def target_met(name, rows):
    last = rows[-1]
    if name == "lenet":
        return last["eval_accuracy"] >= 0.98
    if name in ("lstm", "gru"):
        return last["eval_accuracy"] >= 0.95
    if name == "gan":
        finite = all(math.isfinite(v) for r in rows for k, v in r.items()
                     if "loss" in k and isinstance(v, float))
        return finite and 0.0 < last["eval_d_acc"] < 1.0
    if name == "vae":
        return len(rows) > 1 and last["eval_loss"] < rows[0]["eval_loss"]
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--epochs", type=int, help="override every model's epochs")
    ap.add_argument("--torch-epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "mnist"))
    ap.add_argument("--kilnc", default=os.path.join(ROOT, "build", "bin",
                                                    "kilnc"))
    ap.add_argument("--out", help="keep executables, metrics and images here")
    args = ap.parse_args()
    names = args.models.split(",")
    for name in names:
        if name not in MODELS:
            sys.exit(f"unknown model '{name}' (known: {', '.join(MODELS)})")

    out = args.out or tempfile.mkdtemp(prefix="kiln-zoo-")
    os.makedirs(out, exist_ok=True)
    table, missed, blas = [], [], set()
    for name in names:
        batch, epochs, key, target = MODELS[name]
        epochs = args.epochs or epochs
        exe = os.path.join(out, name)
        t0 = time.perf_counter()
        subprocess.run([args.kilnc, os.path.join(ROOT, "examples",
                                                 f"mnist_{name}.mlir"),
                        "-o", exe], check=True)
        compile_s = time.perf_counter() - t0
        metrics = os.path.join(out, f"{name}.jsonl")
        if os.path.exists(metrics):
            os.remove(metrics)
        subprocess.run([exe, "--data", args.data, "--epochs", str(epochs),
                        "--metrics", metrics, "--quiet", "--image-dir",
                        os.path.join(out, f"{name}-images")],
                       check=True, stdout=subprocess.DEVNULL)
        with open(metrics) as f:
            rows = [json.loads(line) for line in f]
        kiln = statistics.median(r["batches"] * batch / r["samples_per_sec"]
                                 for r in rows)

        res = json.loads(subprocess.run(
            ["/usr/bin/python3", os.path.join(ROOT, "bench", "zoo_torch.py"),
             name, str(args.threads), str(args.torch_epochs), args.data],
            check=True, env=benchlib.torch_env(args.threads), stdout=subprocess.PIPE,
            text=True).stdout.strip().splitlines()[-1])
        blas.update(res["blas"])
        pt = statistics.median(res["times"])
        met = target_met(name, rows)
        if not met:
            missed.append(name)
        first = rows[0][key]
        table.append((name, epochs, key, f"{first:.4f} -> {rows[-1][key]:.4f}",
                      target, "yes" if met else "NO", compile_s, kiln, pt))
        print(f"{name}: done", file=sys.stderr)

    print(f"threads {args.threads}; Kiln and PyTorch time the training steps "
          f"of one epoch (8,000 digits); PyTorch over {args.torch_epochs} "
          f"epochs; outputs in {out}")
    print("| model | epochs | metric (first -> last epoch) | target | met | "
          "compile s | Kiln s/epoch | PyTorch s/epoch | PyTorch/Kiln |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (name, epochs, key, vals, target, met, cs, k, pt) in table:
        print(f"| {name} | {epochs} | {key} {vals} | {target} | {met} | "
              f"{cs:.2f} | {k:.3f} | {pt:.3f} | {pt / k:.2f}x |")
    print(f"PyTorch BLAS: {', '.join(sorted(blas)) or 'none found'}")
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
