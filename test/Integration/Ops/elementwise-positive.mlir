// Differential test: every function below runs JIT and AOT on seeded random
// inputs and is compared with the f64 reference interpreter.
// Ops defined on positive numbers: inputs uniform in [0.5, 2);
// |compiled - ref| <= 1e-6 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=0.5,2 --rtol 1e-5 --atol 1e-6 | FileCheck %s

// CHECK-DAG: ok div aot
// CHECK-DAG: ok div jit
func.func @div(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %0 = nn.div %a, %b : tensor<3x4xf32>, tensor<4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK-DAG: ok pow aot
// CHECK-DAG: ok pow jit
func.func @pow(%a: tensor<3x4xf32>, %b: tensor<3x1xf32>) -> tensor<3x4xf32> {
  %0 = nn.pow %a, %b : tensor<3x4xf32>, tensor<3x1xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK-DAG: ok roots_and_log aot
// CHECK-DAG: ok roots_and_log jit
func.func @roots_and_log(%a: tensor<5x5xf32>) -> (tensor<5x5xf32>, tensor<5x5xf32>, tensor<5x5xf32>) {
  %0 = nn.log %a : tensor<5x5xf32>
  %1 = nn.sqrt %a : tensor<5x5xf32>
  %2 = nn.rsqrt %a : tensor<5x5xf32>
  return %0, %1, %2 : tensor<5x5xf32>, tensor<5x5xf32>, tensor<5x5xf32>
}
