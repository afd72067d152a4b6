//===- Optimizers.cpp - nn optimizer and penalty ops to linalg ------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Each parameter update becomes one all-parallel `linalg.generic` with one
// result per updated tensor (parameter, then state). The scalars it needs
// (the learning rate, the step count and Adam's bias corrections) are read
// with `tensor.extract` and computed before the generic: in f64 where
// PyTorch 1.13 computes them as Python floats, then truncated to f32. The
// elementwise math is f32, like PyTorch's tensor math. Learning-rate
// schedules are scalar f64 arithmetic ending in `tensor.from_elements`;
// penalties are a reduction `linalg.generic` scaled by `lambda`.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

/// Builds the scalar (f32) values of one update from its operands' scalars
/// (inputs, then the unused outputs) and returns one value per result.
using MultiBodyBuilder =
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

/// Builds scalar arithmetic at one location: f64 for hyperparameter math,
/// f32 constants for the elementwise body.
class ScalarBuilder {
public:
  ScalarBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value f64(double value) {
    return b.create<arith::ConstantOp>(loc, b.getF64FloatAttr(value));
  }
  Value f32(double value) {
    return createF32Constant(b, loc, static_cast<float>(value));
  }
  /// Reads the single element of the rank-0 tensor `tensor`.
  Value extract(Value tensor) {
    return b.create<tensor::ExtractOp>(loc, tensor, ValueRange{});
  }
  Value toF64(Value f32Value) {
    return b.create<arith::ExtFOp>(loc, b.getF64Type(), f32Value);
  }
  Value toF32(Value f64Value) {
    return b.create<arith::TruncFOp>(loc, b.getF32Type(), f64Value);
  }
  /// Converts the signed integer `value` to f64.
  Value intToF64(Value value) {
    return b.create<arith::SIToFPOp>(loc, b.getF64Type(), value);
  }
  Value i64(int64_t value) {
    return b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(value));
  }
  Value add(Value x, Value y) { return b.create<arith::AddFOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<arith::SubFOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<arith::MulFOp>(loc, x, y); }
  Value div(Value x, Value y) { return b.create<arith::DivFOp>(loc, x, y); }
  Value sqrt(Value x) { return b.create<math::SqrtOp>(loc, x); }
  Value pow(Value x, Value y) { return b.create<math::PowFOp>(loc, x, y); }

  OpBuilder &b;
  Location loc;
};

} // namespace

/// Builds one all-parallel `linalg.generic` over the same-typed `inputs` with
/// `numResults` results of that type, and returns its results.
static SmallVector<Value> buildUpdate(OpBuilder &b, Location loc,
                                      ValueRange inputs, unsigned numResults,
                                      MultiBodyBuilder body) {
  auto type = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = type.getRank();
  SmallVector<Value> inits;
  for (unsigned i = 0; i < numResults; ++i)
    inits.push_back(
        b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType()));
  SmallVector<AffineMap> maps(inputs.size() + numResults,
                              b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  SmallVector<Type> resultTypes(numResults, type);
  auto generic = b.create<linalg::GenericOp>(
      loc, resultTypes, inputs, inits, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(nestedLoc,
                                       body(nested, nestedLoc, args));
      });
  return SmallVector<Value>(generic.getResults());
}

/// Returns `g + wd * p` (PyTorch's `grad.add(param, alpha=weight_decay)`),
/// or `g` when `weightDecay` is 0, as PyTorch skips it then.
static Value applyWeightDecay(ScalarBuilder &s, Value grad, Value param,
                              double weightDecay) {
  if (weightDecay == 0.0)
    return grad;
  return s.add(grad, s.mul(s.f32(weightDecay), param));
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// `nn.lr_schedule %step <kind>` -> f64 scalar arithmetic on the extracted
/// step, truncated to f32 and wrapped with `tensor.from_elements`.
struct LRScheduleOpLowering : public OpConversionPattern<nn::LRScheduleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::LRScheduleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ScalarBuilder s(rewriter, op.getLoc());
    double baseLr = op.getLr().convertToDouble();
    Value lr = s.f64(baseLr);
    // A negative step counts as 0.
    Value step = rewriter.create<arith::MaxSIOp>(
        op.getLoc(), s.extract(adaptor.getStep()), s.i64(0));
    switch (op.getKind()) {
    case nn::LRScheduleKind::constant:
      break;
    case nn::LRScheduleKind::step: {
      // step >= 0 and step_size >= 1 (lr_schedule_c3): truncating division
      // is the floor.
      Value decays = rewriter.create<arith::DivSIOp>(op.getLoc(), step,
                                                     s.i64(*op.getStepSize()));
      lr = s.mul(lr, s.pow(s.f64(op.getGamma()->convertToDouble()),
                           s.intToF64(decays)));
      break;
    }
    case nn::LRScheduleKind::cosine: {
      int64_t total = *op.getTotalSteps();
      double minLr = op.getMinLr() ? op.getMinLr()->convertToDouble() : 0.0;
      Value clamped =
          rewriter.create<arith::MinSIOp>(op.getLoc(), step, s.i64(total));
      Value angle = s.div(s.mul(s.f64(llvm::numbers::pi), s.intToF64(clamped)),
                          s.f64(static_cast<double>(total)));
      Value cosine = rewriter.create<math::CosOp>(op.getLoc(), angle);
      Value factor = s.div(s.add(s.f64(1.0), cosine), s.f64(2.0));
      lr = s.add(s.f64(minLr), s.mul(s.f64(baseLr - minLr), factor));
      break;
    }
    }
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(
        op, op.getType(), ValueRange{s.toF32(lr)});
    return success();
  }
};

