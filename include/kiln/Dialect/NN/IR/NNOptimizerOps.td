//===- NNOptimizerOps.td - nn optimizer and penalty ops -----*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Learning-rate schedules, parameter updates (SGD, momentum, RMSProp, Adam,
// AdamW) and weight penalties (L1, L2). Included by NNOps.td.
//
// The update ops have value semantics: they take a parameter, its gradient,
// the optimizer state and a scalar learning rate, and return the updated
// parameter and state. Hyperparameters are f64 attributes (Python floats in
// PyTorch). The formulas are PyTorch 1.13's; docs/Optimizers.md cites them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNOPTIMIZEROPS_TD
#define KILN_DIALECT_NN_IR_NNOPTIMIZEROPS_TD

//===----------------------------------------------------------------------===//
// Types, enums and traits
//===----------------------------------------------------------------------===//

/// The learning rate: a rank-0 f32 tensor (its type is implied in the
/// assembly format).
def NN_LearningRate : 0DTensorOf<[F32]> {
  let builderCall = "::mlir::RankedTensorType::get({}, $_builder.getF32Type())";
}

/// The step count: a rank-0 i64 tensor holding the number of updates already
/// done (0 before the first update).
def NN_StepCount : 0DTensorOf<[I64]> {
  let builderCall = "::mlir::RankedTensorType::get({}, $_builder.getI64Type())";
}

def NN_LRScheduleKind : I32EnumAttr<"LRScheduleKind",
    "learning-rate schedule", [
    I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"step", 1>,
    I32EnumAttrCase<"cosine", 2>]> {
  let cppNamespace = "::kiln::nn";
}

/// `AllTypesMatch` whose diagnostic carries the constraint number `id`. ODS
/// infers the result types from it, so the assembly format prints one type.
class NN_AllTypesMatch<string id, list<string> names>
    : AllTypesMatch<names> {
  let summary = "(" # id # ") all of {" # !interleave(names, ", ") #
                "} have the same type";
}

//===----------------------------------------------------------------------===//
// Learning-rate schedule
//===----------------------------------------------------------------------===//

def NN_LRScheduleOp : NN_Op<"lr_schedule", [Pure]> {
  let summary = "learning rate as a function of the step count";
  let description = [{
    Returns the learning rate for the update that follows `step` completed
    updates (`step` is 0 for the first update), as an f32 scalar computed in
    f64:
    - `constant {lr}`: `lr`.
    - `step {lr, step_size, gamma}`: `lr * gamma^floor(step / step_size)`
      (PyTorch `StepLR`, closed form).
    - `cosine {lr, total_steps, min_lr}`:
      `min_lr + (lr - min_lr) * (1 + cos(pi * min(step, total_steps) /
      total_steps)) / 2` (PyTorch `CosineAnnealingLR`, closed form, held at
      `min_lr` after `total_steps`). `min_lr` defaults to 0.
    A negative `step` counts as 0.
    - `lr_schedule_c1`: `lr` is finite and `>= 0`.
    - `lr_schedule_c2`: `step` takes `step_size` and `gamma`, `cosine` takes
      `total_steps` (and optionally `min_lr`), `constant` takes neither.
    - `lr_schedule_c3`: `step_size >= 1`, finite `gamma >= 0`,
      `total_steps >= 1`, finite `0 <= min_lr <= lr`.

    Example:
    ```mlir
    %a = nn.lr_schedule %step constant {lr = 1.000000e-02 : f64}
    %b = nn.lr_schedule %step step {gamma = 5.000000e-01 : f64, lr = 1.000000e-01 : f64, step_size = 10 : i64}
    %c = nn.lr_schedule %step cosine {lr = 1.000000e-01 : f64, min_lr = 1.000000e-03 : f64, total_steps = 100 : i64}
    ```
  }];
  let arguments = (ins NN_StepCount:$step, NN_LRScheduleKind:$kind,
                   F64Attr:$lr, OptionalAttr<I64Attr>:$step_size,
                   OptionalAttr<F64Attr>:$gamma,
                   OptionalAttr<I64Attr>:$total_steps,
                   OptionalAttr<F64Attr>:$min_lr);
  let results = (outs NN_LearningRate:$result);
  let assemblyFormat = "$step $kind attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Parameter updates
//===----------------------------------------------------------------------===//

class NN_OptimizerOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure])> {
  let hasVerifier = 1;
}

