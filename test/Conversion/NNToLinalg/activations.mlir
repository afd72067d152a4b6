// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// relu is maximumf with 0, which keeps NaN.
// CHECK-LABEL: func.func @relu(
// CHECK-SAME: %[[X:.*]]: tensor<4x8xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<4x8xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[V:.*]] = arith.maximumf %[[IN]], %[[ZERO]] : f32
// CHECK: linalg.yield %[[V]]
// CHECK-NOT: nn.
func.func @relu(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = nn.relu %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

/// sigmoid(x) = 1 / (1 + e^-x).
// CHECK-LABEL: func.func @sigmoid(
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[NEG:.*]] = arith.negf %[[IN]] : f32
// CHECK: %[[EXP:.*]] = math.exp %[[NEG]] : f32
// CHECK: %[[DEN:.*]] = arith.addf %[[ONE]], %[[EXP]] : f32
// CHECK: %[[V:.*]] = arith.divf %[[ONE]], %[[DEN]] : f32
// CHECK: linalg.yield %[[V]]
// CHECK-NOT: nn.
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.sigmoid %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @tanh(
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[V:.*]] = math.tanh %[[IN]] : f32
// CHECK: linalg.yield %[[V]]
// CHECK-NOT: nn.
func.func @tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.tanh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

/// leaky_relu(x) = x > 0 ? x : alpha * x, with the given alpha.
// CHECK-LABEL: func.func @leaky_relu(
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %[[IN]], %[[ZERO]] : f32
// CHECK: %[[ALPHA:.*]] = arith.constant 2.000000e-01 : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[ALPHA]], %[[IN]] : f32
// CHECK: %[[V:.*]] = arith.select %[[POS]], %[[IN]], %[[SCALED]] : f32
// CHECK: linalg.yield %[[V]]
// CHECK-NOT: nn.
func.func @leaky_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.leaky_relu %x alpha = 0.2 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

/// Without an alpha, leaky_relu uses 0.01.
// CHECK-LABEL: func.func @leaky_relu_default(
// CHECK: arith.constant 0.00999999977 : f32
// CHECK-NOT: nn.
func.func @leaky_relu_default(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.leaky_relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

/// elu(x) = x > 0 ? x : alpha * expm1(x).
// CHECK-LABEL: func.func @elu(
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %[[IN]], %{{.*}} : f32
// CHECK: %[[ALPHA:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: %[[EM1:.*]] = math.expm1 %[[IN]] : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[ALPHA]], %[[EM1]] : f32
// CHECK: %[[V:.*]] = arith.select %[[POS]], %[[IN]], %[[SCALED]] : f32
// CHECK: linalg.yield %[[V]]
// CHECK-NOT: nn.
func.func @elu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.elu %x alpha = 1.5 : tensor<4xf32>
  return %0 : tensor<4xf32>
}
