//===- NNConvGradients.cpp - reverse-mode rules of convolution ops --------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The vector-Jacobian products of the convolution, pooling and flatten ops
// (NNConvOps.td), implemented through `DifferentiableOpInterface` like the
// rules in NNGradients.cpp; docs/Autodiff.md lists them. A convolution is
// bilinear in its input and filter, so its two backward helpers are linear
// and their own rules are convolutions again:
//
//   y  = conv2d(x, w)                    dx = conv2d_backward_input(ct, w)
//                                        dw = conv2d_backward_filter(ct, x)
//   bi = conv2d_backward_input(g, w)     dg = conv2d(ct, w)
//                                        dw = conv2d_backward_filter(g, ct)
//   bf = conv2d_backward_filter(g, x)    dg = conv2d(x, ct)
//                                        dx = conv2d_backward_input(g, ct)
//
// Average pooling is a depthwise convolution with the constant filter
// 1 / (KH * KW), so its rule is that convolution's input gradient.
// `nn.max_pool2d_backward` has no rule (second derivatives of max pooling
// are not needed for training).
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace kiln::nn;

/// Returns the only cotangent of a single-result op, which the interface
/// guarantees to be non-null.
static Value singleCotangent(ArrayRef<Value> cotangents) {
  assert(cotangents.size() == 1 && cotangents[0] && "missing cotangent");
  return cotangents[0];
}

/// A splat f32 constant of `type`.
static Value splat(OpBuilder &b, Location loc, Type type, double value) {
  auto tensorType = cast<RankedTensorType>(type);
  return b.create<ConstantOp>(
      loc, DenseElementsAttr::get(tensorType, b.getF32FloatAttr(value)));
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// dx = conv2d_backward_input(ct, w), dw = conv2d_backward_filter(ct, x),
/// db = sum of ct over N, OH and OW.
SmallVector<Value> Conv2DOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  Location loc = getLoc();
  Value ct = singleCotangent(cts);
  Value dx = b.create<Conv2DBackwardInputOp>(
      loc, getInput().getType(), ct, getFilter(), getStride(), getPadding(),
      getDilation(), getGroups());
  Value dw = b.create<Conv2DBackwardFilterOp>(
      loc, getFilter().getType(), ct, getInput(), getStride(), getPadding(),
      getDilation(), getGroups());
  SmallVector<Value> grads = {dx, dw};
  if (getBias())
    grads.push_back(b.create<ReduceSumOp>(loc, ct, ArrayRef<int64_t>{0, 2, 3},
                                          /*keepdims=*/false));
  return grads;
}

/// The result is linear in both operands: d output_grad = conv2d(ct, w),
/// d filter = conv2d_backward_filter(output_grad, ct).
SmallVector<Value> Conv2DBackwardInputOp::buildVJP(OpBuilder &b,
                                                   ArrayRef<Value> cts) {
  Location loc = getLoc();
  Value ct = singleCotangent(cts);
  Value dOutputGrad =
      b.create<Conv2DOp>(loc, ct, getFilter(), /*bias=*/Value(), getStride(),
                         getPadding(), getDilation(), getGroups());
  Value dFilter = b.create<Conv2DBackwardFilterOp>(
      loc, getFilter().getType(), getOutputGrad(), ct, getStride(),
      getPadding(), getDilation(), getGroups());
  return {dOutputGrad, dFilter};
}

/// The result is linear in both operands: d output_grad = conv2d(x, ct),
/// d input = conv2d_backward_input(output_grad, ct).
SmallVector<Value> Conv2DBackwardFilterOp::buildVJP(OpBuilder &b,
                                                    ArrayRef<Value> cts) {
  Location loc = getLoc();
  Value ct = singleCotangent(cts);
  Value dOutputGrad =
      b.create<Conv2DOp>(loc, getInput(), ct, /*bias=*/Value(), getStride(),
                         getPadding(), getDilation(), getGroups());
  Value dInput = b.create<Conv2DBackwardInputOp>(
      loc, getInput().getType(), getOutputGrad(), ct, getStride(), getPadding(),
      getDilation(), getGroups());
  return {dOutputGrad, dInput};
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// The cotangent of each window goes to the first position of its maximum.
SmallVector<Value> MaxPool2DOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  return {b.create<MaxPool2DBackwardOp>(getLoc(), singleCotangent(cts),
                                        getInput(), getKernelAttr(),
                                        getStrideAttr(), getPaddingAttr())};
}

/// avg_pool2d(x) = conv2d(x, 1 / (KH * KW) in a [C, 1, KH, KW] filter,
/// groups = C), so dx is that convolution's input gradient.
SmallVector<Value> AvgPool2DOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  Location loc = getLoc();
  Value ct = singleCotangent(cts);
  auto inputType = cast<RankedTensorType>(getInput().getType());
  // With no element there is nothing to route (and no valid group count
  // when C = 0).
  if (inputType.getNumElements() == 0)
    return {splat(b, loc, inputType, 0.0)};
  ArrayRef<int64_t> kernel = getKernel();
  int64_t channels = inputType.getDimSize(1);
  auto filterType = RankedTensorType::get({channels, 1, kernel[0], kernel[1]},
                                          b.getF32Type());
  Value filter = splat(b, loc, filterType,
                       1.0 / static_cast<double>(kernel[0] * kernel[1]));
  int64_t one[] = {1, 1};
  return {b.create<Conv2DBackwardInputOp>(
      loc, inputType, ct, filter, getStrideOrKernel(), getPadding(), one,
      static_cast<uint64_t>(channels))};
}

/// dx[n, c, h, w] = ct[n, c] / (H * W).
SmallVector<Value> GlobalAvgPoolOp::buildVJP(OpBuilder &b,
                                             ArrayRef<Value> cts) {
  Location loc = getLoc();
  Value ct = singleCotangent(cts);
  auto inputType = cast<RankedTensorType>(getInput().getType());
  ArrayRef<int64_t> shape = inputType.getShape();
  auto keptType = inputType.clone({shape[0], shape[1], 1, 1});
  Value kept = b.create<ReshapeOp>(loc, keptType, ct);
  Value scale = splat(b, loc, RankedTensorType::get({}, b.getF32Type()),
                      1.0 / static_cast<double>(shape[2] * shape[3]));
  Value scaled = b.create<MulOp>(loc, kept, scale);
  return {b.create<BroadcastToOp>(loc, inputType, scaled)};
}

//===----------------------------------------------------------------------===//
// Flatten
//===----------------------------------------------------------------------===//

/// Reshapes the cotangent back; integer inputs have no gradient.
SmallVector<Value> FlattenOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  if (!isa<FloatType>(inputType.getElementType()))
    return {Value()};
  Value ct = singleCotangent(cts);
  if (ct.getType() == inputType)
    return {ct};
  return {b.create<ReshapeOp>(getLoc(), inputType, ct)};
}
