//===- Softmax.cpp - nn softmax and log_softmax to linalg -----------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Both ops subtract the maximum along the axis before exponentiating:
//   m = max_axis(x)               (reduction, init -inf)
//   s = sum_axis(e^(x - m))       (reduction, init 0)
//   softmax     = e^(x - m) / s   (parallel)
//   log_softmax = x - m - log(s)  (parallel)
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

namespace {

/// `nn.softmax %x axis = a` / `nn.log_softmax %x axis = a` -> a max
/// reduction, a sum-of-exponentials reduction and a parallel
/// `linalg.generic` that normalizes.
template <typename OpTy, bool IsLog>
struct SoftmaxOpLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");

    auto reducedType = RankedTensorType::get(dropAxes(type.getShape(), axis),
                                             type.getElementType());
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reducedMap = getDropAxesMap(rank, axis, context);

    Value max = buildReduction(
        rewriter, loc, input, identity, rank, axis,
        createFilledTensor(rewriter, loc, reducedType,
                           createNegInfConstant(rewriter, loc)),
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return b.create<arith::MaximumFOp>(loc, args[0], args[1]);
        });
    Value sum = buildReduction(
        rewriter, loc, {input, max}, {identity, reducedMap}, rank, axis,
        createFilledTensor(rewriter, loc, reducedType,
                           createF32Constant(rewriter, loc, 0)),
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value shifted = b.create<arith::SubFOp>(loc, args[0], args[1]);
          return b.create<arith::AddFOp>(loc, args[2],
                                         b.create<math::ExpOp>(loc, shifted));
        });

    Value init = rewriter.create<tensor::EmptyOp>(loc, type.getShape(),
                                                  type.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto normalize = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{input, max, sum}, ValueRange{init},
        ArrayRef<AffineMap>{identity, reducedMap, reducedMap, identity},
        iterators, [](OpBuilder &b, Location loc, ValueRange args) {
          Value shifted = b.create<arith::SubFOp>(loc, args[0], args[1]);
          Value result;
          if (IsLog)
            result = b.create<arith::SubFOp>(
                loc, shifted, b.create<math::LogOp>(loc, args[2]));
          else
            result = b.create<arith::DivFOp>(
                loc, b.create<math::ExpOp>(loc, shifted), args[2]);
          b.create<linalg::YieldOp>(loc, result);
        });
    rewriter.replaceOp(op, normalize.getResult(0));
    return success();
  }
};

} // namespace

void kiln::populateNNSoftmaxToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxOpLowering<nn::SoftmaxOp, /*IsLog=*/false>,
               SoftmaxOpLowering<nn::LogSoftmaxOp, /*IsLog=*/true>>(
      patterns.getContext());
}
