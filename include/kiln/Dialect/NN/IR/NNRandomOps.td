//===- NNRandomOps.td - nn random ops ---*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// dropout and random_normal: counter-based random numbers keyed by seed,
// step and element. Included by NNOps.td.
//
// Both ops draw from one integer function of the i64 attribute `seed`, the
// optional rank-0 i64 operand `key` (0 when absent; the training step passes
// its step count, so that every step draws new numbers) and the row-major
// index `i` of an element. All arithmetic is on unsigned 64-bit integers
// modulo 2^64, `seed` and `key` being the unsigned values of their bits:
//
//   z = seed * 0x9E3779B97F4A7C15 + key * 0xD1B54A32D192ED03
//       + i * 0xAEF17502108EF2D9
//   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
//   z = (z ^ (z >> 27)) * 0x94D049BB133111EB
//   z = z ^ (z >> 31)                          (splitmix64's finalizer)
//   u(i) = z >> 40                             (24 bits, in [0, 2^24))
//
// The numbers are a pure function of (seed, key, i): the ops are Pure,
// results do not depend on the thread count or the order of evaluation, and
// the compiled code and the reference interpreter agree bit for bit on
// every u(i).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNRANDOMOPS_TD
#define KILN_DIALECT_NN_IR_NNRANDOMOPS_TD

def NN_DropoutOp : NN_Op<"dropout", [Pure,
    AllTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "inverted dropout with a counter-based mask (torch dropout)";
  let description = [{
    `torch.nn.functional.dropout(input, rate, training)` with a reproducible
    mask. Without `training` (evaluation) the result is the input. With
    `training`, for every element `i` (row-major) with `u(i)` drawn from
    `seed`, the value of `key` (0 when absent) and `i` (see the generator
    above):
    ```
    threshold = floor(rate * 2^24 + 1/2)           (in f64, exact)
    scale     = f32(1 / (1 - rate))                (in f64, rounded once)
    y[i]      = 0                 if u(i) < threshold
              = x[i] * scale      otherwise        (one f32 product)
    ```
    so an element is dropped with probability `threshold / 2^24`, within
    `2^-25` of `rate`. `rate` defaults to 0.5 and `seed` to 0; defaults are
    elided when printing. The gradient rule applies the same dropout (same
    key and attributes, hence the same mask) to the cotangent; `key` gets no
    gradient.
    - `dropout_c1`: `rate` is finite and `0 <= rate < 1`.

    Example:
    ```mlir
    %y = nn.dropout %x rate = 2.000000e-01 seed = 7 training : tensor<32x512xf32>
    %z = nn.dropout %x, %step seed = 7 training : tensor<32x512xf32>
    %e = nn.dropout %x : tensor<32x512xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, Optional<NN_StepCount>:$key,
                   DefaultValuedAttr<F64Attr, "0.5">:$rate,
                   DefaultValuedAttr<I64Attr, "0">:$seed,
                   UnitAttr:$training);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input (`,` $key^)? (`rate` `=` $rate^)? (`seed` `=` $seed^)?
    (`training` $training^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def NN_RandomNormalOp : NN_Op<"random_normal", [Pure]> {
  let summary = "a tensor of normal samples from a counter-based generator";
  let description = [{
    Fills the result (any static shape, f32) with samples of the normal
    distribution `N(mean, stddev^2)` by the Box-Muller transform of two
    draws per element `i` (row-major), `u(2i)` and `u(2i + 1)` (the index
    `2i` and `2i + 1` computed modulo 2^64), from `seed`, the value of `key`
    (0 when absent) and the generator above:
    ```
    u1   = (u(2i) + 1) * 2^-24                      in (0, 1]
    u2   = u(2i + 1) * 2^-24                        in [0, 1)
    z    = sqrt(-2 ln(u1)) * cos(2 pi u2)
    y[i] = mean + stddev * z
    ```
    `|z| <= sqrt(2 * 24 ln 2) < 5.8`. `seed` defaults to 0, `mean` to 0 and
    `stddev` to 1; defaults are elided when printing. The op has no
    differentiable operand (use `mean + stddev * eps` with
    `eps = random_normal(0, 1)` to differentiate with respect to the
    distribution's parameters, as a VAE does).
    - `random_normal_c1`: `mean` is finite; `stddev` is finite and `>= 0`.

    Example:
    ```mlir
    %eps = nn.random_normal seed = 3 : tensor<32x20xf32>
    %z = nn.random_normal %step seed = 3 mean = 1.000000e+00 stddev = 5.000000e-01 : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Optional<NN_StepCount>:$key,
                   DefaultValuedAttr<I64Attr, "0">:$seed,
                   DefaultValuedAttr<F64Attr, "0.0">:$mean,
                   DefaultValuedAttr<F64Attr, "1.0">:$stddev);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    ($key^)? (`seed` `=` $seed^)? (`mean` `=` $mean^)?
    (`stddev` `=` $stddev^)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

#endif // KILN_DIALECT_NN_IR_NNRANDOMOPS_TD
