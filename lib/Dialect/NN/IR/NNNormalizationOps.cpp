//===- NNNormalizationOps.cpp - batch norm verifiers and rules ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers (numbered constraints, see docs/Spec.md) and reverse-mode rules
// of batch_norm, batch_norm_train and batch_norm_train_backward
// (NNNormalizationOps.td). The same-type constraints (`<op>_c2`, and `_c5`
// of the backward op) are ODS traits; the other constraints are checked by
// one function shared by the three ops, so that `<op>_c<N>` means the same
// rule for each. docs/Autodiff.md lists the rules:
//
//   y = batch_norm(x, gamma, beta, mean, var)
//     dx = ct * gamma * rstd,  dgamma = sum(ct * xhat),  dbeta = sum(ct)
//     with rstd = 1 / sqrt(var + eps), xhat = (x - mean) * rstd, built from
//     nn ops; mean and var get no gradient.
//   y, new_mean, new_var = batch_norm_train(x, gamma, beta, rm, rv)
//     dx, dgamma, dbeta = batch_norm_train_backward(ct_y, x, gamma)
//     the running statistics get no gradient, the cotangents of new_mean
//     and new_var are ignored.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstdio>
#include <limits>
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

/// Formats `value` like printf's `%g` (`0.1`, `1e-05`, `inf`).
static std::string formatValue(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

/// Returns the number of values per channel, `M` (the product of every
/// dimension but 1), saturated at INT64_MAX.
static int64_t valuesPerChannel(ArrayRef<int64_t> shape) {
  for (auto [d, dim] : llvm::enumerate(shape))
    if (d != 1 && dim == 0)
      return 0;
  int64_t m = 1;
  for (auto [d, dim] : llvm::enumerate(shape))
    if (d != 1 && llvm::MulOverflow(m, dim, m))
      return std::numeric_limits<int64_t>::max();
  return m;
}

/// Checks `<prefix>_c1`, `_c3` and `_c4` of a batch norm op; `vectors`
/// names its per-channel operands for `_c3`.
static LogicalResult verifyBatchNorm(Operation *op, StringRef prefix,
                                     StringRef vectors, Value input,
                                     Value vector, double eps) {
  auto fail = [&](unsigned number) {
    return op->emitOpError() << "(" << prefix << "_c" << number << ") ";
  };
  ArrayRef<int64_t> shape = cast<RankedTensorType>(input.getType()).getShape();
  ArrayRef<int64_t> vectorShape =
      cast<RankedTensorType>(vector.getType()).getShape();
  if (shape.size() < 2)
    return fail(1) << "expects an input [N, C, ...] of rank >= 2, got "
                   << formatShape(shape);
  if (vectorShape != shape.slice(1, 1))
    return fail(3) << vectors << " must have shape " << shape[1]
                   << " (C = dim(input, 1)), got " << formatShape(vectorShape);
  if (!std::isfinite(eps) || eps <= 0)
    return fail(4) << "'eps' must be finite and > 0, got " << formatValue(eps);
  return success();
}

/// Checks `<prefix>_c6` of a training op: at least two values per channel.
static LogicalResult verifyTwoValuesPerChannel(Operation *op, StringRef prefix,
                                               Value input) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(input.getType()).getShape();
  int64_t m = valuesPerChannel(shape);
  if (m >= 2)
    return success();
  return op->emitOpError() << "(" << prefix
                           << "_c6) expects more than 1 value per channel, "
                              "got M = "
                           << m << " for an input " << formatShape(shape);
}

LogicalResult BatchNormOp::verify() {
  return verifyBatchNorm(*this, "batch_norm", "gamma, beta, mean and var",
                         getInput(), getGamma(), getEps().convertToDouble());
}

