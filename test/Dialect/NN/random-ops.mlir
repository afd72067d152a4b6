// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round trip of the random ops (dropout, random_normal) through the custom
// and the generic form. The key is a rank-0 i64 tensor whose type is
// implied; default attributes are elided when printing.

/// dropout: evaluation (no `training`), training with and without a key.
// CHECK-LABEL: func.func @dropout
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[K:.*]]: tensor<i64>)
func.func @dropout(%x: tensor<4x8xf32>, %key: tensor<i64>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK: %[[A:.*]] = nn.dropout %[[X]] : tensor<4x8xf32>
  // CHECK: %[[B:.*]] = nn.dropout %[[X]] rate = 2.000000e-01 seed = 7 training : tensor<4x8xf32>
  // CHECK: %[[C:.*]] = nn.dropout %[[X]], %[[K]] seed = -1 training : tensor<4x8xf32>
  // CHECK: %[[D:.*]] = nn.dropout %[[X]], %[[K]] rate = 0.000000e+00 training : tensor<4x8xf32>
  // CHECK: %[[E:.*]] = nn.dropout %[[X]], %[[K]] rate = 9.999000e-01 : tensor<4x8xf32>
  // CHECK: return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]]
  %0 = nn.dropout %x rate = 0.5 seed = 0 : tensor<4x8xf32>
  %1 = nn.dropout %x rate = 0.2 seed = 7 training : tensor<4x8xf32>
  %2 = nn.dropout %x, %key seed = -1 training : tensor<4x8xf32>
  %3 = nn.dropout %x, %key rate = 0.0 training : tensor<4x8xf32>
  %4 = nn.dropout %x, %key rate = 0.9999 : tensor<4x8xf32>
  return %0, %1, %2, %3, %4 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

/// dropout of a scalar.
// CHECK-LABEL: func.func @dropout_scalar
// CHECK: nn.dropout %{{.*}} training : tensor<f32>
func.func @dropout_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = nn.dropout %x training : tensor<f32>
  return %0 : tensor<f32>
}

/// random_normal: any static f32 shape, an optional key.
// CHECK-LABEL: func.func @random_normal
// CHECK-SAME: (%[[K:.*]]: tensor<i64>)
func.func @random_normal(%key: tensor<i64>) -> (tensor<4x8xf32>, tensor<3xf32>, tensor<f32>, tensor<2x0x3xf32>) {
  // CHECK: %[[A:.*]] = nn.random_normal : tensor<4x8xf32>
  // CHECK: %[[B:.*]] = nn.random_normal %[[K]] seed = 3 mean = 1.000000e+00 stddev = 5.000000e-01 : tensor<3xf32>
  // CHECK: %[[C:.*]] = nn.random_normal seed = 9 stddev = 0.000000e+00 : tensor<f32>
  // CHECK: %[[D:.*]] = nn.random_normal %[[K]] mean = -2.000000e+00 : tensor<2x0x3xf32>
  // CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
  %0 = nn.random_normal seed = 0 mean = 0.0 stddev = 1.0 : tensor<4x8xf32>
  %1 = nn.random_normal %key seed = 3 mean = 1.0 stddev = 0.5 : tensor<3xf32>
  %2 = nn.random_normal seed = 9 stddev = 0.0 : tensor<f32>
  %3 = nn.random_normal %key mean = -2.0 : tensor<2x0x3xf32>
  return %0, %1, %2, %3 : tensor<4x8xf32>, tensor<3xf32>, tensor<f32>, tensor<2x0x3xf32>
}
