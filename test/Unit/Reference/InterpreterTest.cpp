//===- InterpreterTest.cpp - tests of the reference interpreter -----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Parses small nn modules, runs them with the interpreter and compares with
// values computed by hand. Tolerance: 1e-6 absolute where an f32 attribute
// or constant enters (those values are rounded to f32 by the IR), 1e-12
// otherwise. Error cases check the diagnostic text.
//
//===----------------------------------------------------------------------===//

#include "kiln/Reference/Interpreter.h"
#include "kiln/Reference/RuntimeBridge.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace kiln::reference;

namespace {

constexpr double kTol = 1e-12;
constexpr double kF32Tol = 1e-6;

RefTensor f32(llvm::ArrayRef<int64_t> shape, std::vector<double> data) {
  return RefTensor(ElementKind::F32, shape, std::move(data));
}

class InterpreterTest : public ::testing::Test {
protected:
  InterpreterTest() {
    DialectRegistry registry;
    registry.insert<kiln::nn::NNDialect, func::FuncDialect>();
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    context.allowUnregisteredDialects();
  }

  /// Parses `source`, runs its function `name` on `args` and returns the
  /// results; diagnostics are collected in `diagnostics`.
  FailureOr<llvm::SmallVector<RefTensor>>
  run(llvm::StringRef source, llvm::ArrayRef<RefTensor> args,
      llvm::StringRef name = "f", ParamProvider provider = nullptr) {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      diagnostics += diag.str() + "\n";
      return success();
    });
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return failure();
    auto func = module->lookupSymbol<func::FuncOp>(name);
    if (!func)
      return failure();
    Interpreter interp(std::move(provider));
    return interp.run(func, args);
  }

  /// Runs a one-result function and returns that result (fails the test on
  /// error).
  RefTensor run1(llvm::StringRef source, llvm::ArrayRef<RefTensor> args,
                 ParamProvider provider = nullptr) {
    auto results = run(source, args, "f", std::move(provider));
    EXPECT_TRUE(succeeded(results)) << diagnostics;
    if (failed(results) || results->size() != 1)
      return RefTensor();
    return (*results)[0];
  }

  void expectNear(const RefTensor &t, const std::vector<double> &expected,
                  double tol = kTol) {
    ASSERT_EQ(t.data.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
      EXPECT_NEAR(t.data[i], expected[i], tol) << "element " << i;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::string diagnostics;
};

/// Every unary op on the same input.
TEST_F(InterpreterTest, UnaryOps) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
      %0 = nn.neg %x : tensor<3xf32>
      %1 = nn.abs %x : tensor<3xf32>
      %2 = nn.exp %x : tensor<3xf32>
      %3 = nn.log %x : tensor<3xf32>
      %4 = nn.sqrt %x : tensor<3xf32>
      %5 = nn.rsqrt %x : tensor<3xf32>
      %6 = nn.relu %x : tensor<3xf32>
      %7 = nn.sigmoid %x : tensor<3xf32>
      %8 = nn.tanh %x : tensor<3xf32>
      return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<3xf32>,
        tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
    })mlir";
  auto r = run(src, {f32({3}, {-1, 0.25, 4})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  expectNear((*r)[0], {1, -0.25, -4});
  expectNear((*r)[1], {1, 0.25, 4});
  expectNear((*r)[2], {std::exp(-1.0), std::exp(0.25), std::exp(4.0)});
  EXPECT_TRUE(std::isnan((*r)[3].data[0]));
  expectNear(
      RefTensor(ElementKind::F32, {2}, {(*r)[3].data[1], (*r)[3].data[2]}),
      {std::log(0.25), std::log(4.0)});
  EXPECT_TRUE(std::isnan((*r)[4].data[0]));
  EXPECT_NEAR((*r)[4].data[2], 2.0, kTol);
  EXPECT_NEAR((*r)[5].data[1], 2.0, kTol);
  EXPECT_NEAR((*r)[5].data[2], 0.5, kTol);
  expectNear((*r)[6], {0, 0.25, 4});
  expectNear((*r)[7], {1 / (1 + std::exp(1.0)), 1 / (1 + std::exp(-0.25)),
                       1 / (1 + std::exp(-4.0))});
  expectNear((*r)[8], {std::tanh(-1.0), std::tanh(0.25), std::tanh(4.0)});
}

/// leaky_relu and elu with explicit and default alpha (f32 attributes).
TEST_F(InterpreterTest, AlphaActivations) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>,
                                        tensor<2xf32>, tensor<2xf32>) {
      %0 = nn.leaky_relu %x alpha = 0.5 : tensor<2xf32>
      %1 = nn.leaky_relu %x : tensor<2xf32>
      %2 = nn.elu %x alpha = 2.0 : tensor<2xf32>
      %3 = nn.elu %x : tensor<2xf32>
      return %0, %1, %2, %3 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
                              tensor<2xf32>
    })mlir";
  auto r = run(src, {f32({2}, {-2, 3})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  expectNear((*r)[0], {-1, 3});
  expectNear((*r)[1], {-0.02, 3}, kF32Tol);
  expectNear((*r)[2], {2 * (std::exp(-2.0) - 1), 3});
  expectNear((*r)[3], {std::exp(-2.0) - 1, 3});
}

/// Broadcasting binary ops, including NaN propagation of maximum.
TEST_F(InterpreterTest, BinaryOpsBroadcast) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<2x2xf32>, %y: tensor<2xf32>) -> (tensor<2x2xf32>,
        tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>,
        tensor<2x2xf32>, tensor<2x2xf32>) {
      %0 = nn.add %x, %y : tensor<2x2xf32>, tensor<2xf32>
      %1 = nn.sub %x, %y : tensor<2x2xf32>, tensor<2xf32>
      %2 = nn.mul %y, %x : tensor<2xf32>, tensor<2x2xf32>
      %3 = nn.div %x, %y : tensor<2x2xf32>, tensor<2xf32>
      %4 = nn.pow %x, %y : tensor<2x2xf32>, tensor<2xf32>
      %5 = nn.maximum %x, %y : tensor<2x2xf32>, tensor<2xf32>
      %6 = nn.minimum %x, %y : tensor<2x2xf32>, tensor<2xf32>
      return %0, %1, %2, %3, %4, %5, %6 : tensor<2x2xf32>, tensor<2x2xf32>,
        tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>,
        tensor<2x2xf32>
    })mlir";
  double nan = std::nan("");
  auto r = run(src, {f32({2, 2}, {1, 2, 3, nan}), f32({2}, {2, 0.5})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  EXPECT_NEAR((*r)[0].data[0], 3, kTol);
  EXPECT_NEAR((*r)[0].data[1], 2.5, kTol);
  EXPECT_NEAR((*r)[0].data[2], 5, kTol);
  EXPECT_TRUE(std::isnan((*r)[0].data[3]));
  EXPECT_NEAR((*r)[1].data[2], 1, kTol);
  EXPECT_NEAR((*r)[2].data[1], 1, kTol);
  EXPECT_NEAR((*r)[3].data[1], 4, kTol);
  EXPECT_NEAR((*r)[4].data[0], 1, kTol);
  EXPECT_NEAR((*r)[4].data[1], std::sqrt(2.0), kTol);
  EXPECT_NEAR((*r)[4].data[2], 9, kTol);
  EXPECT_NEAR((*r)[5].data[0], 2, kTol);
  EXPECT_NEAR((*r)[5].data[2], 3, kTol);
  EXPECT_TRUE(std::isnan((*r)[5].data[3]));
  EXPECT_NEAR((*r)[6].data[0], 1, kTol);
  EXPECT_NEAR((*r)[6].data[1], 0.5, kTol);
  EXPECT_TRUE(std::isnan((*r)[6].data[3]));
}

/// Comparisons yield i1 and are false on NaN except ne; select picks.
TEST_F(InterpreterTest, CompareAndSelect) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<3xf32>, %y: tensor<f32>) -> (tensor<3xi1>,
        tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>,
        tensor<3xf32>) {
      %0 = nn.compare eq, %x, %y : tensor<3xf32>, tensor<f32>
      %1 = nn.compare ne, %x, %y : tensor<3xf32>, tensor<f32>
      %2 = nn.compare lt, %x, %y : tensor<3xf32>, tensor<f32>
      %3 = nn.compare le, %x, %y : tensor<3xf32>, tensor<f32>
      %4 = nn.compare gt, %x, %y : tensor<3xf32>, tensor<f32>
      %5 = nn.compare ge, %x, %y : tensor<3xf32>, tensor<f32>
      %z = nn.constant dense<-1.0> : tensor<f32>
      %6 = nn.select %4, %x, %z : tensor<3xi1>, tensor<3xf32>, tensor<f32>
      return %0, %1, %2, %3, %4, %5, %6 : tensor<3xi1>, tensor<3xi1>,
        tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xf32>
    })mlir";
  auto r = run(src, {f32({3}, {1, 2, std::nan("")}), f32({}, {2})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  EXPECT_EQ((*r)[0].kind, ElementKind::I1);
  EXPECT_EQ((*r)[0].data, (std::vector<double>{0, 1, 0}));
  EXPECT_EQ((*r)[1].data, (std::vector<double>{1, 0, 1}));
  EXPECT_EQ((*r)[2].data, (std::vector<double>{1, 0, 0}));
  EXPECT_EQ((*r)[3].data, (std::vector<double>{1, 1, 0}));
  EXPECT_EQ((*r)[4].data, (std::vector<double>{0, 0, 0}));
  EXPECT_EQ((*r)[5].data, (std::vector<double>{0, 1, 0}));
  EXPECT_EQ((*r)[6].data, (std::vector<double>{-1, -1, -1}));
}

/// Integer comparisons of labels against an i64 constant.
TEST_F(InterpreterTest, CompareIntegers) {
  const char *src = R"mlir(
    func.func @f(%l: tensor<3xi64>) -> tensor<3xi1> {
      %c = nn.constant dense<[5, -1, 7]> : tensor<3xi64>
      %0 = nn.compare ge, %l, %c : tensor<3xi64>, tensor<3xi64>
      return %0 : tensor<3xi1>
    })mlir";
  RefTensor r = run1(src, {RefTensor(ElementKind::I64, {3}, {5, -2, 9})});
  EXPECT_EQ(r.data, (std::vector<double>{1, 0, 1}));
}

