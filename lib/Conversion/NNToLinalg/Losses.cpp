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
//   focal_loss:           alpha * (-expm1(-ce_n))^gamma * ce_n with ce_n
//                         cross_entropy's row loss (-log p_y)
//   triplet_margin_loss:  max(sqrt(sum_d (a - p + eps)^2)
//                             - sqrt(sum_d (a - n + eps)^2) + margin, 0)
//   kl_divergence:        -0.5 * sum (1 + lv - mu^2 - e^lv)
// The mean of cross_entropy, focal_loss, triplet_margin_loss and
// kl_divergence divides by the batch N, that of mse and
// binary_cross_entropy by the element count.
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

/// Returns the rank-0 sum over the batch of a per-row loss of `logits`
/// `[N, C]` and labels `[N]`: the row maxima `m` and the row sums of
/// e^(x - m) are two reductions over the classes, then one reduction over the
/// batch reads each row's labelled logit with `tensor.extract` (index from
/// `linalg.index`, label through `arith.index_cast`, clamped into `[0, C)` so
/// that a bad label cannot read out of bounds). `sample` receives the row
/// maximum, the row sum and the labelled logit and returns the row's loss.
static Value buildLabelledRowLoss(
    OpBuilder &b, Location loc, Value logits, Value labels,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value, Value)>
        sample) {
  MLIRContext *context = b.getContext();
  auto logitsType = cast<RankedTensorType>(logits.getType());
  int64_t batch = logitsType.getDimSize(0);
  int64_t classes = logitsType.getDimSize(1);

  auto rowType = RankedTensorType::get({batch}, b.getF32Type());
  AffineMap identity = b.getMultiDimIdentityMap(2);
  int64_t classAxis = 1;
  AffineMap rowMap = getDropAxesMap(2, classAxis, context);
  Value max = buildReduction(
      b, loc, logits, identity, 2, classAxis,
      createFilledTensor(b, loc, rowType, createNegInfConstant(b, loc)),
      [](OpBuilder &b, Location loc, ValueRange args) -> Value {
        return b.create<arith::MaximumFOp>(loc, args[0], args[1]);
      });
  Value sum = buildReduction(
      b, loc, {logits, max}, {identity, rowMap}, 2, classAxis,
      createFilledTensor(b, loc, rowType, createF32Constant(b, loc, 0)),
      [](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value shifted = b.create<arith::SubFOp>(loc, args[0], args[1]);
        return b.create<arith::AddFOp>(loc, args[2],
                                       b.create<math::ExpOp>(loc, shifted));
      });

  auto scalarType = RankedTensorType::get({}, b.getF32Type());
  AffineMap batchMap = b.getMultiDimIdentityMap(1);
  int64_t batchAxis = 0;
  return buildReduction(
      b, loc, {max, sum, labels}, {batchMap, batchMap, batchMap}, 1, batchAxis,
      createFilledTensor(b, loc, scalarType, createF32Constant(b, loc, 0)),
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
        Value loss = sample(b, loc, args[0], args[1], picked);
        return b.create<arith::AddFOp>(loc, args[3], loss);
      });
}

/// `nn.cross_entropy %logits, %labels` -> buildLabelledRowLoss with the row
/// loss `m + log(s) - x_label`.
struct CrossEntropyOpLowering : public OpConversionPattern<nn::CrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::CrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto logitsType = cast<RankedTensorType>(adaptor.getLogits().getType());
    if (logitsType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "expected rank-2 logits");
    Value total = buildLabelledRowLoss(
        rewriter, op.getLoc(), adaptor.getLogits(), adaptor.getLabels(),
        [](OpBuilder &b, Location loc, Value max, Value sum,
           Value picked) -> Value {
          Value logSumExp =
              b.create<arith::AddFOp>(loc, max, b.create<math::LogOp>(loc, sum));
          return b.create<arith::SubFOp>(loc, logSumExp, picked).getResult();
        });
    rewriter.replaceOp(op, finishLoss(rewriter, op.getLoc(), total,
                                      op.getReduction(),
                                      logitsType.getDimSize(0)));
    return success();
  }
};

/// `nn.focal_loss %logits, %labels` -> buildLabelledRowLoss with the row
/// loss `alpha * q^gamma * nlp`: `nlp = m + log(s) - x_label` is
/// cross-entropy's row loss (-log p_y) and `q = -expm1(-nlp)` is 1 - p_y.
/// The power is left out for `gamma = 0` and the product for `alpha = 1`, so
/// that `gamma = 0, alpha = 1` computes exactly what cross_entropy does.
struct FocalLossOpLowering : public OpConversionPattern<nn::FocalLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::FocalLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto logitsType = cast<RankedTensorType>(adaptor.getLogits().getType());
    if (logitsType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "expected rank-2 logits");
    float gamma = op.getGamma().convertToFloat();
    float alpha = op.getAlpha().convertToFloat();
    Value total = buildLabelledRowLoss(
        rewriter, op.getLoc(), adaptor.getLogits(), adaptor.getLabels(),
        [&](OpBuilder &b, Location loc, Value max, Value sum,
            Value picked) -> Value {
          Value logSumExp =
              b.create<arith::AddFOp>(loc, max, b.create<math::LogOp>(loc, sum));
          Value loss = b.create<arith::SubFOp>(loc, logSumExp, picked);
          if (gamma != 0.0f) {
            Value q = b.create<arith::NegFOp>(
                loc, b.create<math::ExpM1Op>(
                         loc, b.create<arith::NegFOp>(loc, loss)));
            Value weight = b.create<math::PowFOp>(
                loc, q, createF32Constant(b, loc, gamma));
            loss = b.create<arith::MulFOp>(loc, weight, loss);
          }
          if (alpha != 1.0f)
            loss = b.create<arith::MulFOp>(
                loc, createF32Constant(b, loc, alpha), loss);
          return loss;
        });
    rewriter.replaceOp(op, finishLoss(rewriter, op.getLoc(), total,
                                      op.getReduction(),
                                      logitsType.getDimSize(0)));
    return success();
  }
};

