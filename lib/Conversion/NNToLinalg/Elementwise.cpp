//===- Elementwise.cpp - nn elementwise ops to linalg.generic -------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Unary math ops, activations, broadcasting binary ops, compare and select
// become one all-parallel `linalg.generic` each. Broadcasting is expressed in
// the indexing maps (see getBroadcastMap), so no operand is materialized at
// the result shape.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

//===----------------------------------------------------------------------===//
// Scalar bodies
//===----------------------------------------------------------------------===//

// Each overload builds the scalar formula of one op from its input scalars.

static Value buildScalar(nn::NegOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<arith::NegFOp>(loc, x[0]);
}
static Value buildScalar(nn::AbsOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<math::AbsFOp>(loc, x[0]);
}
static Value buildScalar(nn::ExpOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<math::ExpOp>(loc, x[0]);
}
static Value buildScalar(nn::LogOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<math::LogOp>(loc, x[0]);
}
static Value buildScalar(nn::SqrtOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<math::SqrtOp>(loc, x[0]);
}
static Value buildScalar(nn::RsqrtOp, OpBuilder &b, Location loc,
                         ValueRange x) {
  return b.create<math::RsqrtOp>(loc, x[0]);
}
/// relu(x) = maximumf(x, 0), which keeps NaN.
static Value buildScalar(nn::ReluOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<arith::MaximumFOp>(loc, x[0], createF32Constant(b, loc, 0));
}
/// sigmoid(x) = 1 / (1 + e^-x); saturates to 0 or 1 without producing NaN.
static Value buildScalar(nn::SigmoidOp, OpBuilder &b, Location loc,
                         ValueRange x) {
  Value one = createF32Constant(b, loc, 1);
  Value expNeg = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x[0]));
  return b.create<arith::DivFOp>(loc, one,
                                 b.create<arith::AddFOp>(loc, one, expNeg));
}
static Value buildScalar(nn::TanhOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<math::TanhOp>(loc, x[0]);
}
/// leaky_relu(x) = x > 0 ? x : alpha * x.
static Value buildScalar(nn::LeakyReluOp op, OpBuilder &b, Location loc,
                         ValueRange x) {
  Value positive = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x[0],
                                           createF32Constant(b, loc, 0));
  Value scaled = b.create<arith::MulFOp>(
      loc, createF32Constant(b, loc, op.getAlpha().convertToFloat()), x[0]);
  return b.create<arith::SelectOp>(loc, positive, x[0], scaled);
}
/// elu(x) = x > 0 ? x : alpha * (e^x - 1), with math.expm1.
static Value buildScalar(nn::EluOp op, OpBuilder &b, Location loc,
                         ValueRange x) {
  Value positive = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x[0],
                                           createF32Constant(b, loc, 0));
  Value scaled = b.create<arith::MulFOp>(
      loc, createF32Constant(b, loc, op.getAlpha().convertToFloat()),
      b.create<math::ExpM1Op>(loc, x[0]));
  return b.create<arith::SelectOp>(loc, positive, x[0], scaled);
}