/// Softmax along axis 1 and log_softmax along axis 0.
TEST_F(InterpreterTest, SoftmaxOps) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
      %0 = nn.softmax %x axis = 1 : tensor<2x2xf32>
      %1 = nn.log_softmax %x axis = 0 : tensor<2x2xf32>
      return %0, %1 : tensor<2x2xf32>, tensor<2x2xf32>
    })mlir";
  double l3 = std::log(3.0);
  auto r = run(src, {f32({2, 2}, {0, l3, 500, 500})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  expectNear((*r)[0], {0.25, 0.75, 0.5, 0.5});
  // Column 0: [0, 500] -> [-500 - log1p(e^-500), -log1p(e^-500)].
  expectNear((*r)[1], {-500, l3 - 500, 0, 0}, 1e-9);
}

/// 2-D and batched matmul, transpose, reshape, broadcast_to.
TEST_F(InterpreterTest, LinearAlgebraAndShapes) {
  const char *src = R"mlir(
    func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x1xf32>,
                 %c: tensor<2x1x3xf32>) -> (tensor<2x1xf32>, tensor<3x2xf32>,
        tensor<6xf32>, tensor<2x2x3xf32>, tensor<2x1x1xf32>) {
      %0 = nn.matmul %a, %b : tensor<2x3xf32>, tensor<3x1xf32>
      %1 = nn.transpose %a perm = [1, 0] : tensor<2x3xf32>
      %2 = nn.reshape %a : tensor<2x3xf32> -> tensor<6xf32>
      %3 = nn.broadcast_to %c : tensor<2x1x3xf32> -> tensor<2x2x3xf32>
      %bb = nn.broadcast_to %b : tensor<3x1xf32> -> tensor<2x3x1xf32>
      %4 = nn.matmul %c, %bb : tensor<2x1x3xf32>, tensor<2x3x1xf32>
      return %0, %1, %2, %3, %4 : tensor<2x1xf32>, tensor<3x2xf32>,
        tensor<6xf32>, tensor<2x2x3xf32>, tensor<2x1x1xf32>
    })mlir";
  auto r = run(src, {f32({2, 3}, {1, 2, 3, 4, 5, 6}), f32({3, 1}, {1, 0, -1}),
                     f32({2, 1, 3}, {1, 1, 1, 2, 2, 0})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  expectNear((*r)[0], {-2, -2});
  EXPECT_EQ((*r)[1].data, (std::vector<double>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ((*r)[2].data, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ((*r)[3].data,
            (std::vector<double>{1, 1, 1, 1, 1, 1, 2, 2, 0, 2, 2, 0}));
  expectNear((*r)[4], {0, 2});
}

/// concat and strided slice keep integer labels exact.
TEST_F(InterpreterTest, ConcatSlice) {
  const char *src = R"mlir(
    func.func @f(%a: tensor<2x2xi32>) -> (tensor<2x4xi32>, tensor<1x2xi32>) {
      %0 = nn.concat %a, %a axis = 1 : tensor<2x2xi32>, tensor<2x2xi32>
      %1 = nn.slice %0 offsets = [1, 0] sizes = [1, 2] strides = [1, 3]
          : tensor<2x4xi32>
      return %0, %1 : tensor<2x4xi32>, tensor<1x2xi32>
    })mlir";
  auto r = run(src, {RefTensor(ElementKind::I32, {2, 2}, {1, 2, 3, 4})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  EXPECT_EQ((*r)[0].kind, ElementKind::I32);
  EXPECT_EQ((*r)[0].data, (std::vector<double>{1, 2, 1, 2, 3, 4, 3, 4}));
  EXPECT_EQ((*r)[1].data, (std::vector<double>{3, 4}));
}

/// reduce_sum/mean/max with axes and keepdims.
TEST_F(InterpreterTest, Reductions) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<1x3xf32>,
                                          tensor<f32>) {
      %0 = nn.reduce_sum %x axes = [1] : tensor<2x3xf32>
      %1 = nn.reduce_mean %x axes = [0] keepdims : tensor<2x3xf32>
      %2 = nn.reduce_max %x axes = [0, 1] : tensor<2x3xf32>
      return %0, %1, %2 : tensor<2xf32>, tensor<1x3xf32>, tensor<f32>
    })mlir";
  auto r = run(src, {f32({2, 3}, {1, 2, 3, 4, 5, -6})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  expectNear((*r)[0], {6, 3});
  expectNear((*r)[1], {2.5, 3.5, -1.5});
  expectNear((*r)[2], {5});
}

/// Constants of every element type (f32 values are rounded by the IR).
TEST_F(InterpreterTest, Constants) {
  const char *src = R"mlir(
    func.func @f() -> (tensor<2xf32>, tensor<2xi1>, tensor<2xi32>,
                       tensor<2x2xi64>) {
      %0 = nn.constant dense<[0.1, -2.0]> : tensor<2xf32>
      %1 = nn.constant dense<[true, false]> : tensor<2xi1>
      %2 = nn.constant dense<[-7, 7]> : tensor<2xi32>
      %3 = nn.constant dense<3> : tensor<2x2xi64>
      return %0, %1, %2, %3 : tensor<2xf32>, tensor<2xi1>, tensor<2xi32>,
                              tensor<2x2xi64>
    })mlir";
  auto r = run(src, {});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  EXPECT_EQ((*r)[0].data, (std::vector<double>{static_cast<float>(0.1), -2}));
  EXPECT_EQ((*r)[1].data, (std::vector<double>{1, 0}));
  EXPECT_EQ((*r)[2].data, (std::vector<double>{-7, 7}));
  EXPECT_EQ((*r)[3].data, (std::vector<double>{3, 3, 3, 3}));
}

/// The three losses with both reductions.
TEST_F(InterpreterTest, Losses) {
  const char *src = R"mlir(
    func.func @f(%p: tensor<2xf32>, %t: tensor<2xf32>, %x: tensor<2x2xf32>,
                 %l: tensor<2xi64>) -> (tensor<f32>, tensor<f32>, tensor<f32>,
        tensor<f32>, tensor<f32>, tensor<f32>) {
      %0 = nn.mse %p, %t : tensor<2xf32>
      %1 = nn.mse %p, %t reduction = sum : tensor<2xf32>
      %2 = nn.cross_entropy %x, %l : tensor<2x2xf32>, tensor<2xi64>
      %3 = nn.cross_entropy %x, %l reduction = sum
          : tensor<2x2xf32>, tensor<2xi64>
      %4 = nn.binary_cross_entropy %p, %t : tensor<2xf32>
      %5 = nn.binary_cross_entropy %p, %t reduction = sum : tensor<2xf32>
      return %0, %1, %2, %3, %4, %5 : tensor<f32>, tensor<f32>, tensor<f32>,
        tensor<f32>, tensor<f32>, tensor<f32>
    })mlir";
  double l3 = std::log(3.0);
  auto r =
      run(src, {f32({2}, {0, 2}), f32({2}, {1, 0}), f32({2, 2}, {0, l3, 0, 0}),
                RefTensor(ElementKind::I64, {2}, {0, 1})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  expectNear((*r)[0], {2.5});
  expectNear((*r)[1], {5});
  // Row 0: log(1 + 3) - 0; row 1: log 2.
  double ce = std::log(4.0) + std::log(2.0);
  expectNear((*r)[2], {ce / 2});
  expectNear((*r)[3], {ce});
  // x = 0, t = 1: log 2. x = 2, t = 0: 2 + log(1 + e^-2).
  double bce = std::log(2.0) + 2 + std::log1p(std::exp(-2.0));
  expectNear((*r)[4], {bce / 2});
  expectNear((*r)[5], {bce});
}

/// Optimizer ops: the schedule feeds the learning rate, multi-result updates
/// bind every result, and penalties reduce to scalars.
TEST_F(InterpreterTest, OptimizersAndPenalties) {
  const char *src = R"mlir(
    func.func @f(%p: tensor<2xf32>, %g: tensor<2xf32>, %v: tensor<2xf32>,
                 %s: tensor<i64>)
        -> (tensor<f32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
            tensor<2xf32>, tensor<2xf32>, tensor<f32>, tensor<f32>) {
      %lr = nn.lr_schedule %s step {lr = 0.2, step_size = 2, gamma = 0.5}
      %0 = nn.sgd %p, %g, %lr : tensor<2xf32>
      %1:2 = nn.momentum %p, %g, %g, %s, %lr {momentum = 0.5} : tensor<2xf32>
      %2:3 = nn.adam %p, %g, %g, %v, %s, %lr {eps = 0.0} : tensor<2xf32>
      %3 = nn.l1_penalty %g lambda = 2.0 : tensor<2xf32>
      %4 = nn.l2_penalty %g lambda = 2.0 : tensor<2xf32>
      return %lr, %0, %1#0, %1#1, %2#0, %2#2, %3, %4
        : tensor<f32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
          tensor<2xf32>, tensor<2xf32>, tensor<f32>, tensor<f32>
    })mlir";
  auto r = run(src, {f32({2}, {1, -1}), f32({2}, {1, -2}), f32({2}, {1, 4}),
                     RefTensor(ElementKind::I64, {}, {3})});
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  ASSERT_EQ(r->size(), 8u);
  // Step 3 with step_size 2: one decay.
  expectNear((*r)[0], {0.1});
  expectNear((*r)[1], {0.9, -0.8});
  // buf' = 0.5 buf + g = 1.5 g.
  expectNear((*r)[3], {1.5, -3});
  expectNear((*r)[2], {0.85, -0.7});
  // t = 4, m = g, v = g^2: m' = g, v' = g^2.
  expectNear((*r)[5], {1, 4});
  double stepSize = 0.1 / (1 - std::pow(0.9, 4));
  double scale = std::sqrt(1 - std::pow(0.999, 4));
  expectNear((*r)[4], {1 - stepSize * scale, -1 + stepSize * scale});
  expectNear((*r)[6], {6});
  expectNear((*r)[7], {10});
}

/// The penalties' gradient rules (DifferentiableOpInterface), built into the
/// function and evaluated: ct * lambda * sign(w) with sign(0) = 0, and
/// ct * 2 * lambda * w.
TEST_F(InterpreterTest, PenaltyGradientRules) {
  const char *src = R"mlir(
    func.func @f(%w: tensor<4xf32>) -> tensor<4xf32> {
      %0 = nn.l1_penalty %w lambda = 0.5 : tensor<4xf32>
      %1 = nn.l2_penalty %w lambda = 0.25 : tensor<4xf32>
      return %w : tensor<4xf32>
    })mlir";
  module = parseSourceString<ModuleOp>(src, &context);
  ASSERT_TRUE(module);
  auto func = module->lookupSymbol<func::FuncOp>("f");
  auto l1 = *func.getOps<kiln::nn::L1PenaltyOp>().begin();
  auto l2 = *func.getOps<kiln::nn::L2PenaltyOp>().begin();
  Operation *ret = func.getBody().front().getTerminator();
  OpBuilder builder(ret);
  auto scalarType = RankedTensorType::get({}, builder.getF32Type());
  Value ct = builder.create<kiln::nn::ConstantOp>(
      ret->getLoc(), DenseElementsAttr::get(scalarType, 2.0f));
  llvm::SmallVector<Value> dl1 = l1.buildVJP(builder, {ct});
  llvm::SmallVector<Value> dl2 = l2.buildVJP(builder, {ct});
  ASSERT_EQ(dl1.size(), 1u);
  ASSERT_EQ(dl2.size(), 1u);
  ret->setOperands({dl1[0], dl2[0]});
  Type wType = func.getArgument(0).getType();
  func.setFunctionType(builder.getFunctionType({wType}, {wType, wType}));

  Interpreter interp;
  auto r = interp.run(func, {f32({4}, {1.5, -2, 0, 0.5})});
  ASSERT_TRUE(succeeded(r));
  ASSERT_EQ(r->size(), 2u);
  expectNear((*r)[0], {1, -1, 0, 1});
  expectNear((*r)[1], {1.5, -2, 0, 0.5});
}

/// func.call evaluates the callee; nested calls work.
TEST_F(InterpreterTest, Calls) {
  const char *src = R"mlir(
    func.func private @sq(%x: tensor<2xf32>) -> tensor<2xf32> {
      %0 = nn.mul %x, %x : tensor<2xf32>, tensor<2xf32>
      return %0 : tensor<2xf32>
    }
    func.func private @quad(%x: tensor<2xf32>) -> tensor<2xf32> {
      %0 = func.call @sq(%x) : (tensor<2xf32>) -> tensor<2xf32>
      %1 = func.call @sq(%0) : (tensor<2xf32>) -> tensor<2xf32>
      return %1 : tensor<2xf32>
    }
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %0 = func.call @quad(%x) : (tensor<2xf32>) -> tensor<2xf32>
      return %0 : tensor<2xf32>
    })mlir";
  RefTensor r = run1(src, {f32({2}, {2, -3})});
  expectNear(r, {16, 81});
}

