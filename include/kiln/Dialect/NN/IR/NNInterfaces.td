//===- NNInterfaces.td - nn dialect op interfaces -----------*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Interfaces implemented by nn ops. The differentiation rule of every
// differentiable op lives behind `DifferentiableOpInterface`, implemented in
// lib/Dialect/NN/IR/NNGradients.cpp, and is used by `kiln-autodiff`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNINTERFACES_TD
#define KILN_DIALECT_NN_IR_NNINTERFACES_TD

include "mlir/IR/OpBase.td"

def NN_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let description = [{
    An op that knows its reverse-mode derivative: given the cotangents of its
    results, it builds the vector-Jacobian products for its operands as `nn`
    ops. `kiln-autodiff` calls it for every op between the differentiated
    values and the loss; see docs/Autodiff.md for the rule of each op.
  }];
  let cppNamespace = "::kiln::nn";

  let methods = [
    InterfaceMethod<[{
        Builds, with `builder` at its current insertion point, the
        vector-Jacobian product of this op for each operand, and returns one
        value per operand, of that operand's type. `resultCotangents` holds
        one value per result, of the result's type, or a null value for a
        result that does not reach the loss (at least one is non-null). A
        returned value is null for an operand that is not differentiable
        (integer labels, `i1` masks, compare operands, integer tensors). The
        built ops carry this op's location. The rule may read the op's
        operands and results, which dominate the insertion point.
      }],
      "::llvm::SmallVector<::mlir::Value>", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ArrayRef<::mlir::Value>":$resultCotangents)>
  ];
}

#endif // KILN_DIALECT_NN_IR_NNINTERFACES_TD
