//===- RecurrentKernels.cpp - rnn, lstm and gru in f64 ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

using namespace kiln::reference;

kiln::reference::detail::FamilyResult
kiln::reference::detail::evaluateRecurrentOp(mlir::Operation *, OperandFn) {
  return std::nullopt;
}