def NN_SGDOp : NN_OptimizerOp<"sgd", [
    NN_AllTypesMatch<"sgd_c1", ["param", "grad", "new_param"]>]> {
  let summary = "stochastic gradient descent update";
  let description = [{
    PyTorch `torch.optim.SGD` with `momentum = 0`:
    `g' = grad + weight_decay * param`, `new_param = param - lr * g'`.
    - `sgd_c1`: `param`, `grad` and the result have the same type.
    - `sgd_c2`: `weight_decay` is finite and `>= 0`.

    Example:
    ```mlir
    %p1 = nn.sgd %p, %g, %lr : tensor<4x3xf32>
    %p2 = nn.sgd %p, %g, %lr {weight_decay = 1.000000e-04 : f64} : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$param, NN_F32Tensor:$grad,
                   NN_LearningRate:$lr,
                   DefaultValuedAttr<F64Attr, "0.0">:$weight_decay);
  let results = (outs NN_F32Tensor:$new_param);
  let assemblyFormat = "$param `,` $grad `,` $lr attr-dict `:` type($param)";
}

def NN_MomentumOp : NN_OptimizerOp<"momentum", [
    NN_AllTypesMatch<"momentum_c1",
                     ["param", "grad", "buf", "new_param", "new_buf"]>]> {
  let summary = "SGD update with (Nesterov) momentum";
  let description = [{
    PyTorch `torch.optim.SGD` with `momentum > 0`:
    ```
    g'      = grad + weight_decay * param
    new_buf = g'                                     if step == 0
            = momentum * buf + (1 - dampening) * g'  otherwise
    update  = g' + momentum * new_buf  if nesterov else new_buf
    new_param = param - lr * update
    ```
    `step` is the number of updates already done; at step 0 PyTorch starts
    the buffer from `g'`, so `buf` is not read then.
    - `momentum_c1`: `param`, `grad`, `buf` and both results have the same
      type.
    - `momentum_c2`: `momentum`, `dampening` and `weight_decay` are finite,
      `momentum >= 0`, `weight_decay >= 0`.
    - `momentum_c3`: `nesterov` needs `momentum > 0` and `dampening == 0`.

    Example:
    ```mlir
    %p1, %b1 = nn.momentum %p, %g, %buf, %step, %lr {momentum = 9.000000e-01 : f64, nesterov} : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$param, NN_F32Tensor:$grad,
                   NN_F32Tensor:$buf, NN_StepCount:$step, NN_LearningRate:$lr,
                   DefaultValuedAttr<F64Attr, "0.9">:$momentum,
                   DefaultValuedAttr<F64Attr, "0.0">:$dampening,
                   DefaultValuedAttr<F64Attr, "0.0">:$weight_decay,
                   UnitAttr:$nesterov);
  let results = (outs NN_F32Tensor:$new_param, NN_F32Tensor:$new_buf);
  let assemblyFormat = "$param `,` $grad `,` $buf `,` $step `,` $lr attr-dict "
                       "`:` type($param)";
}

def NN_RMSPropOp : NN_OptimizerOp<"rmsprop", [
    NN_AllTypesMatch<"rmsprop_c1",
                     ["param", "grad", "square_avg", "new_param",
                      "new_square_avg"]>]> {
  let summary = "RMSProp update";
  let description = [{
    PyTorch `torch.optim.RMSprop` with `centered = False`, `momentum = 0`:
    ```
    g'             = grad + weight_decay * param
    new_square_avg = alpha * square_avg + (1 - alpha) * g'^2
    new_param      = param - lr * g' / (sqrt(new_square_avg) + eps)
    ```
    The state starts at zero, as in PyTorch.
    - `rmsprop_c1`: `param`, `grad`, `square_avg` and both results have the
      same type.
    - `rmsprop_c2`: finite `0 <= alpha <= 1`, finite `eps >= 0`, finite
      `weight_decay >= 0`.

    Example:
    ```mlir
    %p1, %s1 = nn.rmsprop %p, %g, %sq, %lr {alpha = 9.000000e-01 : f64} : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$param, NN_F32Tensor:$grad,
                   NN_F32Tensor:$square_avg, NN_LearningRate:$lr,
                   DefaultValuedAttr<F64Attr, "0.99">:$alpha,
                   DefaultValuedAttr<F64Attr, "1e-8">:$eps,
                   DefaultValuedAttr<F64Attr, "0.0">:$weight_decay);
  let results = (outs NN_F32Tensor:$new_param, NN_F32Tensor:$new_square_avg);
  let assemblyFormat = "$param `,` $grad `,` $square_avg `,` $lr attr-dict "
                       "`:` type($param)";
}

class NN_AdamOpBase<string mnemonic, string torchName, string decay,
                    string defaultWeightDecay>
    : NN_OptimizerOp<mnemonic, [
        NN_AllTypesMatch<mnemonic # "_c1",
                         ["param", "grad", "exp_avg", "exp_avg_sq",
                          "new_param", "new_exp_avg", "new_exp_avg_sq"]>]> {
  let summary = torchName # " update";
  let description = [{
    PyTorch `torch.optim.}] # torchName # [{` (single-tensor, `amsgrad =
    False`), with `t = step + 1`:
    ```
    }] # decay # [{
    new_exp_avg    = beta1 * exp_avg + (1 - beta1) * g'
    new_exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * g'^2
    step_size      = lr / (1 - beta1^t)
    denom          = sqrt(new_exp_avg_sq) / sqrt(1 - beta2^t) + eps
    new_param      = p' - step_size * new_exp_avg / denom
    ```
    The state starts at zero, as in PyTorch. The scalars `step_size` and
    `sqrt(1 - beta2^t)` are computed in f64 (PyTorch computes them as Python
    floats); the elementwise math is f32.
    - `}] # mnemonic # [{_c1`: `param`, `grad`, `exp_avg`, `exp_avg_sq` and
      the results have the same type.
    - `}] # mnemonic # [{_c2`: finite `0 <= beta1 < 1`, `0 <= beta2 < 1`,
      `eps >= 0` and `weight_decay >= 0`.

    Example:
    ```mlir
    %p1, %m1, %v1 = nn.}] # mnemonic # [{ %p, %g, %m, %v, %step, %lr : tensor<4x3xf32>
    %p2, %m2, %v2 = nn.}] # mnemonic # [{ %p, %g, %m, %v, %step, %lr {beta2 = 9.900000e-01 : f64, weight_decay = 0.000000e+00 : f64} : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$param, NN_F32Tensor:$grad,
                   NN_F32Tensor:$exp_avg, NN_F32Tensor:$exp_avg_sq,
                   NN_StepCount:$step, NN_LearningRate:$lr,
                   DefaultValuedAttr<F64Attr, "0.9">:$beta1,
                   DefaultValuedAttr<F64Attr, "0.999">:$beta2,
                   DefaultValuedAttr<F64Attr, "1e-8">:$eps,
                   DefaultValuedAttr<F64Attr, defaultWeightDecay>:$weight_decay);
  let results = (outs NN_F32Tensor:$new_param, NN_F32Tensor:$new_exp_avg,
                      NN_F32Tensor:$new_exp_avg_sq);
  let assemblyFormat = "$param `,` $grad `,` $exp_avg `,` $exp_avg_sq `,` "
                       "$step `,` $lr attr-dict `:` type($param)";
}

def NN_AdamOp : NN_AdamOpBase<"adam", "Adam",
    "g' = grad + weight_decay * param,  p' = param", "0.0">;
def NN_AdamWOp : NN_AdamOpBase<"adamw", "AdamW",
    "g' = grad,  p' = param * (1 - lr * weight_decay)", "0.01">;

//===----------------------------------------------------------------------===//
// Penalties
//===----------------------------------------------------------------------===//

class NN_PenaltyOp<string mnemonic, string formula, string gradient>
    : NN_LossOp<mnemonic> {
  let summary = formula # " weight penalty";
  let description = [{
    Returns `}] # formula # [{` over every element of `input`, as a rank-0
    f32 tensor to add to a loss. Its gradient is `}] # gradient # [{`.
    - `}] # mnemonic # [{_c1`: `lambda` is finite and `>= 0`.

    Example:
    ```mlir
    %r = nn.}] # mnemonic # [{ %w lambda = 1.000000e-04 : tensor<784x512xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, F64Attr:$lambda);
  let assemblyFormat =
      "$input `lambda` `=` $lambda attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NN_L1PenaltyOp : NN_PenaltyOp<"l1_penalty", "lambda * sum(|w|)",
    "lambda * sign(w) (0 at w = 0)">;
def NN_L2PenaltyOp : NN_PenaltyOp<"l2_penalty", "lambda * sum(w^2)",
    "2 * lambda * w">;

#endif // KILN_DIALECT_NN_IR_NNOPTIMIZEROPS_TD
