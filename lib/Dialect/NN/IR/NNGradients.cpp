//===- NNGradients.cpp - reverse-mode rules of the nn ops -----------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The vector-Jacobian product of every differentiable nn op, implemented
// through `DifferentiableOpInterface`. This file is the only place that holds
// these rules; `kiln-autodiff` composes them and docs/Autodiff.md lists them.
// Every rule builds `nn` ops only, with the location of the op it
// differentiates, and returns a null value for operands that have no
// gradient (integer tensors and `i1` masks).
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mlir;
using namespace kiln::nn;

#include "kiln/Dialect/NN/IR/NNInterfaces.cpp.inc"

namespace {

/// Builds the nn ops of one rule at one location. Every helper infers its
/// result type from its operands, so that rules read like their formulas.
class RuleBuilder {
public:
  RuleBuilder(OpBuilder &builder, Operation *op)
      : b(builder), loc(op->getLoc()) {}

  static ArrayRef<int64_t> shapeOf(Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  }
  static bool isFloat(Value v) {
    return isa<FloatType>(cast<RankedTensorType>(v.getType()).getElementType());
  }

  /// A splat f32 constant of `shape`.
  Value splat(ArrayRef<int64_t> shape, double value) {
    auto type = RankedTensorType::get(shape, b.getF32Type());
    return b.create<ConstantOp>(
        loc, DenseElementsAttr::get(type, b.getF32FloatAttr(value)));
  }
  /// A rank-0 f32 constant; broadcasts against any f32 tensor.
  Value scalar(double value) { return splat({}, value); }

  Value add(Value x, Value y) { return b.create<AddOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<SubOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<MulOp>(loc, x, y); }
  Value mul(Value x, double y) { return mul(x, scalar(y)); }
  Value div(Value x, Value y) { return b.create<DivOp>(loc, x, y); }
  Value neg(Value x) { return b.create<NegOp>(loc, x); }
  Value exp(Value x) { return b.create<ExpOp>(loc, x); }
  Value log(Value x) { return b.create<LogOp>(loc, x); }
  Value pow(Value x, Value y) { return b.create<PowOp>(loc, x, y); }
  Value compare(ComparePredicate predicate, Value x, Value y) {
    return b.create<CompareOp>(loc, predicate, x, y);
  }
  Value select(Value condition, Value onTrue, Value onFalse) {
    return b.create<SelectOp>(loc, condition, onTrue, onFalse);
  }
  Value matmul(Value x, Value y) { return b.create<MatmulOp>(loc, x, y); }
  Value transpose(Value x, ArrayRef<int64_t> perm) {
    return b.create<TransposeOp>(loc, x, perm);
  }
  Value reduceSum(Value x, ArrayRef<int64_t> axes, bool keepDims) {
    return b.create<ReduceSumOp>(loc, x, axes, keepDims);
  }
  Value concat(ValueRange inputs, int64_t axis) {
    if (inputs.size() == 1)
      return inputs.front();
    return b.create<ConcatOp>(loc, inputs, axis);
  }
  Value slice(Value x, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
              ArrayRef<int64_t> strides) {
    return b.create<SliceOp>(loc, x, offsets, sizes, strides);
  }
  /// Reshapes `x` to `shape`, or returns it when it already has that shape.
  Value reshape(Value x, ArrayRef<int64_t> shape) {
    auto type = cast<RankedTensorType>(x.getType());
    if (type.getShape() == shape)
      return x;
    return b.create<ReshapeOp>(loc, type.clone(shape), x);
  }
  /// Broadcasts `x` to `shape`, or returns it when it already has that shape.
  Value broadcastTo(Value x, ArrayRef<int64_t> shape) {
    auto type = cast<RankedTensorType>(x.getType());
    if (type.getShape() == shape)
      return x;
    return b.create<BroadcastToOp>(loc, type.clone(shape), x);
  }
  /// `cotangent` where `condition` holds and 0 elsewhere.
  Value maskedOrZero(Value condition, Value cotangent) {
    return select(condition, cotangent, scalar(0.0));
  }

