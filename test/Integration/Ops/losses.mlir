// Differential test: every function below runs JIT and AOT on seeded random
// inputs and is compared with the f64 reference interpreter.
// Logits and predictions uniform in [-3, 3); integer labels uniform in
// [0, C) (the reference interpreter infers C from cross_entropy);
// |compiled - ref| <= 1e-6 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-3,3 --rtol 1e-5 --atol 1e-6 | FileCheck %s

// CHECK-DAG: ok mse aot
// CHECK-DAG: ok mse jit
func.func @mse(%p: tensor<8x3xf32>, %t: tensor<8x3xf32>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.mse %p, %t : tensor<8x3xf32>
  %1 = nn.mse %p, %t reduction = sum : tensor<8x3xf32>
  return %0, %1 : tensor<f32>, tensor<f32>
}

// CHECK-DAG: ok cross_entropy_i64 aot
// CHECK-DAG: ok cross_entropy_i64 jit
func.func @cross_entropy_i64(%x: tensor<16x10xf32>, %l: tensor<16xi64>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.cross_entropy %x, %l : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.cross_entropy %x, %l reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  return %0, %1 : tensor<f32>, tensor<f32>
}

// CHECK-DAG: ok cross_entropy_i32 aot
// CHECK-DAG: ok cross_entropy_i32 jit
func.func @cross_entropy_i32(%x: tensor<5x3xf32>, %l: tensor<5xi32>) -> tensor<f32> {
  %0 = nn.cross_entropy %x, %l : tensor<5x3xf32>, tensor<5xi32>
  return %0 : tensor<f32>
}

// CHECK-DAG: ok binary_cross_entropy aot
// CHECK-DAG: ok binary_cross_entropy jit
func.func @binary_cross_entropy(%x: tensor<8x2xf32>, %t: tensor<8x2xf32>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.binary_cross_entropy %x, %t : tensor<8x2xf32>
  %1 = nn.binary_cross_entropy %x, %t reduction = sum : tensor<8x2xf32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
