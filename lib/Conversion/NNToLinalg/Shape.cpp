//===- Shape.cpp - nn shape ops and constants to tensor/linalg/arith ------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// reshape, broadcast_to, concat, slice and constant. These ops accept every
// nn element type (f32, i1, i32, i64) and only move data.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

namespace {

/// `nn.reshape %x : A -> B` -> `tensor.collapse_shape` and/or
/// `tensor.expand_shape` (through 1-D when no dimension grouping relates A
/// and B).
struct ReshapeOpLowering : public OpConversionPattern<nn::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(
        op, reshapeTensor(rewriter, op.getLoc(), adaptor.getInput(), type));
    return success();
  }
};

/// `nn.broadcast_to %x : A -> B` -> `linalg.generic` copying `%x` through a
/// broadcasting indexing map.
struct BroadcastToOpLowering : public OpConversionPattern<nn::BroadcastToOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::BroadcastToOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, adaptor.getInput(),
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `nn.concat %a, %b axis = k` -> `tensor.empty` of the result shape and one
/// `tensor.insert_slice` per input at its running offset along `k`.
struct ConcatOpLowering : public OpConversionPattern<nn::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    if (axis < 0 || axis >= type.getRank())
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Value result = rewriter.create<tensor::EmptyOp>(loc, type.getShape(),
                                                    type.getElementType());
    SmallVector<int64_t> offsets(type.getRank(), 0);
    SmallVector<int64_t> strides(type.getRank(), 1);
    for (Value input : adaptor.getInputs()) {
      ArrayRef<int64_t> sizes =
          cast<RankedTensorType>(input.getType()).getShape();
      result = rewriter.create<tensor::InsertSliceOp>(
          loc, input, result, getAsIndexOpFoldResult(getContext(), offsets),
          getAsIndexOpFoldResult(getContext(), sizes),
          getAsIndexOpFoldResult(getContext(), strides));
      offsets[axis] += sizes[axis];
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `nn.slice %x offsets = o sizes = s strides = t` ->
/// `tensor.extract_slice %x[o] [s] [t]`.
struct SliceOpLowering : public OpConversionPattern<nn::SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, type, adaptor.getInput(),
        getAsIndexOpFoldResult(getContext(), op.getOffsets()),
        getAsIndexOpFoldResult(getContext(), op.getSizes()),
        getAsIndexOpFoldResult(getContext(), op.getStrides()));
    return success();
  }
};

/// `nn.constant <value>` -> `arith.constant <value>`.
struct ConstantOpLowering : public OpConversionPattern<nn::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value || value.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "value is not of the result type");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

} // namespace

void kiln::populateNNShapeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ReshapeOpLowering, BroadcastToOpLowering, ConcatOpLowering,
               SliceOpLowering, ConstantOpLowering>(patterns.getContext());
}
