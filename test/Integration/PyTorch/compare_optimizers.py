#!/usr/bin/env python3
"""Compare Kiln's optimizer ops with PyTorch's torch.optim, step by step.

Compiles optimizers.mlir once with `kilnc -o`, then for every configuration in
CONFIGS runs N steps from the same seeded random initial parameter, with the
same seeded random gradient each step, on both sides:

- Kiln: the executable's entry for the configuration is called once per step
  with (p, g, state..., step, lr) as .npy files; its outputs (p', state') are
  read back and fed into the next call, so Kiln follows its own trajectory.
- PyTorch: a torch.nn.Parameter with the same initial value, `.grad` set to the
  same gradient, the matching torch.optim optimizer (foreach=False, the
  single-tensor implementation docs/Optimizers.md cites) and `opt.step()`.

The learning rate changes every step (lr_t = base_lr * (1 - t / (2 N)), set in
`param_groups[0]['lr']` as a Python float on the PyTorch side), so the lr
operand is exercised as data.

Tolerance: after every step, every element of p and of each state tensor that
PyTorch exposes (momentum_buffer, square_avg, exp_avg, exp_avg_sq) must satisfy
|kiln - torch| <= ATOL + RTOL * |torch| with RTOL = 1e-5, ATOL = 1e-6. The
formulas are the same (elementwise f32 math, Adam's scalars in f64 rounded to
f32 once); the only deliberate difference is that Kiln's lr is an f32 tensor
while PyTorch's is a Python float, a relative change of the lr below 6e-8,
far inside the tolerance, so no configuration needs a looser one.
The results are not bit-identical, for rounding reasons only (measured with
PyTorch 1.13.1 on x86-64): PyTorch's AVX2 kernels evaluate `add(alpha=)`,
`addcmul` and `addcdiv` with fused multiply-adds (one rounding), Kiln rounds
the product and the sum separately; and PyTorch's addcdiv computes
`(value * t1) / t2` where Kiln computes `lr * (g / denom)`. With
ATEN_CPU_CAPABILITY=default (no FMA) SGD and momentum agree bit for bit over
all 50 steps, RMSprop/Adam/AdamW to 1 ulp of the largest element. The
observed errors are at most a few ulps of the largest |p| (max_abs ~1e-6 on
|p| up to ~8), below the tolerance; max_rel can look large where an element
passes near zero, which is why ATOL is there.

Schedules (lr_step, lr_cosine): Kiln evaluates the closed form. Its f32 result
is compared with PyTorch's closed form `scheduler._get_closed_form_lr()` (f64)
with rtol SCHED_CLOSED_RTOL = 1e-7 (one f32 rounding is <= 6e-8 relative), and
with the recursive values of `scheduler.step()` (what training actually uses)
with RTOL/ATOL above. For the cosine schedule the comparison runs up to
total_steps (= T_max) inclusive; past T_max PyTorch keeps following the cosine
(the rate rises again) while Kiln holds min_lr by design (docs/Optimizers.md),
so there the script checks Kiln == min_lr instead.

Prints one line per configuration, `ok NAME N steps max_abs A max_rel R`, and
exits with status 1 after printing `FAIL NAME step S tensor T element I: ...`
on the first mismatch of a configuration.
"""

import argparse
import math
import os
import subprocess
import sys
import warnings

import numpy as np
import torch

RTOL = 1e-5
ATOL = 1e-6
SCHED_CLOSED_RTOL = 1e-7
N_STEPS = 50
SHAPE = (4, 5)

# name: (torch optimizer factory, base lr, Kiln state names = PyTorch state keys)
# The hyperparameters must match the attributes in optimizers.mlir.
CONFIGS = [
    ("sgd", lambda ps, lr: torch.optim.SGD(ps, lr=lr, foreach=False), 0.1, []),
    ("sgd_wd", lambda ps, lr: torch.optim.SGD(ps, lr=lr, weight_decay=0.1,
                                              foreach=False), 0.1, []),
    ("momentum", lambda ps, lr: torch.optim.SGD(
        ps, lr=lr, momentum=0.9, dampening=0.25, weight_decay=0.05,
        foreach=False), 0.05, ["momentum_buffer"]),
    ("momentum_nesterov", lambda ps, lr: torch.optim.SGD(
        ps, lr=lr, momentum=0.9, dampening=0.0, nesterov=True,
        foreach=False), 0.05, ["momentum_buffer"]),
    ("rmsprop", lambda ps, lr: torch.optim.RMSprop(
        ps, lr=lr, alpha=0.99, eps=1e-8, weight_decay=0.01, foreach=False),
     0.01, ["square_avg"]),
    ("adam", lambda ps, lr: torch.optim.Adam(ps, lr=lr, foreach=False), 0.01,
     ["exp_avg", "exp_avg_sq"]),
    ("adam_wd", lambda ps, lr: torch.optim.Adam(
        ps, lr=lr, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01,
        foreach=False), 0.01, ["exp_avg", "exp_avg_sq"]),
    ("adamw", lambda ps, lr: torch.optim.AdamW(ps, lr=lr, foreach=False), 0.01,
     ["exp_avg", "exp_avg_sq"]),
]

# name: (scheduler factory, base lr, total_steps or None, min_lr)
SCHEDULES = [
    ("lr_step", lambda opt: torch.optim.lr_scheduler.StepLR(
        opt, step_size=7, gamma=0.5), 0.1, None, None),
    ("lr_cosine", lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(
        opt, T_max=30, eta_min=0.001), 0.1, 30, 0.001),
]


