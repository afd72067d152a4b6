//===- NNLossOps.cpp - focal, triplet and KL losses -----------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers (numbered constraints, see docs/Spec.md) and reverse-mode rules
// (DifferentiableOpInterface, see docs/Autodiff.md) of the losses declared in
// NNLossOps.td. Every rule is composed of existing nn ops, with the location
// of the op it differentiates; labels get no gradient. With
// `scale = ct / N` under `mean` and `ct` under `sum`:
//
//   focal_loss           dx = scale * alpha * g_n * (softmax(x) - onehot(y))
//                        g_n = (1 - p_y)^gamma
//                              * (1 - gamma * p_y * log(p_y) / (1 - p_y))
//                        (the ratio read as its limit -1 where p_y = 1)
//   triplet_margin_loss  u = a - p + eps, v = a - n + eps,
//                        active_n = (|u| - |v| + margin >= 0)
//                        da = s (u / |u| - v / |v|), dp = -s u / |u|,
//                        dn = s v / |v|, s = scale * active_n, and a term
//                        is 0 where its distance is 0 (PyTorch's choices)
//   kl_divergence        dmu = scale * mu,
//                        dlogvar = scale * 0.5 * (exp(logvar) - 1)
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstdio>
#include <string>

using namespace mlir;
using namespace kiln::nn;

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

/// Formats a shape as `4x8` (or `scalar` for rank 0) for diagnostics.
static std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s;
}

/// Formats `value` like printf's `%g` (`0.1`, `1e-08`, `inf`).
static std::string formatValue(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

/// Checks the hyperparameter `name` of `op`: finite and `>= 0` (or `> 0`
/// when `positive`), constraint `constraint`.
static LogicalResult checkHyperparameter(Operation *op, StringRef constraint,
                                         StringRef name, APFloat attr,
                                         bool positive) {
  double value = attr.convertToDouble();
  if (std::isfinite(value) && (positive ? value > 0.0 : value >= 0.0))
    return success();
  return op->emitOpError() << "(" << constraint << ") '" << name
                           << "' must be finite and "
                           << (positive ? "> 0" : ">= 0") << ", got "
                           << formatValue(value);
}

LogicalResult FocalLossOp::verify() {
  auto logits = getLogits().getType();
  auto labels = getLabels().getType();
  if (logits.getRank() != 2 || labels.getRank() != 1)
    return emitOpError("(focal_loss_c1) expects logits [N, C] and labels "
                       "[N], got ")
           << formatShape(logits.getShape()) << " and "
           << formatShape(labels.getShape());
  if (logits.getDimSize(0) != labels.getDimSize(0))
    return emitOpError("(focal_loss_c2) batch sizes differ: ")
           << logits.getDimSize(0) << " logits rows vs " << labels.getDimSize(0)
           << " labels";
  if (failed(checkHyperparameter(*this, "focal_loss_c3", "gamma", getGamma(),
                                 /*positive=*/false)))
    return failure();
  return checkHyperparameter(*this, "focal_loss_c4", "alpha", getAlpha(),
                             /*positive=*/true);
}

LogicalResult TripletMarginLossOp::verify() {
  auto anchor = getAnchor().getType();
  if (anchor.getRank() != 2)
    return emitOpError("(triplet_margin_loss_c1) expects anchor [N, D], got ")
           << formatShape(anchor.getShape());
  for (auto [name, value] : {std::pair<StringRef, Value>{"positive",
                                                         getPositive()},
                             {"negative", getNegative()}}) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getShape() != anchor.getShape())
      return emitOpError("(triplet_margin_loss_c2) ")
             << name << " has shape " << formatShape(type.getShape())
             << " but the anchor has shape " << formatShape(anchor.getShape());
  }
  if (failed(checkHyperparameter(*this, "triplet_margin_loss_c3", "margin",
                                 getMargin(), /*positive=*/false)))
    return failure();
  return checkHyperparameter(*this, "triplet_margin_loss_c4", "eps", getEps(),
                             /*positive=*/false);
}

