//===- Passes.td - nn dialect transformation passes --------*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_TRANSFORMS_PASSES_TD
#define KILN_DIALECT_NN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnPromoteParams : Pass<"kiln-promote-params", "mlir::ModuleOp"> {
  let summary = "Turn nn.param ops into leading function arguments";
  let description = [{
    Parameters are state owned by the runtime: it initializes them, keeps them
    across training steps and saves them in checkpoints. This pass replaces
    every `nn.param` in a function by a new leading argument of that
    function, in the order in which the parameters appear, and records the
    parameter's declaration in the argument's `nn.param` attribute (`name`,
    `init`, `seed`, `fan_in`, `fan_out` and, when present, `low`/`high` or
    `mean`/`std`), so that later stages can describe it to the runtime.

    Before:
    ```mlir
    func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
      %w = nn.param "w" xavier_uniform seed = 1 : tensor<4x2xf32>
      %y = nn.matmul %x, %w : tensor<1x4xf32>, tensor<4x2xf32>
      return %y : tensor<1x2xf32>
    }
    ```
    After:
    ```mlir
    func.func @forward(%w: tensor<4x2xf32> {nn.param = {init = "xavier_uniform",
                          name = "w", seed = 1 : i64, fan_in = 4 : i64,
                          fan_out = 2 : i64}},
                       %x: tensor<1x4xf32>) -> tensor<1x2xf32> {
      %y = nn.matmul %x, %w : tensor<1x4xf32>, tensor<4x2xf32>
      return %y : tensor<1x2xf32>
    }
    ```
    A function that holds parameters and is called by another function is
    rejected, since its parameters would need to be threaded through calls.
    So is a parameter whose name an existing `nn.param` argument of the same
    function already has.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def KilnExportEntryPoints : Pass<"kiln-export-entry-points", "mlir::ModuleOp"> {
  let summary = "Wrap public functions in destination-passing entry points";
  let description = [{
    For every public function `@f` of the module, adds a function
    `@_kiln_entry_f` that takes all of `@f`'s arguments and one output buffer
    per result as memrefs, calls `@f`, and writes each result into its
    buffer. The wrapper carries `llvm.emit_c_interface`, so after lowering
    `_mlir_ciface__kiln_entry_f` takes one memref descriptor pointer per
    argument. It also records the module's ABI signature (see
    `docs/Runtime.md`) in the module attribute `kiln.signature`.

    Before:
    ```mlir
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32>
    ```
    After (besides `@f`, which becomes private):
    ```mlir
    func.func @_kiln_entry_f(%x: memref<4xf32>, %out0: memref<4xf32>)
        attributes {llvm.emit_c_interface} {
      %t = bufferization.to_tensor %x restrict : memref<4xf32>
      %r = call @f(%t) : (tensor<4xf32>) -> tensor<4xf32>
      bufferization.materialize_in_destination %r in restrict writable %out0
          : (tensor<4xf32>, memref<4xf32>) -> ()
      return
    }
    ```
    Entry functions must have ranked, statically shaped tensor arguments and
    results of f32, i32 or i64 elements, and a C identifier as name. An
    argument with an `nn.name` string attribute is the input of that name;
    other inputs are named `arg<k>` (`k` counts inputs only). Parameter and
    input names must be unique within an entry point and be printable ASCII
    without whitespace. Anything else is an error naming the function, as is
    a module without public function, a wrapper name that is already taken,
    or a module that already has a `kiln.signature`.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect"];
}

def KilnAutodiff : Pass<"kiln-autodiff", "mlir::ModuleOp"> {
  let summary = "Build gradient functions by reverse-mode differentiation";
  let description = [{
    For every function that carries the unit attribute `nn.differentiate`
    (or whose name is listed in the `functions` option) and whose first
    result is a scalar `tensor<f32>` loss, adds a function `@<name>_grad`
    that returns the loss, the function's other results, and then the
    gradient of the loss with respect to every `nn.param` of the function in
    program order. The attribute may also be an array of argument indices,
    `nn.differentiate = [0, 2]`; the gradients with respect to those `f32`
    arguments then follow the parameter gradients. Each gradient result
    carries the result attribute `nn.grad_of` naming its parameter (for an
    argument: its `nn.name`, or `arg<i>`).

    The gradient function is a copy of the original with the backward pass
    appended: it walks the ops in reverse and calls each op's
    `DifferentiableOpInterface` rule (see docs/Autodiff.md), summing with
    `nn.add` the cotangents of values used more than once. It keeps the
    `nn.param` ops, so that `kiln-promote-params` later promotes the
    parameters of both functions in the same way. Everything it builds is
    `nn` IR.

    Before:
    ```mlir
    func.func @loss(%x: tensor<4x3xf32>, %t: tensor<4x2xf32>) -> tensor<f32>
        attributes {nn.differentiate} {
      %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x2xf32>
      %y = nn.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
      %l = nn.mse %y, %t : tensor<4x2xf32>
      return %l : tensor<f32>
    }
    ```
    After (besides `@loss`, which stays as it was without the attribute):
    ```mlir
    func.func @loss_grad(%x: tensor<4x3xf32>, %t: tensor<4x2xf32>)
        -> (tensor<f32>, tensor<3x2xf32> {nn.grad_of = "w"}) {
      %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x2xf32>
      %y = nn.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
      %l = nn.mse %y, %t : tensor<4x2xf32>
      %one = nn.constant dense<1.0> : tensor<f32>
      %s = nn.constant dense<2.500000e-01> : tensor<f32>
      %f = nn.mul %one, %s : tensor<f32>, tensor<f32>
      %d = nn.sub %y, %t : tensor<4x2xf32>, tensor<4x2xf32>
      %dy = nn.mul %f, %d : tensor<f32>, tensor<4x2xf32>
      %xt = nn.transpose %x perm = [1, 0] : tensor<4x3xf32>
      %dw = nn.matmul %xt, %dy : tensor<3x4xf32>, tensor<4x2xf32>
      return %l, %dw : tensor<f32>, tensor<3x2xf32>
    }
    ```
    Errors, reported at the function: a first result that is not
    `tensor<f32>`, a function with more than one block or without body, an
    argument index that is out of range or not an `f32` tensor, an existing
    `@<name>_grad`, a name in `functions` that is not a function of the
    module, and ops without a gradient rule between the differentiated
    values and the loss (one error listing them all, with a note at each).
  }];
  let options = [
    ListOption<"functions", "functions", "std::string",
               "Names of further functions to differentiate with respect "
               "to their parameters, as if they had `nn.differentiate`">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::kiln::nn::NNDialect"];
}

def KilnTrainStep : Pass<"kiln-train-step", "mlir::ModuleOp"> {
  let summary = "Synthesize the training step of models marked nn.train";
  let description = [{
    For every function `@f` that carries the dictionary attribute `nn.train`,
    adds `@f_train_step`: forward pass, loss, backward pass (built as
    `kiln-autodiff` builds `@f_grad`), the learning rate from `nn.lr_schedule`
    and one optimizer update per `nn.param`. `@f` itself stays, without the
    attribute, as the model's evaluation function. docs/Training.md describes
    the model format.

    `nn.train` keys: `optimizer` (required: `sgd`, `momentum`, `rmsprop`,
    `adam`, `adamw`), `lr` (required), `schedule` (`constant` by default,
    `step`, `cosine`) with `step_size`, `gamma`, `total_steps`, `min_lr`, and
    the optimizer op's own attributes (e.g. `beta1`, `weight_decay`,
    `nesterov = true`). Values are checked by the ops' verifiers.

    The training step takes, before `@f`'s arguments, one argument per
    optimizer state tensor (`nn.state = {name = "<param>.<key>", of =
    "<param>"}`, keys as PyTorch's optimizer state: `momentum_buffer`,
    `square_avg`, `exp_avg`, `exp_avg_sq`) and the step count (`tensor<i64>`,
    `nn.step`: updates done so far). It returns `@f`'s results, then the
    updated parameters, then the updated state; each of those carries
    `nn.update = "<name>"`, so that `kiln-export-entry-points` writes it back
    into the buffer it came from (in place after bufferization).

    Before:
    ```mlir
    func.func @f(%x: tensor<4x3xf32>, %t: tensor<4x2xf32>) -> tensor<f32>
        attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
      %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x2xf32>
      %y = nn.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
      %l = nn.mse %y, %t : tensor<4x2xf32>
      return %l : tensor<f32>
    }
    ```
    After (besides `@f`):
    ```mlir
    func.func @f_train_step(%step: tensor<i64> {nn.name = "step", nn.step},
                            %x: tensor<4x3xf32>, %t: tensor<4x2xf32>)
        -> (tensor<f32>, tensor<3x2xf32> {nn.update = "w"})
        attributes {nn.train_of = "f"} {
      %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x2xf32>
      ...                                   // forward, loss, backward
      %lr = nn.lr_schedule %step constant {lr = 1.000000e-01 : f64}
      %w1 = nn.sgd %w, %dw, %lr : tensor<3x2xf32>
      return %l, %w1 : tensor<f32>, tensor<3x2xf32>
    }
    ```
    Errors, at the function: an `nn.train` that is not a dictionary, a
    missing or unknown optimizer, a missing `lr`, an unknown key or a value
    of the wrong kind, a hyperparameter the optimizer or schedule op rejects,
    a function without parameters, an existing `@f_train_step`, and
    everything `kiln-autodiff` rejects (no `tensor<f32>` loss first, ops
    without gradient rule).
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::kiln::nn::NNDialect"];
}

def KilnCheckNumerics : Pass<"kiln-check-numerics", "mlir::ModuleOp"> {
  let summary = "Check every f32 result for NaN and infinity (--check-numerics)";
  let description = [{
    Inserts `nn.check_finite` after every `nn` op with an f32 tensor
    result, parameters and constants excepted, and for every f32 tensor
    argument of a function that is not optimizer state (the data inputs).
    Its site text is the op's name and its location in the model file, or
    `input 'x' of @f` for an argument, so that the compiled code stops at
    the first op that produces a NaN or an infinity and the runtime says
    which one, where, and at which step (`kilnc --check-numerics`,
    docs/Training.md).

    It runs after `kiln-autodiff` and `kiln-train-step`, so the backward
    pass and the optimizer updates are checked too; ops of the backward
    pass carry the location of the forward op they differentiate.
    A check reads its tensor once more and keeps it from being fused away,
    so checked code is slower; it is meant for finding where a NaN comes
    from.

    Before:
    ```mlir
    %h = nn.log %x : tensor<4xf32>
    ```
    After:
    ```mlir
    %h = nn.log %x : tensor<4xf32>
    nn.check_finite %h "nn.log at model.mlir:3:8" : tensor<4xf32>
    ```
  }];
  let dependentDialects = ["::kiln::nn::NNDialect"];
}

#endif // KILN_DIALECT_NN_TRANSFORMS_PASSES_TD
