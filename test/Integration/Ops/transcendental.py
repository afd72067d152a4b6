#!/usr/bin/env python3
"""Accuracy of the compiled f32 exp, expm1, tanh, log, log1p (kiln-expand-math)
and of the nn ops built on them, against NumPy in f64, in ulp.

Usage: transcendental.py --bin BUILD/bin --work DIR

Builds one AOT executable whose entries apply each function to 2^20 f32
inputs: every 4391st bit pattern (all exponents, both signs, subnormals,
infinities, NaNs), dense runs around the points where the expansions switch
formulas or saturate, and the special values. Prints, per function, the
largest error in ulp of the exact result (rounded reference's ulp, 2^-149
for subnormals), and checks it against a bound; non-finite and zero results
(overflow, underflow, signs of zeros, NaN) must match exactly. Exits non-zero
on any failure.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

N = 1 << 20

# name: (scalar body of a linalg.generic on %x, f64 reference, bound in ulp)
# The bounds are the exhaustive maxima over all 2^32 inputs (docs/Codegen.md)
# rounded up, with or without FMA.
MATH = {
    "exp": ("math.exp %x : f32", np.exp, 0.51),
    "expm1": ("math.expm1 %x : f32", np.expm1, 1.1),
    "tanh": ("math.tanh %x : f32", np.tanh, 1.1),
    "log": ("math.log %x : f32", np.log, 1.0),
    "log1p": ("math.log1p %x : f32", np.log1p, 1.0),
}


def sigmoid64(x):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def elu64(x):
    return np.where(x > 0, x, np.expm1(x))


# nn ops: (op text, f64 reference, bound in ulp, domain where the bound
# applies). sigmoid = 1 / (1 + e^-x) loses everything where e^-x overflows
# (x < -88.7), with libm as well.
NN = {
    "nn_sigmoid": ("nn.sigmoid %x : tensor<{n}xf32>", sigmoid64, 2.5,
                   (-87.0, np.inf)),
    "nn_tanh": ("nn.tanh %x : tensor<{n}xf32>", np.tanh, 1.1,
                (-np.inf, np.inf)),
    "nn_elu": ("nn.elu %x : tensor<{n}xf32>", elu64, 1.0,
               (-np.inf, np.inf)),
}


def inputs():
    """2^20 f32 inputs: a stride over all bit patterns, dense runs around
    the interesting points, special values."""
    strided = (np.arange(0, 1 << 32, 4391, dtype=np.uint64)
               .astype(np.uint32).view(np.float32))
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 1.0,
                        -1.0, 2.0, -2.0, np.finfo(np.float32).max,
                        -np.finfo(np.float32).max,
                        np.finfo(np.float32).tiny, -np.finfo(np.float32).tiny,
                        np.float32(2.0 ** -149), np.float32(-2.0 ** -149)],
                       dtype=np.float32)
    runs = []
    for center in (0.0, 1.0, -1.0, 0.75, -0.75, 0.3466, -0.3466, 0.5, 10.0,
                   88.72283, 88.7229, -87.33654, -103.27893, -103.972,
                   -17.3, 16.6, 9.0, -9.0, 0.7071068, 1.4142135, 2.0 ** -25,
                   -(2.0 ** -25), 2.0 ** -126, -0.9999999, 1e-3, -1e-3):
        c = np.float32(center)
        bits = c.view(np.uint32).astype(np.int64)
        around = np.arange(bits - 1024, bits + 1024)
        around = around[(around >= 0) & (around < (1 << 32))]
        runs.append(around.astype(np.uint32).view(np.float32))
    # Positive values only exercise the positive half of a run at +0.
    runs.append(np.arange(0x80000000, 0x80000000 + 2048,
                          dtype=np.uint64).astype(np.uint32).view(np.float32))
    x = np.concatenate([special] + runs + [strided])
    # A spread of moderate values fills the rest.
    rest = N - x.size
    assert rest >= 0, x.size
    rng = np.random.default_rng(7)
    filler = (rng.standard_normal(rest) * 8).astype(np.float32)
    return np.concatenate([x, filler]).astype(np.float32)


def model():
    lines = ["#id = affine_map<(d0) -> (d0)>"]
    t = "tensor<%dxf32>" % N
    for name, (body, _, _) in MATH.items():
        lines += [
            "func.func @%s(%%a: %s) -> %s {" % (name, t, t),
            "  %%e = tensor.empty() : %s" % t,
            "  %%r = linalg.generic {indexing_maps = [#id, #id], "
            "iterator_types = [\"parallel\"]} ins(%%a : %s) outs(%%e : %s) {"
            % (t, t),
            "  ^bb0(%x: f32, %o: f32):",
            "    %%y = %s" % body,
            "    linalg.yield %y : f32",
            "  } -> %s" % t,
            "  return %%r : %s" % t,
            "}",
        ]
    for name, (op, _, _, _) in NN.items():
        lines += ["func.func @%s(%%x: %s) -> %s {" % (name, t, t),
                  "  %%r = %s" % op.format(n=N),
                  "  return %%r : %s" % t, "}"]
    return "\n".join(lines) + "\n"


def ulp_of(ref):
    """The f32 ulp at the magnitude of each f64 value (2^-149 below the
    normal range)."""
    a = np.abs(ref)
    _, e = np.frexp(np.where(a > 0, a, 1.0))
    return np.ldexp(1.0, np.maximum(e - 24, -149))


def check(name, x, got, ref, bound, domain=(-np.inf, np.inf)):
    """Prints the max error of `got` (f32) against `ref` (f64) in ulp and
    whether it is within `bound`. NaN must give NaN everywhere; infinite
    results and results where both are zero must match exactly (with the
    sign of zero); the rest is measured in ulp within `domain`."""
    rounded = ref.astype(np.float32)
    problems = []
    nan_ref, nan_got = np.isnan(rounded), np.isnan(got)
    for i in np.nonzero(nan_ref != nan_got)[0][:3]:
        problems.append("%s(%r) = %r, want %r" % (
            name, float(x[i]), float(got[i]), float(rounded[i])))
    in_domain = (x >= domain[0]) & (x <= domain[1]) & ~nan_ref & ~nan_got
    exact = in_domain & (np.isinf(rounded) | np.isinf(got) |
                         ((rounded == 0) & (got == 0)))
    same = (got == rounded) & (np.signbit(got) == np.signbit(rounded))
    for i in np.nonzero(exact & ~same)[0][:3]:
        problems.append("%s(%r) = %r, want %r" % (
            name, float(x[i]), float(got[i]), float(rounded[i])))
    finite = in_domain & ~exact
    err = (np.abs(got[finite].astype(np.float64) - ref[finite]) /
           ulp_of(ref[finite]))
    worst = float(err.max()) if err.size else 0.0
    if worst > bound:
        problems.append("max error at %r" % float(x[finite][err.argmax()]))
    print("%s %s: max %.3f ulp (bound %.1f), %d values, %d special%s" % (
        "FAIL" if problems else "ok", name, worst, bound, int(finite.sum()),
        int(exact.sum() + nan_ref.sum()),
        "".join("\n  " + p for p in problems)))
    return not problems


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--bin", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    path = os.path.join(args.work, "transcendental.mlir")
    with open(path, "w") as f:
        f.write(model())
    prog = os.path.join(args.work, "transcendental")
    subprocess.run([os.path.join(args.bin, "kilnc"), path, "-o", prog],
                   check=True)
    x = inputs()
    xin = os.path.join(args.work, "x.npy")
    np.save(xin, x)
    ok = True
    with np.errstate(all="ignore"):
        x64 = x.astype(np.float64)
        for name, (_, ref, bound) in MATH.items():
            out = os.path.join(args.work, name + ".npy")
            subprocess.run([prog, "--entry", name, "-o", out, "--", xin],
                           check=True)
            ok &= check(name, x, np.load(out), ref(x64), bound)
        for name, (_, ref, bound, domain) in NN.items():
            out = os.path.join(args.work, name + ".npy")
            subprocess.run([prog, "--entry", name, "-o", out, "--", xin],
                           check=True)
            ok &= check(name, x, np.load(out), ref(x64), bound, domain)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
