// Differential test: every function below runs JIT and AOT on seeded random
// inputs and is compared with the f64 reference interpreter.
// Inputs uniform in [-1, 1); sums of up to 33 products, so
// |compiled - ref| <= 1e-5 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-1,1 --rtol 1e-5 --atol 1e-5 | FileCheck %s

// CHECK-DAG: ok matmul aot
// CHECK-DAG: ok matmul jit
func.func @matmul(%a: tensor<7x33xf32>, %b: tensor<33x9xf32>) -> tensor<7x9xf32> {
  %0 = nn.matmul %a, %b : tensor<7x33xf32>, tensor<33x9xf32>
  return %0 : tensor<7x9xf32>
}

// CHECK-DAG: ok batch_matmul aot
// CHECK-DAG: ok batch_matmul jit
func.func @batch_matmul(%a: tensor<3x4x5xf32>, %b: tensor<3x5x6xf32>) -> tensor<3x4x6xf32> {
  %0 = nn.matmul %a, %b : tensor<3x4x5xf32>, tensor<3x5x6xf32>
  return %0 : tensor<3x4x6xf32>
}

// CHECK-DAG: ok transpose aot
// CHECK-DAG: ok transpose jit
func.func @transpose(%a: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<3x2x4xf32>) {
  %0 = nn.transpose %a perm = [2, 0, 1] : tensor<2x3x4xf32>
  %1 = nn.transpose %a perm = [1, 0, 2] : tensor<2x3x4xf32>
  return %0, %1 : tensor<4x2x3xf32>, tensor<3x2x4xf32>
}
