#!/usr/bin/env python3
"""Compare Kiln's focal, triplet margin and KL losses with PyTorch.

Compiles losses_ops.mlir once with `kilnc -o`. Every function @NAME there
takes the loss operands and a scalar c and returns (c * L, L); kilnc's
kiln-autodiff adds @NAME_grad, returning (c * L, L, d(c * L)/d operand for
each f32 operand). For each configuration in CONFIGS the script draws seeded
random inputs, runs @NAME_grad through the executable, and computes the same
with PyTorch 1.13 (torch.autograd on c * L):

  focal_loss           composed from torch ops, the formula of docs/Spec.md:
                       logp = log_softmax(x, 1).gather(1, y), p = exp(logp),
                       L = -alpha * (1 - p)^gamma * logp, mean or sum
  triplet_margin_loss  torch.nn.functional.triplet_margin_loss(a, p, n,
                       margin, p=2, eps, swap=False, reduction)
  kl_divergence        -0.5 * sum(1 + lv - mu^2 - exp(lv), dim=1), mean or
                       sum

Inputs are standard normal, labels uniform in [0, C), c uniform in
+-[0.5, 2); in focal_g3_confident the logits are scaled by 12 and half the
rows are labelled with their largest logit, so that p_y comes close to 1
(1 - p_y down to 8e-8, where f32 rounds p_y to 1) and to 0 (down to 1e-17);
in kl_sum logvar is scaled by 2. Degenerate points on purpose:
triplet_m0_sum has rows whose negative equals their positive (the hinge is
exactly 0 with margin 0: PyTorch's clamp_min, and Kiln, pass the gradient
there), triplet_eps0 has rows whose positive equals the anchor (distance 0
with eps 0: both give that distance's term a zero gradient).
focal_g0_a1 is also compared with F.cross_entropy, and the loss of the f64
reference interpreter (kiln-interp, the oracle of the compiled-vs-reference
tests) with torch in f64 to 1e-6 relative (it rounds to f32 at the end).

Tolerance: both sides compute in f32 with different orders and formulas
(Kiln: -expm1 for 1 - p_y in the forward pass, a closed-form gradient; torch:
1 - exp(logp) and autograd through pow, gather and log_softmax), so each
tensor T (the loss, the scaled loss and each gradient) is checked
elementwise with |kiln - torch| <= RTOL * (|torch| + max |T|), the max over
the tensor standing for the size of the terms that cancel in an element
(softmax - onehot for the label column, u/|u| - v/|v| for the anchor). With
RTOL = 1e-5, a wrong factor, sign, hinge side or reduction (an error of order
max |T|) fails. The worst observed ratio |kiln - torch| / (|torch| + max |T|)
is printed as max_err/S; with PyTorch 1.13.1 on x86-64 it is at most
2.6e-7 (a few f32 roundings), and torch in f32 differs from torch in f64
by as much (1.5e-7, printed last).

Prints one line per configuration, `ok NAME max_abs A max_err/S R`, or
`FAIL NAME tensor T element I: ...`, and exits with status 1 if any
configuration fails.
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


def focal(gamma, alpha, reduction):
    def fn(x, y):
        logp = F.log_softmax(x, 1).gather(1, y.long()[:, None]).squeeze(1)
        p = logp.exp()
        loss = -alpha * (1 - p) ** gamma * logp
        return loss.mean() if reduction == "mean" else loss.sum()
    return fn


def triplet(margin, eps, reduction):
    def fn(a, p, n):
        return F.triplet_margin_loss(a, p, n, margin=margin, p=2, eps=eps,
                                     swap=False, reduction=reduction)
    return fn


def kl(reduction):
    def fn(mu, lv):
        rows = -0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp(), dim=1)
        return rows.mean() if reduction == "mean" else rows.sum()
    return fn


def normal(rng, shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def focal_inputs(n, c, label_dtype, scale=1.0, argmax_rows=0):
    """Logits and labels; the first `argmax_rows` rows are labelled with
    their largest logit."""
    def make(rng):
        x = normal(rng, (n, c), scale)
        y = rng.integers(0, c, size=n)
        y[:argmax_rows] = x[:argmax_rows].argmax(axis=1)
        return [x, y.astype(label_dtype)]
    return make


def triplet_inputs(n, d, same_neg=0, same_pos=0):
    def make(rng):
        a, p, m = (normal(rng, (n, d)) for _ in range(3))
        m[:same_neg] = p[:same_neg]
        p[:same_pos] = a[:same_pos]
        return [a, p, m]
    return make


def kl_inputs(n, z, logvar_scale=1.0):
    def make(rng):
        return [normal(rng, (n, z)), normal(rng, (n, z), logvar_scale)]
    return make


# name: (input generator, torch function of the inputs giving L, indices of
#        the f32 inputs). Shapes and attributes must match losses_ops.mlir.
CONFIGS = [
    ("focal_g2_a025", focal_inputs(16, 10, np.int64),
     focal(2.0, 0.25, "mean"), [0]),
    ("focal_g0_a1", focal_inputs(16, 10, np.int64),
     focal(0.0, 1.0, "mean"), [0]),
    ("focal_g05_sum", focal_inputs(16, 10, np.int64),
     focal(0.5, 1.0, "sum"), [0]),
    ("focal_g15_i32_sum", focal_inputs(12, 5, np.int32),
     focal(1.5, 0.75, "sum"), [0]),
    ("focal_g3_confident",
     focal_inputs(16, 10, np.int64, scale=12.0, argmax_rows=8),
     focal(3.0, 0.5, "mean"), [0]),
    ("focal_g2_binary", focal_inputs(32, 2, np.int64),
     focal(2.0, 0.25, "mean"), [0]),
    ("triplet_m1", triplet_inputs(16, 32),
     triplet(1.0, 1e-6, "mean"), [0, 1, 2]),
    ("triplet_m0_sum", triplet_inputs(16, 8, same_neg=4),
     triplet(0.0, 1e-6, "sum"), [0, 1, 2]),
    ("triplet_eps0", triplet_inputs(16, 8, same_pos=2),
     triplet(0.5, 0.0, "mean"), [0, 1, 2]),
    ("triplet_m2_eps", triplet_inputs(8, 64),
     triplet(2.0, 1e-2, "sum"), [0, 1, 2]),
    ("kl_mean", kl_inputs(16, 20), kl("mean"), [0, 1]),
    ("kl_sum", kl_inputs(8, 32, logvar_scale=2.0), kl("sum"), [0, 1]),
]


def torch_side(fn, inputs, diff, c, dtype):
    """L, c * L and the gradients of c * L for the f32 inputs `diff`."""
    tensors = []
    for i, a in enumerate(inputs):
        t = torch.from_numpy(a.copy())
        if i in diff:
            t = t.to(dtype).requires_grad_()
        tensors.append(t)
    loss = fn(*tensors)
    scaled = torch.tensor(c, dtype=dtype) * loss
    scaled.backward()
    return ([loss.detach().numpy(), scaled.detach().numpy()] +
            [tensors[i].grad.numpy() for i in diff])


def compare(name, tname, kiln, ref, stats):
    """Checks one tensor; returns False after printing the first mismatch."""
    kiln = np.asarray(kiln, np.float64)
    ref = np.asarray(ref, np.float64)
    if kiln.shape != ref.shape:
        print("FAIL %s tensor %s: shape %s vs torch %s"
              % (name, tname, kiln.shape, ref.shape))
        return False
    scale = np.abs(ref) + np.abs(ref).max(initial=0.0)
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


def run_config(prog, interp, model, work, seed, name, make_inputs, fn,
               diff, f64_stats):
    rng = np.random.default_rng(seed)
    inputs = make_inputs(rng)
    c = float(rng.uniform(0.5, 2.0) * rng.choice([-1.0, 1.0]))
    ref = torch_side(fn, inputs, diff, c, torch.float32)
    ref64 = torch_side(fn, inputs, diff, c, torch.float64)

    outs = run_kiln(prog, work, name + "_grad",
                    inputs + [np.array(c, np.float32)], 2 + len(diff))
    # Kiln returns (c * L, L, grads...); torch_side gives (L, c * L, ...).
    kiln = [outs[1], outs[0]] + outs[2:]
    names = ["loss", "c*loss"] + ["d_arg%d" % i for i in diff]
    stats = [0.0, 0.0]
    for tname, k, r in zip(names, kiln, ref):
        if not compare(name, tname, k, r, stats):
            return False
    # How far torch in f32 is from torch in f64, on the same scale.
    for r, r64 in zip(ref, ref64):
        r64 = np.asarray(r64, np.float64)
        scale = np.abs(r64) + np.abs(r64).max(initial=0.0)
        nonzero = scale > 0
        if nonzero.any():
            f64_stats[0] = max(f64_stats[0], float(
                (np.abs(r - r64)[nonzero] / scale[nonzero]).max()))
    # The f64 reference interpreter (kiln-interp, the oracle of the
    # compiled-vs-reference tests) against torch in f64: both evaluate the
    # loss in f64 and round it to f32 at the end.
    ref_out = os.path.join(work, name + ".ref.npy")
    ins = [os.path.join(work, "%s_grad.in%d.npy" % (name, i))
           for i in range(len(inputs) + 1)]
    subprocess.run([interp, model, "--entry", name, "-o",
                    os.path.join(work, name + ".ref_scaled.npy"), "-o",
                    ref_out] + ins, check=True)
    ref_loss, torch64 = float(np.load(ref_out)), float(ref64[0])
    if not abs(ref_loss - torch64) <= 1e-6 * abs(torch64):
        print("FAIL %s: reference interpreter %r vs torch f64 %r"
              % (name, ref_loss, torch64))
        return False
    if name == "focal_g0_a1":
        x, y = (torch.from_numpy(a) for a in inputs)
        ce = float(F.cross_entropy(x, y))
        if not abs(float(outs[1]) - ce) <= RTOL * 2 * abs(ce):
            print("FAIL %s: kiln %r vs F.cross_entropy %r"
                  % (name, float(outs[1]), ce))
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
    prog = os.path.join(args.work, "losses_ops")
    interp = os.path.join(os.path.dirname(args.kilnc), "kiln-interp")
    subprocess.run([args.kilnc, args.model, "-o", prog], check=True)
    ok = True
    f64_stats = [0.0]
    for seed, (name, make_inputs, fn, diff) in enumerate(CONFIGS):
        ok &= run_config(prog, interp, args.model, args.work, 3000 + seed,
                         name, make_inputs, fn, diff, f64_stats)
    print("torch f32 vs torch f64: max_err/S %.3g" % f64_stats[0])
    sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