  /// Reverses NumPy broadcasting: sums `cotangent` (of the broadcast result
  /// shape) over the leading dimensions that `operandType` lacks and over the
  /// dimensions where the operand has size 1, then reshapes the sum to the
  /// operand's shape.
  Value unbroadcast(Value cotangent, Type operandType) {
    ArrayRef<int64_t> from = shapeOf(cotangent);
    ArrayRef<int64_t> to = cast<RankedTensorType>(operandType).getShape();
    if (from == to)
      return cotangent;
    int64_t lead = from.size() - to.size();
    SmallVector<int64_t> axes;
    for (int64_t i = 0, e = from.size(); i < e; ++i)
      if (i < lead || (to[i - lead] == 1 && from[i] != 1))
        axes.push_back(i);
    Value sum = cotangent;
    if (!axes.empty())
      sum = reduceSum(cotangent, axes, /*keepDims=*/true);
    return reshape(sum, to);
  }

  /// `shape` with each dimension in `axes` set to 1.
  static SmallVector<int64_t> keptShape(ArrayRef<int64_t> shape,
                                        ArrayRef<int64_t> axes) {
    SmallVector<int64_t> kept(shape);
    for (int64_t axis : axes)
      kept[axis] = 1;
    return kept;
  }

  OpBuilder &b;
  Location loc;
};

/// Returns `cotangents[0]`, the only cotangent of a single-result op. The
/// interface guarantees that it is non-null.
Value singleCotangent(ArrayRef<Value> cotangents) {
  assert(cotangents.size() == 1 && cotangents[0] && "missing cotangent");
  return cotangents[0];
}

/// Loss scale: 1/count under `mean`, 1 under `sum`.
double lossScale(Reduction reduction, int64_t count) {
  return reduction == Reduction::mean ? 1.0 / static_cast<double>(count) : 1.0;
}

} // namespace

//===----------------------------------------------------------------------===//
// Elementwise unary ops and activations
//===----------------------------------------------------------------------===//

SmallVector<Value> NegOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  return {r.neg(singleCotangent(cts))};
}

/// d|x| = sign(x); the subgradient at 0 is 0.
SmallVector<Value> AbsOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  Value zero = r.scalar(0.0);
  Value positive = r.compare(ComparePredicate::gt, getInput(), zero);
  Value negative = r.compare(ComparePredicate::lt, getInput(), zero);
  return {r.select(positive, ct, r.select(negative, r.neg(ct), zero))};
}

/// d e^x = e^x = y.
SmallVector<Value> ExpOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  return {r.mul(singleCotangent(cts), getResult())};
}

/// d ln(x) = 1 / x.
SmallVector<Value> LogOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  return {r.div(singleCotangent(cts), getInput())};
}

/// d sqrt(x) = 1 / (2 sqrt(x)) = 0.5 / y.
SmallVector<Value> SqrtOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  return {r.div(r.mul(singleCotangent(cts), 0.5), getResult())};
}

/// d x^-1/2 = -1/2 x^-3/2 = -0.5 y^3.
SmallVector<Value> RsqrtOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value y = getResult();
  Value cube = r.mul(r.mul(y, y), y);
  return {r.mul(r.mul(singleCotangent(cts), -0.5), cube)};
}

/// d relu(x) = 1 where x > 0, else 0 (also at x = 0).
SmallVector<Value> ReluOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value positive = r.compare(ComparePredicate::gt, getInput(), r.scalar(0.0));
  return {r.maskedOrZero(positive, singleCotangent(cts))};
}

/// d sigmoid(x) = y (1 - y).
SmallVector<Value> SigmoidOp::buildVJP(OpBuilder &builder,
                                       ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value y = getResult();
  return {r.mul(singleCotangent(cts), r.mul(y, r.sub(r.scalar(1.0), y)))};
}

