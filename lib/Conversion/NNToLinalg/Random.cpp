//===- Random.cpp - dropout and random_normal to linalg ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// dropout (in training) and random_normal become one all-parallel
// `linalg.generic` each whose body rebuilds the row-major index of its
// element from `linalg.index`, and hashes it with the generator of
// NNRandomOps.td in i64 arithmetic (`arith.muli`/`addi` wrap modulo 2^64,
// `arith.shrui` is the logical shift):
//
//   z = base + i * 0xAEF17502108EF2D9,  base = seed * 0x9E37.. + key * 0xD1B5..
//   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
//   z = (z ^ (z >> 27)) * 0x94D049BB133111EB
//   u = (z ^ (z >> 31)) >> 40
//
// `base` is computed once, before the generic, from the key read with
// `tensor.extract` (a constant without a key). Dropout compares `u` with the
// integer threshold (unsigned) and selects 0 or `x * scale`; random_normal
// converts two draws to f32 (exactly: they have at most 25 bits) and applies
// Box-Muller in f32. Dropout without `training` is its input.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

namespace {

/// The multipliers of the generator (docs/Spec.md, NNRandomOps.td).
constexpr uint64_t kSeedMultiplier = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kKeyMultiplier = 0xD1B54A32D192ED03ull;
constexpr uint64_t kIndexMultiplier = 0xAEF17502108EF2D9ull;
constexpr uint64_t kMix1 = 0xBF58476D1CE4E5B9ull;
constexpr uint64_t kMix2 = 0x94D049BB133111EBull;

/// Returns the i64 constant with the bits of `value`.
Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(b.getI64Type(), static_cast<int64_t>(value)));
}

/// `seed * 0x9E37.. + key * 0xD1B5..` modulo 2^64, computed before the
/// generic: the product of the constants folds, the key (a rank-0 i64
/// tensor, or none) is extracted once.
Value buildBase(OpBuilder &b, Location loc, uint64_t seed, Value key) {
  Value base = i64Constant(b, loc, seed * kSeedMultiplier);
  if (!key)
    return base;
  Value k = b.create<tensor::ExtractOp>(loc, key, ValueRange{});
  Value keyed =
      b.create<arith::MulIOp>(loc, k, i64Constant(b, loc, kKeyMultiplier));
  return b.create<arith::AddIOp>(loc, base, keyed);
}

/// The row-major linear index of the current element of a generic over
/// `shape`, as an i64.
Value buildLinearIndex(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  if (shape.empty())
    return i64Constant(b, loc, 0);
  Value linear = b.create<linalg::IndexOp>(loc, 0);
  for (int64_t d = 1, e = shape.size(); d < e; ++d) {
    Value size = b.create<arith::ConstantIndexOp>(loc, shape[d]);
    linear = b.create<arith::AddIOp>(
        loc, b.create<arith::MulIOp>(loc, linear, size),
        b.create<linalg::IndexOp>(loc, d));
  }
  return b.create<arith::IndexCastOp>(loc, b.getI64Type(), linear);
}

/// The 24-bit draw u for the i64 index `i` (in an i64).
Value buildDraw(OpBuilder &b, Location loc, Value base, Value i) {
  auto shr = [&](Value z, uint64_t amount) {
    return b.create<arith::ShRUIOp>(loc, z, i64Constant(b, loc, amount));
  };
  auto mixStep = [&](Value z, uint64_t amount, uint64_t multiplier) {
    Value x = b.create<arith::XOrIOp>(loc, z, shr(z, amount));
    return b.create<arith::MulIOp>(loc, x, i64Constant(b, loc, multiplier));
  };
  Value z = b.create<arith::AddIOp>(
      loc, base,
      b.create<arith::MulIOp>(loc, i, i64Constant(b, loc, kIndexMultiplier)));
  z = mixStep(z, 30, kMix1);
  z = mixStep(z, 27, kMix2);
  z = b.create<arith::XOrIOp>(loc, z, shr(z, 31));
  return shr(z, 40);
}

