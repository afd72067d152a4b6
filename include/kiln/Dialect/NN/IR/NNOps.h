//===- NNOps.h - nn dialect operations --------------------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNOPS_H
#define KILN_DIALECT_NN_IR_NNOPS_H

#include "kiln/Dialect/NN/IR/NNDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "kiln/Dialect/NN/IR/NNOpsEnums.h.inc"

#include "kiln/Dialect/NN/IR/NNInterfaces.h.inc"

namespace kiln::nn {

/// Returns the NumPy broadcast of `shapes`, or failure when two aligned
/// dimensions differ and neither is 1.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes);

/// Infers the result type of a broadcasting elementwise op: the broadcast of
/// the operand shapes with `elementType`. Emits `broadcast_c1` at `loc`.
llvm::LogicalResult
inferBroadcastType(std::optional<mlir::Location> loc, llvm::StringRef opName,
                   llvm::ArrayRef<mlir::Type> operandTypes,
                   mlir::Type elementType,
                   llvm::SmallVectorImpl<mlir::Type> &types);

/// Infers the result type of a reduction over `axes` (`reduce_c1/c2`).
llvm::LogicalResult inferReduceType(std::optional<mlir::Location> loc,
                                    llvm::StringRef opName, mlir::Type input,
                                    llvm::ArrayRef<int64_t> axes,
                                    bool keepDims,
                                    llvm::SmallVectorImpl<mlir::Type> &types);

/// Returns C if `labels` is the labels operand of an op that takes class
/// indices for [N, C] logits (nn.cross_entropy, nn.focal_loss); the smallest
/// C if there are several; std::nullopt if there is none.
std::optional<int64_t> getLabelClassCount(mlir::Value labels);

/// Returns the element count of `type`, or failure when it or the byte size
/// of the tensor overflows int64.
mlir::FailureOr<int64_t> getCheckedElementCount(mlir::ShapedType type);

namespace OpTrait {
/// Rejects operand and result tensor types whose byte size overflows int64
/// (constraint `shape_c1`).
template <typename ConcreteType>
class ElementCountFits
    : public mlir::OpTrait::TraitBase<ConcreteType, ElementCountFits> {
public:
  static llvm::LogicalResult verifyTrait(mlir::Operation *op);
};

llvm::LogicalResult verifyElementCountFits(mlir::Operation *op);

template <typename ConcreteType>
llvm::LogicalResult
ElementCountFits<ConcreteType>::verifyTrait(mlir::Operation *op) {
  return verifyElementCountFits(op);
}
} // namespace OpTrait

} // namespace kiln::nn

#define GET_OP_CLASSES
#include "kiln/Dialect/NN/IR/NNOps.h.inc"

#endif // KILN_DIALECT_NN_IR_NNOPS_H
