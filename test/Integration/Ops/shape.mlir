// Differential test: every function below runs JIT and AOT on seeded random
// inputs and is compared with the f64 reference interpreter.
// Shape ops move values exactly: rtol 0, atol 0.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-3,3 --rtol 0 --atol 0 | FileCheck %s

// CHECK-DAG: ok reshape aot
// CHECK-DAG: ok reshape jit
func.func @reshape(%a: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<4x6xf32>, tensor<24xf32>, tensor<2x12x1xf32>) {
  %0 = nn.reshape %a : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = nn.reshape %a : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %2 = nn.reshape %a : tensor<2x3x4xf32> -> tensor<24xf32>
  %3 = nn.reshape %a : tensor<2x3x4xf32> -> tensor<2x12x1xf32>
  return %0, %1, %2, %3 : tensor<6x4xf32>, tensor<4x6xf32>, tensor<24xf32>, tensor<2x12x1xf32>
}

// CHECK-DAG: ok broadcast_to aot
// CHECK-DAG: ok broadcast_to jit
func.func @broadcast_to(%a: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<3x5xf32>) {
  %0 = nn.broadcast_to %a : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = nn.broadcast_to %a : tensor<3x1xf32> -> tensor<3x5xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<3x5xf32>
}

// CHECK-DAG: ok concat aot
// CHECK-DAG: ok concat jit
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<4x3xf32>) -> (tensor<2x8xf32>, tensor<6x3xf32>) {
  %0 = nn.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<2x5xf32>
  %1 = nn.concat %a, %c axis = 0 : tensor<2x3xf32>, tensor<4x3xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<6x3xf32>
}

// CHECK-DAG: ok slice aot
// CHECK-DAG: ok slice jit
func.func @slice(%a: tensor<6x8xf32>) -> (tensor<3x3xf32>, tensor<2x4xf32>) {
  %0 = nn.slice %a offsets = [1, 2] sizes = [3, 3] strides = [1, 2] : tensor<6x8xf32>
  %1 = nn.slice %a offsets = [0, 0] sizes = [2, 4] strides = [3, 1] : tensor<6x8xf32>
  return %0, %1 : tensor<3x3xf32>, tensor<2x4xf32>
}