/// `nn.sgd %p, %g, %lr` -> one `linalg.generic` computing
/// `p - lr * (g + wd * p)`.
struct SGDOpLowering : public OpConversionPattern<nn::SGDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::SGDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lr = ScalarBuilder(rewriter, op.getLoc()).extract(adaptor.getLr());
    double weightDecay = op.getWeightDecay().convertToDouble();
    SmallVector<Value> results = buildUpdate(
        rewriter, op.getLoc(), {adaptor.getParam(), adaptor.getGrad()}, 1,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          ScalarBuilder s(b, loc);
          Value grad = applyWeightDecay(s, args[1], args[0], weightDecay);
          return SmallVector<Value>{s.sub(args[0], s.mul(lr, grad))};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// `nn.momentum %p, %g, %buf, %step, %lr` -> one two-result
/// `linalg.generic`; `step == 0` is computed before it and selects the
/// buffer's initial value `g'`.
struct MomentumOpLowering : public OpConversionPattern<nn::MomentumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MomentumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ScalarBuilder outer(rewriter, op.getLoc());
    Value lr = outer.extract(adaptor.getLr());
    Value isFirst = rewriter.create<arith::CmpIOp>(
        op.getLoc(), arith::CmpIPredicate::eq, outer.extract(adaptor.getStep()),
        outer.i64(0));
    double momentum = op.getMomentum().convertToDouble();
    double dampening = op.getDampening().convertToDouble();
    double weightDecay = op.getWeightDecay().convertToDouble();
    bool nesterov = op.getNesterov();
    SmallVector<Value> results = buildUpdate(
        rewriter, op.getLoc(),
        {adaptor.getParam(), adaptor.getGrad(), adaptor.getBuf()}, 2,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          ScalarBuilder s(b, loc);
          Value param = args[0];
          Value grad = applyWeightDecay(s, args[1], param, weightDecay);
          Value decayed = s.add(s.mul(args[2], s.f32(momentum)),
                                s.mul(s.f32(1.0 - dampening), grad));
          Value buf = b.create<arith::SelectOp>(loc, isFirst, grad, decayed);
          Value update =
              nesterov ? s.add(grad, s.mul(s.f32(momentum), buf)) : buf;
          return SmallVector<Value>{s.sub(param, s.mul(lr, update)), buf};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// `nn.rmsprop %p, %g, %sq, %lr` -> one two-result `linalg.generic`.
struct RMSPropOpLowering : public OpConversionPattern<nn::RMSPropOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::RMSPropOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lr = ScalarBuilder(rewriter, op.getLoc()).extract(adaptor.getLr());
    double alpha = op.getAlpha().convertToDouble();
    double eps = op.getEps().convertToDouble();
    double weightDecay = op.getWeightDecay().convertToDouble();
    SmallVector<Value> results = buildUpdate(
        rewriter, op.getLoc(),
        {adaptor.getParam(), adaptor.getGrad(), adaptor.getSquareAvg()}, 2,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          ScalarBuilder s(b, loc);
          Value param = args[0];
          Value grad = applyWeightDecay(s, args[1], param, weightDecay);
          Value squareAvg = s.add(s.mul(args[2], s.f32(alpha)),
                                  s.mul(s.mul(s.f32(1.0 - alpha), grad), grad));
          Value avg = s.add(s.sqrt(squareAvg), s.f32(eps));
          Value newParam = s.sub(param, s.mul(lr, s.div(grad, avg)));
          return SmallVector<Value>{newParam, squareAvg};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// `nn.adam` / `nn.adamw` -> f64 bias corrections from the extracted step and
/// learning rate, then one three-result `linalg.generic`.
template <typename OpTy, bool Decoupled>
struct AdamOpLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ScalarBuilder outer(rewriter, op.getLoc());
    double beta1 = op.getBeta1().convertToDouble();
    double beta2 = op.getBeta2().convertToDouble();
    double eps = op.getEps().convertToDouble();
    double weightDecay = op.getWeightDecay().convertToDouble();

    // t = step + 1; bias corrections and step size as Python floats (f64).
    Value lr64 = outer.toF64(outer.extract(adaptor.getLr()));
    Value t = outer.add(outer.intToF64(outer.extract(adaptor.getStep())),
                        outer.f64(1.0));
    Value biasCorrection1 =
        outer.sub(outer.f64(1.0), outer.pow(outer.f64(beta1), t));
    Value biasCorrection2 =
        outer.sub(outer.f64(1.0), outer.pow(outer.f64(beta2), t));
    Value stepSize = outer.toF32(outer.div(lr64, biasCorrection1));
    Value biasCorrection2Sqrt = outer.toF32(outer.sqrt(biasCorrection2));
    Value paramScale;
    if (Decoupled && weightDecay != 0.0)
      paramScale = outer.toF32(
          outer.sub(outer.f64(1.0), outer.mul(lr64, outer.f64(weightDecay))));

    SmallVector<Value> results = buildUpdate(
        rewriter, op.getLoc(),
        {adaptor.getParam(), adaptor.getGrad(), adaptor.getExpAvg(),
         adaptor.getExpAvgSq()},
        3, [&](OpBuilder &b, Location loc, ValueRange args) {
          ScalarBuilder s(b, loc);
          Value param = args[0];
          Value grad = args[1];
          if (paramScale)
            param = s.mul(param, paramScale);
          else if (!Decoupled)
            grad = applyWeightDecay(s, grad, param, weightDecay);
          Value expAvg = s.add(s.mul(args[2], s.f32(beta1)),
                               s.mul(s.f32(1.0 - beta1), grad));
          Value expAvgSq = s.add(s.mul(args[3], s.f32(beta2)),
                                 s.mul(s.mul(s.f32(1.0 - beta2), grad), grad));
          Value denom =
              s.add(s.div(s.sqrt(expAvgSq), biasCorrection2Sqrt), s.f32(eps));
          Value newParam = s.sub(param, s.mul(stepSize, s.div(expAvg, denom)));
          return SmallVector<Value>{newParam, expAvg, expAvgSq};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// `nn.l1_penalty` / `nn.l2_penalty` -> reduction `linalg.generic` summing
/// `|w|` or `w * w` into a rank-0 tensor, then a rank-0 `linalg.generic`
/// multiplying by `lambda`.
template <typename OpTy, bool Squared>
struct PenaltyOpLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    auto scalarType = RankedTensorType::get({}, rewriter.getF32Type());
    Value zero = createFilledTensor(rewriter, loc, scalarType,
                                    createF32Constant(rewriter, loc, 0));
    Value total = buildReduction(
        rewriter, loc, input, rewriter.getMultiDimIdentityMap(rank), rank,
        llvm::to_vector(llvm::seq<int64_t>(0, rank)), zero,
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          Value term =
              Squared ? b.create<arith::MulFOp>(nestedLoc, args[0], args[0])
                            .getResult()
                      : b.create<math::AbsFOp>(nestedLoc, args[0]).getResult();
          return b.create<arith::AddFOp>(nestedLoc, args[1], term);
        });
    float lambda = static_cast<float>(op.getLambda().convertToDouble());
    Value scaled = buildElementwise(
        rewriter, loc, scalarType, total,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          return b.create<arith::MulFOp>(
              nestedLoc, createF32Constant(b, nestedLoc, lambda), args[0]);
        });
    rewriter.replaceOp(op, scaled);
    return success();
  }
};

} // namespace

void kiln::populateNNOptimizerToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LRScheduleOpLowering, SGDOpLowering, MomentumOpLowering,
               RMSPropOpLowering, AdamOpLowering<nn::AdamOp, false>,
               AdamOpLowering<nn::AdamWOp, true>,
               PenaltyOpLowering<nn::L1PenaltyOp, false>,
               PenaltyOpLowering<nn::L2PenaltyOp, true>>(patterns.getContext());
}
