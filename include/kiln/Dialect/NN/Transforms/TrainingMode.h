//===- TrainingMode.h - the training form of a model ------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A model function written in `nn` means its *evaluation* (inference) form:
/// `nn.dropout` is the identity, `nn.batch_norm` normalizes with its running
/// statistics, and random ops use key 0. `kiln-train-step` builds the
/// training step from the *training* form that applyTrainingMode rewrites a
/// copy of the function into.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_TRANSFORMS_TRAININGMODE_H
#define KILN_DIALECT_NN_TRANSFORMS_TRAININGMODE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace kiln::nn {

/// A buffer (`nn.param ... buffer`) that the training form updates.
struct BufferUpdate {
  std::string name;
  mlir::Value value;
};

/// Rewrites `func` into its training form, keyed by `step` (a
/// `tensor<i64>` value of `func`, the number of updates done so far):
///  - `nn.dropout` gets `training` and `step` as its key;
///  - `nn.random_normal` without a key gets `step`;
///  - `nn.batch_norm` becomes `nn.batch_norm_train` (batch statistics); its
///    running mean and variance must be buffers, whose new values are
///    returned.
/// On failure, errors have been emitted at the offending ops (`errorFunc`
/// names the model function in them).
mlir::FailureOr<llvm::SmallVector<BufferUpdate>>
applyTrainingMode(mlir::func::FuncOp func, mlir::Value step,
                  llvm::StringRef errorFunc);

} // namespace kiln::nn

#endif // KILN_DIALECT_NN_TRANSFORMS_TRAININGMODE_H
