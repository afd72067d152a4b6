//===- ExpandMath.cpp - Vectorizable f32 exp, expm1, tanh, log, log1p -----===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// math-to-llvm turns math.exp and math.log into llvm.exp and llvm.log, which
// LLVM calls expf and logf for, and math-to-libm turns math.tanh, math.expm1
// and math.log1p into calls to tanhf, expm1f and log1pf. A loop with a call
// in it is not vectorized, and the recurrent cells' gate loops (sigmoid =
// 1 / (1 + exp(-x)), tanh) spent more time in libm than in their products.
//
// This pass rewrites those five functions on f32 (scalars and vectors) into
// range reduction and polynomials made of arith ops (and math.absf and
// math.copysign, which math-to-llvm lowers to bit operations), which LLVM's
// loop vectorizer vectorizes like any other arithmetic. exp is glibc's expf
// algorithm (f64, 2^(j/32) for j < 32, a cubic), so that its results are
// libm's; the others are evaluated in f32, within 1.06 ulp of the exact
// result over all f32 inputs. All get the
// special values right (+-0, +-Inf, NaN, subnormals, overflow, underflow);
// the pass description (Passes.td) gives the measured bounds.
//
// The polynomials are evaluated with multiply-adds that carry the
// `contract` fast-math flag: LLVM fuses them into FMAs where the target has
// them. The bounds hold both ways. Nothing else is contracted or
// reassociated, so the exact steps (Cody-Waite reduction, Fast2Sum) stay
// exact.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

