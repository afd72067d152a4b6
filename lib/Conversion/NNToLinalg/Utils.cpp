//===- Utils.cpp - Builders shared by the nn to linalg patterns -----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;

namespace kiln::nn_to_linalg {

AffineMap getBroadcastMap(ArrayRef<int64_t> operandShape,
                          ArrayRef<int64_t> resultShape, MLIRContext *context) {
  int64_t lead = resultShape.size() - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, dim] : llvm::enumerate(operandShape)) {
    int64_t loop = lead + i;
    if (dim == 1 && resultShape[loop] != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(loop, context));
  }
  return AffineMap::get(resultShape.size(), /*symbolCount=*/0, exprs, context);
}

AffineMap getDropAxesMap(int64_t rank, ArrayRef<int64_t> axes,
                         MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, /*symbolCount=*/0, exprs, context);
}

SmallVector<int64_t> dropAxes(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> result;
  for (auto [d, dim] : llvm::enumerate(shape))
    if (!llvm::is_contained(axes, static_cast<int64_t>(d)))
      result.push_back(dim);
  return result;
}

Value createF32Constant(OpBuilder &b, Location loc, float value) {
  return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(value));
}

Value createNegInfConstant(OpBuilder &b, Location loc) {
  APFloat negInf = APFloat::getInf(APFloat::IEEEsingle(), /*Negative=*/true);
  return b.create<arith::ConstantOp>(loc,
                                     b.getFloatAttr(b.getF32Type(), negInf));
}

Value createFilledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                         Value value) {
  Value empty =
      b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  return b.create<linalg::FillOp>(loc, value, empty).getResult(0);
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, BodyBuilder body) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastMap(
        cast<RankedTensorType>(input.getType()).getShape(), shape, context));
  maps.push_back(b.getMultiDimIdentityMap(shape.size()));
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  Value init =
      b.create<tensor::EmptyOp>(loc, shape, resultType.getElementType());
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(nestedLoc,
                                       body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

Value buildReduction(OpBuilder &b, Location loc, ValueRange inputs,
                     ArrayRef<AffineMap> inputMaps, int64_t loopRank,
                     ArrayRef<int64_t> axes, Value init, BodyBuilder body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(getDropAxesMap(loopRank, axes, b.getContext()));
  SmallVector<utils::IteratorType> iterators(loopRank,
                                             utils::IteratorType::parallel);
  for (int64_t axis : axes)
    iterators[axis] = utils::IteratorType::reduction;
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(nestedLoc,
                                       body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

Value expandReducedDims(OpBuilder &b, Location loc, Value value,
                        RankedTensorType keptType, ArrayRef<int64_t> axes) {
  // Each dimension of the reduced tensor groups with the size-1 dimensions
  // that follow it; leading size-1 dimensions join the first group. A fully
  // reduced (rank-0) tensor expands with no groups at all.
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices leading;
  for (int64_t d = 0, e = keptType.getRank(); d < e; ++d) {
    if (llvm::is_contained(axes, d)) {
      if (groups.empty())
        leading.push_back(d);
      else
        groups.back().push_back(d);
      continue;
    }
    groups.emplace_back(leading);
    leading.clear();
    groups.back().push_back(d);
  }
  return b.create<tensor::ExpandShapeOp>(loc, keptType, value, groups);
}

Value reshapeTensor(OpBuilder &b, Location loc, Value value,
                    RankedTensorType resultType) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == resultType)
    return value;
  // A rank-0 tensor has one element, so every dimension on the other side is
  // 1 and the reassociation is empty.
  if (sourceType.getRank() == 0)
    return b.create<tensor::ExpandShapeOp>(loc, resultType, value,
                                           ArrayRef<ReassociationIndices>{});
  if (resultType.getRank() == 0)
    return b.create<tensor::CollapseShapeOp>(loc, resultType, value,
                                             ArrayRef<ReassociationIndices>{});
  if (std::optional<SmallVector<ReassociationIndices>> groups =
          getReassociationIndicesForReshape(sourceType, resultType)) {
    if (sourceType.getRank() > resultType.getRank())
      return b.create<tensor::CollapseShapeOp>(loc, resultType, value, *groups);
    return b.create<tensor::ExpandShapeOp>(loc, resultType, value, *groups);
  }
  // No dimension-grouping relates the shapes: go through a 1-D tensor.
  auto flatType = RankedTensorType::get({sourceType.getNumElements()},
                                        sourceType.getElementType());
  auto allDims = [](int64_t rank) {
    ReassociationIndices all;
    for (int64_t d = 0; d < rank; ++d)
      all.push_back(d);
    return SmallVector<ReassociationIndices>{all};
  };
  Value flat = value;
  if (sourceType.getRank() != 1)
    flat = b.create<tensor::CollapseShapeOp>(loc, flatType, value,
                                             allDims(sourceType.getRank()));
  if (resultType.getRank() == 1)
    return flat;
  return b.create<tensor::ExpandShapeOp>(loc, resultType, flat,
                                         allDims(resultType.getRank()));
}

} // namespace kiln::nn_to_linalg
