//===- Autodiff.h - reverse-mode differentiation of nn functions -*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The gradient builder behind `kiln-autodiff`, for passes that need a
/// gradient function as a building block (`kiln-train-step`).
///
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_TRANSFORMS_AUTODIFF_H
#define KILN_DIALECT_NN_TRANSFORMS_AUTODIFF_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace kiln::nn {

/// Result attribute of a gradient: the name of its parameter or argument.
constexpr llvm::StringLiteral kGradOfAttrName = "nn.grad_of";

/// Builds the gradient function of `func` under the name `gradName`: a copy
/// of `func` that returns its results followed by the gradient of the loss
/// (the first result, `tensor<f32>`) with respect to every `nn.param` of
/// `func` in program order, then with respect to the arguments whose indices
/// `argIndices` holds (IntegerAttrs). Each gradient result carries
/// `nn.grad_of`. The new function is not inserted anywhere; the caller
/// owns it. On failure, errors (naming `func`) have been emitted.
mlir::FailureOr<mlir::func::FuncOp>
buildGradientFunction(mlir::func::FuncOp func, llvm::StringRef gradName,
                      llvm::ArrayRef<mlir::Attribute> argIndices = {});

} // namespace kiln::nn

#endif // KILN_DIALECT_NN_TRANSFORMS_AUTODIFF_H
