//===- KernelsTest.cpp - tests of the f64 reference kernels ---------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Checks the kernels on small tensors against values computed by hand.
// Exact data movement is compared with ==; arithmetic within 1e-12
// (absolute), far below any f32 effect and far above double rounding.
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

RefTensor f32(llvm::ArrayRef<int64_t> shape, std::vector<double> data) {
  return RefTensor(ElementKind::F32, shape, std::move(data));
}

void expectNear(const RefTensor &t, const std::vector<double> &expected) {
  ASSERT_EQ(t.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(t.data[i], expected[i], kTol) << "element " << i;
}

/// NumPy's rule: trailing alignment, 1s stretch, mismatches fail.
TEST(KernelsTest, BroadcastShapes) {
  auto s = broadcastShapes({4, 1, 3}, {5, 1});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, (llvm::SmallVector<int64_t>{4, 5, 3}));
  EXPECT_FALSE(broadcastShapes({4, 3}, {4}).has_value());
  EXPECT_EQ(*broadcastShapes({}, {2}), (llvm::SmallVector<int64_t>{2}));
}

/// A row vector and a column vector broadcast to a matrix.
TEST(KernelsTest, MapBinaryBroadcastsBothOperands) {
  RefTensor col = f32({2, 1}, {10, 20});
  RefTensor row = f32({3}, {1, 2, 3});
  RefTensor r = mapBinary(col, row, ElementKind::F32,
                          [](double x, double y) { return x - y; });
  EXPECT_EQ(r.shape, (llvm::SmallVector<int64_t>{2, 3}));
  expectNear(r, {9, 8, 7, 19, 18, 17});
}

/// maximum/minimum propagate NaN and order -0 < +0; relu keeps NaN and
/// maps -0 to +0; sigmoid is stable.
TEST(KernelsTest, ScalarSemantics) {
  EXPECT_TRUE(std::isnan(scalar::maximum(kNaN, 1.0)));
  EXPECT_TRUE(std::isnan(scalar::maximum(1.0, kNaN)));
  EXPECT_TRUE(std::isnan(scalar::minimum(kNaN, 1.0)));
  EXPECT_EQ(scalar::maximum(-1.0, 2.0), 2.0);
  EXPECT_EQ(scalar::minimum(-1.0, 2.0), -1.0);
  EXPECT_FALSE(std::signbit(scalar::maximum(-0.0, 0.0)));
  EXPECT_FALSE(std::signbit(scalar::maximum(0.0, -0.0)));
  EXPECT_TRUE(std::signbit(scalar::minimum(-0.0, 0.0)));
  EXPECT_TRUE(std::signbit(scalar::minimum(0.0, -0.0)));
  EXPECT_FALSE(std::signbit(scalar::relu(-0.0)));
  EXPECT_TRUE(std::isnan(scalar::relu(kNaN)));
  EXPECT_EQ(scalar::relu(-3.0), 0.0);
  EXPECT_NEAR(scalar::sigmoid(0.0), 0.5, kTol);
  EXPECT_NEAR(scalar::sigmoid(-1000.0), 0.0, kTol);
  EXPECT_NEAR(scalar::sigmoid(1000.0), 1.0, kTol);
  EXPECT_NEAR(scalar::sigmoid(2.0), 1.0 / (1.0 + std::exp(-2.0)), kTol);
}

/// Softmax of [0, ln 2, ln 5] is [1/8, 2/8, 5/8], also for huge offsets.
TEST(KernelsTest, SoftmaxIsStable) {
  double l2 = std::log(2.0), l5 = std::log(5.0);
  RefTensor x = f32({2, 3}, {0, l2, l5, 1000, 1000 + l2, 1000 + l5});
  expectNear(softmax(x, 1, false), {0.125, 0.25, 0.625, 0.125, 0.25, 0.625});
  RefTensor ls = softmax(x, 1, true);
  expectNear(ls, {std::log(0.125), std::log(0.25), std::log(0.625),
                  std::log(0.125), std::log(0.25), std::log(0.625)});
  // Along axis 0 of a 2x2: columns [0, ln 3] -> [1/4, 3/4].
  RefTensor y = f32({2, 2}, {0, 0, std::log(3.0), 0});
  expectNear(softmax(y, 0, false), {0.25, 0.5, 0.75, 0.5});
}

