// Differential test: every function below runs JIT and AOT on seeded random
// inputs and is compared with the f64 reference interpreter.
// Inputs uniform in [-4, 4); |compiled - ref| <= 1e-6 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-4,4 --rtol 1e-5 --atol 1e-6 | FileCheck %s

// CHECK-DAG: ok pointwise aot
// CHECK-DAG: ok pointwise jit
func.func @pointwise(%a: tensor<6x7xf32>) -> (tensor<6x7xf32>, tensor<6x7xf32>, tensor<6x7xf32>) {
  %0 = nn.relu %a : tensor<6x7xf32>
  %1 = nn.sigmoid %a : tensor<6x7xf32>
  %2 = nn.tanh %a : tensor<6x7xf32>
  return %0, %1, %2 : tensor<6x7xf32>, tensor<6x7xf32>, tensor<6x7xf32>
}

// CHECK-DAG: ok alpha aot
// CHECK-DAG: ok alpha jit
func.func @alpha(%a: tensor<6x7xf32>) -> (tensor<6x7xf32>, tensor<6x7xf32>, tensor<6x7xf32>) {
  %0 = nn.leaky_relu %a : tensor<6x7xf32>
  %1 = nn.leaky_relu %a alpha = 0.2 : tensor<6x7xf32>
  %2 = nn.elu %a alpha = 1.5 : tensor<6x7xf32>
  return %0, %1, %2 : tensor<6x7xf32>, tensor<6x7xf32>, tensor<6x7xf32>
}

// CHECK-DAG: ok softmax aot
// CHECK-DAG: ok softmax jit
func.func @softmax(%a: tensor<3x4x5xf32>) -> (tensor<3x4x5xf32>, tensor<3x4x5xf32>, tensor<3x4x5xf32>) {
  %0 = nn.softmax %a axis = 2 : tensor<3x4x5xf32>
  %1 = nn.softmax %a axis = 0 : tensor<3x4x5xf32>
  %2 = nn.log_softmax %a axis = 1 : tensor<3x4x5xf32>
  return %0, %1, %2 : tensor<3x4x5xf32>, tensor<3x4x5xf32>, tensor<3x4x5xf32>
}
