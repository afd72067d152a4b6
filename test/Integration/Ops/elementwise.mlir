// Differential test: every function below runs JIT and AOT on seeded random
// inputs and is compared with the f64 reference interpreter.
// Inputs uniform in [-2, 2); |compiled - ref| <= 1e-6 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-2,2 --rtol 1e-5 --atol 1e-6 | FileCheck %s

// CHECK-DAG: ok add aot
// CHECK-DAG: ok add jit
func.func @add(%a: tensor<3x4x5xf32>, %b: tensor<4x1xf32>) -> tensor<3x4x5xf32> {
  %0 = nn.add %a, %b : tensor<3x4x5xf32>, tensor<4x1xf32>
  return %0 : tensor<3x4x5xf32>
}

// CHECK-DAG: ok sub aot
// CHECK-DAG: ok sub jit
func.func @sub(%a: tensor<5xf32>, %b: tensor<3x1xf32>) -> tensor<3x5xf32> {
  %0 = nn.sub %a, %b : tensor<5xf32>, tensor<3x1xf32>
  return %0 : tensor<3x5xf32>
}

// CHECK-DAG: ok mul aot
// CHECK-DAG: ok mul jit
func.func @mul(%a: tensor<2x3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = nn.mul %a, %b : tensor<2x3xf32>, tensor<f32>
  return %0 : tensor<2x3xf32>
}

// CHECK-DAG: ok maximum aot
// CHECK-DAG: ok maximum jit
func.func @maximum(%a: tensor<4x6xf32>, %b: tensor<6xf32>) -> tensor<4x6xf32> {
  %0 = nn.maximum %a, %b : tensor<4x6xf32>, tensor<6xf32>
  return %0 : tensor<4x6xf32>
}

// CHECK-DAG: ok minimum aot
// CHECK-DAG: ok minimum jit
func.func @minimum(%a: tensor<4x1xf32>, %b: tensor<1x6xf32>) -> tensor<4x6xf32> {
  %0 = nn.minimum %a, %b : tensor<4x1xf32>, tensor<1x6xf32>
  return %0 : tensor<4x6xf32>
}

// CHECK-DAG: ok unary aot
// CHECK-DAG: ok unary jit
func.func @unary(%a: tensor<7x3xf32>) -> (tensor<7x3xf32>, tensor<7x3xf32>, tensor<7x3xf32>) {
  %0 = nn.neg %a : tensor<7x3xf32>
  %1 = nn.abs %a : tensor<7x3xf32>
  %2 = nn.exp %a : tensor<7x3xf32>
  return %0, %1, %2 : tensor<7x3xf32>, tensor<7x3xf32>, tensor<7x3xf32>
}

// CHECK-DAG: ok compare_select aot
// CHECK-DAG: ok compare_select jit
func.func @compare_select(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %zero = nn.constant dense<0.0> : tensor<f32>
  %one = nn.constant dense<1.0> : tensor<f32>
  %eq = nn.compare eq, %a, %a : tensor<3x4xf32>, tensor<3x4xf32>
  %ne = nn.compare ne, %a, %b : tensor<3x4xf32>, tensor<4xf32>
  %lt = nn.compare lt, %a, %b : tensor<3x4xf32>, tensor<4xf32>
  %le = nn.compare le, %b, %a : tensor<4xf32>, tensor<3x4xf32>
  %gt = nn.compare gt, %a, %zero : tensor<3x4xf32>, tensor<f32>
  %ge = nn.compare ge, %a, %b : tensor<3x4xf32>, tensor<4xf32>
  %0 = nn.select %eq, %one, %zero : tensor<3x4xi1>, tensor<f32>, tensor<f32>
  %1 = nn.select %ne, %one, %zero : tensor<3x4xi1>, tensor<f32>, tensor<f32>
  %2 = nn.select %lt, %a, %b : tensor<3x4xi1>, tensor<3x4xf32>, tensor<4xf32>
  %3 = nn.select %le, %a, %zero : tensor<3x4xi1>, tensor<3x4xf32>, tensor<f32>
  %4 = nn.select %gt, %a, %b : tensor<3x4xi1>, tensor<3x4xf32>, tensor<4xf32>
  %5 = nn.select %ge, %one, %b : tensor<3x4xi1>, tensor<f32>, tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}