namespace kiln {
#define GEN_PASS_DEF_KILNEXPANDMATH
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

//===----------------------------------------------------------------------===//
// Constants of the expansions
//===----------------------------------------------------------------------===//

// ln 2 split for Cody-Waite reduction: kLn2Hi has 9 trailing zero bits, so
// k * kLn2Hi is exact for |k| < 2^9 and x - k * kLn2Hi is exact near k ln 2.
constexpr float kLn2Hi = 0x1.62e4p-1f;    // 0x3f317200
constexpr float kLn2Lo = 0x1.7f7d1cp-20f; // ln 2 - kLn2Hi, rounded
constexpr float kLog2E = 0x1.715476p+0f;  // 1 / ln 2
// Adding 1.5 * 2^23 rounds a float of magnitude < 2^22 to an integer, which
// then sits in the low bits of the sum's significand.
constexpr float kRoundMagic = 0x1.8p23f;
constexpr int32_t kRoundMagicBits = 0x4b400000;

// expm1(r) = r + r^2 (1/2 + r Q(r)) on |r| <= ln(2)/2: Q(r) =
// sum kExpm1Q[i] r^(4-i), a near-minimax (Chebyshev) fit of
// (expm1(r) - r - r^2/2) / r^3 whose error adds < 2e-9 relative.
constexpr float kExpm1Q[] = {0x1.a0fcdap-13f, 0x1.6d1606p-10f,
                             0x1.1110f6p-7f, 0x1.555516p-5f, 0x1.555556p-3f};

// log1p(f) = f + f^2 (-1/2 + f P(f)) on sqrt(1/2) - 1 <= f <= sqrt(2) - 1:
// P(f) = sum kLog1pP[i] f^(8-i), the same kind of fit of
// (log1p(f) - f + f^2/2) / f^3 (< 6e-9 relative).
constexpr float kLog1pP[] = {
    0x1.1d745ap-4f, -0x1.d79714p-4f, 0x1.df4c32p-4f,
    -0x1.fcd1e2p-4f, 0x1.23c874p-3f, -0x1.555bb0p-3f,
    0x1.999da0p-3f, -0x1.fffffcp-3f, 0x1.555554p-2f};
// The bits of sqrt(1/2): log's reduction puts significands in
// [sqrt(1/2), sqrt(2)).
constexpr int32_t kSqrtHalfBits = 0x3f3504f3;
constexpr int32_t kOneBits = 0x3f800000;

// tanh(x) = x + x^3 P(x^2) for |x| < kTanhSplit: P(z) = sum kTanhP[i]
// z^(6-i), the same kind of fit of (tanh(x) - x) / x^3 (< 5e-10 relative).
constexpr float kTanhSplit = 0.75f;
constexpr float kTanhP[] = {-0x1.6ab318p-11f, 0x1.940864p-9f,
                            -0x1.1c7096p-7f,  0x1.65bd1cp-6f,
                            -0x1.ba14e0p-5f,  0x1.111102p-3f,
                            -0x1.555556p-2f};

// exp is the algorithm of glibc's expf (from Arm's optimized-routines, MIT
// licensed), with its constants, in f64: x / ln 2 = k / 32 + r / 32 with
// |r| <= 1/2, 2^(x / ln 2) = 2^(k div 32) 2^(j/32) 2^(r/32) with j = k mod 32,
// and 2^(r/32) ~ 1 + C2 r + C1 r^2 + C0 r^3.
constexpr double kExpInvLn2N = 0x1.71547652b82fep+5; // 32 / ln 2
// kExpInvLn2N = kExpInvLn2NHi + kExpInvLn2NLo, the first with 29 significant
// bits: x * kExpInvLn2NHi is exact for an f32 x.
constexpr double kExpInvLn2NHi = 0x1.7154765p+5;
constexpr double kExpInvLn2NLo = 0x1.5c17fp-26;
constexpr double kExpShift = 0x1.8p52;
constexpr double kExpC[] = {0x1.c6af84b912394p-20, 0x1.ebfce50fac4f3p-13,
                            0x1.62e42ff0c52d6p-6};
// glibc reads 2^(j/32), correctly rounded, from a table. A table load keeps
// LLVM from vectorizing the loop around it ("cannot identify array bounds"),
// so it is computed instead: the product of kExpPow2[i] = 2^(2^i / 32) over
// the bits i of j, in the order (((s4 s3) s2) s1) s0, is within one ulp of
// the table entry, and is corrected to it with two bit sets: +1 ulp for j in
// kExpTableUp, -1 ulp for j in kExpTableDown (all 32 checked exhaustively).
constexpr double kExpPow2[] = {0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0,
                               0x1.172b83c7d517bp+0, 0x1.306fe0a31b715p+0,
                               0x1.6a09e667f3bcdp+0};
constexpr int64_t kExpTableUp = 0x88a208;     // j = 3, 9, 13, 15, 19, 23
constexpr int64_t kExpTableDown = 0x11100000; // j = 20, 24, 28

// exp and expm1: inputs are clamped to at most kExpMax (the result
// overflows there) and exp's to at least kExpMin (exp rounds to 0 there), so
// the clamp changes no result; it keeps k in [-150, 129].
constexpr float kExpMax = 88.8f;
constexpr float kExpMin = -104.0f;
// expm1(x) rounds to -1 below about -17.3.
constexpr float kExpm1Min = -30.0f;
// Below this magnitude expm1(x) and log1p(x) round to x (this also keeps
// the sign of zero).
constexpr float kExpm1Tiny = 0x1p-25f;

//===----------------------------------------------------------------------===//
// Building blocks on f32 or vector-of-f32 values
//===----------------------------------------------------------------------===//

/// Emits the expansions' arithmetic for values of one type: `f32` or a
/// vector of `f32`, with `i32` (or a vector of it, same shape) for bit
/// manipulation.
class Builder {
public:
  Builder(ImplicitLocOpBuilder &b, Type type) : b(b), floatType(type) {
    elementType = cast<FloatType>(getElementTypeOrSelf(type));
    width = elementType.getWidth();
    Type intElement = b.getIntegerType(width);
    if (auto vector = dyn_cast<VectorType>(type))
      intType = vector.clone(intElement);
    else
      intType = intElement;
    contract = arith::FastMathFlagsAttr::get(b.getContext(),
                                             arith::FastMathFlags::contract);
  }

  /// The same shape with f64 elements.
  Type wideType() {
    if (auto vector = dyn_cast<VectorType>(floatType))
      return vector.clone(b.getF64Type());
    return b.getF64Type();
  }
  Value extend(Value v, Type wide) { return b.create<arith::ExtFOp>(wide, v); }
  Value truncate(Value v) { return b.create<arith::TruncFOp>(floatType, v); }

