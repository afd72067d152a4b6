//===- Normalization.cpp - batch norm to linalg ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// batch_norm, batch_norm_train and batch_norm_train_backward. Every op
// becomes a few passes over the input, each one `linalg.generic` over its
// elements that reads and writes per-channel vectors `[C]` through the loop
// of dimension 1 (`(d0, d1, ...) -> (d1)` in the input's order):
//
// - batch_norm: a `[C]` generic for `scale = gamma / sqrt(var + eps)`, then
//   `y = (x - mean) * scale + beta` elementwise.
// - batch_norm_train: the sum of every channel (a reduction over every index
//   but the channel) and the mean, then the sum of squared deviations from
//   the mean (a second reduction, the two-pass variance), then one `[C]`
//   generic for the scale and the running statistics, and the elementwise
//   normalization.
// - batch_norm_train_backward: the sums of x and dy (one reduction with two
//   accumulators), the sums of (x - mean)^2 and dy * (x - mean) (another),
//   a `[C]` generic for the gradients of gamma and beta and the coefficients
//   of `dx = a * dy + b * (x - mean) + c`, and that elementwise expression
//   (`gamma*rstd/M * (M*dy - dbeta - xhat*dgamma)` expanded).
//
// The per-channel sums are accumulated in f64 (inside the reductions), so
// that the batch statistics of large batches are accurate, and for inputs of
// rank >= 3 through partial sums that keep the innermost loop parallel (see
// ChannelNest). The per-channel arithmetic is f64 too. The elementwise
// passes of the training ops compute in f64 with the f64 batch mean and
// coefficients and round once (x - mean in f32 with a rounded mean would
// lose the digits of a batch far from zero); batch_norm's given statistics
// are f32, and its pass is f32.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

namespace {

/// Builds the scalar body of a multi-result generic: receives the input
/// scalars then the output (accumulator) scalars and returns the values to
/// yield, one per output.
using MultiBodyBuilder = llvm::function_ref<SmallVector<Value>(
    OpBuilder &, Location, ValueRange)>;

/// The loop nests over an input `[N, C, ...]` and the maps that read it.
/// Elementwise passes loop in the input's order `(d0, d1, ...)`.
///
/// The channel sums are sequential chains of f64 additions, slow when one
/// accumulator takes every element of a channel in a row. So the sums of an
/// input of rank r >= 3 loop in the order `(c, n, d2, ..., d_{r-1})` into
/// partial sums `[C, d_{r-1}]`, one per position of the innermost (parallel,
/// contiguous) loop, which LLVM vectorizes; a second, small reduction adds
/// the partial sums of each channel. For `[N, C]` the input's order already
/// has an inner loop over the `C` independent accumulators.
struct ChannelNest {
  ChannelNest(OpBuilder &b, RankedTensorType inputType)
      : rank(inputType.getRank()), channels(inputType.getDimSize(1)) {
    MLIRContext *context = b.getContext();
    auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
    identity = b.getMultiDimIdentityMap(rank);
    channel = AffineMap::get(rank, 0, d(1));
    for (int64_t i = 0; i < rank; ++i)
      if (i != 1)
        perChannel *= inputType.getDimSize(i);
    sumIterators.assign(rank, utils::IteratorType::reduction);
    if (rank == 2) {
      sumInput = identity;
      sumChannel = channel;
      sumPartial = channel;
      sumIterators[1] = utils::IteratorType::parallel;
      return;
    }
    SmallVector<AffineExpr> swapped = {d(1), d(0)};
    for (int64_t i = 2; i < rank; ++i)
      swapped.push_back(d(i));
    sumInput = AffineMap::get(rank, 0, swapped, context);
    sumChannel = AffineMap::get(rank, 0, d(0));
    sumPartial = AffineMap::get(rank, 0, {d(0), d(rank - 1)}, context);
    partialShape = {channels, inputType.getDimSize(rank - 1)};
    sumIterators[0] = utils::IteratorType::parallel;
    sumIterators[rank - 1] = utils::IteratorType::parallel;
  }

  int64_t rank;
  int64_t channels;
  /// M, the number of elements of one channel.
  int64_t perChannel = 1;
  /// The elementwise nest: the input and a `[C]` vector.
  AffineMap identity, channel;
  /// The nest of the channel sums: the input, a `[C]` vector, the
  /// accumulators and the iterators.
  AffineMap sumInput, sumChannel, sumPartial;
  SmallVector<utils::IteratorType> sumIterators;
  /// The shape of the partial sums (rank >= 3), `[C, d_{r-1}]`.
  SmallVector<int64_t> partialShape;
};

/// Builds a `linalg.generic` with the given inputs, inits (whose types are
/// the result types), maps (inputs then inits) and iterators.
SmallVector<Value> buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                                ValueRange inits, ArrayRef<AffineMap> maps,
                                ArrayRef<utils::IteratorType> iterators,
                                MultiBodyBuilder body) {
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange(inits), inputs, inits, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(nestedLoc,
                                       body(nested, nestedLoc, args));
      });
  return SmallVector<Value>(generic.getResults());
}

