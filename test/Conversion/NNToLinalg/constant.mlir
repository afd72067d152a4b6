// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constant_f32(
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: return %[[C]]
// CHECK-NOT: nn.
func.func @constant_f32() -> tensor<2x2xf32> {
  %0 = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

/// Splats and rank-0 constants stay compact.
// CHECK-LABEL: func.func @constant_splat(
// CHECK-DAG: %[[S:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<7> : tensor<2x2xi64>
// CHECK: return %[[S]], %[[I]]
// CHECK-NOT: nn.
func.func @constant_splat() -> (tensor<f32>, tensor<2x2xi64>) {
  %0 = nn.constant dense<0.5> : tensor<f32>
  %1 = nn.constant dense<7> : tensor<2x2xi64>
  return %0, %1 : tensor<f32>, tensor<2x2xi64>
}

// -----

// CHECK-LABEL: func.func @constant_mask(
// CHECK: %[[C:.*]] = arith.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK: return %[[C]]
// CHECK-NOT: nn.
func.func @constant_mask() -> tensor<3xi1> {
  %0 = nn.constant dense<[true, false, true]> : tensor<3xi1>
  return %0 : tensor<3xi1>
}