  Value f(double value) {
    auto attr = b.getFloatAttr(elementType, value);
    if (auto vector = dyn_cast<VectorType>(floatType))
      return b.create<arith::ConstantOp>(
          DenseElementsAttr::get(vector, attr.getValue()));
    return b.create<arith::ConstantOp>(attr);
  }
  Value i(int64_t value) {
    auto attr = b.getIntegerAttr(b.getIntegerType(width), value);
    if (auto vector = dyn_cast<VectorType>(intType))
      return b.create<arith::ConstantOp>(
          DenseElementsAttr::get(vector, attr.getValue()));
    return b.create<arith::ConstantOp>(attr);
  }

  Value add(Value l, Value r) { return b.create<arith::AddFOp>(l, r); }
  Value sub(Value l, Value r) { return b.create<arith::SubFOp>(l, r); }
  Value mul(Value l, Value r) { return b.create<arith::MulFOp>(l, r); }
  Value div(Value l, Value r) { return b.create<arith::DivFOp>(l, r); }
  Value neg(Value v) { return b.create<arith::NegFOp>(v); }
  Value abs(Value v) { return b.create<math::AbsFOp>(v); }
  Value copySign(Value magnitude, Value sign) {
    return b.create<math::CopySignOp>(magnitude, sign);
  }
  /// a * m + c, fused into an FMA where the target has one.
  Value mad(Value a, Value m, Value c) {
    Value product = b.create<arith::MulFOp>(a, m, contract);
    return b.create<arith::AddFOp>(product, c, contract);
  }
  /// Horner's scheme: ((c0 x + c1) x + ...) x + cN.
  template <typename T, size_t N>
  Value horner(Value x, const T (&coefficientArray)[N]) {
    ArrayRef<T> coefficients(coefficientArray);
    Value acc = mad(x, f(coefficients[0]), f(coefficients[1]));
    for (T c : coefficients.drop_front(2))
      acc = mad(acc, x, f(c));
    return acc;
  }

  Value cmp(arith::CmpFPredicate predicate, Value l, Value r) {
    return b.create<arith::CmpFOp>(predicate, l, r);
  }
  Value select(Value condition, Value t, Value e) {
    return b.create<arith::SelectOp>(condition, t, e);
  }
  /// min(x, bound) and max(x, bound) that keep NaN.
  Value clampAbove(Value x, double bound) {
    Value c = f(bound);
    return select(cmp(arith::CmpFPredicate::OGT, x, c), c, x);
  }
  Value clampBelow(Value x, double bound) {
    Value c = f(bound);
    return select(cmp(arith::CmpFPredicate::OLT, x, c), c, x);
  }

  Value bitsOf(Value x) { return b.create<arith::BitcastOp>(intType, x); }
  Value fromBits(Value bits) {
    return b.create<arith::BitcastOp>(floatType, bits);
  }
  Value iadd(Value l, Value r) { return b.create<arith::AddIOp>(l, r); }
  Value isub(Value l, Value r) { return b.create<arith::SubIOp>(l, r); }
  Value iand(Value l, Value r) { return b.create<arith::AndIOp>(l, r); }
  Value shl(Value v, int n) { return b.create<arith::ShLIOp>(v, i(n)); }
  Value ashr(Value v, int n) { return b.create<arith::ShRSIOp>(v, i(n)); }
  Value toFloat(Value v) { return b.create<arith::SIToFPOp>(floatType, v); }
  /// 2^k as a float of the element type, for k in its normal range.
  Value pow2(Value k) {
    int mantissa = width == 64 ? 52 : 23;
    int bias = width == 64 ? 1023 : 127;
    return fromBits(shl(iadd(k, i(bias)), mantissa));
  }

  //===--------------------------------------------------------------------===//
  // The functions
  //===--------------------------------------------------------------------===//