static Value buildScalar(nn::AddOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<arith::AddFOp>(loc, x[0], x[1]);
}
static Value buildScalar(nn::SubOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<arith::SubFOp>(loc, x[0], x[1]);
}
static Value buildScalar(nn::MulOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<arith::MulFOp>(loc, x[0], x[1]);
}
static Value buildScalar(nn::DivOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<arith::DivFOp>(loc, x[0], x[1]);
}
static Value buildScalar(nn::PowOp, OpBuilder &b, Location loc, ValueRange x) {
  return b.create<math::PowFOp>(loc, x[0], x[1]);
}
/// maximum/minimum propagate NaN, like PyTorch's torch.maximum.
static Value buildScalar(nn::MaximumOp, OpBuilder &b, Location loc,
                         ValueRange x) {
  return b.create<arith::MaximumFOp>(loc, x[0], x[1]);
}
static Value buildScalar(nn::MinimumOp, OpBuilder &b, Location loc,
                         ValueRange x) {
  return b.create<arith::MinimumFOp>(loc, x[0], x[1]);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// `nn.<unary> %x` -> `linalg.generic` (identity maps) whose body applies the
/// op's scalar formula; covers unary math ops and activations.
template <typename OpTy>
struct UnaryOpLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result =
        buildElementwise(rewriter, op.getLoc(), type, {adaptor.getInput()},
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return buildScalar(op, b, loc, args.take_front(1));
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `nn.<binary> %a, %b` -> `linalg.generic` with broadcasting indexing maps
/// and the op's scalar formula.
template <typename OpTy>
struct BinaryOpLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildScalar(op, b, loc, args.take_front(2));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Returns the ordered arith.cmpf predicate of `predicate` (`ne` is the
/// unordered `une`, so that NaN != x holds).
static arith::CmpFPredicate getFloatPredicate(nn::ComparePredicate predicate) {
  switch (predicate) {
  case nn::ComparePredicate::eq:
    return arith::CmpFPredicate::OEQ;
  case nn::ComparePredicate::ne:
    return arith::CmpFPredicate::UNE;
  case nn::ComparePredicate::lt:
    return arith::CmpFPredicate::OLT;
  case nn::ComparePredicate::le:
    return arith::CmpFPredicate::OLE;
  case nn::ComparePredicate::gt:
    return arith::CmpFPredicate::OGT;
  case nn::ComparePredicate::ge:
    return arith::CmpFPredicate::OGE;
  }
  llvm_unreachable("unknown compare predicate");
}

/// Returns the signed arith.cmpi predicate of `predicate`.
static arith::CmpIPredicate getIntPredicate(nn::ComparePredicate predicate) {
  switch (predicate) {
  case nn::ComparePredicate::eq:
    return arith::CmpIPredicate::eq;
  case nn::ComparePredicate::ne:
    return arith::CmpIPredicate::ne;
  case nn::ComparePredicate::lt:
    return arith::CmpIPredicate::slt;
  case nn::ComparePredicate::le:
    return arith::CmpIPredicate::sle;
  case nn::ComparePredicate::gt:
    return arith::CmpIPredicate::sgt;
  case nn::ComparePredicate::ge:
    return arith::CmpIPredicate::sge;
  }
  llvm_unreachable("unknown compare predicate");
}

/// `nn.compare <pred>, %a, %b` -> broadcasting `linalg.generic` yielding
/// `arith.cmpf` (f32) or signed `arith.cmpi` (i32/i64).
struct CompareOpLowering : public OpConversionPattern<nn::CompareOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::CompareOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    nn::ComparePredicate predicate = op.getPredicate();
    bool isFloat = isa<FloatType>(
        cast<RankedTensorType>(adaptor.getLhs().getType()).getElementType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isFloat)
            return b.create<arith::CmpFOp>(loc, getFloatPredicate(predicate),
                                           args[0], args[1]);
          return b.create<arith::CmpIOp>(loc, getIntPredicate(predicate),
                                         args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `nn.select %c, %t, %f` -> broadcasting `linalg.generic` yielding
/// `arith.select`.
struct SelectOpLowering : public OpConversionPattern<nn::SelectOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::SelectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type,
        {adaptor.getCondition(), adaptor.getOnTrue(), adaptor.getOnFalse()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return b.create<arith::SelectOp>(loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::populateNNElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<UnaryOpLowering<nn::NegOp>, UnaryOpLowering<nn::AbsOp>,
               UnaryOpLowering<nn::ExpOp>, UnaryOpLowering<nn::LogOp>,
               UnaryOpLowering<nn::SqrtOp>, UnaryOpLowering<nn::RsqrtOp>,
               UnaryOpLowering<nn::ReluOp>, UnaryOpLowering<nn::SigmoidOp>,
               UnaryOpLowering<nn::TanhOp>, UnaryOpLowering<nn::LeakyReluOp>,
               UnaryOpLowering<nn::EluOp>>(context);
  patterns.add<BinaryOpLowering<nn::AddOp>, BinaryOpLowering<nn::SubOp>,
               BinaryOpLowering<nn::MulOp>, BinaryOpLowering<nn::DivOp>,
               BinaryOpLowering<nn::PowOp>, BinaryOpLowering<nn::MaximumOp>,
               BinaryOpLowering<nn::MinimumOp>>(context);
  patterns.add<CompareOpLowering, SelectOpLowering>(context);
}