class Kiln:
    def __init__(self, kilnc, model, work):
        self.work = work
        os.makedirs(work, exist_ok=True)
        self.prog = os.path.join(work, "optimizers")
        subprocess.run([kilnc, model, "-o", self.prog], check=True)

    def call(self, entry, inputs, n_out):
        ins, outs = [], []
        for i, x in enumerate(inputs):
            path = os.path.join(self.work, "in%d.npy" % i)
            np.save(path, x)
            ins.append(path)
        args = [self.prog, "--entry", entry]
        for i in range(n_out):
            path = os.path.join(self.work, "out%d.npy" % i)
            outs.append(path)
            args += ["-o", path]
        subprocess.run(args + ["--"] + ins, check=True)
        return [np.load(p) for p in outs]


def errors(kiln, ref):
    """Max abs/rel error and the index of the worst violation (or None)."""
    kiln = kiln.astype(np.float64)
    ref = ref.astype(np.float64)
    diff = np.abs(kiln - ref)
    rel = diff / np.maximum(np.abs(ref), np.finfo(np.float64).tiny)
    bad = diff > ATOL + RTOL * np.abs(ref)
    if not np.all(np.isfinite(kiln)):
        bad |= ~np.isfinite(kiln)
    first = None
    if bad.any():
        first = np.unravel_index(np.argmax(bad), bad.shape)
    return float(diff.max(initial=0.0)), float(rel.max(initial=0.0)), first


def run_optimizer(kiln, name, make_opt, base_lr, state_keys, seed):
    rng = np.random.default_rng(seed)
    p0 = rng.standard_normal(SHAPE).astype(np.float32)
    grads = [rng.standard_normal(SHAPE).astype(np.float32)
             for _ in range(N_STEPS)]

    param = torch.nn.Parameter(torch.from_numpy(p0.copy()))
    opt = make_opt([param], base_lr)

    p = p0.copy()
    state = [np.zeros(SHAPE, np.float32) for _ in state_keys]
    max_abs = max_rel = 0.0
    for t in range(N_STEPS):
        lr = base_lr * (1.0 - t / (2.0 * N_STEPS))  # Python float
        opt.param_groups[0]["lr"] = lr
        param.grad = torch.from_numpy(grads[t].copy())
        opt.step()

        outs = kiln.call(name, [p, grads[t]] + state +
                         [np.array(t, np.int64), np.array(lr, np.float32)],
                         1 + len(state_keys))
        p, state = outs[0], outs[1:]

        pairs = [("param", p, param.detach().numpy())]
        st = opt.state[param]
        for key, k in zip(state_keys, state):
            pairs.append((key, k, st[key].numpy()))
        for tname, k, ref in pairs:
            a, r, first = errors(k, ref)
            max_abs, max_rel = max(max_abs, a), max(max_rel, r)
            if first is not None:
                print("FAIL %s step %d tensor %s element %s: kiln %r torch %r "
                      "(|diff| %g > %g + %g * |torch|)"
                      % (name, t, tname, tuple(int(i) for i in first),
                         float(k[first]), float(ref[first]),
                         abs(float(k[first]) - float(ref[first])), ATOL, RTOL))
                return False
    print("ok %s %d steps max_abs %.3g max_rel %.3g"
          % (name, N_STEPS, max_abs, max_rel))
    return True


def run_schedule(kiln, name, make_sched, base_lr, total_steps, min_lr):
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=base_lr)
    sched = make_sched(opt)
    max_abs = max_rel = 0.0
    ok = True
    for t in range(N_STEPS):
        # sched.last_epoch == t: the lr of update t (0-based).
        recursive = opt.param_groups[0]["lr"]
        closed = sched._get_closed_form_lr()[0]
        (out,) = kiln.call(name, [np.array(t, np.int64)], 1)
        got = float(out)
        if total_steps is not None and t > total_steps:
            # Kiln holds min_lr past the end; PyTorch follows the cosine.
            checks = [("min_lr hold", float(np.float32(min_lr)), 0.0, 0.0)]
        else:
            checks = [("closed form", closed, SCHED_CLOSED_RTOL, 0.0),
                      ("recursive", recursive, RTOL, ATOL)]
        for what, ref, rtol, atol in checks:
            diff = abs(got - ref)
            if what != "min_lr hold":
                max_abs = max(max_abs, diff)
                max_rel = max(max_rel, diff / abs(ref) if ref else 0.0)
            if not diff <= atol + rtol * abs(ref):
                print("FAIL %s step %d element (): kiln %r torch %s %r "
                      "(|diff| %g > %g + %g * |torch|)"
                      % (name, t, got, what, ref, diff, atol, rtol))
                ok = False
        if not ok:
            return False
        opt.step()
        sched.step()
    upto = "" if total_steps is None else \
        " (vs torch up to step %d, min_lr after)" % total_steps
    print("ok %s %d steps max_abs %.3g max_rel %.3g%s"
          % (name, N_STEPS, max_abs, max_rel, upto))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kilnc", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()

    warnings.simplefilter("ignore")  # scheduler-order and deprecation notes
    torch.set_num_threads(1)
    kiln = Kiln(args.kilnc, args.model, args.work)
    ok = True
    for seed, (name, make_opt, lr, keys) in enumerate(CONFIGS):
        ok &= run_optimizer(kiln, name, make_opt, lr, keys, 1000 + seed)
    for name, make_sched, lr, total, min_lr in SCHEDULES:
        ok &= run_schedule(kiln, name, make_sched, lr, total, min_lr)
    sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
