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

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace kiln::nn {

/// Result attribute of a gradient: the name of its parameter or argument.
constexpr llvm::StringLiteral kGradOfAttrName = "nn.grad_of";

/// What buildGradientFunction differentiates.
struct GradientOptions {
  /// The result that is the loss (`tensor<f32>`).
  unsigned lossIndex = 0;
  /// Selects the `nn.param` ops to differentiate; all when empty. Buffers
  /// (`nn.param ... buffer`) are never differentiated.
  llvm::function_ref<bool(ParamOp)> isTarget;
  /// Arguments to differentiate too (IntegerAttr indices).
  llvm::ArrayRef<mlir::Attribute> argIndices;
};

/// Builds the gradient function of `func` under the name `gradName`: a copy
/// of `func` that returns its results followed by the gradient of the loss
/// (result `options.lossIndex`) with respect to every selected `nn.param`
/// of `func` in program order, then with respect to the arguments
/// `options.argIndices`. Each gradient result carries `nn.grad_of`. The new
/// function is not inserted anywhere; the caller owns it. On failure, errors
/// (naming `func`) have been emitted.
mlir::FailureOr<mlir::func::FuncOp>
buildGradientFunction(mlir::func::FuncOp func, llvm::StringRef gradName,
                      const GradientOptions &options = {});

} // namespace kiln::nn

#endif // KILN_DIALECT_NN_TRANSFORMS_AUTODIFF_H
