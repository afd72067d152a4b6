// Differential test: every function below runs JIT and AOT on seeded random
// inputs and is compared with the f64 reference interpreter.
// Inputs uniform in [-1, 1); |compiled - ref| <= 1e-6 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-1,1 --rtol 1e-5 --atol 1e-6 | FileCheck %s

// CHECK-DAG: ok reduce_sum aot
// CHECK-DAG: ok reduce_sum jit
func.func @reduce_sum(%a: tensor<3x4x5xf32>) -> (tensor<3x5xf32>, tensor<1x4x1xf32>, tensor<f32>) {
  %0 = nn.reduce_sum %a axes = [1] : tensor<3x4x5xf32>
  %1 = nn.reduce_sum %a axes = [0, 2] keepdims : tensor<3x4x5xf32>
  %2 = nn.reduce_sum %a axes = [0, 1, 2] : tensor<3x4x5xf32>
  return %0, %1, %2 : tensor<3x5xf32>, tensor<1x4x1xf32>, tensor<f32>
}

// CHECK-DAG: ok reduce_mean aot
// CHECK-DAG: ok reduce_mean jit
func.func @reduce_mean(%a: tensor<3x4x5xf32>) -> (tensor<3x4xf32>, tensor<3x1x1xf32>) {
  %0 = nn.reduce_mean %a axes = [2] : tensor<3x4x5xf32>
  %1 = nn.reduce_mean %a axes = [2, 1] keepdims : tensor<3x4x5xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<3x1x1xf32>
}

// CHECK-DAG: ok reduce_max aot
// CHECK-DAG: ok reduce_max jit
func.func @reduce_max(%a: tensor<3x4x5xf32>) -> (tensor<4x5xf32>, tensor<3x4x1xf32>) {
  %0 = nn.reduce_max %a axes = [0] : tensor<3x4x5xf32>
  %1 = nn.reduce_max %a axes = [2] keepdims : tensor<3x4x5xf32>
  return %0, %1 : tensor<4x5xf32>, tensor<3x4x1xf32>
}