LogicalResult BatchNormTrainOp::verify() {
  StringRef prefix = "batch_norm_train";
  if (failed(verifyBatchNorm(*this, prefix,
                             "gamma, beta, running_mean and running_var",
                             getInput(), getGamma(),
                             getEps().convertToDouble())))
    return failure();
  double momentum = getMomentum().convertToDouble();
  if (!std::isfinite(momentum) || momentum < 0 || momentum > 1)
    return emitOpError("(batch_norm_train_c5) 'momentum' must be finite and "
                       "in [0, 1], got ")
           << formatValue(momentum);
  return verifyTwoValuesPerChannel(*this, prefix, getInput());
}

LogicalResult BatchNormTrainBackwardOp::verify() {
  StringRef prefix = "batch_norm_train_backward";
  if (failed(verifyBatchNorm(*this, prefix, "gamma and its gradients",
                             getInput(), getGamma(),
                             getEps().convertToDouble())))
    return failure();
  return verifyTwoValuesPerChannel(*this, prefix, getInput());
}

//===----------------------------------------------------------------------===//
// Gradient rules
//===----------------------------------------------------------------------===//

/// The axes a channel's statistics reduce: every dimension but 1.
static SmallVector<int64_t> statisticsAxes(int64_t rank) {
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < rank; ++d)
    if (d != 1)
      axes.push_back(d);
  return axes;
}

/// Reshapes the `[C]` vector `v` to `[1, C, 1, ...]` of rank `rank`, so
/// that it broadcasts along the channel dimension of the input.
static Value channelView(OpBuilder &b, Location loc, Value v, int64_t rank) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(rank, 1);
  shape[1] = type.getDimSize(0);
  if (rank == 2)
    return v; // [C] broadcasts against [N, C] as it is.
  return b.create<ReshapeOp>(loc, type.clone(shape), v);
}

/// dx = ct * gamma * rstd, dgamma = sum(ct * xhat), dbeta = sum(ct) with
/// rstd = rsqrt(var + eps) and xhat = (x - mean) * rstd; mean and var are
/// statistics and get no gradient.
SmallVector<Value> BatchNormOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  assert(cts.size() == 1 && cts[0] && "missing cotangent");
  Location loc = getLoc();
  Value ct = cts[0];
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  auto scalarType = RankedTensorType::get({}, b.getF32Type());
  Value eps = b.create<ConstantOp>(
      loc, DenseElementsAttr::get(
               scalarType, b.getF32FloatAttr(static_cast<float>(
                               getEps().convertToDouble()))));
  Value rstd = b.create<RsqrtOp>(loc, b.create<AddOp>(loc, getVar(), eps));
  Value scale = b.create<MulOp>(loc, getGamma(), rstd);
  Value dx = b.create<MulOp>(loc, ct, channelView(b, loc, scale, rank));
  Value centered = b.create<SubOp>(loc, getInput(),
                                   channelView(b, loc, getMean(), rank));
  Value xhat =
      b.create<MulOp>(loc, centered, channelView(b, loc, rstd, rank));
  SmallVector<int64_t> axes = statisticsAxes(rank);
  Value dgamma = b.create<ReduceSumOp>(loc, b.create<MulOp>(loc, ct, xhat),
                                       axes, /*keepdims=*/false);
  Value dbeta = b.create<ReduceSumOp>(loc, ct, axes, /*keepdims=*/false);
  return {dx, dgamma, dbeta, Value(), Value()};
}

/// The normalized output's VJP is batch_norm_train_backward; the running
/// statistics get no gradient and the statistics results' cotangents are
/// ignored.
SmallVector<Value> BatchNormTrainOp::buildVJP(OpBuilder &b,
                                              ArrayRef<Value> cts) {
  assert(cts.size() == 3 && "one cotangent per result");
  if (!cts[0])
    return SmallVector<Value>(getNumOperands(), Value());
  Type gammaType = getGamma().getType();
  auto backward = b.create<BatchNormTrainBackwardOp>(
      getLoc(), getInput().getType(), gammaType, gammaType, cts[0], getInput(),
      getGamma(), getEpsAttr());
  return {backward.getInputGrad(), backward.getGammaGrad(),
          backward.getBetaGrad(), Value(), Value()};
}
