//===- NormalizationKernels.cpp - batch norm in f64 ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

using namespace kiln::reference;

kiln::reference::detail::FamilyResult
kiln::reference::detail::evaluateNormalizationOp(mlir::Operation *, OperandFn) {
  return std::nullopt;
}