/// Sums over every index but the channel into `numSums` f64 `[C]`
/// accumulators starting at 0, in the sums' nest (through partial sums for
/// rank >= 3). `inputs` are read with `inputMaps` (`nest.sumInput` or
/// `nest.sumChannel`); `terms` returns one f64 term per accumulator from the
/// input scalars.
SmallVector<Value>
buildChannelSums(OpBuilder &b, Location loc, const ChannelNest &nest,
                 ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                 unsigned numSums,
                 llvm::function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                       ValueRange)>
                     terms) {
  bool partial = !nest.partialShape.empty();
  SmallVector<int64_t> accShape = partial
                                      ? nest.partialShape
                                      : SmallVector<int64_t>{nest.channels};
  auto accType = RankedTensorType::get(accShape, b.getF64Type());
  Value zero = b.create<arith::ConstantOp>(loc, b.getF64FloatAttr(0.0));
  SmallVector<Value> inits;
  SmallVector<AffineMap> maps(inputMaps);
  for (unsigned k = 0; k < numSums; ++k) {
    inits.push_back(createFilledTensor(b, loc, accType, zero));
    maps.push_back(nest.sumPartial);
  }
  auto add = [](OpBuilder &nb, Location nl, Value x, Value y) -> Value {
    return nb.create<arith::AddFOp>(nl, x, y);
  };
  unsigned numInputs = inputs.size();
  SmallVector<Value> sums = buildGeneric(
      b, loc, inputs, inits, maps, nest.sumIterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> values = terms(nb, nl, args.take_front(numInputs));
        SmallVector<Value> updated;
        for (unsigned k = 0; k < numSums; ++k)
          updated.push_back(add(nb, nl, args[numInputs + k], values[k]));
        return updated;
      });
  if (!partial)
    return sums;
  // Add up the partial sums [C, D] of each channel.
  auto sumType = RankedTensorType::get({nest.channels}, b.getF64Type());
  SmallVector<Value> totals;
  SmallVector<AffineMap> totalMaps(numSums, b.getMultiDimIdentityMap(2));
  for (unsigned k = 0; k < numSums; ++k) {
    totals.push_back(createFilledTensor(b, loc, sumType, zero));
    totalMaps.push_back(getDropAxesMap(2, {1}, b.getContext()));
  }
  return buildGeneric(
      b, loc, sums, totals, totalMaps,
      {utils::IteratorType::parallel, utils::IteratorType::reduction},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> updated;
        for (unsigned k = 0; k < numSums; ++k)
          updated.push_back(add(nb, nl, args[numSums + k], args[k]));
        return updated;
      });
}

/// Builds an all-parallel generic over `[C]` from the `[C]` `inputs` into
/// new tensors of `resultTypes`.
SmallVector<Value> buildChannelMap(OpBuilder &b, Location loc,
                                   ValueRange inputs, TypeRange resultTypes,
                                   MultiBodyBuilder body) {
  SmallVector<Value> inits;
  for (Type type : resultTypes) {
    auto tensorType = cast<RankedTensorType>(type);
    inits.push_back(b.create<tensor::EmptyOp>(loc, tensorType.getShape(),
                                              tensorType.getElementType()));
  }
  SmallVector<AffineMap> maps(inputs.size() + inits.size(),
                              b.getMultiDimIdentityMap(1));
  unsigned numInputs = inputs.size();
  return buildGeneric(b, loc, inputs, inits, maps,
                      {utils::IteratorType::parallel},
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return body(nb, nl, args.take_front(numInputs));
                      });
}

/// Builds an all-parallel generic over the input's loop nest producing a
/// tensor of `resultType`; `inputs` are read with `inputMaps`.
Value buildNestMap(OpBuilder &b, Location loc, const ChannelNest &nest,
                   RankedTensorType resultType, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps, BodyBuilder body) {
  Value init = b.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                         resultType.getElementType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(nest.identity);
  SmallVector<utils::IteratorType> iterators(nest.rank,
                                             utils::IteratorType::parallel);
  unsigned numInputs = inputs.size();
  return buildGeneric(b, loc, inputs, init, maps, iterators,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return SmallVector<Value>{
                            body(nb, nl, args.take_front(numInputs))};
                      })
      .front();
}

/// Scalar helpers for the generic bodies.
struct Scalars {
  OpBuilder &b;
  Location loc;