LogicalResult KLDivergenceOp::verify() {
  auto mu = getMu().getType();
  auto logvar = getLogvar().getType();
  if (mu.getRank() != 2)
    return emitOpError("(kl_divergence_c1) expects mu [N, Z], got ")
           << formatShape(mu.getShape());
  if (logvar.getShape() != mu.getShape())
    return emitOpError("(kl_divergence_c2) logvar has shape ")
           << formatShape(logvar.getShape()) << " but mu has shape "
           << formatShape(mu.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// Gradient rules
//===----------------------------------------------------------------------===//

namespace {

/// Builds the nn ops of one rule at the location of the op it
/// differentiates; every helper infers its result type from its operands.
class LossRuleBuilder {
public:
  LossRuleBuilder(OpBuilder &builder, Operation *op)
      : b(builder), loc(op->getLoc()) {}

  /// A rank-0 f32 constant; broadcasts against any f32 tensor.
  Value scalar(double value) {
    auto type = RankedTensorType::get({}, b.getF32Type());
    return b.create<ConstantOp>(
        loc, DenseElementsAttr::get(type, b.getF32FloatAttr(value)));
  }

  Value add(Value x, Value y) { return b.create<AddOp>(loc, x, y); }
  Value add(Value x, double y) { return add(x, scalar(y)); }
  Value sub(Value x, Value y) { return b.create<SubOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<MulOp>(loc, x, y); }
  Value mul(Value x, double y) { return mul(x, scalar(y)); }
  Value div(Value x, Value y) { return b.create<DivOp>(loc, x, y); }
  Value pow(Value x, double y) { return b.create<PowOp>(loc, x, scalar(y)); }
  Value neg(Value x) { return b.create<NegOp>(loc, x); }
  Value exp(Value x) { return b.create<ExpOp>(loc, x); }
  Value sqrt(Value x) { return b.create<SqrtOp>(loc, x); }
  Value compare(ComparePredicate predicate, Value x, Value y) {
    return b.create<CompareOp>(loc, predicate, x, y);
  }
  Value select(Value condition, Value onTrue, Value onFalse) {
    return b.create<SelectOp>(loc, condition, onTrue, onFalse);
  }
  /// The sum over the rows' second dimension, kept as `[N, 1]`.
  Value rowSum(Value x) {
    return b.create<ReduceSumOp>(loc, x, ArrayRef<int64_t>{1},
                                 /*keepdims=*/true);
  }
  /// `x / d` where `d > 0` and 0 elsewhere.
  Value divOrZero(Value x, Value d) {
    return select(compare(ComparePredicate::gt, d, scalar(0.0)), div(x, d),
                  scalar(0.0));
  }

  /// The i1 mask `[N, C]` that is true at `[n, labels[n]]`: the labels
  /// reshaped to `[N, 1]` compared with the constant `[[0, .., C-1]]` of
  /// the labels' element type.
  Value oneHot(Value labels, int64_t classes) {
    auto labelType = cast<RankedTensorType>(labels.getType());
    unsigned width = labelType.getElementTypeBitWidth();
    SmallVector<APInt> iota;
    for (int64_t c = 0; c < classes; ++c)
      iota.push_back(APInt(width, c));
    auto iotaType =
        RankedTensorType::get({1, classes}, labelType.getElementType());
    Value classIds =
        b.create<ConstantOp>(loc, DenseElementsAttr::get(iotaType, iota));
    Value column = b.create<ReshapeOp>(
        loc, labelType.clone({labelType.getDimSize(0), 1}), labels);
    return compare(ComparePredicate::eq, column, classIds);
  }

  OpBuilder &b;
  Location loc;
};

/// Returns the only cotangent of a single-result op, which the interface
/// guarantees to be non-null.
Value singleCotangent(ArrayRef<Value> cotangents) {
  assert(cotangents.size() == 1 && cotangents[0] && "missing cotangent");
  return cotangents[0];
}

/// `ct / batch` under `mean`, `ct` under `sum`.
Value scaledCotangent(LossRuleBuilder &r, ArrayRef<Value> cotangents,
                      Reduction reduction, int64_t batch) {
  Value ct = singleCotangent(cotangents);
  if (reduction == Reduction::sum)
    return ct;
  return r.mul(ct, 1.0 / static_cast<double>(batch));
}

} // namespace

/// dx = scale * alpha * g * (softmax(x) - onehot(labels)) with the per-row
/// factor g = (1 - p_y)^gamma * (1 - gamma * p_y * log(p_y) / (1 - p_y));
/// the ratio log(p_y) / (1 - p_y) is read as its limit -1 where p_y = 1.
/// g is 1 for gamma = 0 (cross-entropy's rule). Labels have no gradient.
SmallVector<Value> FocalLossOp::buildVJP(OpBuilder &builder,
                                         ArrayRef<Value> cts) {
  LossRuleBuilder r(builder, *this);
  ArrayRef<int64_t> shape = getLogits().getType().getShape();
  int64_t batch = shape[0], classes = shape[1];
  double gamma = getGamma().convertToDouble();
  double alpha = getAlpha().convertToDouble();

  Value isLabel = r.oneHot(getLabels(), classes);
  Value factor = scaledCotangent(r, cts, getReduction(), batch);
  if (alpha != 1.0)
    factor = r.mul(factor, alpha);
  auto softmaxMinusOneHot = [&](Value probs) {
    return r.select(isLabel, r.sub(probs, r.scalar(1.0)), probs);
  };
  if (gamma == 0.0) {
    Value probs = builder.create<SoftmaxOp>(r.loc, getLogits(), 1);
    return {r.mul(factor, softmaxMinusOneHot(probs)), Value()};
  }

  // p = exp(log_softmax(x)) shares the log-softmax with log p_y.
  Value logProbs = builder.create<LogSoftmaxOp>(r.loc, getLogits(), 1);
  Value diff = softmaxMinusOneHot(r.exp(logProbs));
  Value logPy = r.rowSum(r.select(isLabel, logProbs, r.scalar(0.0)));
  Value py = r.exp(logPy);
  Value q = r.sub(r.scalar(1.0), py);
  Value ratio = r.select(r.compare(ComparePredicate::gt, q, r.scalar(0.0)),
                         r.div(logPy, q), r.scalar(-1.0));
  Value g = r.mul(r.pow(q, gamma),
                  r.sub(r.scalar(1.0), r.mul(r.mul(py, gamma), ratio)));
  return {r.mul(r.mul(factor, g), diff), Value()};
}

/// With u = a - p + eps, v = a - n + eps and the hinge active where
/// |u| - |v| + margin >= 0 (PyTorch's clamp_min passes the gradient at 0):
/// da = s (u/|u| - v/|v|), dp = -s u/|u|, dn = s v/|v|, s = scale on
/// active rows and 0 elsewhere; u/|u| (v/|v|) is 0 where |u| (|v|) is 0.
SmallVector<Value> TripletMarginLossOp::buildVJP(OpBuilder &builder,
                                                 ArrayRef<Value> cts) {
  LossRuleBuilder r(builder, *this);
  int64_t batch = getAnchor().getType().getDimSize(0);
  double eps = getEps().convertToDouble();
  double margin = getMargin().convertToDouble();

  Value u = r.add(r.sub(getAnchor(), getPositive()), eps);
  Value v = r.add(r.sub(getAnchor(), getNegative()), eps);
  Value du = r.sqrt(r.rowSum(r.mul(u, u)));
  Value dv = r.sqrt(r.rowSum(r.mul(v, v)));
  Value hinge = r.add(r.sub(du, dv), margin);
  Value active = r.compare(ComparePredicate::ge, hinge, r.scalar(0.0));
  Value s = r.select(active, scaledCotangent(r, cts, getReduction(), batch),
                     r.scalar(0.0));
  Value gu = r.mul(r.divOrZero(s, du), u);
  Value gv = r.mul(r.divOrZero(s, dv), v);
  return {r.sub(gu, gv), r.neg(gu), gv};
}

/// dmu = scale * mu, dlogvar = scale * 0.5 * (exp(logvar) - 1).
SmallVector<Value> KLDivergenceOp::buildVJP(OpBuilder &builder,
                                            ArrayRef<Value> cts) {
  LossRuleBuilder r(builder, *this);
  int64_t batch = getMu().getType().getDimSize(0);
  Value scale = scaledCotangent(r, cts, getReduction(), batch);
  Value dMu = r.mul(scale, getMu());
  Value dLogvar =
      r.mul(r.mul(scale, 0.5), r.sub(r.exp(getLogvar()), r.scalar(1.0)));
  return {dMu, dLogvar};
}