/// d tanh(x) = 1 - y^2.
SmallVector<Value> TanhOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value y = getResult();
  return {r.mul(singleCotangent(cts), r.sub(r.scalar(1.0), r.mul(y, y)))};
}

/// 1 where x > 0, else alpha (also at x = 0).
SmallVector<Value> LeakyReluOp::buildVJP(OpBuilder &builder,
                                         ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  Value positive = r.compare(ComparePredicate::gt, getInput(), r.scalar(0.0));
  return {r.select(positive, ct, r.mul(ct, getAlphaAttr().getValueAsDouble()))};
}

/// 1 where x > 0, else alpha e^x = y + alpha (also at x = 0).
SmallVector<Value> EluOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  Value positive = r.compare(ComparePredicate::gt, getInput(), r.scalar(0.0));
  Value negativeSlope =
      r.add(getResult(), r.scalar(getAlphaAttr().getValueAsDouble()));
  return {r.select(positive, ct, r.mul(ct, negativeSlope))};
}

/// dx = y * (ct - sum_axis(ct * y)).
SmallVector<Value> SoftmaxOp::buildVJP(OpBuilder &builder,
                                       ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  Value y = getResult();
  int64_t axis = getAxis();
  Value dot = r.reduceSum(r.mul(ct, y), {axis}, /*keepDims=*/true);
  return {r.mul(y, r.sub(ct, dot))};
}

/// dx = ct - e^y * sum_axis(ct).
SmallVector<Value> LogSoftmaxOp::buildVJP(OpBuilder &builder,
                                          ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  int64_t axis = getAxis();
  Value total = r.reduceSum(ct, {axis}, /*keepDims=*/true);
  return {r.sub(ct, r.mul(r.exp(getResult()), total))};
}

//===----------------------------------------------------------------------===//
// Broadcasting binary ops and select
//===----------------------------------------------------------------------===//

SmallVector<Value> AddOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  return {r.unbroadcast(ct, getLhs().getType()),
          r.unbroadcast(ct, getRhs().getType())};
}

SmallVector<Value> SubOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  return {r.unbroadcast(ct, getLhs().getType()),
          r.unbroadcast(r.neg(ct), getRhs().getType())};
}

SmallVector<Value> MulOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  return {r.unbroadcast(r.mul(ct, getRhs()), getLhs().getType()),
          r.unbroadcast(r.mul(ct, getLhs()), getRhs().getType())};
}

/// z = x / y: dx = ct / y, dy = -ct * z / y.
SmallVector<Value> DivOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  Value y = getRhs();
  return {r.unbroadcast(r.div(ct, y), getLhs().getType()),
          r.unbroadcast(r.neg(r.div(r.mul(ct, getResult()), y)), y.getType())};
}

/// z = x^y: dx = ct * y * x^(y - 1), dy = ct * z * ln(x).
SmallVector<Value> PowOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  Value x = getLhs(), y = getRhs();
  Value dx = r.mul(ct, r.mul(y, r.pow(x, r.sub(y, r.scalar(1.0)))));
  Value dy = r.mul(ct, r.mul(getResult(), r.log(x)));
  return {r.unbroadcast(dx, x.getType()), r.unbroadcast(dy, y.getType())};
}

/// Routes the cotangent of a maximum or minimum to the operand it selected;
/// `lhsWins` holds where that is the left operand (ties included).
static SmallVector<Value> routeByMask(RuleBuilder &r, Value ct, Value lhsWins,
                                      Value lhs, Value rhs) {
  Value zero = r.scalar(0.0);
  return {r.unbroadcast(r.select(lhsWins, ct, zero), lhs.getType()),
          r.unbroadcast(r.select(lhsWins, zero, ct), rhs.getType())};
}