  Value f64(double v) {
    return b.create<arith::ConstantOp>(loc, b.getF64FloatAttr(v));
  }
  Value ext(Value v) {
    return b.create<arith::ExtFOp>(loc, b.getF64Type(), v);
  }
  Value trunc(Value v) {
    return b.create<arith::TruncFOp>(loc, b.getF32Type(), v);
  }
  Value add(Value x, Value y) { return b.create<arith::AddFOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<arith::SubFOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<arith::MulFOp>(loc, x, y); }
  Value div(Value x, Value y) { return b.create<arith::DivFOp>(loc, x, y); }
  Value sqrt(Value x) { return b.create<math::SqrtOp>(loc, x); }
};

/// `y = (x - mean[c]) * scale[c] + beta[c]` over the input's nest: in f32
/// when `mean` and `scale` are f32 vectors, in f64 (rounded once) when they
/// are f64 vectors.
Value buildNormalize(OpBuilder &b, Location loc, const ChannelNest &nest,
                     Value input, Value mean, Value scale, Value beta) {
  auto type = cast<RankedTensorType>(input.getType());
  return buildNestMap(
      b, loc, nest, type, ValueRange{input, mean, scale, beta},
      {nest.identity, nest.channel, nest.channel, nest.channel},
      [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Scalars s{nb, nl};
        if (args[1].getType().isF32())
          return s.add(s.mul(s.sub(args[0], args[1]), args[2]), args[3]);
        return s.trunc(s.add(s.mul(s.sub(s.ext(args[0]), args[1]), args[2]),
                             s.ext(args[3])));
      });
}

/// `nn.batch_norm` -> a `[C]` generic (scale = gamma / sqrt(var + eps), in
/// f64) and the elementwise normalization.
struct BatchNormOpLowering : public OpConversionPattern<nn::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    ChannelNest nest(rewriter, inputType);
    double eps = op.getEps().convertToDouble();
    Type vectorType = adaptor.getGamma().getType();
    Value scale =
        buildChannelMap(
            rewriter, loc, ValueRange{adaptor.getGamma(), adaptor.getVar()},
            vectorType,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Scalars s{nb, nl};
              Value stddev = s.sqrt(s.add(s.ext(args[1]), s.f64(eps)));
              return SmallVector<Value>{
                  s.trunc(s.div(s.ext(args[0]), stddev))};
            })
            .front();
    rewriter.replaceOp(op, buildNormalize(rewriter, loc, nest,
                                          adaptor.getInput(), adaptor.getMean(),
                                          scale, adaptor.getBeta()));
    return success();
  }
};

/// `nn.batch_norm_train` -> two channel reductions (sum, then squared
/// deviations), `[C]` generics for the mean, the scale and the running
/// statistics, and the elementwise normalization (in f64).
struct BatchNormTrainOpLowering
    : public OpConversionPattern<nn::BatchNormTrainOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::BatchNormTrainOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ChannelNest nest(rewriter, inputType);
    double eps = op.getEps().convertToDouble();
    double momentum = op.getMomentum().convertToDouble();
    double m = static_cast<double>(nest.perChannel);
    auto mean64Type = RankedTensorType::get({nest.channels},
                                            rewriter.getF64Type());
    Type vectorType = adaptor.getGamma().getType();

    Value sum = buildChannelSums(
        rewriter, loc, nest, input, nest.sumInput, 1,
        [](OpBuilder &nb, Location nl, ValueRange args) {
          return SmallVector<Value>{Scalars{nb, nl}.ext(args[0])};
        })[0];
    Value mean64 = buildChannelMap(
                       rewriter, loc, sum, mean64Type,
                       [&](OpBuilder &nb, Location nl, ValueRange args) {
                         Scalars s{nb, nl};
                         return SmallVector<Value>{s.div(args[0], s.f64(m))};
                       })
                       .front();
    Value squares = buildChannelSums(
        rewriter, loc, nest, ValueRange{input, mean64},
        {nest.sumInput, nest.sumChannel}, 1,
        [](OpBuilder &nb, Location nl, ValueRange args) {
          Scalars s{nb, nl};
          Value d = s.sub(s.ext(args[0]), args[1]);
          return SmallVector<Value>{s.mul(d, d)};
        })[0];
    // scale = gamma / sqrt(var + eps) (f64), new_mean, new_var.
    SmallVector<Value> vectors = buildChannelMap(
        rewriter, loc,
        ValueRange{mean64, squares, adaptor.getGamma(),
                   adaptor.getRunningMean(), adaptor.getRunningVar()},
        {mean64Type, vectorType, vectorType},
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Scalars s{nb, nl};
          Value mean = args[0];
          Value var = s.div(args[1], s.f64(m));
          Value scale =
              s.div(s.ext(args[2]), s.sqrt(s.add(var, s.f64(eps))));
          Value keep = s.f64(1.0 - momentum), take = s.f64(momentum);
          Value newMean = s.add(s.mul(keep, s.ext(args[3])), s.mul(take, mean));
          Value unbiased = s.div(s.mul(var, s.f64(m)), s.f64(m - 1));
          Value newVar =
              s.add(s.mul(keep, s.ext(args[4])), s.mul(take, unbiased));
          return SmallVector<Value>{scale, s.trunc(newMean), s.trunc(newVar)};
        });
    Value y = buildNormalize(rewriter, loc, nest, input, mean64, vectors[0],
                             adaptor.getBeta());
    rewriter.replaceOp(op, ValueRange{y, vectors[1], vectors[2]});
    return success();
  }
};