  /// Cody-Waite reduction: x = k ln 2 + r with k = round(x / ln 2) and
  /// |r| <= ln(2)/2 (a hair more when x / ln 2 rounds first). Needs
  /// |x| < 2^9 ln 2.
  std::pair<Value, Value> reduceByLn2(Value x) {
    Value magic = f(kRoundMagic);
    Value t = mad(x, f(kLog2E), magic);
    Value kf = sub(t, magic);
    Value k = isub(bitsOf(t), i(kRoundMagicBits));
    Value r = mad(kf, f(-kLn2Hi), x);
    r = mad(kf, f(-kLn2Lo), r);
    return {r, k};
  }

  /// expm1 of a reduced argument is r + r^2 q(r); returns
  /// q(r) = 1/2 + r Q(r).
  Value expm1Poly(Value r) {
    Value q = horner(r, kExpm1Q);
    return mad(q, r, f(0.5f));
  }
  /// expm1 of a reduced argument: r + r^2 q(r).
  Value expm1Reduced(Value r) { return mad(mul(r, r), expm1Poly(r), r); }

  /// exp(x) as glibc's expf computes it (the same operations and
  /// constants, in f64, with FMAs where glibc's FMA variant has them), so
  /// that results are libm's bit for bit: within 0.502 ulp and nearly
  /// always the correctly rounded value. Training comparisons depend on
  /// this: LeNet's trajectory hinges on ReLU / max-pool decisions that the
  /// rounding of softmax's exponentials settles. Overflow, subnormal
  /// results and underflow come from the final rounding to f32.
  Value exp(Value x) {
    Value clamped = clampBelow(clampAbove(x, kExpMax), kExpMin);
    Builder d(b, wideType());
    Value xd = extend(clamped, d.floatType);
    Value shift = d.f(kExpShift);
    // k + shift, rounded to an integer by the addition; k in its low bits.
    Value kdShifted = d.mad(d.f(kExpInvLn2N), xd, shift);
    Value ki = d.bitsOf(kdShifted);
    Value kd = d.sub(kdShifted, shift);
    // glibc's FMA variant computes r = fma(32 / ln 2, x, -kd). Rather than
    // an FMA (a libm call where there is none, and LLVM would share the
    // product with the line above and not fuse either), the exact product
    // in two parts: x * hi - kd is exact, and x * lo is 2^-28 of the rest.
    Value r = d.mad(xd, d.f(kExpInvLn2NLo),
                    d.sub(d.mul(xd, d.f(kExpInvLn2NHi)), kd));
    // 2^(j/32) with j = k mod 32, exactly glibc's table entry.
    Value j = d.iand(ki, d.i(31));
    Value pow2j;
    for (int bit = 4; bit >= 0; --bit) {
      Value set = b.create<arith::CmpIOp>(arith::CmpIPredicate::ne,
                                          d.iand(j, d.i(int64_t(1) << bit)),
                                          d.i(0));
      Value factor = d.select(set, d.f(kExpPow2[bit]), d.f(1.0));
      pow2j = pow2j ? d.mul(pow2j, factor) : factor;
    }
    Value one = d.i(1);
    Value up = d.iand(b.create<arith::ShRUIOp>(d.i(kExpTableUp), j), one);
    Value down = d.iand(b.create<arith::ShRUIOp>(d.i(kExpTableDown), j), one);
    Value pow2jBits = d.isub(d.iadd(d.bitsOf(pow2j), up), down);
    // 2^(k/32) = 2^(j/32) 2^((k - j) / 32): add (k - j) / 32 to the exponent.
    Value scale = d.fromBits(d.iadd(pow2jBits, d.shl(d.isub(ki, j), 47)));
    Value z = d.mad(d.f(kExpC[0]), r, d.f(kExpC[1]));
    Value r2 = d.mul(r, r);
    Value y = d.mad(d.f(kExpC[2]), r, d.f(1.0));
    y = d.mad(z, r2, y);
    return truncate(d.mul(y, scale));
  }

