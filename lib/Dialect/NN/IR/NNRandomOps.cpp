//===- NNRandomOps.cpp - dropout and random_normal ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers (numbered constraints, see docs/Spec.md) of dropout and
// random_normal (NNRandomOps.td), and dropout's reverse-mode rule
// (docs/Autodiff.md): in training, the same dropout (same key, seed and
// rate, so the same mask and scale) applied to the cotangent; in
// evaluation, the cotangent itself. The key is an integer and gets no
// gradient. random_normal has no differentiable operand and no rule.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"

#include <cmath>
#include <cstdio>
#include <string>

using namespace mlir;
using namespace kiln::nn;

/// Formats `value` like printf's `%g` (`0.1`, `1e-05`, `inf`).
static std::string formatValue(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

//===----------------------------------------------------------------------===//
// DropoutOp
//===----------------------------------------------------------------------===//

LogicalResult DropoutOp::verify() {
  double rate = getRate().convertToDouble();
  if (!std::isfinite(rate) || rate < 0 || rate >= 1)
    return emitOpError("(dropout_c1) 'rate' must be finite and in [0, 1), "
                       "got ")
           << formatValue(rate);
  return success();
}

/// Training: the same mask and scale on the cotangent. Evaluation: the
/// identity. The key gets no gradient.
SmallVector<Value> DropoutOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  assert(cts.size() == 1 && cts[0] && "missing cotangent");
  Value ct = cts[0];
  SmallVector<Value> grads;
  if (getTraining())
    grads.push_back(b.create<DropoutOp>(getLoc(), ct.getType(), ct, getKey(),
                                        getRateAttr(), getSeedAttr(),
                                        getTrainingAttr()));
  else
    grads.push_back(ct);
  if (getKey())
    grads.push_back(Value());
  return grads;
}

//===----------------------------------------------------------------------===//
// RandomNormalOp
//===----------------------------------------------------------------------===//

LogicalResult RandomNormalOp::verify() {
  double mean = getMean().convertToDouble();
  double stddev = getStddev().convertToDouble();
  if (!std::isfinite(mean))
    return emitOpError("(random_normal_c1) 'mean' must be finite, got ")
           << formatValue(mean);
  if (!std::isfinite(stddev) || stddev < 0)
    return emitOpError("(random_normal_c1) 'stddev' must be finite and >= 0, "
                       "got ")
           << formatValue(stddev);
  return success();
}
