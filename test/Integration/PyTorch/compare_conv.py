#!/usr/bin/env python3
"""Compare Kiln's convolution and pooling ops with torch.nn.functional.

Compiles conv_ops.mlir once with `kilnc -o`. Every function @NAME there
computes y = op(inputs) and the loss sum(y * g); kilnc's kiln-autodiff adds
@NAME_grad, returning (loss, y, d loss / d input, ...). For each
configuration in CONFIGS the script draws seeded random inputs and a random
cotangent g, runs @NAME_grad through the executable, and computes the same
on PyTorch's side: y = F.<op>(...) and torch.autograd on (y * g).sum(). It
compares y and every gradient (the vector-Jacobian products for g, i.e. the
backward pass of the op) and the loss.

Inputs are standard normal. For max pooling they are rounded to multiples of
1/4 (values in about [-3, 3]), so that most windows hold ties: that checks
Kiln's tie-breaking (the first position of the maximum, in row-major window
order) against the index PyTorch's max_pool2d returns.

Tolerance: both sides compute in f32 but sum in different orders (PyTorch's
convolutions use im2col + GEMM blocks, Kiln loops over the taps), so a sum
with cancellation can differ by more than its own magnitude would suggest.
Each element is therefore compared against the size of its terms: S is the
same computation with every argument in which the op is linear replaced by
its absolute value (all of x, w, b and g for convolutions and average
pooling; only g for max pooling, whose routing depends on x), which gives
sum |term| for every output and gradient element, and for the loss
sum(S_y * |g|). The check is |kiln - torch| <= RTOL * S with RTOL = 1e-5;
the worst observed ratio |kiln - torch| / S is 2.5e-7 (a few f32 roundings
of the partial sums; PyTorch 1.13.1 on x86-64), so a wrong tap, sign,
stride or routing (an error of order S) fails. The quantized max-pooling
inputs give 49 windows with a tied maximum. Where S = 0 (positions no window reads, unselected max-pool
positions) both sides must be exactly 0.

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

# name: (input shapes in argument order, function of the torch tensors giving
#        y, whether the op is nonlinear in its input (max pooling: quantize
#        the input to make ties, and keep its sign for the scale S))
# The shapes and attributes must match conv_ops.mlir; the cotangent g is the
# last argument and has y's shape.
CONFIGS = [
    ("conv_basic", [(2, 3, 8, 8), (4, 3, 3, 3), (4,)],
     lambda x, w, b: F.conv2d(x, w, b), False),
    ("conv_stride_pad", [(2, 3, 9, 9), (4, 3, 3, 3), (4,)],
     lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1), False),
    ("conv_dilation", [(2, 2, 9, 10), (3, 2, 3, 3)],
     lambda x, w: F.conv2d(x, w, dilation=2), False),
    ("conv_groups", [(2, 4, 7, 7), (6, 2, 3, 3), (6,)],
     lambda x, w, b: F.conv2d(x, w, b, padding=1, groups=2), False),
    ("conv_1x1", [(2, 5, 4, 4), (3, 5, 1, 1), (3,)],
     lambda x, w, b: F.conv2d(x, w, b), False),
    ("conv_mixed", [(2, 6, 9, 8), (6, 2, 3, 2), (6,)],
     lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2),
                              dilation=(2, 1), groups=3), False),
    ("conv_lenet", [(4, 1, 28, 28), (6, 1, 5, 5), (6,)],
     lambda x, w, b: F.conv2d(x, w, b, padding=2), False),
    ("max_pool_2", [(2, 3, 8, 8)],
     lambda x: F.max_pool2d(x, 2), True),
    ("max_pool_3s2p1", [(2, 3, 9, 9)],
     lambda x: F.max_pool2d(x, 3, stride=2, padding=1), True),
    ("max_pool_nonsquare", [(1, 2, 5, 8)],
     lambda x: F.max_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 1)), True),
    ("avg_pool_2", [(2, 3, 8, 8)],
     lambda x: F.avg_pool2d(x, 2), False),
    ("avg_pool_3s2p1", [(2, 3, 9, 9)],
     lambda x: F.avg_pool2d(x, 3, stride=2, padding=1), False),
    ("avg_pool_nonsquare", [(1, 2, 5, 8)],
     lambda x: F.avg_pool2d(x, (2, 3), stride=(1, 2), padding=(1, 1)),
     False),
    ("global_avg_pool", [(2, 3, 5, 4)],
     lambda x: x.mean(dim=(2, 3)), False),
    ("flatten", [(2, 3, 4, 5)],
     lambda x: torch.flatten(x, 1), False),
]


def compare(name, tname, kiln, ref, scale, stats):
    """Checks one tensor; returns False after printing the first mismatch."""
    kiln = np.asarray(kiln, np.float64)
    ref = np.asarray(ref, np.float64)
    scale = np.asarray(scale, np.float64)
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


def torch_side(fn, inputs, g):
    """y, the loss sum(y * g) and its gradients for each input, in f32."""
    tensors = [torch.from_numpy(a.copy()).requires_grad_() for a in inputs]
    y = fn(*tensors)
    loss = (y * torch.from_numpy(g.copy())).sum()
    loss.backward()
    return (loss.detach().numpy(), y.detach().numpy(),
            [t.grad.numpy() for t in tensors])


def run_config(prog, work, seed, name, shapes, fn, nonlinear):
    rng = np.random.default_rng(seed)
    inputs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    if nonlinear:
        inputs[0] = (np.round(inputs[0] * 4.0) / 4.0).astype(np.float32)
    with torch.no_grad():
        y_shape = tuple(fn(*[torch.from_numpy(a) for a in inputs]).shape)
    g = rng.standard_normal(y_shape).astype(np.float32)
    loss, y, grads = torch_side(fn, inputs, g)

    # The scale S: the same computation on the absolute values of the
    # arguments the op is linear in, in f64.
    abs_inputs = [a.astype(np.float64) for a in inputs]
    if not nonlinear:
        abs_inputs = [np.abs(a) for a in abs_inputs]
    _, s_y, s_grads = torch_side(fn, abs_inputs, np.abs(g).astype(np.float64))
    if nonlinear:
        s_y = np.abs(y)
    s_loss = float(np.sum(s_y * np.abs(g)))

    outs = run_kiln(prog, work, name + "_grad", inputs + [g],
                    2 + len(inputs))
    pairs = [("loss", outs[0], loss, s_loss), ("y", outs[1], y, s_y)]
    for k, (grad, s_grad) in enumerate(zip(grads, s_grads)):
        pairs.append(("d_arg%d" % k, outs[2 + k], grad, s_grad))
    stats = [0.0, 0.0]
    for tname, k, ref, scale in pairs:
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
    prog = os.path.join(args.work, "conv_ops")
    subprocess.run([args.kilnc, args.model, "-o", prog], check=True)
    ok = True
    for seed, (name, shapes, fn, nonlinear) in enumerate(CONFIGS):
        ok &= run_config(prog, args.work, 2000 + seed, name, shapes, fn,
                         nonlinear)
    sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
