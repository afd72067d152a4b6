// RUN: kiln-opt %s -kiln-fold-transpose-into-matmul -split-input-file | FileCheck %s

/// xᵀ · dy reads x in place; the transposed copy disappears.
// CHECK-LABEL: func.func @transpose_a(
// CHECK-SAME: %[[X:.*]]: tensor<128x784xf32>, %[[DY:.*]]: tensor<128x512xf32>, %[[Z:.*]]: tensor<784x512xf32>
// CHECK-NOT: linalg.transpose
// CHECK: %[[P:.*]] = linalg.matmul_transpose_a ins(%[[X]], %[[DY]] : tensor<128x784xf32>, tensor<128x512xf32>) outs(%[[Z]] : tensor<784x512xf32>) -> tensor<784x512xf32>
// CHECK: return %[[P]]
func.func @transpose_a(%x: tensor<128x784xf32>, %dy: tensor<128x512xf32>, %z: tensor<784x512xf32>) -> tensor<784x512xf32> {
  %e = tensor.empty() : tensor<784x128xf32>
  %t = linalg.transpose ins(%x : tensor<128x784xf32>) outs(%e : tensor<784x128xf32>) permutation = [1, 0]
  %p = linalg.matmul ins(%t, %dy : tensor<784x128xf32>, tensor<128x512xf32>) outs(%z : tensor<784x512xf32>) -> tensor<784x512xf32>
  return %p : tensor<784x512xf32>
}

// -----

/// The batch form: the permutation keeps the batch dimension.
// CHECK-LABEL: func.func @batch_transpose_a(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4xf32>, %[[DY:.*]]: tensor<2x3x5xf32>
// CHECK-NOT: linalg.transpose
// CHECK: linalg.batch_matmul_transpose_a ins(%[[X]], %[[DY]] : tensor<2x3x4xf32>, tensor<2x3x5xf32>)
func.func @batch_transpose_a(%x: tensor<2x3x4xf32>, %dy: tensor<2x3x5xf32>, %z: tensor<2x4x5xf32>) -> tensor<2x4x5xf32> {
  %e = tensor.empty() : tensor<2x4x3xf32>
  %t = linalg.transpose ins(%x : tensor<2x3x4xf32>) outs(%e : tensor<2x4x3xf32>) permutation = [0, 2, 1]
  %p = linalg.batch_matmul ins(%t, %dy : tensor<2x4x3xf32>, tensor<2x3x5xf32>) outs(%z : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %p : tensor<2x4x5xf32>
}

// -----

/// A transpose with another user stays for it; the product still reads the
/// original.
// CHECK-LABEL: func.func @shared_transpose(
// CHECK-SAME: %[[X:.*]]: tensor<3x4xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]]
// CHECK: linalg.matmul_transpose_a ins(%[[X]],
// CHECK: return %{{.*}}, %[[T]]
func.func @shared_transpose(%x: tensor<3x4xf32>, %b: tensor<3x5xf32>, %z: tensor<4x5xf32>) -> (tensor<4x5xf32>, tensor<4x3xf32>) {
  %e = tensor.empty() : tensor<4x3xf32>
  %t = linalg.transpose ins(%x : tensor<3x4xf32>) outs(%e : tensor<4x3xf32>) permutation = [1, 0]
  %p = linalg.matmul ins(%t, %b : tensor<4x3xf32>, tensor<3x5xf32>) outs(%z : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %p, %t : tensor<4x5xf32>, tensor<4x3xf32>
}

// -----

/// Not folded: a transposed right operand (the kernel reads B by rows), a
/// batch transpose that moves the batch dimension, integer products, and
/// buffers.
// CHECK-LABEL: func.func @not_folded(
// CHECK: %[[TB:.*]] = linalg.transpose
// CHECK: linalg.matmul ins(%{{.*}}, %[[TB]] :
// CHECK: %[[TBATCH:.*]] = linalg.transpose
// CHECK: linalg.batch_matmul ins(%[[TBATCH]],
// CHECK: %[[TI:.*]] = linalg.transpose
// CHECK: linalg.matmul ins(%[[TI]],
// CHECK: linalg.transpose ins(%{{.*}} : memref<4x3xf32>)
// CHECK: linalg.matmul ins(%{{.*}} : memref<3x4xf32>, memref<4x5xf32>)
// CHECK-NOT: transpose_a
func.func @not_folded(%a: tensor<4x3xf32>, %b: tensor<5x3xf32>, %z: tensor<4x5xf32>,
                      %x: tensor<3x2x4xf32>, %dy: tensor<2x3x5xf32>, %zb: tensor<2x4x5xf32>,
                      %i: tensor<3x4xi32>, %j: tensor<3x5xi32>, %zi: tensor<4x5xi32>,
                      %m: memref<4x3xf32>, %mt: memref<3x4xf32>, %mb: memref<4x5xf32>, %mz: memref<3x5xf32>)
    -> (tensor<4x5xf32>, tensor<2x4x5xf32>, tensor<4x5xi32>) {
  %e = tensor.empty() : tensor<3x5xf32>
  %tb = linalg.transpose ins(%b : tensor<5x3xf32>) outs(%e : tensor<3x5xf32>) permutation = [1, 0]
  %p = linalg.matmul ins(%a, %tb : tensor<4x3xf32>, tensor<3x5xf32>) outs(%z : tensor<4x5xf32>) -> tensor<4x5xf32>
  %eb = tensor.empty() : tensor<2x4x3xf32>
  %tx = linalg.transpose ins(%x : tensor<3x2x4xf32>) outs(%eb : tensor<2x4x3xf32>) permutation = [1, 2, 0]
  %q = linalg.batch_matmul ins(%tx, %dy : tensor<2x4x3xf32>, tensor<2x3x5xf32>) outs(%zb : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %ei = tensor.empty() : tensor<4x3xi32>
  %ti = linalg.transpose ins(%i : tensor<3x4xi32>) outs(%ei : tensor<4x3xi32>) permutation = [1, 0]
  %r = linalg.matmul ins(%ti, %j : tensor<4x3xi32>, tensor<3x5xi32>) outs(%zi : tensor<4x5xi32>) -> tensor<4x5xi32>
  linalg.transpose ins(%m : memref<4x3xf32>) outs(%mt : memref<3x4xf32>) permutation = [1, 0]
  linalg.matmul ins(%mt, %mb : memref<3x4xf32>, memref<4x5xf32>) outs(%mz : memref<3x5xf32>)
  return %p, %q, %r : tensor<4x5xf32>, tensor<2x4x5xf32>, tensor<4x5xi32>
}
