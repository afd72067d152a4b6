//===- NNOptimizerOps.cpp - nn optimizer and penalty ops ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers of the learning-rate schedule, parameter update and penalty ops
// (numbered constraints, see docs/Spec.md). The same-type constraints
// (`<op>_c1` of the update ops) are ODS traits declared in NNOptimizerOps.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

using namespace mlir;
using namespace kiln::nn;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Formats `value` like printf's `%g` (`0.1`, `1e-08`, `inf`).
static std::string formatValue(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

namespace {

/// Checks the f64 hyperparameters of one op against one numbered constraint.
class HyperparameterChecker {
public:
  HyperparameterChecker(Operation *op, StringRef constraint)
      : op(op), constraint(constraint) {}

  /// Requires `value` to be finite and within [low, high] (or below `high`
  /// when `openHigh`).
  HyperparameterChecker &inRange(StringRef name, double value, double low,
                                 double high = kInfinity,
                                 bool openHigh = false) {
    if (failed)
      return *this;
    bool ok = std::isfinite(value) && value >= low &&
              (openHigh ? value < high : value <= high);
    if (ok)
      return *this;
    failed = true;
    InFlightDiagnostic diag = op->emitOpError() << "(" << constraint << ") '"
                                                << name << "' must be finite";
    if (low != -kInfinity)
      diag << " and >= " << formatValue(low);
    if (high != kInfinity)
      diag << (openHigh ? " and < " : " and <= ") << formatValue(high);
    diag << ", got " << formatValue(value);
    return *this;
  }

  LogicalResult result() const { return failure(failed); }

private:
  Operation *op;
  StringRef constraint;
  bool failed = false;
};

} // namespace

//===----------------------------------------------------------------------===//
// LRScheduleOp
//===----------------------------------------------------------------------===//

LogicalResult LRScheduleOp::verify() {
  if (failed(HyperparameterChecker(*this, "lr_schedule_c1")
                 .inRange("lr", getLr().convertToDouble(), 0.0)
                 .result()))
    return failure();
  LRScheduleKind kind = getKind();
  bool isStep = kind == LRScheduleKind::step;
  bool isCosine = kind == LRScheduleKind::cosine;
  auto expect = [&](bool present, bool wanted,
                    StringRef name) -> LogicalResult {
    if (present == wanted)
      return success();
    if (wanted)
      return emitOpError("(lr_schedule_c2) '")
             << stringifyLRScheduleKind(kind) << "' needs attribute '" << name
             << "'";
    return emitOpError("(lr_schedule_c2) '")
           << stringifyLRScheduleKind(kind) << "' does not take attribute '"
           << name << "'";
  };
  if (failed(expect(getStepSize().has_value(), isStep, "step_size")) ||
      failed(expect(getGamma().has_value(), isStep, "gamma")) ||
      failed(expect(getTotalSteps().has_value(), isCosine, "total_steps")) ||
      (!isCosine && failed(expect(getMinLr().has_value(), false, "min_lr"))))
    return failure();
  if (isStep && *getStepSize() < 1)
    return emitOpError("(lr_schedule_c3) 'step_size' must be >= 1, got ")
           << *getStepSize();
  if (isCosine && *getTotalSteps() < 1)
    return emitOpError("(lr_schedule_c3) 'total_steps' must be >= 1, got ")
           << *getTotalSteps();
  HyperparameterChecker check(*this, "lr_schedule_c3");
  if (isStep)
    check.inRange("gamma", getGamma()->convertToDouble(), 0.0);
  if (isCosine && getMinLr())
    check.inRange("min_lr", getMinLr()->convertToDouble(), 0.0,
                  getLr().convertToDouble());
  return check.result();
}

//===----------------------------------------------------------------------===//
// Parameter updates
//===----------------------------------------------------------------------===//

LogicalResult SGDOp::verify() {
  return HyperparameterChecker(*this, "sgd_c2")
      .inRange("weight_decay", getWeightDecay().convertToDouble(), 0.0)
      .result();
}

LogicalResult MomentumOp::verify() {
  double momentum = getMomentum().convertToDouble();
  double dampening = getDampening().convertToDouble();
  if (failed(
          HyperparameterChecker(*this, "momentum_c2")
              .inRange("momentum", momentum, 0.0)
              .inRange("dampening", dampening, -kInfinity)
              .inRange("weight_decay", getWeightDecay().convertToDouble(), 0.0)
              .result()))
    return failure();
  if (getNesterov() && (momentum <= 0.0 || dampening != 0.0))
    return emitOpError("(momentum_c3) 'nesterov' needs momentum > 0 and "
                       "dampening == 0, got momentum ")
           << formatValue(momentum) << " and dampening "
           << formatValue(dampening);
  return success();
}

LogicalResult RMSPropOp::verify() {
  return HyperparameterChecker(*this, "rmsprop_c2")
      .inRange("alpha", getAlpha().convertToDouble(), 0.0, 1.0)
      .inRange("eps", getEps().convertToDouble(), 0.0)
      .inRange("weight_decay", getWeightDecay().convertToDouble(), 0.0)
      .result();
}

/// Shared verifier of nn.adam and nn.adamw (`<op>_c2`).
template <typename OpTy>
static LogicalResult verifyAdam(OpTy op, StringRef constraint) {
  return HyperparameterChecker(op, constraint)
      .inRange("beta1", op.getBeta1().convertToDouble(), 0.0, 1.0,
               /*openHigh=*/true)
      .inRange("beta2", op.getBeta2().convertToDouble(), 0.0, 1.0,
               /*openHigh=*/true)
      .inRange("eps", op.getEps().convertToDouble(), 0.0)
      .inRange("weight_decay", op.getWeightDecay().convertToDouble(), 0.0)
      .result();
}

LogicalResult AdamOp::verify() { return verifyAdam(*this, "adam_c2"); }

LogicalResult AdamWOp::verify() { return verifyAdam(*this, "adamw_c2"); }

//===----------------------------------------------------------------------===//
// Penalties
//===----------------------------------------------------------------------===//

LogicalResult L1PenaltyOp::verify() {
  return HyperparameterChecker(*this, "l1_penalty_c1")
      .inRange("lambda", getLambda().convertToDouble(), 0.0)
      .result();
}

LogicalResult L2PenaltyOp::verify() {
  return HyperparameterChecker(*this, "l2_penalty_c1")
      .inRange("lambda", getLambda().convertToDouble(), 0.0)
      .result();
}