/// Builds an all-parallel generic producing `resultType` from `inputs` (read
/// with identity maps) whose body also receives the element's linear index.
Value buildIndexedGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    llvm::function_ref<Value(OpBuilder &, Location, Value, ValueRange)> body) {
  ArrayRef<int64_t> shape = resultType.getShape();
  Value init =
      b.create<tensor::EmptyOp>(loc, shape, resultType.getElementType());
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(shape.size()));
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value index = buildLinearIndex(nested, nestedLoc, shape);
        nested.create<linalg::YieldOp>(nestedLoc,
                                       body(nested, nestedLoc, index, args));
      });
  return generic.getResult(0);
}

/// `nn.dropout %x[, %key] training` -> one generic: 0 where
/// `u(i) < threshold` (unsigned), else `x * scale`; without `training`, `%x`.
struct DropoutOpLowering : public OpConversionPattern<nn::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.getTraining()) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    double rate = op.getRate().convertToDouble();
    uint64_t threshold =
        static_cast<uint64_t>(std::floor(rate * 16777216.0 + 0.5));
    float scale = static_cast<float>(1.0 / (1.0 - rate));
    Value base = buildBase(rewriter, loc, op.getSeed(), adaptor.getKey());
    Value result = buildIndexedGeneric(
        rewriter, loc, type, adaptor.getInput(),
        [&](OpBuilder &b, Location l, Value index, ValueRange args) -> Value {
          Value u = buildDraw(b, l, base, index);
          Value dropped = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::ult, u, i64Constant(b, l, threshold));
          Value kept = b.create<arith::MulFOp>(
              l, args[0], createF32Constant(b, l, scale));
          return b.create<arith::SelectOp>(l, dropped,
                                           createF32Constant(b, l, 0.0f), kept);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `nn.random_normal[ %key]` -> one generic: Box-Muller on u(2i), u(2i+1).
struct RandomNormalOpLowering : public OpConversionPattern<nn::RandomNormalOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::RandomNormalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    float mean = static_cast<float>(op.getMean().convertToDouble());
    float stddev = static_cast<float>(op.getStddev().convertToDouble());
    Value base = buildBase(rewriter, loc, op.getSeed(), adaptor.getKey());
    Value result = buildIndexedGeneric(
        rewriter, loc, type, ValueRange{},
        [&](OpBuilder &b, Location l, Value index, ValueRange) -> Value {
          Type f32 = b.getF32Type();
          Value first =
              b.create<arith::MulIOp>(l, index, i64Constant(b, l, 2));
          Value second =
              b.create<arith::AddIOp>(l, first, i64Constant(b, l, 1));
          Value u1 = b.create<arith::UIToFPOp>(
              l, f32,
              b.create<arith::AddIOp>(l, buildDraw(b, l, base, first),
                                      i64Constant(b, l, 1)));
          Value u2 = b.create<arith::UIToFPOp>(l, f32,
                                               buildDraw(b, l, base, second));
          Value unit = createF32Constant(b, l, 0x1p-24f);
          u1 = b.create<arith::MulFOp>(l, u1, unit);
          u2 = b.create<arith::MulFOp>(l, u2, unit);
          Value radius = b.create<math::SqrtOp>(
              l, b.create<arith::MulFOp>(l, createF32Constant(b, l, -2.0f),
                                         b.create<math::LogOp>(l, u1)));
          Value angle = b.create<arith::MulFOp>(
              l, createF32Constant(b, l, static_cast<float>(6.283185307179586)), u2);
          Value z = b.create<arith::MulFOp>(l, radius,
                                            b.create<math::CosOp>(l, angle));
          return b.create<arith::AddFOp>(
              l, createF32Constant(b, l, mean),
              b.create<arith::MulFOp>(l, createF32Constant(b, l, stddev), z));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::populateNNRandomToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutOpLowering, RandomNormalOpLowering>(
      patterns.getContext());
}