/// `nn.triplet_margin_loss %a, %p, %n` -> one `linalg.generic` over
/// `[N, D]` with two row outputs, the sums of `(a - p + eps)^2` and
/// `(a - n + eps)^2`, then a reduction over the batch of
/// `max(sqrt(sp) - sqrt(sn) + margin, 0)`.
struct TripletMarginLossOpLowering
    : public OpConversionPattern<nn::TripletMarginLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::TripletMarginLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getAnchor().getType());
    if (type.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "expected rank-2 operands");
    int64_t batch = type.getDimSize(0);
    float eps = op.getEps().convertToFloat();
    float margin = op.getMargin().convertToFloat();

    auto rowType = RankedTensorType::get({batch}, rewriter.getF32Type());
    auto zeros = [&] {
      return createFilledTensor(rewriter, loc, rowType,
                                createF32Constant(rewriter, loc, 0));
    };
    AffineMap identity = rewriter.getMultiDimIdentityMap(2);
    AffineMap rowMap = getDropAxesMap(2, 1, rewriter.getContext());
    auto sums = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{rowType, rowType},
        ValueRange{adaptor.getAnchor(), adaptor.getPositive(),
                   adaptor.getNegative()},
        ValueRange{zeros(), zeros()},
        ArrayRef<AffineMap>{identity, identity, identity, rowMap, rowMap},
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                      utils::IteratorType::reduction},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value epsValue = createF32Constant(b, loc, eps);
          auto squaredDistance = [&](Value other, Value acc) -> Value {
            Value diff = b.create<arith::AddFOp>(
                loc, b.create<arith::SubFOp>(loc, args[0], other), epsValue);
            return b.create<arith::AddFOp>(
                loc, acc, b.create<arith::MulFOp>(loc, diff, diff));
          };
          b.create<linalg::YieldOp>(
              loc, ValueRange{squaredDistance(args[1], args[3]),
                              squaredDistance(args[2], args[4])});
        });

    auto scalarType = RankedTensorType::get({}, rewriter.getF32Type());
    AffineMap batchMap = rewriter.getMultiDimIdentityMap(1);
    Value total = buildReduction(
        rewriter, loc, sums.getResults(), {batchMap, batchMap}, 1, 0,
        createFilledTensor(rewriter, loc, scalarType,
                           createF32Constant(rewriter, loc, 0)),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value toPositive = b.create<math::SqrtOp>(loc, args[0]);
          Value toNegative = b.create<math::SqrtOp>(loc, args[1]);
          Value hinge = b.create<arith::AddFOp>(
              loc, b.create<arith::SubFOp>(loc, toPositive, toNegative),
              createF32Constant(b, loc, margin));
          Value loss = b.create<arith::MaximumFOp>(
              loc, hinge, createF32Constant(b, loc, 0));
          return b.create<arith::AddFOp>(loc, args[2], loss);
        });
    rewriter.replaceOp(
        op, finishLoss(rewriter, loc, total, op.getReduction(), batch));
    return success();
  }
};

/// `nn.kl_divergence %mu, %logvar` -> one reduction `linalg.generic` summing
/// `1 + lv - mu^2 - e^lv` over every element, then one elementwise
/// `linalg.generic` for `total * -0.5`, divided by the batch N for `mean`.
struct KLDivergenceOpLowering
    : public OpConversionPattern<nn::KLDivergenceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::KLDivergenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getMu().getType());
    if (type.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "expected rank-2 operands");
    Value total = buildElementwiseLoss(
        rewriter, loc, {adaptor.getMu(), adaptor.getLogvar()},
        nn::Reduction::sum, [](OpBuilder &b, Location loc, ValueRange args) {
          Value mu = args[0], logvar = args[1];
          Value term = b.create<arith::AddFOp>(
              loc, createF32Constant(b, loc, 1), logvar);
          term = b.create<arith::SubFOp>(
              loc, term, b.create<arith::MulFOp>(loc, mu, mu));
          return b
              .create<arith::SubFOp>(loc, term,
                                     b.create<math::ExpOp>(loc, logvar))
              .getResult();
        });
    bool mean = op.getReduction() == nn::Reduction::mean;
    float batch = static_cast<float>(type.getDimSize(0));
    Value loss = buildElementwise(
        rewriter, loc, cast<RankedTensorType>(total.getType()), total,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value half = b.create<arith::MulFOp>(
              loc, args[0], createF32Constant(b, loc, -0.5f));
          if (!mean)
            return half;
          return b.create<arith::DivFOp>(loc, half,
                                         createF32Constant(b, loc, batch));
        });
    rewriter.replaceOp(op, loss);
    return success();
  }
};

} // namespace

void kiln::populateNNLossToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MseOpLowering, BinaryCrossEntropyOpLowering,
               CrossEntropyOpLowering, FocalLossOpLowering,
               TripletMarginLossOpLowering, KLDivergenceOpLowering>(
      patterns.getContext());
}
