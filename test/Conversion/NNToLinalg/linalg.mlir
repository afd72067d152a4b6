// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// A rank-2 matmul accumulates into a zero-filled init.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:.*]]: tensor<32x784xf32>, %[[B:.*]]: tensor<784x512xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<32x512xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<32x512xf32>)
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<32x784xf32>, tensor<784x512xf32>) outs(%[[INIT]] : tensor<32x512xf32>)
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @matmul(%a: tensor<32x784xf32>, %b: tensor<784x512xf32>) -> tensor<32x512xf32> {
  %0 = nn.matmul %a, %b : tensor<32x784xf32>, tensor<784x512xf32>
  return %0 : tensor<32x512xf32>
}

// -----

/// A rank-3 matmul is a batch_matmul.
// CHECK-LABEL: func.func @batch_matmul(
// CHECK-SAME: %[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<2x4x5xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3x5xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<2x3x5xf32>)
// CHECK: %[[R:.*]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%[[INIT]] : tensor<2x3x5xf32>)
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @batch_matmul(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = nn.matmul %a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = nn.transpose %x perm = [2, 0, 1] : tensor<2x3x4xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

/// transpose moves any element type, here i1.
// CHECK-LABEL: func.func @transpose_mask(
// CHECK: linalg.transpose ins(%{{.*}} : tensor<4x2xi1>) outs(%{{.*}} : tensor<2x4xi1>) permutation = [1, 0]
// CHECK-NOT: nn.
func.func @transpose_mask(%x: tensor<4x2xi1>) -> tensor<2x4xi1> {
  %0 = nn.transpose %x perm = [1, 0] : tensor<4x2xi1>
  return %0 : tensor<2x4xi1>
}