  /// expm1(x) = 2^k expm1(r) + (2^k - 1), with h = 2^(k-1) so that k = 128
  /// (just below the overflow threshold) needs no infinite scale, and one
  /// of three evaluations by k, each with at most two roundings that
  /// matter:
  /// - k <= 0: 2 (h e + (h - 1/2)) with e = expm1(r) (k = 0: e itself);
  /// - 1 <= k <= 12: 2 (h lo + (h r + (h - 1/2))) where e = r + lo, since
  ///   h r + (h - 1/2) is exact or nearly and e + 1/2 would cancel;
  /// - k > 12: 2 h (1 + (e - 2^-k)), like exp (2^k - 1 is no longer
  ///   exact).
  Value expm1(Value x) {
    Value clamped = clampBelow(clampAbove(x, kExpMax), kExpm1Min);
    auto [r, k] = reduceByLn2(clamped);
    Value r2 = mul(r, r);
    Value q = expm1Poly(r);
    Value lo = mul(r2, q);
    Value e = mad(r2, q, r);
    Value h = pow2(isub(k, i(1)));
    Value two = f(2.0f);
    Value hMinusHalf = sub(h, f(0.5f));
    Value positive =
        b.create<arith::CmpIOp>(arith::CmpIPredicate::sgt, k, i(0));
    Value small = mul(two, mad(h, select(positive, lo, e),
                               select(positive, mad(h, r, hMinusHalf),
                                      hMinusHalf)));
    // 2^-k for k in [13, 100], 2^-100 above (it no longer matters).
    Value negK = b.create<arith::MaxSIOp>(isub(i(0), k), i(-100));
    Value large = mul(h, mul(two, add(f(1.0f), sub(e, pow2(negK)))));
    Value isLarge =
        b.create<arith::CmpIOp>(arith::CmpIPredicate::sgt, k, i(12));
    Value result = select(isLarge, large, small);
    Value tiny = cmp(arith::CmpFPredicate::OLT, abs(x), f(kExpm1Tiny));
    return select(tiny, x, result);
  }

  /// tanh(|x|) = |x| + |x|^3 P(x^2) below kTanhSplit, 1 - 2 / (e^2|x| + 1)
  /// above (at least 0.63, so the subtraction loses nothing), with the
  /// sign of x; |x| is clamped to 10, where tanh rounds to 1.
  Value tanh(Value x) {
    Value a = abs(x);
    Value z = mul(a, a);
    Value small = mad(mul(a, z), horner(z, kTanhP), a);
    auto [r, k] = reduceByLn2(mul(f(2.0f), clampAbove(a, 10.0f)));
    Value e2a = mul(pow2(k), add(f(1.0f), expm1Reduced(r)));
    Value large = sub(f(1.0f), div(f(2.0f), add(e2a, f(1.0f))));
    Value t = select(cmp(arith::CmpFPredicate::OLT, a, f(kTanhSplit)), small,
                     large);
    return copySign(t, x);
  }

  /// Splits a positive normal float x into x = 2^e (1 + f) with 1 + f in
  /// [sqrt(1/2), sqrt(2)). Returns {f, e as a float}.
  std::pair<Value, Value> splitSignificand(Value x) {
    Value bits = iadd(bitsOf(x), i(kOneBits - kSqrtHalfBits));
    Value e = isub(ashr(bits, 23), i(127));
    Value m = fromBits(iadd(iand(bits, i(0x007fffff)), i(kSqrtHalfBits)));
    return {sub(m, f(1.0f)), toFloat(e)};
  }

  /// log1p(f) - f for a reduced f: f^2 (-1/2 + f P(f)).
  Value log1pTail(Value fr) {
    Value p = horner(fr, kLog1pP);
    p = mad(p, fr, f(-0.5f));
    return mul(mul(fr, fr), p);
  }

  /// e ln 2 + log1p(f) (+ extra), the large part last.
  Value combineLog(Value fr, Value e, Value extra) {
    Value tail = log1pTail(fr);
    if (extra)
      tail = add(tail, extra);
    Value low = mad(e, f(kLn2Lo), tail);
    return mad(e, f(kLn2Hi), add(fr, low));
  }

