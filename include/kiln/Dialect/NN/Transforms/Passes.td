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

#endif // KILN_DIALECT_NN_TRANSFORMS_PASSES_TD
