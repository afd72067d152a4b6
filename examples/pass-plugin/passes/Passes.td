//===- Passes.td - Passes of the example pass plugin -------*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_EXAMPLE_PASSES_TD
#define KILN_EXAMPLE_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnExampleCountOps
    : Pass<"kiln-example-count-ops", "mlir::func::FuncOp"> {
  let summary = "Report how many ops of each kind of a dialect a function has";
  let description = [{
    Emits one remark per function definition (declarations are skipped) with
    the number of ops of each name in the dialect `dialect` (default `nn`)
    nested in it, sorted by name, and their total. The IR is left unchanged.
    An empty `dialect` is an error.

    Input:
    ```mlir
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = nn.relu %x : tensor<4xf32>
      %1 = nn.add %0, %x : tensor<4xf32>, tensor<4xf32>
      %2 = nn.add %1, %x : tensor<4xf32>, tensor<4xf32>
      return %2 : tensor<4xf32>
    }
    ```
    Remark:
    ```
    remark: 3 nn ops in 'f': nn.add 2, nn.relu 1
    ```
  }];
  let options = [
    Option<"dialect", "dialect", "std::string", /*default=*/"\"nn\"",
           "Namespace of the dialect whose ops are counted">
  ];
}

def KilnExampleSimplify : Pass<"kiln-example-simplify", "mlir::func::FuncOp"> {
  let summary = "Remove multiplications by one (and x - x) from nn IR";
  let description = [{
    Rewrites, to a fixed point:
    - `nn.mul %x, %one -> %x` (either operand order), where `%one` is a
      constant whose elements are all 1.0 and the product has the type of
      `%x`, i.e. `%one` does not broadcast `%x` to a larger shape. Exact for
      every float, NaN and infinities included.
    - with `assume-finite=true` only: `nn.sub %x, %x -> nn.constant
      dense<0.0>`. Not exact when `%x` holds NaN or an infinity
      (`inf - inf` is NaN), hence the option.

    Before:
    ```mlir
    %one = nn.constant dense<1.0> : tensor<f32>
    %y = nn.mul %x, %one : tensor<4x3xf32>, tensor<f32>
    ```
    After: uses of `%y` use `%x`.
  }];
  let options = [
    Option<"assumeFinite", "assume-finite", "bool", /*default=*/"false",
           "Assume that no tensor holds NaN or an infinity">
  ];
}

#endif // KILN_EXAMPLE_PASSES_TD
