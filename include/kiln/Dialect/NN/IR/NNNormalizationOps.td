//===- NNNormalizationOps.td - nn normalization ops ---*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// batch_norm (inference) and batch_norm_train, PyTorch's
// torch.nn.functional.batch_norm with training=False and training=True, and
// the helper op the training form's gradient rule builds. Included by
// NNOps.td.
//
// Shapes: the input is `[N, C, d_2, ..., d_{r-1}]` (rank r >= 2, the channel
// is dimension 1: `[N, C]` after a linear layer, `[N, C, H, W]` after a
// convolution); every per-channel vector (gamma, beta, the statistics) is
// `[C]`. The statistics of a channel are taken over every other dimension,
// `M = N * d_2 * ... * d_{r-1}` values. Hyperparameters are f64 attributes
// (Python floats in PyTorch).
//
// Constraint numbers are shared within the family: `<op>_c1` .. `<op>_c4`
// mean the same rule for all three ops, `_c6` the same for the two training
// ops. docs/Spec.md lists them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNNORMALIZATIONOPS_TD
#define KILN_DIALECT_NN_IR_NNNORMALIZATIONOPS_TD

def NN_BatchNormOp : NN_Op<"batch_norm", [Pure,
    AllTypesMatch<["input", "result"]>,
    NN_AllTypesMatch<"batch_norm_c2", ["gamma", "beta", "mean", "var"]>,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "batch normalization with given statistics (inference)";
  let description = [{
    `torch.nn.functional.batch_norm(input, mean, var, gamma, beta,
    training=False, eps=eps)`: normalizes every channel `c` (dimension 1) of
    the input with the given statistics (the running mean and variance
    collected in training):
    ```
    y[n, c, ...] = (x[n, c, ...] - mean[c]) / sqrt(var[c] + eps) * gamma[c]
                   + beta[c]
    ```
    The result has the input's type. `eps` defaults to `1e-5` and is elided
    when printing. The gradient rule differentiates `input`, `gamma` and
    `beta`; `mean` and `var` are statistics and get no gradient.
    - `batch_norm_c1`: the input has rank >= 2.
    - `batch_norm_c2`: `gamma`, `beta`, `mean` and `var` have the same type.
    - `batch_norm_c3`: that type is `[C]`, `C = dim(input, 1)`.
    - `batch_norm_c4`: `eps` is finite and `> 0`.

    Example:
    ```mlir
    %y = nn.batch_norm %x, %gamma, %beta, %mean, %var : tensor<32x16x8x8xf32>, tensor<16xf32>
    %z = nn.batch_norm %h, %g, %b, %m, %v eps = 1.000000e-03 : tensor<32x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, NN_F32Tensor:$gamma,
                   NN_F32Tensor:$beta, NN_F32Tensor:$mean, NN_F32Tensor:$var,
                   DefaultValuedAttr<F64Attr, "1e-5">:$eps);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `,` $mean `,` $var (`eps` `=` $eps^)?
    attr-dict `:` type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

def NN_BatchNormTrainOp : NN_Op<"batch_norm_train", [Pure,
    AllTypesMatch<["input", "result"]>,
    NN_AllTypesMatch<"batch_norm_train_c2",
                     ["gamma", "beta", "running_mean", "running_var",
                      "new_mean", "new_var"]>,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "batch normalization with batch statistics (training)";
  let description = [{
    `torch.nn.functional.batch_norm(input, running_mean, running_var, gamma,
    beta, training=True, momentum=momentum, eps=eps)` with value semantics:
    normalizes every channel with the mean and the biased variance of the
    batch, and returns the updated running statistics instead of writing
    them in place. With `M = N * d_2 * ... * d_{r-1}` and sums over every
    index but the channel:
    ```
    mean[c]     = sum x[n, c, ...] / M
    var[c]      = sum (x[n, c, ...] - mean[c])^2 / M
    y[n, c, ...] = (x[n, c, ...] - mean[c]) / sqrt(var[c] + eps) * gamma[c]
                   + beta[c]
    new_mean[c] = (1 - momentum) * running_mean[c] + momentum * mean[c]
    new_var[c]  = (1 - momentum) * running_var[c]
                  + momentum * var[c] * M / (M - 1)
    ```
    (the running variance is updated with the unbiased variance, as in
    PyTorch). `eps` defaults to `1e-5` and `momentum` to `0.1`; defaults are
    elided when printing. The gradient rule differentiates `y` with respect
    to `input`, `gamma` and `beta` (through
    `nn.batch_norm_train_backward`); the running statistics get no gradient
    and the cotangents of `new_mean` and `new_var` are ignored (PyTorch
    updates its running buffers outside autograd).
    - `batch_norm_train_c1`: the input has rank >= 2.
    - `batch_norm_train_c2`: `gamma`, `beta`, `running_mean`, `running_var`
      and the two statistics results have the same type.
    - `batch_norm_train_c3`: that type is `[C]`, `C = dim(input, 1)`.
    - `batch_norm_train_c4`: `eps` is finite and `> 0`.
    - `batch_norm_train_c5`: `momentum` is finite and in `[0, 1]`.
    - `batch_norm_train_c6`: `M >= 2` (PyTorch: "Expected more than 1 value
      per channel when training"), computed without overflow.

    Example:
    ```mlir
    %y, %rm, %rv = nn.batch_norm_train %x, %gamma, %beta, %mean, %var : tensor<32x16x8x8xf32>, tensor<16xf32>
    %z, %rm2, %rv2 = nn.batch_norm_train %h, %g, %b, %m, %v eps = 1.000000e-03 momentum = 0.01 : tensor<32x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, NN_F32Tensor:$gamma,
                   NN_F32Tensor:$beta, NN_F32Tensor:$running_mean,
                   NN_F32Tensor:$running_var,
                   DefaultValuedAttr<F64Attr, "1e-5">:$eps,
                   DefaultValuedAttr<F64Attr, "0.1">:$momentum);
  let results = (outs NN_F32Tensor:$result, NN_F32Tensor:$new_mean,
                      NN_F32Tensor:$new_var);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `,` $running_mean `,` $running_var
    (`eps` `=` $eps^)? (`momentum` `=` $momentum^)? attr-dict `:`
    type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

def NN_BatchNormTrainBackwardOp : NN_Op<"batch_norm_train_backward", [Pure,
    NN_AllTypesMatch<"batch_norm_train_backward_c5",
                     ["output_grad", "input", "input_grad"]>,
    NN_AllTypesMatch<"batch_norm_train_backward_c2",
                     ["gamma", "gamma_grad", "beta_grad"]>]> {
  let summary = "gradient of batch_norm_train's normalized output";
  let description = [{
    The vector-Jacobian product of the result `y` of `nn.batch_norm_train`
    (with the same `eps`) for the output gradient `dy`, with respect to the
    input, `gamma` and `beta`. It recomputes the batch statistics of the
    input: with `M`, `mean` and `var` as in `nn.batch_norm_train`,
    `rstd[c] = 1 / sqrt(var[c] + eps)`,
    `xhat = (x - mean[c]) * rstd[c]` and sums over every index but the
    channel,
    ```
    beta_grad[c]  = sum dy[n, c, ...]
    gamma_grad[c] = sum dy[n, c, ...] * xhat[n, c, ...]
    input_grad[n, c, ...] = gamma[c] * rstd[c] / M
        * (M * dy[n, c, ...] - beta_grad[c] - xhat[n, c, ...] * gamma_grad[c])
    ```
    The batch mean enters `xhat` of every element, hence the two sums in
    `input_grad`. This op has no gradient rule itself.
    - `batch_norm_train_backward_c1`: the input has rank >= 2.
    - `batch_norm_train_backward_c2`: `gamma` and the results `gamma_grad`
      and `beta_grad` have the same type.
    - `batch_norm_train_backward_c3`: that type is `[C]`,
      `C = dim(input, 1)`.
    - `batch_norm_train_backward_c4`: `eps` is finite and `> 0`.
    - `batch_norm_train_backward_c5`: `output_grad`, `input` and
      `input_grad` have the same type.
    - `batch_norm_train_backward_c6`: `M >= 2`.

    Example:
    ```mlir
    %dx, %dgamma, %dbeta = nn.batch_norm_train_backward %dy, %x, %gamma : tensor<32x16x8x8xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$output_grad, NN_F32Tensor:$input,
                   NN_F32Tensor:$gamma,
                   DefaultValuedAttr<F64Attr, "1e-5">:$eps);
  let results = (outs NN_F32Tensor:$input_grad, NN_F32Tensor:$gamma_grad,
                      NN_F32Tensor:$beta_grad);
  let assemblyFormat = [{
    $output_grad `,` $input `,` $gamma (`eps` `=` $eps^)? attr-dict `:`
    type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

#endif // KILN_DIALECT_NN_IR_NNNORMALIZATIONOPS_TD
