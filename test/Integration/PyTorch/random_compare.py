#!/usr/bin/env python3
"""Kiln's dropout, normal sampler and flatten against PyTorch 1.13.

Compiles random_ops.mlir with kilnc (which adds the @<name>_grad entries)
and, on seeded random inputs, compares:

- dropout in training: Kiln's output defines the mask (an element is kept
  where y != 0; x has no zeros); PyTorch's inverted dropout with that mask,
  x * mask * (1 / (1 - p)) in f32, must equal y bit for bit, and the
  gradient of sum(y * g) in PyTorch (autograd through the same expression)
  must equal Kiln's. The fraction dropped must be within 4 standard
  deviations of p. In evaluation, F.dropout(x, training=False) is x.
- the normal sampler: 65,536 draws of N(2, 0.5^2) per key, for two keys,
  against torch.normal's draws: two-sample Kolmogorov-Smirnov statistic
  below its 1% critical value 1.63 * sqrt(2 / n), the same test against the
  exact normal CDF, mean and standard deviation within 4 standard errors,
  and different keys giving different draws.
- the reparameterization z = mu + exp(logvar / 2) * eps with Kiln's eps:
  z and the gradients for mu and logvar against autograd, |diff| <= 1e-6 *
  (1 + |value|).
- flatten: torch.flatten(x, 1) and its gradient, exactly.

Prints one `ok NAME ...` or `FAIL NAME ...` line per check.

  random_compare.py --kilnc KILNC --model random_ops.mlir --work DIR
"""

import argparse
import math
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiln_aot import run_kiln  # noqa: E402

failures = 0


def report(name, ok, detail):
    global failures
    print("%s %s %s" % ("ok" if ok else "FAIL", name, detail))
    if not ok:
        failures += 1


def ks_two_sample(a, b):
    a, b = np.sort(a), np.sort(b)
    both = np.concatenate([a, b])
    fa = np.searchsorted(a, both, side="right") / len(a)
    fb = np.searchsorted(b, both, side="right") / len(b)
    return float(np.max(np.abs(fa - fb)))


def ks_normal(a, mean, std):
    a = np.sort(a.astype(np.float64))
    n = len(a)
    cdf = np.array([0.5 * (1 + math.erf((v - mean) / (std * math.sqrt(2))))
                    for v in a])
    return float(max(np.max(np.arange(1, n + 1) / n - cdf),
                     np.max(cdf - np.arange(0, n) / n)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kilnc", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    prog = os.path.join(args.work, "random_ops")
    subprocess.run([args.kilnc, args.model, "-o", prog], check=True)
    rng = np.random.default_rng(7)

    # Dropout, training: x in +-[0.5, 1.5), so that y == 0 means dropped.
    p = 0.3
    x = (rng.uniform(0.5, 1.5, (64, 256)) *
         rng.choice([-1, 1], (64, 256))).astype(np.float32)
    g = rng.uniform(-1, 1, (64, 256)).astype(np.float32)
    _, y, dx = run_kiln(prog, args.work, "dropout_train_grad", [x, g], 3)
    mask = torch.from_numpy((y != 0).astype(np.float32))
    xt = torch.from_numpy(x).requires_grad_()
    yt = xt * mask * torch.tensor(1 / (1 - p), dtype=torch.float32)
    (yt * torch.from_numpy(g)).sum().backward()
    dropped = 1 - float(mask.mean())
    sigma = math.sqrt(p * (1 - p) / x.size)
    report("dropout_train",
           np.array_equal(y, yt.detach().numpy()) and
           np.array_equal(dx, xt.grad.numpy()) and
           abs(dropped - p) <= 4 * sigma,
           "dropped %.4f (p %.1f, 4 sigma %.4f), y and dx bit-identical: %s"
           % (dropped, p, 4 * sigma,
              np.array_equal(y, yt.detach().numpy()) and
              np.array_equal(dx, xt.grad.numpy())))

    # Dropout, evaluation.
    x = rng.uniform(-1, 1, (16, 32)).astype(np.float32)
    g = rng.uniform(-1, 1, (16, 32)).astype(np.float32)
    _, y, dx = run_kiln(prog, args.work, "dropout_eval_grad", [x, g], 3)
    ref = torch.nn.functional.dropout(torch.from_numpy(x), 0.5,
                                      training=False).numpy()
    report("dropout_eval", np.array_equal(y, ref) and np.array_equal(dx, g),
           "y == F.dropout(x, training=False), dx == g")

    # The normal sampler, two keys.
    torch.manual_seed(0)
    draws = []
    for key in (0, 1):
        (e,) = run_kiln(prog, args.work, "normal", [np.array(key, np.int64)], 1)
        e = e.ravel()
        draws.append(e)
        n = e.size
        t = torch.normal(2.0, 0.5, (n,)).numpy()
        crit = 1.63 * math.sqrt(2 / n)
        d2, d1 = ks_two_sample(e, t), ks_normal(e, 2.0, 0.5)
        mean_err = abs(float(e.mean()) - 2.0) / (0.5 / math.sqrt(n))
        std_err = abs(float(e.std()) - 0.5) / (0.5 / math.sqrt(2 * n))
        report("normal_key%d" % key,
               d2 < crit and d1 < 1.63 / math.sqrt(n) and mean_err < 4 and
               std_err < 4,
               "KS vs torch.normal %.5f, vs N(2, 0.25) %.5f (1%% critical "
               "%.5f / %.5f), mean %.5f, std %.5f" %
               (d2, d1, crit, 1.63 / math.sqrt(n), e.mean(), e.std()))
    report("normal_keys_differ", not np.array_equal(draws[0], draws[1]),
           "key 0 and key 1 give different draws")

    # Reparameterization with Kiln's noise.
    mu = rng.uniform(-1, 1, (32, 20)).astype(np.float32)
    lv = rng.uniform(-2, 1, (32, 20)).astype(np.float32)
    g = rng.uniform(-1, 1, (32, 20)).astype(np.float32)
    _, z, eps, dmu, dlv = run_kiln(prog, args.work, "reparam_grad",
                                   [mu, lv, g], 5)
    mut = torch.from_numpy(mu).requires_grad_()
    lvt = torch.from_numpy(lv).requires_grad_()
    zt = mut + torch.exp(lvt * 0.5) * torch.from_numpy(eps)
    (zt * torch.from_numpy(g)).sum().backward()
    worst = 0.0
    for k, t in ((z, zt.detach().numpy()), (dmu, mut.grad.numpy()),
                 (dlv, lvt.grad.numpy())):
        worst = max(worst, float(np.max(np.abs(k - t) / (1 + np.abs(t)))))
    report("reparam", worst <= 1e-6,
           "max |kiln - torch| / (1 + |torch|) %.3g over z, dmu, dlogvar"
           % worst)

    # Flatten.
    x = rng.uniform(-1, 1, (4, 3, 5, 2)).astype(np.float32)
    g = rng.uniform(-1, 1, (4, 30)).astype(np.float32)
    _, y, dx = run_kiln(prog, args.work, "flatten_grad", [x, g], 3)
    xt = torch.from_numpy(x).requires_grad_()
    yt = torch.flatten(xt, 1)
    (yt * torch.from_numpy(g)).sum().backward()
    report("flatten", np.array_equal(y, yt.detach().numpy()) and
           np.array_equal(dx, xt.grad.numpy()),
           "y and dx bit-identical")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
