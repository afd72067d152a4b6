#!/usr/bin/env python3
"""Compare Kiln's batch norm ops with torch.nn.functional.batch_norm.

Compiles normalization_ops.mlir once with `kilnc -o`. Every function @NAME
there computes y = batch_norm(x, gamma, beta, stats) and the loss
sum(y * g); the training form also returns the new running mean and
variance. kilnc's kiln-autodiff adds @NAME_grad, returning (loss, y[,
new_mean, new_var], d loss / d x, d loss / d gamma, d loss / d beta). For
each configuration in CONFIGS the script draws seeded random inputs (x
standard normal times 2 plus 0.5, gamma and beta standard normal, the
running mean standard normal, the variances uniform in [0.5, 2)) and a
random cotangent g, runs @NAME_grad through the executable, and computes the
same with PyTorch: F.batch_norm(x, mean, var, gamma, beta, training, momentum,
eps) on clones of the running statistics (which PyTorch updates in place in
training), and torch.autograd on (y * g).sum(). It compares the loss, y, the
running statistics and the three gradients.

Tolerance: both sides compute in f32 with different orders of summation
(Kiln accumulates the batch statistics in f64), so every element is
compared with the size of the terms that make it, S, computed in f64 from
the inputs with M values per channel, rstd = 1 / sqrt(var + eps) and xhat
the normalized input:
  y          S = (|x| + |mean|) * rstd * |gamma| + |beta|
  new_mean   S = (1 - momentum) |running_mean| + momentum * mean(|x|)
  new_var    S = (1 - momentum) |running_var| + momentum * var * M / (M - 1)
             (var taken as mean(x^2): the deviations are bounded by it)
  dbeta      S = sum |g|
  dgamma     S = sum |g * xhat|
  dx (eval)  S = |g| * |gamma| * rstd
  dx (train) S = |gamma| * rstd / M * (M |g| + sum |g| + |xhat| sum |g xhat|)
  loss       S = sum |y * g|
The check is |kiln - torch| <= RTOL * S with RTOL = 1e-5, i.e. a few
hundred f32 roundings of the terms; a wrong statistic, sign, eps or
momentum (an error of order S) fails.

Prints one line per configuration, `ok NAME max_abs A max_err/S R` (the
largest absolute error over all its tensors, and the largest ratio
|kiln - torch| / S), or `FAIL NAME tensor T element I: ...`, and exits with
status 1 if any configuration fails.
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

from kiln_aot import run_kiln

RTOL = 1e-5

# name: (training, input shape, eps, momentum); None means the op's default
# (eps 1e-5, momentum 0.1, PyTorch's defaults too). Must match
# normalization_ops.mlir.
CONFIGS = [
    ("bn_eval_2d", False, (8, 5), None, None),
    ("bn_eval_3d", False, (4, 3, 7), 1e-3, None),
    ("bn_eval_4d", False, (4, 3, 5, 5), None, None),
    ("bn_train_2d", True, (16, 5), None, None),
    ("bn_train_m2", True, (2, 3), None, 0.5),
    ("bn_train_3d", True, (4, 3, 7), 1e-3, 0.3),
    ("bn_train_4d", True, (8, 4, 6, 6), 1e-4, 0.05),
    ("bn_train_large", True, (32, 16, 8, 8), None, None),
]


def compare(name, tname, kiln, ref, scale, stats):
    """Checks one tensor; returns False after printing the first mismatch."""
    kiln = np.asarray(kiln, np.float64)
    ref = np.asarray(ref, np.float64)
    scale = np.broadcast_to(np.asarray(scale, np.float64), ref.shape)
    if kiln.shape != ref.shape:
        print("FAIL %s tensor %s: shape %s vs torch %s"
              % (name, tname, kiln.shape, ref.shape))
        return False
    diff = np.abs(kiln - ref)
    bad = ~(diff <= RTOL * scale)
    stats[0] = max(stats[0], float(diff.max(initial=0.0)))
    nonzero = scale > 0
    if nonzero.any():
        stats[1] = max(stats[1], float((diff[nonzero] / scale[nonzero]).max()))
    if bad.any():
        i = np.unravel_index(np.argmax(bad), bad.shape)
        print("FAIL %s tensor %s element %s: kiln %r torch %r "
              "(|diff| %g > %g * S, S = %g)"
              % (name, tname, tuple(int(k) for k in i), float(kiln[i]),
                 float(ref[i]), float(diff[i]), RTOL, float(scale[i])))
        return False
    return True


def channel_view(v, rank):
    """[C] -> [1, C, 1, ...] of the given rank."""
    return v.reshape((1, -1) + (1,) * (rank - 2))


def scales(training, x, gamma, beta, mean, var, running, g, eps, momentum):
    """The term sizes S of docs above, in f64, for every compared tensor."""
    x, gamma, beta, g = (a.astype(np.float64) for a in (x, gamma, beta, g))
    rank = x.ndim
    axes = tuple(d for d in range(rank) if d != 1)
    m = x.size // x.shape[1]
    if training:
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)
    mean, var = mean.astype(np.float64), var.astype(np.float64)
    rstd = 1.0 / np.sqrt(var + eps)
    cv = lambda v: channel_view(v, rank)
    xhat = (x - cv(mean)) * cv(rstd)
    s_y = (np.abs(x) + np.abs(cv(mean))) * cv(rstd) * np.abs(cv(gamma)) \
        + np.abs(cv(beta))
    y = xhat * cv(gamma) + cv(beta)
    s_loss = np.sum(np.abs(y * g))
    s_dbeta = np.abs(g).sum(axis=axes)
    s_dgamma = np.abs(g * xhat).sum(axis=axes)
    if training:
        s_dx = np.abs(cv(gamma)) * cv(rstd) / m * (
            m * np.abs(g) + cv(s_dbeta) + np.abs(xhat) * cv(s_dgamma))
        rm, rv = (a.astype(np.float64) for a in running)
        s_mean = (1 - momentum) * np.abs(rm) + momentum * np.abs(x).mean(
            axis=axes)
        s_var = (1 - momentum) * np.abs(rv) + momentum * (x * x).mean(
            axis=axes) * m / (m - 1)
        return s_loss, s_y, [s_mean, s_var], [s_dx, s_dgamma, s_dbeta]
    s_dx = np.abs(g) * np.abs(cv(gamma)) * cv(rstd)
    return s_loss, s_y, [], [s_dx, s_dgamma, s_dbeta]


def run_config(prog, work, seed, name, training, shape, eps, momentum):
    rng = np.random.default_rng(seed)
    c = shape[1]
    x = (rng.standard_normal(shape) * 2 + 0.5).astype(np.float32)
    gamma = rng.standard_normal(c).astype(np.float32)
    beta = rng.standard_normal(c).astype(np.float32)
    mean = rng.standard_normal(c).astype(np.float32)
    var = rng.uniform(0.5, 2.0, c).astype(np.float32)
    g = rng.standard_normal(shape).astype(np.float32)
    eps_v = 1e-5 if eps is None else eps
    mom_v = 0.1 if momentum is None else momentum

    tx, tgamma, tbeta = (torch.from_numpy(a.copy()).requires_grad_()
                         for a in (x, gamma, beta))
    tmean, tvar = torch.from_numpy(mean.copy()), torch.from_numpy(var.copy())
    y = F.batch_norm(tx, tmean, tvar, tgamma, tbeta, training=training,
                     momentum=mom_v, eps=eps_v)
    loss = (y * torch.from_numpy(g)).sum()
    loss.backward()
    refs = [loss.detach().numpy(), y.detach().numpy()]
    names = ["loss", "y"]
    if training:
        refs += [tmean.numpy(), tvar.numpy()]
        names += ["new_mean", "new_var"]
    refs += [tx.grad.numpy(), tgamma.grad.numpy(), tbeta.grad.numpy()]
    names += ["dx", "dgamma", "dbeta"]

    s_loss, s_y, s_stats, s_grads = scales(
        training, x, gamma, beta, mean, var, (mean, var), g, eps_v, mom_v)
    scale_list = [s_loss, s_y] + s_stats + s_grads

    outs = run_kiln(prog, work, name + "_grad",
                    [x, gamma, beta, mean, var, g], len(refs))
    stats = [0.0, 0.0]
    for tname, k, ref, scale in zip(names, outs, refs, scale_list):
        if not compare(name, tname, k, ref, scale, stats):
            return False
    print("ok %s max_abs %.3g max_err/S %.3g" % (name, stats[0], stats[1]))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kilnc", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()

    torch.set_num_threads(1)
    os.makedirs(args.work, exist_ok=True)
    prog = os.path.join(args.work, "normalization_ops")
    subprocess.run([args.kilnc, args.model, "-o", prog], check=True)
    ok = True
    for seed, (name, training, shape, eps, momentum) in enumerate(CONFIGS):
        ok &= run_config(prog, args.work, 3000 + seed, name, training, shape,
                         eps, momentum)
    sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
