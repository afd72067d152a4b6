//===- ConvKernelsTest.cpp - tests of the convolution reference kernels ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Checks the convolution and pooling kernels of the reference interpreter on
// small tensors against values computed by hand from docs/Spec.md, and the
// two backward convolutions against the forward one through the adjoint
// identity sum(dy * conv(x, w)) = sum(x * dx) = sum(w * dw). Exact data
// movement is compared with ==; arithmetic within 1e-12.
//
//===----------------------------------------------------------------------===//

#include "kiln/Reference/Kernels.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace kiln::reference;

namespace {

constexpr double kTol = 1e-12;
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

RefTensor f32(llvm::ArrayRef<int64_t> shape, std::vector<double> data) {
  return RefTensor(ElementKind::F32, shape, std::move(data));
}

/// `1, 2, ..., n` in `shape`.
RefTensor iota(llvm::ArrayRef<int64_t> shape) {
  RefTensor t = RefTensor::filled(ElementKind::F32, shape);
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = static_cast<double>(i + 1);
  return t;
}

/// Deterministic values in [-1, 1) that are not symmetric in any index.
RefTensor wiggle(llvm::ArrayRef<int64_t> shape, double phase) {
  RefTensor t = RefTensor::filled(ElementKind::F32, shape);
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = std::sin(1.7 * static_cast<double>(i) + phase);
  return t;
}

void expectNear(const RefTensor &t, llvm::ArrayRef<int64_t> shape,
                const std::vector<double> &expected) {
  EXPECT_EQ(t.shape, llvm::SmallVector<int64_t>(shape.begin(), shape.end()));
  ASSERT_EQ(t.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(t.data[i], expected[i], kTol) << "element " << i;
}

double dot(const RefTensor &a, const RefTensor &b) {
  double sum = 0.0;
  for (size_t i = 0; i < a.data.size(); ++i)
    sum += a.data[i] * b.data[i];
  return sum;
}

Conv2DConfig conv(int64_t strideH, int64_t strideW, int64_t padH, int64_t padW,
                  int64_t dilH, int64_t dilW, int64_t groups) {
  Conv2DConfig c;
  c.stride[0] = strideH;
  c.stride[1] = strideW;
  c.padding[0] = padH;
  c.padding[1] = padW;
  c.dilation[0] = dilH;
  c.dilation[1] = dilW;
  c.groups = groups;
  return c;
}

Pool2DConfig pool(int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph,
                  int64_t pw) {
  Pool2DConfig c;
  c.kernel[0] = kh;
  c.kernel[1] = kw;
  c.stride[0] = sh;
  c.stride[1] = sw;
  c.padding[0] = ph;
  c.padding[1] = pw;
  return c;
}

/// A cross-correlation (not a flipped convolution), plus the bias.
TEST(ConvKernelsTest, Conv2DIsCrossCorrelation) {
  RefTensor x = iota({1, 1, 3, 3});
  RefTensor w = f32({1, 1, 2, 2}, {1, 0, 0, -1});
  RefTensor b = f32({1}, {0.5});
  expectNear(conv2d(x, w, nullptr, Conv2DConfig()), {1, 1, 2, 2},
             {-4, -4, -4, -4});
  expectNear(conv2d(x, w, &b, Conv2DConfig()), {1, 1, 2, 2},
             {-3.5, -3.5, -3.5, -3.5});
}

/// Zero padding 1 and stride 2: each output sums a 2x2 corner of x.
TEST(ConvKernelsTest, Conv2DPaddingAndStride) {
  RefTensor x = iota({1, 1, 3, 3});
  RefTensor ones = RefTensor::filled(ElementKind::F32, {1, 1, 3, 3}, 1.0);
  expectNear(conv2d(x, ones, nullptr, conv(2, 2, 1, 1, 1, 1, 1)), {1, 1, 2, 2},
             {1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9});
}

/// Dilation 2 reads the corners of a 3x3 image; a non-square stride.
TEST(ConvKernelsTest, Conv2DDilationAndNonSquare) {
  RefTensor x = iota({1, 1, 3, 3});
  RefTensor ones = RefTensor::filled(ElementKind::F32, {1, 1, 2, 2}, 1.0);
  expectNear(conv2d(x, ones, nullptr, conv(1, 1, 0, 0, 2, 2, 1)), {1, 1, 1, 1},
             {1 + 3 + 7 + 9});
  RefTensor row = RefTensor::filled(ElementKind::F32, {1, 1, 1, 2}, 1.0);
  // Kernel 1x2, stride [1, 2], padding [0, 1]: columns (-1, 0) and (1, 2).
  expectNear(conv2d(x, row, nullptr, conv(1, 2, 0, 1, 1, 1, 1)), {1, 1, 3, 2},
             {1, 2 + 3, 4, 5 + 6, 7, 8 + 9});
}

/// With groups, filter f reads only the channels of its group.
TEST(ConvKernelsTest, Conv2DGroups) {
  RefTensor x = f32({1, 2, 1, 1}, {2, 3});
  RefTensor w = f32({2, 1, 1, 1}, {10, 100});
  expectNear(conv2d(x, w, nullptr, conv(1, 1, 0, 0, 1, 1, 2)), {1, 2, 1, 1},
             {20, 300});
  // Four filters in two groups over four channels.
  RefTensor x4 = f32({1, 4, 1, 1}, {1, 2, 3, 4});
  RefTensor w4 = f32({4, 2, 1, 1}, {1, 0, 0, 1, 1, 1, 1, -1});
  expectNear(conv2d(x4, w4, nullptr, conv(1, 1, 0, 0, 1, 1, 2)), {1, 4, 1, 1},
             {1, 2, 3 + 4, 3 - 4});
}

/// With stride 2 and a 2x2 kernel every input position receives exactly one
/// product, so the input gradient tiles dy * w.
TEST(ConvKernelsTest, Conv2DBackwardInputByHand) {
  RefTensor dy = f32({1, 1, 2, 2}, {1, 2, 3, 4});
  RefTensor w = f32({1, 1, 2, 2}, {1, 10, 100, 1000});
  expectNear(
      conv2dBackwardInput(dy, w, {1, 1, 4, 4}, conv(2, 2, 0, 0, 1, 1, 1)),
      {1, 1, 4, 4},
      {1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000});
  // An input row and column that no window reads (5 = 2 * 2 + 1) get 0.
  RefTensor dx5 =
      conv2dBackwardInput(dy, w, {1, 1, 5, 5}, conv(2, 2, 0, 0, 1, 1, 1));
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_EQ(dx5.data[4 * 5 + i], 0.0);
    EXPECT_EQ(dx5.data[i * 5 + 4], 0.0);
  }
}

/// dw[kh, kw] = sum of dy * the input it met.
TEST(ConvKernelsTest, Conv2DBackwardFilterByHand) {
  RefTensor x = iota({1, 1, 3, 3});
  RefTensor dy = RefTensor::filled(ElementKind::F32, {1, 1, 2, 2}, 1.0);
  expectNear(conv2dBackwardFilter(dy, x, {1, 1, 2, 2}, Conv2DConfig()),
             {1, 1, 2, 2},
             {1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9});
}

/// The backward kernels are the adjoints of conv2d in each operand, for
/// every attribute at once.
TEST(ConvKernelsTest, Conv2DBackwardIsAdjoint) {
  Conv2DConfig c = conv(2, 1, 1, 2, 2, 1, 2);
  RefTensor x = wiggle({2, 4, 7, 6}, 0.1);
  RefTensor w = wiggle({6, 2, 3, 2}, 0.7);
  RefTensor y = conv2d(x, w, nullptr, c);
  // H: (7 + 2 - 4 - 1) / 2 + 1 = 3; W: (6 + 4 - 1 - 1) / 1 + 1 = 9.
  ASSERT_EQ(y.shape, (llvm::SmallVector<int64_t>{2, 6, 3, 9}));
  RefTensor dy = wiggle(y.shape, 1.3);
  RefTensor dx = conv2dBackwardInput(dy, w, x.shape, c);
  RefTensor dw = conv2dBackwardFilter(dy, x, w.shape, c);
  double forward = dot(dy, y);
  EXPECT_NEAR(dot(x, dx), forward, 1e-9 * std::fabs(forward) + kTol);
  EXPECT_NEAR(dot(w, dw), forward, 1e-9 * std::fabs(forward) + kTol);
}

TEST(ConvKernelsTest, Pool2D) {
  RefTensor x = iota({1, 1, 4, 4});
  expectNear(pool2d(x, pool(2, 2, 2, 2, 0, 0), PoolKind::Max), {1, 1, 2, 2},
             {6, 8, 14, 16});
  expectNear(pool2d(x, pool(2, 2, 2, 2, 0, 0), PoolKind::Avg), {1, 1, 2, 2},
             {3.5, 5.5, 11.5, 13.5});
  // Padded positions count in the divisor of the average and are never
  // the maximum, even of negative inputs.
  RefTensor small = f32({1, 1, 2, 2}, {1, 2, 3, 4});
  expectNear(pool2d(small, pool(3, 3, 1, 1, 1, 1), PoolKind::Avg), {1, 1, 2, 2},
             {10.0 / 9, 10.0 / 9, 10.0 / 9, 10.0 / 9});
  RefTensor negative = f32({1, 1, 2, 2}, {-1, -2, -3, -4});
  expectNear(pool2d(negative, pool(3, 3, 1, 1, 1, 1), PoolKind::Max),
             {1, 1, 2, 2}, {-1, -1, -1, -1});
  // NaN propagates through max.
  RefTensor nan = f32({1, 1, 1, 2}, {kNaN, 1});
  EXPECT_TRUE(
      std::isnan(pool2d(nan, pool(1, 2, 1, 1, 0, 0), PoolKind::Max).data[0]));
}

/// The gradient goes to the first maximum, to the last NaN, never to
/// padding, and adds up over overlapping windows.
TEST(ConvKernelsTest, MaxPool2DBackward) {
  RefTensor dy = f32({1, 1, 1, 1}, {7});
  Pool2DConfig window = pool(2, 2, 2, 2, 0, 0);
  expectNear(maxPool2dBackward(dy, f32({1, 1, 2, 2}, {5, 5, 1, 0}), window),
             {1, 1, 2, 2}, {7, 0, 0, 0});
  expectNear(maxPool2dBackward(dy, f32({1, 1, 2, 2}, {1, 5, 5, 0}), window),
             {1, 1, 2, 2}, {0, 7, 0, 0});
  expectNear(
      maxPool2dBackward(dy, f32({1, 1, 2, 2}, {kNaN, 1, kNaN, 2}), window),
      {1, 1, 2, 2}, {0, 0, 7, 0});
  // Kernel 1x3 with padding 1 around a single -inf: the input wins.
  expectNear(
      maxPool2dBackward(dy, f32({1, 1, 1, 1}, {-kInf}), pool(1, 3, 1, 1, 0, 1)),
      {1, 1, 1, 1}, {7});
  // Windows {1, 3} and {3, 2} both select the 3.
  expectNear(maxPool2dBackward(f32({1, 1, 1, 2}, {10, 20}),
                               f32({1, 1, 1, 3}, {1, 3, 2}),
                               pool(1, 2, 1, 1, 0, 0)),
             {1, 1, 1, 3}, {0, 30, 0});
}

TEST(ConvKernelsTest, GlobalAvgPool) {
  expectNear(globalAvgPool(f32({1, 2, 1, 2}, {1, 2, 3, 5})), {1, 2}, {1.5, 4});
}

} // namespace