/// The cotangent goes to x where x >= y (ties go to the left operand).
SmallVector<Value> MaximumOp::buildVJP(OpBuilder &builder,
                                       ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value lhsWins = r.compare(ComparePredicate::ge, getLhs(), getRhs());
  return routeByMask(r, singleCotangent(cts), lhsWins, getLhs(), getRhs());
}

/// The cotangent goes to x where x <= y (ties go to the left operand).
SmallVector<Value> MinimumOp::buildVJP(OpBuilder &builder,
                                       ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value lhsWins = r.compare(ComparePredicate::le, getLhs(), getRhs());
  return routeByMask(r, singleCotangent(cts), lhsWins, getLhs(), getRhs());
}

/// The condition is a mask and has no gradient.
SmallVector<Value> SelectOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  Value zero = r.scalar(0.0);
  Value cond = getCondition();
  return {Value(),
          r.unbroadcast(r.select(cond, ct, zero), getOnTrue().getType()),
          r.unbroadcast(r.select(cond, zero, ct), getOnFalse().getType())};
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

/// C = A B: dA = dC B^T, dB = A^T dC (per batch for rank 3).
SmallVector<Value> MatmulOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  SmallVector<int64_t> swap = {1, 0};
  if (RuleBuilder::shapeOf(getLhs()).size() == 3)
    swap = {0, 2, 1};
  return {r.matmul(ct, r.transpose(getRhs(), swap)),
          r.matmul(r.transpose(getLhs(), swap), ct)};
}

/// Transposes the cotangent back with the inverse permutation.
SmallVector<Value> TransposeOp::buildVJP(OpBuilder &builder,
                                         ArrayRef<Value> cts) {
  if (!RuleBuilder::isFloat(getInput()))
    return {Value()};
  RuleBuilder r(builder, *this);
  ArrayRef<int64_t> perm = getPerm();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = i;
  return {r.transpose(singleCotangent(cts), inverse)};
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

SmallVector<Value> ReshapeOp::buildVJP(OpBuilder &builder,
                                       ArrayRef<Value> cts) {
  if (!RuleBuilder::isFloat(getInput()))
    return {Value()};
  RuleBuilder r(builder, *this);
  return {r.reshape(singleCotangent(cts), RuleBuilder::shapeOf(getInput()))};
}

/// Sums the cotangent over the broadcast dimensions.
SmallVector<Value> BroadcastToOp::buildVJP(OpBuilder &builder,
                                           ArrayRef<Value> cts) {
  if (!RuleBuilder::isFloat(getInput()))
    return {Value()};
  RuleBuilder r(builder, *this);
  return {r.unbroadcast(singleCotangent(cts), getInput().getType())};
}

/// Each input receives its slice of the cotangent along the axis.
SmallVector<Value> ConcatOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value ct = singleCotangent(cts);
  ArrayRef<int64_t> shape = RuleBuilder::shapeOf(ct);
  int64_t axis = getAxis();
  SmallVector<int64_t> offsets(shape.size(), 0), strides(shape.size(), 1);
  SmallVector<Value> grads;
  for (Value input : getInputs()) {
    ArrayRef<int64_t> sizes = RuleBuilder::shapeOf(input);
    if (RuleBuilder::isFloat(input))
      grads.push_back(r.slice(ct, offsets, sizes, strides));
    else
      grads.push_back(Value());
    offsets[axis] += sizes[axis];
  }
  return grads;
}