/// `nn.batch_norm_train_backward` -> two channel reductions with two
/// accumulators each, a `[C]` generic for the gradients of gamma and beta
/// and the coefficients of dx, and the elementwise dx.
struct BatchNormTrainBackwardOpLowering
    : public OpConversionPattern<nn::BatchNormTrainBackwardOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::BatchNormTrainBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value dy = adaptor.getOutputGrad();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ChannelNest nest(rewriter, inputType);
    double eps = op.getEps().convertToDouble();
    double m = static_cast<double>(nest.perChannel);
    auto mean64Type = RankedTensorType::get({nest.channels},
                                            rewriter.getF64Type());
    Type vectorType = adaptor.getGamma().getType();

    // Pass 1: sum x and sum dy.
    SmallVector<Value> sums = buildChannelSums(
        rewriter, loc, nest, ValueRange{input, dy},
        {nest.sumInput, nest.sumInput}, 2,
        [](OpBuilder &nb, Location nl, ValueRange args) {
          Scalars s{nb, nl};
          return SmallVector<Value>{s.ext(args[0]), s.ext(args[1])};
        });
    Value mean64 = buildChannelMap(
                       rewriter, loc, sums[0], mean64Type,
                       [&](OpBuilder &nb, Location nl, ValueRange args) {
                         Scalars s{nb, nl};
                         return SmallVector<Value>{s.div(args[0], s.f64(m))};
                       })
                       .front();
    // Pass 2: sum (x - mean)^2 and sum dy * (x - mean).
    SmallVector<Value> moments = buildChannelSums(
        rewriter, loc, nest, ValueRange{input, dy, mean64},
        {nest.sumInput, nest.sumInput, nest.sumChannel}, 2,
        [](OpBuilder &nb, Location nl, ValueRange args) {
          Scalars s{nb, nl};
          Value d = s.sub(s.ext(args[0]), args[2]);
          return SmallVector<Value>{s.mul(d, d), s.mul(s.ext(args[1]), d)};
        });
    // Per channel, with rstd = 1 / sqrt(var + eps):
    //   dbeta = sum dy, dgamma = rstd * sum dy * (x - mean),
    //   dx = a * dy + b * (x - mean) + c with
    //   a = gamma * rstd, b = -a * rstd * dgamma / M, c = -a * dbeta / M.
    SmallVector<Value> vectors = buildChannelMap(
        rewriter, loc,
        ValueRange{sums[1], moments[0], moments[1], adaptor.getGamma()},
        {mean64Type, mean64Type, mean64Type, vectorType, vectorType},
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Scalars s{nb, nl};
          Value mv = s.f64(m);
          Value var = s.div(args[1], mv);
          Value rstd = s.div(s.f64(1.0), s.sqrt(s.add(var, s.f64(eps))));
          Value dbeta = args[0];
          Value dgamma = s.mul(args[2], rstd);
          Value a = s.mul(s.ext(args[3]), rstd);
          Value negA = s.sub(s.f64(0.0), a);
          Value bCoeff = s.div(s.mul(s.mul(negA, rstd), dgamma), mv);
          Value cCoeff = s.div(s.mul(negA, dbeta), mv);
          return SmallVector<Value>{a, bCoeff, cCoeff, s.trunc(dgamma),
                                    s.trunc(dbeta)};
        });
    Value dx = buildNestMap(
        rewriter, loc, nest, inputType,
        ValueRange{dy, input, mean64, vectors[0], vectors[1], vectors[2]},
        {nest.identity, nest.identity, nest.channel, nest.channel,
         nest.channel, nest.channel},
        [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          Scalars s{nb, nl};
          Value centered = s.sub(s.ext(args[1]), args[2]);
          return s.trunc(s.add(s.add(s.mul(args[3], s.ext(args[0])),
                                     s.mul(args[4], centered)),
                               args[5]));
        });
    rewriter.replaceOp(op, ValueRange{dx, vectors[3], vectors[4]});
    return success();
  }
};

} // namespace

void kiln::populateNNNormalizationToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BatchNormOpLowering, BatchNormTrainOpLowering,
               BatchNormTrainBackwardOpLowering>(patterns.getContext());
}