  /// log(x) = e ln 2 + log1p(f); subnormal x are scaled by 2^23 first.
  Value log(Value x) {
    Value subnormal =
        cmp(arith::CmpFPredicate::OLT, x, f(std::numeric_limits<float>::min()));
    Value scaled = select(subnormal, mul(x, f(0x1p23f)), x);
    auto [fr, e] = splitSignificand(scaled);
    e = select(subnormal, sub(e, f(23.0f)), e);
    Value result = combineLog(fr, e, Value());
    // log(0) = -Inf, log(x < 0) = NaN, log(+Inf) = +Inf, log(NaN) = NaN.
    float inf = std::numeric_limits<float>::infinity();
    Value special = select(
        cmp(arith::CmpFPredicate::OEQ, x, f(0.0f)), f(-inf),
        select(cmp(arith::CmpFPredicate::OLT, x, f(0.0f)),
               f(std::numeric_limits<float>::quiet_NaN()), x));
    Value regular = b.create<arith::AndIOp>(
        cmp(arith::CmpFPredicate::OGT, x, f(0.0f)),
        cmp(arith::CmpFPredicate::OLT, x, f(inf)));
    return select(regular, result, special);
  }

  /// log1p(x) = log(u) + c / u with u = 1 + x rounded and c = (1 + x) - u
  /// exactly (Fast2Sum, larger operand first); x itself for |x| < 2^-25.
  Value log1p(Value x) {
    Value one = f(1.0f);
    Value u = add(one, x);
    Value c = select(cmp(arith::CmpFPredicate::OGT, abs(x), one),
                     sub(one, sub(u, x)), sub(x, sub(u, one)));
    auto [fr, e] = splitSignificand(u);
    Value result = combineLog(fr, e, div(c, u));
    // log1p(-1) = -Inf, log1p(x < -1) = NaN, log1p(+Inf) = +Inf, NaN = NaN.
    float inf = std::numeric_limits<float>::infinity();
    Value special = select(
        cmp(arith::CmpFPredicate::OEQ, x, f(-1.0f)), f(-inf),
        select(cmp(arith::CmpFPredicate::OLT, x, f(-1.0f)),
               f(std::numeric_limits<float>::quiet_NaN()), x));
    Value regular = b.create<arith::AndIOp>(
        cmp(arith::CmpFPredicate::OGT, x, f(-1.0f)),
        cmp(arith::CmpFPredicate::OLT, x, f(inf)));
    Value tiny = cmp(arith::CmpFPredicate::OLT, abs(x), f(kExpm1Tiny));
    return select(tiny, x, select(regular, result, special));
  }

private:
  ImplicitLocOpBuilder &b;
  Type floatType, intType;
  FloatType elementType;
  unsigned width;
  arith::FastMathFlagsAttr contract;
};

/// Returns whether `type` is f32 or a vector of f32 (not scalable).
bool isF32OrVector(Type type) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.getElementType().isF32() && !vector.isScalable();
  return type.isF32();
}

/// Returns the expansion of `op` if it is one of the five functions on f32,
/// else a null value.
Value expand(Operation *op) {
  if (op->getNumOperands() != 1 || op->getNumResults() != 1 ||
      !isF32OrVector(op->getResult(0).getType()))
    return Value();
  OpBuilder rewriter(op);
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  Builder builder(b, op->getResult(0).getType());
  Value x = op->getOperand(0);
  return TypeSwitch<Operation *, Value>(op)
      .Case([&](math::ExpOp) { return builder.exp(x); })
      .Case([&](math::ExpM1Op) { return builder.expm1(x); })
      .Case([&](math::TanhOp) { return builder.tanh(x); })
      .Case([&](math::LogOp) { return builder.log(x); })
      .Case([&](math::Log1pOp) { return builder.log1p(x); })
      .Default([](Operation *) { return Value(); });
}

} // namespace

namespace kiln {
namespace {
struct KilnExpandMath : public impl::KilnExpandMathBase<KilnExpandMath> {
  void runOnOperation() override {
    // The expansions contain none of the ops they replace, so one walk
    // expands everything; nothing else is touched.
    getOperation()->walk([](Operation *op) {
      if (Value expansion = expand(op)) {
        op->getResult(0).replaceAllUsesWith(expansion);
        op->erase();
      }
    });
  }
};
} // namespace
} // namespace kiln
