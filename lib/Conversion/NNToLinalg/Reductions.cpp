//===- Reductions.cpp - nn reductions to linalg ---------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// reduce_sum, reduce_mean and reduce_max become a `linalg.generic` with
// reduction iterators on the reduced axes into a filled init tensor (0, or
// -inf for max). The mean divides by the number of reduced elements
// afterwards, and `keepdims` restores the size-1 dimensions with
// `tensor.expand_shape`.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

namespace {

/// What a reduction op combines and how it finishes.
enum class ReductionKind { Sum, Mean, Max };

/// `nn.reduce_{sum,mean,max} %x axes = A [keepdims]` -> `linalg.fill` +
/// reduction `linalg.generic` (+ a dividing `linalg.generic` for the mean)
/// (+ `tensor.expand_shape` for keepdims).
template <typename OpTy, ReductionKind Kind>
struct ReduceOpLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = inputType.getRank();
    ArrayRef<int64_t> axes = op.getAxes();
    if (llvm::any_of(axes, [&](int64_t a) { return a < 0 || a >= rank; }))
      return rewriter.notifyMatchFailure(op, "axis out of range");

    auto reducedType = RankedTensorType::get(
        dropAxes(inputType.getShape(), axes), inputType.getElementType());
    Value identity = Kind == ReductionKind::Max
                         ? createNegInfConstant(rewriter, loc)
                         : createF32Constant(rewriter, loc, 0);
    Value result = buildReduction(
        rewriter, loc, input, rewriter.getMultiDimIdentityMap(rank), rank, axes,
        createFilledTensor(rewriter, loc, reducedType, identity),
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (Kind == ReductionKind::Max)
            return b.create<arith::MaximumFOp>(loc, args[0], args[1]);
          return b.create<arith::AddFOp>(loc, args[0], args[1]);
        });

    if (Kind == ReductionKind::Mean) {
      int64_t count = 1;
      for (int64_t axis : axes)
        count *= inputType.getDimSize(axis);
      result = buildElementwise(
          rewriter, loc, reducedType, result,
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            return b.create<arith::DivFOp>(
                loc, args[0],
                createF32Constant(b, loc, static_cast<float>(count)));
          });
    }

    if (resultType != reducedType)
      result = expandReducedDims(rewriter, loc, result, resultType, axes);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::populateNNReductionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceOpLowering<nn::ReduceSumOp, ReductionKind::Sum>,
               ReduceOpLowering<nn::ReduceMeanOp, ReductionKind::Mean>,
               ReduceOpLowering<nn::ReduceMaxOp, ReductionKind::Max>>(
      patterns.getContext());
}