/// Scatters the cotangent back into a zero tensor of the input's shape, one
/// dimension at a time, with existing ops only: for stride `s > 1`, zeros
/// are interleaved after each element (reshape to `[.., n, 1, ..]`, concat
/// with zeros `[.., n, s - 1, ..]`, reshape to `[.., n * s, ..]`, trimmed to
/// the input's extent); then zeros are concatenated before the offset and
/// after the last element.
SmallVector<Value> SliceOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  if (!RuleBuilder::isFloat(getInput()))
    return {Value()};
  RuleBuilder r(builder, *this);
  Value grad = singleCotangent(cts);
  ArrayRef<int64_t> inputShape = RuleBuilder::shapeOf(getInput());
  SmallVector<int64_t> shape(RuleBuilder::shapeOf(grad));
  int64_t rank = shape.size();
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = inputShape[d], offset = getOffsets()[d];
    int64_t count = shape[d], stride = getStrides()[d];
    if (stride > 1 && count > 1) {
      SmallVector<int64_t> split(shape);
      split.insert(split.begin() + d + 1, 1);
      SmallVector<int64_t> gap(split);
      gap[d + 1] = stride - 1;
      grad = r.concat({r.reshape(grad, split), r.splat(gap, 0.0)}, d + 1);
      shape[d] = count * stride;
      grad = r.reshape(grad, shape);
      int64_t extent = std::min(shape[d], dim - offset);
      if (extent < shape[d]) {
        SmallVector<int64_t> sizes(shape);
        sizes[d] = extent;
        grad = r.slice(grad, SmallVector<int64_t>(rank, 0), sizes,
                       SmallVector<int64_t>(rank, 1));
        shape[d] = extent;
      }
    }
    SmallVector<Value> pieces;
    int64_t after = dim - offset - shape[d];
    if (offset > 0) {
      SmallVector<int64_t> before(shape);
      before[d] = offset;
      pieces.push_back(r.splat(before, 0.0));
    }
    pieces.push_back(grad);
    if (after > 0) {
      SmallVector<int64_t> tail(shape);
      tail[d] = after;
      pieces.push_back(r.splat(tail, 0.0));
    }
    grad = r.concat(pieces, d);
    shape[d] = dim;
  }
  return {grad};
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Broadcasts the cotangent back over the reduced axes.
SmallVector<Value> ReduceSumOp::buildVJP(OpBuilder &builder,
                                         ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  ArrayRef<int64_t> shape = RuleBuilder::shapeOf(getInput());
  Value kept =
      r.reshape(singleCotangent(cts), RuleBuilder::keptShape(shape, getAxes()));
  return {r.broadcastTo(kept, shape)};
}

/// Broadcasts the cotangent back over the reduced axes, divided by the
/// number of reduced elements.
SmallVector<Value> ReduceMeanOp::buildVJP(OpBuilder &builder,
                                          ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  ArrayRef<int64_t> shape = RuleBuilder::shapeOf(getInput());
  int64_t count = 1;
  for (int64_t axis : getAxes())
    count *= shape[axis];
  Value kept =
      r.reshape(singleCotangent(cts), RuleBuilder::keptShape(shape, getAxes()));
  return {r.broadcastTo(r.mul(kept, 1.0 / static_cast<double>(count)), shape)};
}

/// The cotangent goes to the positions that equal the maximum; when several
/// do (ties), they share it equally, so the gradient still sums to the
/// cotangent.
SmallVector<Value> ReduceMaxOp::buildVJP(OpBuilder &builder,
                                         ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  ArrayRef<int64_t> shape = RuleBuilder::shapeOf(getInput());
  SmallVector<int64_t> keptShape = RuleBuilder::keptShape(shape, getAxes());
  Value maximum = r.reshape(getResult(), keptShape);
  Value isMax = r.compare(ComparePredicate::eq, getInput(), maximum);
  Value ones = r.select(isMax, r.scalar(1.0), r.scalar(0.0));
  Value ties = r.reduceSum(ones, getAxes(), /*keepDims=*/true);
  Value share = r.div(r.reshape(singleCotangent(cts), keptShape), ties);
  return {r.maskedOrZero(isMax, share)};
}

//===----------------------------------------------------------------------===//
// Leaves
//===----------------------------------------------------------------------===//

/// A constant has no operands; the autodiff stops here.
SmallVector<Value> ConstantOp::buildVJP(OpBuilder &, ArrayRef<Value>) {
  return {};
}

