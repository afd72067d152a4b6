//===- Families.h - op families evaluated in their own files ----*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The reference interpreter evaluates most nn ops in Interpreter.cpp. Op
// families with kernels of their own (recurrent layers, normalization,
// random numbers, the focal / triplet / KL losses) are evaluated by one
// function per family, each in the file that holds the family's kernels.
// Interpreter.cpp asks each of them in turn before its own dispatch.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_REFERENCE_FAMILIES_H
#define KILN_LIB_REFERENCE_FAMILIES_H

#include "kiln/Reference/Kernels.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace kiln::reference::detail {

/// The value of operand `i` of the op being evaluated.
using OperandFn = llvm::function_ref<const RefTensor &(unsigned i)>;

/// The outcome of a family evaluator: std::nullopt when the op is not in the
/// family; otherwise one value per result, or failure after a diagnostic.
using FamilyResult =
    std::optional<mlir::FailureOr<llvm::SmallVector<RefTensor>>>;

FamilyResult evaluateRecurrentOp(mlir::Operation *op, OperandFn operand);
FamilyResult evaluateNormalizationOp(mlir::Operation *op, OperandFn operand);
FamilyResult evaluateRandomOp(mlir::Operation *op, OperandFn operand);
FamilyResult evaluateLossOp(mlir::Operation *op, OperandFn operand);

} // namespace kiln::reference::detail

#endif // KILN_LIB_REFERENCE_FAMILIES_H