/// nn.param values come from the provider, which sees name, fans and bounds.
TEST_F(InterpreterTest, ParamsComeFromProvider) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %u = nn.param "u" uniform seed = 3 {high = 5.0e-01 : f64, low = -2.5e-01 : f64} : tensor<2xf32>
      %0 = nn.add %x, %u : tensor<2xf32>, tensor<2xf32>
      return %0 : tensor<2xf32>
    })mlir";
  ParamInfo seen{"", {}, kiln::nn::InitKind::zeros, 0, 0, 0,
                 0,  0,  UnknownLoc::get(&context)};
  auto provider = [&](const ParamInfo &info) -> FailureOr<RefTensor> {
    seen = info;
    return f32({2}, {10, 20});
  };
  RefTensor r = run1(src, {f32({2}, {1, 2})}, provider);
  expectNear(r, {11, 22});
  EXPECT_EQ(seen.name, "u");
  EXPECT_EQ(seen.init, kiln::nn::InitKind::uniform);
  EXPECT_EQ(seen.seed, 3u);
  EXPECT_EQ(seen.a, -0.25);
  EXPECT_EQ(seen.b, 0.5);
  EXPECT_EQ(seen.fanIn, 2);
  EXPECT_EQ(seen.fanOut, 2);
}

/// Promoted parameter arguments (kiln-promote-params output) are provided
/// too and skipped in `args`; they get the same value as the nn.param op.
TEST_F(InterpreterTest, PromotedParamsMatchParamOps) {
  const char *opForm = R"mlir(
    func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
      %w = nn.param "w" xavier_uniform seed = 5 : tensor<2x3xf32>
      %0 = nn.mul %x, %w : tensor<2x3xf32>, tensor<2x3xf32>
      return %0 : tensor<2x3xf32>
    })mlir";
  const char *argForm = R"mlir(
    func.func @f(%w: tensor<2x3xf32> {nn.param = {fan_in = 2 : i64,
                   fan_out = 3 : i64, init = "xavier_uniform", name = "w",
                   seed = 5 : i64}},
                 %x: tensor<2x3xf32>) -> tensor<2x3xf32> {
      %0 = nn.mul %x, %w : tensor<2x3xf32>, tensor<2x3xf32>
      return %0 : tensor<2x3xf32>
    })mlir";
  RefTensor ones = RefTensor::filled(ElementKind::F32, {2, 3}, 1.0);
  RefTensor a = run1(opForm, {ones}, getRuntimeParamProvider());
  RefTensor b = run1(argForm, {ones}, getRuntimeParamProvider());
  EXPECT_EQ(a.data, b.data);
  // xavier_uniform bound sqrt(6 / (2 + 3)); values are f32-rounded.
  double bound = std::sqrt(6.0 / 5.0);
  bool allSame = true;
  for (double v : a.data) {
    EXPECT_LE(std::fabs(v), bound);
    EXPECT_EQ(v, static_cast<double>(static_cast<float>(v)));
    allSame &= v == a.data[0];
  }
  EXPECT_FALSE(allSame);
}