/// Plain and batched products.
TEST(KernelsTest, Matmul) {
  RefTensor a = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  RefTensor b = f32({3, 2}, {7, 8, 9, 10, 11, 12});
  RefTensor c = matmul(a, b);
  EXPECT_EQ(c.shape, (llvm::SmallVector<int64_t>{2, 2}));
  expectNear(c, {58, 64, 139, 154});
  RefTensor ba = f32({2, 1, 2}, {1, 2, 3, 4});
  RefTensor bb = f32({2, 2, 1}, {5, 6, 7, 8});
  RefTensor bc = matmul(ba, bb);
  EXPECT_EQ(bc.shape, (llvm::SmallVector<int64_t>{2, 1, 1}));
  expectNear(bc, {17, 53});
}

/// Data movement is exact.
TEST(KernelsTest, TransposeReshapeBroadcastTo) {
  RefTensor x(ElementKind::I64, {2, 3}, {0, 1, 2, 3, 4, 5});
  RefTensor t = transpose(x, {1, 0});
  EXPECT_EQ(t.shape, (llvm::SmallVector<int64_t>{3, 2}));
  EXPECT_EQ(t.data, (std::vector<double>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(t.kind, ElementKind::I64);
  RefTensor x3 = f32({2, 1, 3}, {0, 1, 2, 3, 4, 5});
  RefTensor t3 = transpose(x3, {2, 0, 1});
  EXPECT_EQ(t3.shape, (llvm::SmallVector<int64_t>{3, 2, 1}));
  EXPECT_EQ(t3.data, (std::vector<double>{0, 3, 1, 4, 2, 5}));
  RefTensor r = reshape(x, {3, 2});
  EXPECT_EQ(r.data, x.data);
  EXPECT_EQ(r.shape, (llvm::SmallVector<int64_t>{3, 2}));
  RefTensor b = broadcastTo(f32({2, 1}, {1, 2}), {2, 2, 3});
  EXPECT_EQ(b.data, (std::vector<double>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));
}

/// Concatenation along an inner axis interleaves rows.
TEST(KernelsTest, ConcatAndSlice) {
  RefTensor a = f32({2, 1}, {1, 2});
  RefTensor b = f32({2, 2}, {3, 4, 5, 6});
  RefTensor c = concat({&a, &b}, 1);
  EXPECT_EQ(c.shape, (llvm::SmallVector<int64_t>{2, 3}));
  EXPECT_EQ(c.data, (std::vector<double>{1, 3, 4, 2, 5, 6}));
  RefTensor c0 = concat({&b, &b}, 0);
  EXPECT_EQ(c0.data, (std::vector<double>{3, 4, 5, 6, 3, 4, 5, 6}));
  RefTensor x = f32({3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  RefTensor s = slice(x, {1, 1}, {2, 2}, {1, 2});
  EXPECT_EQ(s.shape, (llvm::SmallVector<int64_t>{2, 2}));
  EXPECT_EQ(s.data, (std::vector<double>{5, 7, 9, 11}));
}

/// Sum/mean/max over one or several axes, with and without keepdims.
TEST(KernelsTest, Reductions) {
  RefTensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  RefTensor s = reduce(x, {1}, false, ReduceKind::Sum);
  EXPECT_EQ(s.shape, (llvm::SmallVector<int64_t>{2}));
  expectNear(s, {6, 15});
  RefTensor m = reduce(x, {0}, true, ReduceKind::Mean);
  EXPECT_EQ(m.shape, (llvm::SmallVector<int64_t>{1, 3}));
  expectNear(m, {2.5, 3.5, 4.5});
  RefTensor all = reduce(x, {0, 1}, false, ReduceKind::Max);
  EXPECT_EQ(all.getRank(), 0);
  expectNear(all, {6});
  RefTensor withNaN = f32({2}, {kNaN, 1});
  EXPECT_TRUE(std::isnan(reduce(withNaN, {0}, false, ReduceKind::Max).data[0]));
}

/// Losses by hand: mse, cross-entropy with uniform logits, BCE at 0.
TEST(KernelsTest, Losses) {
  RefTensor p = f32({2}, {1, 3});
  RefTensor t = f32({2}, {0, 1});
  expectNear(mse(p, t, true), {2.5});
  expectNear(mse(p, t, false), {5});

  RefTensor logits = f32({2, 4}, {0, 0, 0, 0, 1000, 0, 0, 0});
  RefTensor labels(ElementKind::I32, {2}, {3, 0});
  int64_t badRow = -1;
  auto ce = crossEntropy(logits, labels, false, badRow);
  ASSERT_TRUE(ce.has_value());
  // Row 0: log 4. Row 1: logsumexp ~ 1000 (+3e-434), minus 1000.
  expectNear(*ce, {std::log(4.0)});
  auto ceMean = crossEntropy(logits, labels, true, badRow);
  expectNear(*ceMean, {std::log(4.0) / 2});

  RefTensor bad(ElementKind::I64, {2}, {0, 4});
  EXPECT_FALSE(crossEntropy(logits, bad, true, badRow).has_value());
  EXPECT_EQ(badRow, 1);

  // x = 0: log 2 whatever t is; x = 2, t = 1: log(1 + e^-2).
  RefTensor x = f32({2}, {0, 2});
  RefTensor y = f32({2}, {0.3, 1});
  expectNear(binaryCrossEntropy(x, y, false),
             {std::log(2.0) + std::log1p(std::exp(-2.0))});
  // Large negative logit with target 0 stays finite.
  RefTensor big = f32({1}, {-1000});
  RefTensor zero = f32({1}, {0});
  expectNear(binaryCrossEntropy(big, zero, true), {0});
}

} // namespace

//===----------------------------------------------------------------------===//
// Optimizers and penalties
//===----------------------------------------------------------------------===//

namespace {

/// Constant, step (floor of step / step_size) and cosine (held at min_lr
/// after total_steps) schedules; a negative step counts as 0.
TEST(KernelsTest, LRSchedules) {
  LRSchedule constant{ScheduleKind::Constant, 0.05};
  EXPECT_DOUBLE_EQ(lrSchedule(constant, 17), 0.05);

  LRSchedule step{ScheduleKind::Step, 0.1, /*stepSize=*/10, /*gamma=*/0.5};
  EXPECT_NEAR(lrSchedule(step, 0), 0.1, kTol);
  EXPECT_NEAR(lrSchedule(step, 9), 0.1, kTol);
  EXPECT_NEAR(lrSchedule(step, 10), 0.05, kTol);
  EXPECT_NEAR(lrSchedule(step, 25), 0.025, kTol);
  EXPECT_NEAR(lrSchedule(step, -3), 0.1, kTol);

  LRSchedule cosine{ScheduleKind::Cosine, 0.1, 1, 1.0, /*totalSteps=*/4,
                    /*minLr=*/0.0};
  EXPECT_NEAR(lrSchedule(cosine, 0), 0.1, kTol);
  EXPECT_NEAR(lrSchedule(cosine, 1), 0.1 * (1 + std::sqrt(0.5)) / 2, kTol);
  EXPECT_NEAR(lrSchedule(cosine, 2), 0.05, kTol);
  EXPECT_NEAR(lrSchedule(cosine, 4), 0.0, kTol);
  EXPECT_NEAR(lrSchedule(cosine, 9), 0.0, kTol);

  LRSchedule floor{ScheduleKind::Cosine, 0.1, 1, 1.0, /*totalSteps=*/2,
                   /*minLr=*/0.02};
  EXPECT_NEAR(lrSchedule(floor, 1), 0.06, kTol);
  EXPECT_NEAR(lrSchedule(floor, 5), 0.02, kTol);
}

/// p - lr * (g + wd * p).
TEST(KernelsTest, SGD) {
  expectNear(sgd(f32({2}, {1, -2}), f32({2}, {0.5, 0.5}), 0.1, 0.1),
             {0.94, -2.03});
  expectNear(sgd(f32({2}, {1, -2}), f32({2}, {0.5, 0.5}), 0.1, 0.0),
             {0.95, -2.05});
}

/// The buffer starts from g' at step 0 and is damped afterwards; Nesterov
/// looks ahead by momentum * buffer.
TEST(KernelsTest, Momentum) {
  RefTensor p = f32({1}, {1}), g = f32({1}, {2}), buf = f32({1}, {10});
  MomentumConfig damped{0.9, 0.5, 0.0, false};
  auto first = momentum(p, g, buf, 0, 0.1, damped);
  ASSERT_EQ(first.size(), 2u);
  expectNear(first[0], {0.8});
  expectNear(first[1], {2});
  auto later = momentum(p, g, buf, 3, 0.1, damped);
  expectNear(later[0], {0.0});
  expectNear(later[1], {10});

  MomentumConfig nesterov{0.9, 0.0, 0.0, true};
  auto ahead = momentum(p, g, buf, 3, 0.1, nesterov);
  expectNear(ahead[1], {11});
  expectNear(ahead[0], {1 - 0.1 * (2 + 0.9 * 11)});

  MomentumConfig decayed{0.9, 0.0, 0.5, false};
  auto withDecay = momentum(p, g, buf, 0, 0.1, decayed);
  expectNear(withDecay[1], {2.5});
  expectNear(withDecay[0], {0.75});
}

/// sq' = alpha sq + (1 - alpha) g^2, p - lr g / (sqrt(sq') + eps).
TEST(KernelsTest, RMSProp) {
  auto out = rmsprop(f32({1}, {1}), f32({1}, {2}), f32({1}, {1}), 0.1,
                     RMSPropConfig{0.5, 0.0, 0.0});
  ASSERT_EQ(out.size(), 2u);
  expectNear(out[1], {2.5});
  expectNear(out[0], {1 - 0.2 / std::sqrt(2.5)});
  auto withEps = rmsprop(f32({1}, {1}), f32({1}, {2}), f32({1}, {1}), 0.1,
                         RMSPropConfig{0.5, 1.0, 0.5});
  // g' = 2.5, sq' = 0.5 + 0.5 * 6.25.
  expectNear(withEps[1], {3.625});
  expectNear(withEps[0], {1 - 0.25 / (std::sqrt(3.625) + 1)});
}

/// The first Adam step moves by lr * sign(g); the bias corrections make the
/// second step (t = 2) with the same gradient move by lr again. AdamW decays
/// the parameter by (1 - lr wd) first; Adam adds wd p to the gradient.
TEST(KernelsTest, AdamAndAdamW) {
  RefTensor p = f32({1}, {1}), g = f32({1}, {2}), zero = f32({1}, {0});
  AdamConfig plain{0.9, 0.999, 0.0, 0.0, false};
  auto first = adam(p, g, zero, zero, 0, 0.1, plain);
  ASSERT_EQ(first.size(), 3u);
  expectNear(first[0], {0.9});
  expectNear(first[1], {0.2});
  expectNear(first[2], {0.004});
  auto second = adam(p, g, first[1], first[2], 1, 0.1, plain);
  expectNear(second[1], {0.38});
  expectNear(second[2], {0.007996});
  expectNear(second[0], {0.9});

  AdamConfig coupled{0.9, 0.999, 0.0, 0.5, false};
  auto adamDecay = adam(p, g, zero, zero, 0, 0.1, coupled);
  expectNear(adamDecay[1], {0.25});
  expectNear(adamDecay[0], {0.9});

  AdamConfig decoupled{0.9, 0.999, 0.0, 0.5, true};
  auto adamw = adam(p, g, zero, zero, 0, 0.1, decoupled);
  expectNear(adamw[1], {0.2});
  expectNear(adamw[0], {0.85});

  AdamConfig withEps{0.9, 0.999, 1.0, 0.0, false};
  expectNear(adam(p, g, zero, zero, 0, 0.1, withEps)[0], {1 - 0.2 / 3});
}

/// lambda * sum|x| and lambda * sum x^2, as f32 scalars.
TEST(KernelsTest, Penalties) {
  RefTensor x = f32({3}, {1, -2, 0});
  RefTensor l1 = l1Penalty(x, 0.5);
  EXPECT_EQ(l1.kind, ElementKind::F32);
  EXPECT_TRUE(l1.shape.empty());
  expectNear(l1, {1.5});
  expectNear(l2Penalty(x, 0.5), {2.5});
}

} // namespace