/// A parameter has no operands; its cotangent is its gradient.
SmallVector<Value> ParamOp::buildVJP(OpBuilder &, ArrayRef<Value>) {
  return {};
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// d/dpred = ct * 2 (pred - target) * scale, d/dtarget = -d/dpred.
SmallVector<Value> MseOp::buildVJP(OpBuilder &builder, ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  int64_t count = cast<RankedTensorType>(getPred().getType()).getNumElements();
  Value factor =
      r.mul(singleCotangent(cts), 2.0 * lossScale(getReduction(), count));
  Value dPred = r.mul(factor, r.sub(getPred(), getTarget()));
  return {dPred, r.neg(dPred)};
}

/// d/dlogits = ct * (softmax(logits) - onehot(labels)) * scale; the one-hot
/// mask compares the labels `[N, 1]` against a constant `[0 .. C-1]` of the
/// labels' element type. Labels have no gradient.
SmallVector<Value> CrossEntropyOp::buildVJP(OpBuilder &builder,
                                            ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  ArrayRef<int64_t> shape = RuleBuilder::shapeOf(getLogits());
  int64_t batch = shape[0], classes = shape[1];
  auto labelType = cast<RankedTensorType>(getLabels().getType());
  unsigned width = labelType.getElementTypeBitWidth();
  SmallVector<APInt> iota;
  for (int64_t c = 0; c < classes; ++c)
    iota.push_back(APInt(width, c));
  auto iotaType =
      RankedTensorType::get({1, classes}, labelType.getElementType());
  Value classIds =
      builder.create<ConstantOp>(r.loc, DenseElementsAttr::get(iotaType, iota));
  Value isLabel = r.compare(ComparePredicate::eq,
                            r.reshape(getLabels(), {batch, 1}), classIds);
  Value probs = builder.create<SoftmaxOp>(r.loc, getLogits(), 1);
  Value diff = r.select(isLabel, r.sub(probs, r.scalar(1.0)), probs);
  Value factor = r.mul(singleCotangent(cts), lossScale(getReduction(), batch));
  return {r.mul(factor, diff), Value()};
}

/// d/dx = ct * (sigmoid(x) - t) * scale, d/dt = ct * -x * scale.
SmallVector<Value> BinaryCrossEntropyOp::buildVJP(OpBuilder &builder,
                                                  ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  int64_t count =
      cast<RankedTensorType>(getLogits().getType()).getNumElements();
  Value factor = r.mul(singleCotangent(cts), lossScale(getReduction(), count));
  Value probs = builder.create<SigmoidOp>(r.loc, getLogits());
  return {r.mul(factor, r.sub(probs, getTargets())),
          r.mul(factor, r.neg(getLogits()))};
}

//===----------------------------------------------------------------------===//
// Penalties
//===----------------------------------------------------------------------===//

/// d/dw lambda * sum|w| = ct * lambda * sign(w); the subgradient at 0 is 0.
SmallVector<Value> L1PenaltyOp::buildVJP(OpBuilder &builder,
                                         ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value scaled = r.mul(singleCotangent(cts), getLambda().convertToDouble());
  Value zero = r.scalar(0.0);
  Value positive = r.compare(ComparePredicate::gt, getInput(), zero);
  Value negative = r.compare(ComparePredicate::lt, getInput(), zero);
  Value sign = r.select(positive, r.scalar(1.0),
                        r.select(negative, r.scalar(-1.0), zero));
  return {r.mul(scaled, sign)};
}

/// d/dw lambda * sum(w^2) = ct * 2 * lambda * w.
SmallVector<Value> L2PenaltyOp::buildVJP(OpBuilder &builder,
                                         ArrayRef<Value> cts) {
  RuleBuilder r(builder, *this);
  Value scaled =
      r.mul(singleCotangent(cts), 2.0 * getLambda().convertToDouble());
  return {r.mul(scaled, getInput())};
}