/// The runtime provider implements ones and the uniform bounds.
TEST_F(InterpreterTest, RuntimeProviderInitializers) {
  const char *src = R"mlir(
    func.func @f() -> (tensor<4xf32>, tensor<64xf32>) {
      %o = nn.param "o" ones : tensor<4xf32>
      %u = nn.param "u" uniform seed = 9 {high = 3.0 : f64, low = 2.0 : f64} : tensor<64xf32>
      return %o, %u : tensor<4xf32>, tensor<64xf32>
    })mlir";
  auto r = run(src, {}, "f", getRuntimeParamProvider());
  ASSERT_TRUE(succeeded(r)) << diagnostics;
  EXPECT_EQ((*r)[0].data, (std::vector<double>{1, 1, 1, 1}));
  for (double v : (*r)[1].data) {
    EXPECT_GE(v, 2.0);
    EXPECT_LE(v, 3.0);
  }
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

/// A label outside [0, C) is reported at the cross_entropy op.
TEST_F(InterpreterTest, LabelOutOfRange) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<2x3xf32>, %l: tensor<2xi32>) -> tensor<f32> {
      %0 = nn.cross_entropy %x, %l : tensor<2x3xf32>, tensor<2xi32>
      return %0 : tensor<f32>
    })mlir";
  auto r = run(src, {RefTensor::filled(ElementKind::F32, {2, 3}),
                     RefTensor(ElementKind::I32, {2}, {0, 3})});
  EXPECT_TRUE(failed(r));
  EXPECT_NE(diagnostics.find("label 3 of row 1 is out of range [0, 3)"),
            std::string::npos)
      << diagnostics;
}

