#!/usr/bin/env python3
"""Compare Kiln's nn.rnn, nn.lstm and nn.gru with torch.nn.RNN/LSTM/GRU.

Compiles recurrent_ops.mlir once with `kilnc -o`. Every function @NAME there
computes y = layer(x, w_ih, w_hh, b_ih, b_hh) (or its last step) and the loss
sum(y * g); kilnc's kiln-autodiff adds @NAME_grad, returning (loss, y,
d loss / d x, d w_ih, d w_hh, d b_ih, d b_hh). For each configuration in
CONFIGS the script draws seeded random inputs and a random cotangent g, runs
@NAME_grad through the executable, and computes the same with PyTorch: a
torch.nn.RNN / LSTM / GRU module (one layer, batch_first=True, zero initial
state) whose weight_ih_l0, weight_hh_l0, bias_ih_l0 and bias_hh_l0 are the
same arrays, its `output` (sliced to the last step for *_last_step), and
torch.autograd of (y * g).sum() for x and the four parameters. It compares
y, the loss and every gradient: the backward pass of the layer
(backpropagation through time) for the cotangent g.

Inputs: x and g standard normal; weights and biases uniform in
[-1/sqrt(H), 1/sqrt(H)), PyTorch's own initialization.

Tolerance: the layers are not linear, so there is no per-element scale of
the terms as in compare_conv.py; each tensor is compared against its own
size instead. With S = max |torch f64| over the tensor (the same module in
double precision; for the loss, a sum with cancellation, S = sum |y| * |g|,
the size of its terms), every element must satisfy |kiln - torch f32| <=
RTOL * S with RTOL = 1e-5. The worst observed ratio |kiln - torch| / S is
4.2e-7 (f32 rounding accumulated over up to 40 steps, in different summation
orders; PyTorch 1.13.1 on x86-64), and PyTorch's own f32 result is as far
from its f64 one (4.3e-7). A wrong gate order, bias, sign or
a step missing from the recurrence is an error of order S and fails.

Prints one line per configuration, `ok NAME max_abs A max_err/S R torch_err/S
Q` (the largest absolute error over all its tensors, the largest ratio
|kiln - torch| / S, and the same ratio for torch f32 against torch f64), or
`FAIL NAME tensor T element I: ...`, and exits with status 1 if any
configuration fails.
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import torch

from kiln_aot import run_kiln

RTOL = 1e-5

# name: (layer kind, B, T, I, H, nonlinearity, loss on the last step only).
# Must match recurrent_ops.mlir.
CONFIGS = [
    ("rnn_tanh", "rnn", 3, 5, 4, 6, "tanh", False),
    ("rnn_relu", "rnn", 3, 5, 4, 6, "relu", False),
    ("lstm", "lstm", 3, 6, 5, 7, None, False),
    ("gru", "gru", 3, 6, 5, 7, None, False),
    ("lstm_one_step", "lstm", 2, 1, 3, 4, None, False),
    ("gru_one_step", "gru", 2, 1, 3, 4, None, False),
    ("rnn_long", "rnn", 4, 40, 8, 16, "tanh", False),
    ("lstm_long", "lstm", 4, 28, 28, 32, None, False),
    ("gru_long", "gru", 4, 28, 28, 32, None, False),
    ("lstm_last_step", "lstm", 5, 12, 6, 9, None, True),
    ("gru_last_step", "gru", 5, 12, 6, 9, None, True),
]

GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def torch_side(kind, nonlinearity, last, arrays, g, dtype):
    """loss, y and the gradients for x, w_ih, w_hh, b_ih, b_hh."""
    x, w_ih, w_hh, b_ih, b_hh = arrays
    size_in, hidden = x.shape[2], w_hh.shape[1]
    if kind == "rnn":
        layer = torch.nn.RNN(size_in, hidden, nonlinearity=nonlinearity,
                             batch_first=True)
    elif kind == "lstm":
        layer = torch.nn.LSTM(size_in, hidden, batch_first=True)
    else:
        layer = torch.nn.GRU(size_in, hidden, batch_first=True)
    layer = layer.to(dtype)
    with torch.no_grad():
        for name, value in (("weight_ih_l0", w_ih), ("weight_hh_l0", w_hh),
                            ("bias_ih_l0", b_ih), ("bias_hh_l0", b_hh)):
            getattr(layer, name).copy_(torch.from_numpy(value))
    xt = torch.from_numpy(x.astype(np.float64)).to(dtype).requires_grad_()
    y, _ = layer(xt)
    if last:
        y = y[:, -1:, :]
    loss = (y * torch.from_numpy(g.astype(np.float64)).to(dtype)).sum()
    loss.backward()
    grads = [xt.grad, layer.weight_ih_l0.grad, layer.weight_hh_l0.grad,
             layer.bias_ih_l0.grad, layer.bias_hh_l0.grad]
    as64 = lambda t: t.detach().numpy().astype(np.float64)
    return [as64(loss), as64(y)] + [as64(t) for t in grads]


def run_config(prog, work, seed, name, kind, B, T, I, H, nonlinearity, last):
    rng = np.random.default_rng(seed)
    rows = GATES[kind] * H
    bound = 1.0 / np.sqrt(H)
    x = rng.standard_normal((B, T, I)).astype(np.float32)
    params = [rng.uniform(-bound, bound, shape).astype(np.float32)
              for shape in ((rows, I), (rows, H), (rows,), (rows,))]
    g = rng.standard_normal((B, 1 if last else T, H)).astype(np.float32)
    arrays = [x] + params

    ref32 = torch_side(kind, nonlinearity, last, arrays, g, torch.float32)
    ref64 = torch_side(kind, nonlinearity, last, arrays, g, torch.float64)
    outs = run_kiln(prog, work, name + "_grad", arrays + [g], 7)

    names = ["loss", "y", "dx", "dw_ih", "dw_hh", "db_ih", "db_hh"]
    # The loss is a sum with cancellation: its scale is the sum of its terms.
    scales = [float(np.sum(np.abs(ref64[1]) * np.abs(g)))]
    scales += [float(np.abs(t).max(initial=0.0)) for t in ref64[1:]]
    max_abs = max_ratio = torch_ratio = 0.0
    for tname, kiln, want, exact, scale in zip(names, outs, ref32, ref64,
                                               scales):
        kiln = np.asarray(kiln, np.float64)
        if kiln.shape != want.shape:
            print("FAIL %s tensor %s: shape %s vs torch %s"
                  % (name, tname, kiln.shape, want.shape))
            return False
        diff = np.abs(kiln - want)
        max_abs = max(max_abs, float(diff.max(initial=0.0)))
        if scale > 0:
            max_ratio = max(max_ratio, float(diff.max(initial=0.0)) / scale)
            torch_ratio = max(torch_ratio,
                              float(np.abs(want - exact).max()) / scale)
        bad = ~(diff <= RTOL * scale)
        if bad.any():
            i = np.unravel_index(np.argmax(bad), bad.shape)
            print("FAIL %s tensor %s element %s: kiln %r torch %r "
                  "(|diff| %g > %g * S, S = %g)"
                  % (name, tname, tuple(int(k) for k in i), float(kiln[i]),
                     float(want[i]), float(diff[i]), RTOL, scale))
            return False
    print("ok %s max_abs %.3g max_err/S %.3g torch_err/S %.3g"
          % (name, max_abs, max_ratio, torch_ratio))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kilnc", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()

    torch.set_num_threads(1)
    os.makedirs(args.work, exist_ok=True)
    prog = os.path.join(args.work, "recurrent_ops")
    subprocess.run([args.kilnc, args.model, "-o", prog], check=True)
    ok = True
    for seed, config in enumerate(CONFIGS):
        ok &= run_config(prog, args.work, 3000 + seed, *config)
    sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
