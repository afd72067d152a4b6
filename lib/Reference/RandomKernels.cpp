//===- RandomKernels.cpp - dropout and random_normal in f64 ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

using namespace kiln::reference;

kiln::reference::detail::FamilyResult
kiln::reference::detail::evaluateRandomOp(mlir::Operation *, OperandFn) {
  return std::nullopt;
}