/// Argument count and type mismatches.
TEST_F(InterpreterTest, ArgumentMismatches) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      return %x : tensor<2xf32>
    })mlir";
  EXPECT_TRUE(failed(run(src, {})));
  EXPECT_NE(diagnostics.find("takes 1 non-parameter argument, got 0"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  EXPECT_TRUE(failed(run(src, {f32({3}, {1, 2, 3})})));
  EXPECT_NE(diagnostics.find("argument #0 of 'f' must have type "
                             "'tensor<2xf32>', got 'tensor<3xf32>'"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  EXPECT_TRUE(failed(run(src, {RefTensor(ElementKind::I32, {2}, {1, 2})})));
  EXPECT_NE(diagnostics.find("got 'tensor<2xi32>'"), std::string::npos)
      << diagnostics;
}

/// Ops outside nn/func are rejected with their name, not a crash.
TEST_F(InterpreterTest, UnsupportedOp) {
  const char *src = R"mlir(
    func.func @f() -> tensor<2xf32> {
      %0 = "foo.bar"() : () -> tensor<2xf32>
      return %0 : tensor<2xf32>
    })mlir";
  EXPECT_TRUE(failed(run(src, {})));
  EXPECT_NE(diagnostics.find("does not support 'foo.bar'"), std::string::npos)
      << diagnostics;
}

/// Parameters without a provider, and providers returning the wrong shape.
TEST_F(InterpreterTest, ParamErrors) {
  const char *src = R"mlir(
    func.func @f() -> tensor<2xf32> {
      %w = nn.param "w" zeros : tensor<2xf32>
      return %w : tensor<2xf32>
    })mlir";
  EXPECT_TRUE(failed(run(src, {})));
  EXPECT_NE(diagnostics.find("no value for parameter 'w'"), std::string::npos)
      << diagnostics;
  diagnostics.clear();
  auto wrong = [](const ParamInfo &) -> FailureOr<RefTensor> {
    return RefTensor::filled(ElementKind::F32, {3});
  };
  EXPECT_TRUE(failed(run(src, {}, "f", wrong)));
  EXPECT_NE(diagnostics.find("parameter 'w' has type 'tensor<2xf32>' but its "
                             "provider returned 'tensor<3xf32>'"),
            std::string::npos)
      << diagnostics;
}

/// Recursion is cut off with a diagnostic instead of a stack overflow.
TEST_F(InterpreterTest, RecursionIsRejected) {
  const char *src = R"mlir(
    func.func @f(%x: tensor<f32>) -> tensor<f32> {
      %0 = func.call @f(%x) : (tensor<f32>) -> tensor<f32>
      return %0 : tensor<f32>
    })mlir";
  EXPECT_TRUE(failed(run(src, {f32({}, {1})})));
  EXPECT_NE(diagnostics.find("call depth exceeds 64"), std::string::npos)
      << diagnostics;
}

/// External functions have no body to run.
TEST_F(InterpreterTest, ExternalCallee) {
  const char *src = R"mlir(
    func.func private @ext(tensor<f32>) -> tensor<f32>
    func.func @f(%x: tensor<f32>) -> tensor<f32> {
      %0 = func.call @ext(%x) : (tensor<f32>) -> tensor<f32>
      return %0 : tensor<f32>
    })mlir";
  EXPECT_TRUE(failed(run(src, {f32({}, {1})})));
  EXPECT_NE(diagnostics.find("cannot run external function 'ext'"),
            std::string::npos)
      << diagnostics;
}

} // namespace
