//===- Losses.cpp - nn losses to linalg -----------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Each loss reduces every element (or every sample) into a rank-0 tensor with
// one reduction `linalg.generic`, then divides by the count for the `mean`
// reduction. The formulas are the numerically stable ones:
//   mse:                  (p - t)^2
//   binary_cross_entropy: max(x, 0) - x * t + log1p(e^-|x|)
//   cross_entropy:        m_n + log(sum_c e^(x_nc - m_n)) - x_n,label_n
//                         with m_n = max_c x_nc
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

/// Divides the rank-0 `total` by `count` when `reduction` is `mean`.
static Value finishLoss(OpBuilder &b, Location loc, Value total,
                        nn::Reduction reduction, int64_t count) {
  if (reduction == nn::Reduction::sum)
    return total;
  return buildElementwise(
      b, loc, cast<RankedTensorType>(total.getType()), total,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) -> Value {
        return nested.create<arith::DivFOp>(
            nestedLoc, args[0],
            createF32Constant(nested, nestedLoc, static_cast<float>(count)));
      });
}

/// Sums `term(inputs...)` over every element of the same-shaped `inputs`
/// into a rank-0 tensor, then applies `reduction`.
static Value buildElementwiseLoss(OpBuilder &b, Location loc, ValueRange inputs,
                                  nn::Reduction reduction, BodyBuilder term) {
  auto type = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps(inputs.size(), b.getMultiDimIdentityMap(rank));
  auto axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  auto scalarType = RankedTensorType::get({}, b.getF32Type());
  Value total = buildReduction(
      b, loc, inputs, maps, rank, axes,
      createFilledTensor(b, loc, scalarType, createF32Constant(b, loc, 0)),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) -> Value {
        Value value = term(nested, nestedLoc, args.drop_back());
        return nested.create<arith::AddFOp>(nestedLoc, args.back(), value);
      });
  return finishLoss(b, loc, total, reduction, type.getNumElements());
}

namespace {

/// `nn.mse %p, %t` -> reduction `linalg.generic` summing `(p - t)^2` into a
/// rank-0 tensor (divided by the element count for `mean`).
struct MseOpLowering : public OpConversionPattern<nn::MseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value loss = buildElementwiseLoss(
        rewriter, op.getLoc(), {adaptor.getPred(), adaptor.getTarget()},
        op.getReduction(), [](OpBuilder &b, Location loc, ValueRange args) {
          Value diff = b.create<arith::SubFOp>(loc, args[0], args[1]);
          return b.create<arith::MulFOp>(loc, diff, diff).getResult();
        });
    rewriter.replaceOp(op, loss);
    return success();
  }
};

/// `nn.binary_cross_entropy %x, %t` -> reduction `linalg.generic` summing
/// `max(x, 0) - x * t + log1p(e^-|x|)` (divided by the count for `mean`).
struct BinaryCrossEntropyOpLowering
    : public OpConversionPattern<nn::BinaryCrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::BinaryCrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value loss = buildElementwiseLoss(
        rewriter, op.getLoc(), {adaptor.getLogits(), adaptor.getTargets()},
        op.getReduction(), [](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0];
          Value relu =
              b.create<arith::MaximumFOp>(loc, x, createF32Constant(b, loc, 0));
          Value xt = b.create<arith::MulFOp>(loc, x, args[1]);
          Value negAbs =
              b.create<arith::NegFOp>(loc, b.create<math::AbsFOp>(loc, x));
          Value softplus =
              b.create<math::Log1pOp>(loc, b.create<math::ExpOp>(loc, negAbs));
          Value diff = b.create<arith::SubFOp>(loc, relu, xt);
          return b.create<arith::AddFOp>(loc, diff, softplus).getResult();
        });
    rewriter.replaceOp(op, loss);
    return success();
  }
};

/// `nn.cross_entropy %logits, %labels` -> row max and row sum-of-exponential
/// reductions over the classes, then a reduction over the batch that reads
/// the label's logit with `tensor.extract` (index from `linalg.index` and the
/// label through `arith.index_cast`, clamped into `[0, C)` so that a bad label
/// cannot read out of bounds).
struct CrossEntropyOpLowering : public OpConversionPattern<nn::CrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::CrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value logits = adaptor.getLogits();
    Value labels = adaptor.getLabels();
    auto logitsType = cast<RankedTensorType>(logits.getType());
    if (logitsType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "expected rank-2 logits");
    int64_t batch = logitsType.getDimSize(0);
    int64_t classes = logitsType.getDimSize(1);

    auto rowType = RankedTensorType::get({batch}, rewriter.getF32Type());
    AffineMap identity = rewriter.getMultiDimIdentityMap(2);
    int64_t classAxis = 1;
    AffineMap rowMap = getDropAxesMap(2, classAxis, context);
    Value max = buildReduction(
        rewriter, loc, logits, identity, 2, classAxis,
        createFilledTensor(rewriter, loc, rowType,
                           createNegInfConstant(rewriter, loc)),
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return b.create<arith::MaximumFOp>(loc, args[0], args[1]);
        });
    Value sum = buildReduction(
        rewriter, loc, {logits, max}, {identity, rowMap}, 2, classAxis,
        createFilledTensor(rewriter, loc, rowType,
                           createF32Constant(rewriter, loc, 0)),
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value shifted = b.create<arith::SubFOp>(loc, args[0], args[1]);
          return b.create<arith::AddFOp>(loc, args[2],
                                         b.create<math::ExpOp>(loc, shifted));
        });

    auto scalarType = RankedTensorType::get({}, rewriter.getF32Type());
    AffineMap batchMap = rewriter.getMultiDimIdentityMap(1);
    int64_t batchAxis = 0;
    Value total = buildReduction(
        rewriter, loc, {max, sum, labels}, {batchMap, batchMap, batchMap}, 1,
        batchAxis,
        createFilledTensor(rewriter, loc, scalarType,
                           createF32Constant(rewriter, loc, 0)),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value row = b.create<linalg::IndexOp>(loc, 0);
          Value label =
              b.create<arith::IndexCastOp>(loc, b.getIndexType(), args[2]);
          Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
          Value last = b.create<arith::ConstantIndexOp>(
              loc, std::max<int64_t>(classes - 1, 0));
          label = b.create<arith::MinSIOp>(
              loc, b.create<arith::MaxSIOp>(loc, label, zero), last);
          Value picked =
              b.create<tensor::ExtractOp>(loc, logits, ValueRange{row, label});
          Value logSumExp = b.create<arith::AddFOp>(
              loc, args[0], b.create<math::LogOp>(loc, args[1]));
          Value sample = b.create<arith::SubFOp>(loc, logSumExp, picked);
          return b.create<arith::AddFOp>(loc, args[3], sample);
        });
    rewriter.replaceOp(
        op, finishLoss(rewriter, loc, total, op.getReduction(), batch));
    return success();
  }
};

} // namespace

void kiln::populateNNLossToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<MseOpLowering, BinaryCrossEntropyOpLowering, CrossEntropyOpLowering>(
          patterns.getContext());
}
