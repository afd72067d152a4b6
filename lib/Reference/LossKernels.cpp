//===- LossKernels.cpp - focal, triplet and KL losses in f64 ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

using namespace kiln::reference;

kiln::reference::detail::FamilyResult
kiln::reference::detail::evaluateLossOp(mlir::Operation *, OperandFn) {
  return std::nullopt;
}
