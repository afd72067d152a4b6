// RUN: kiln-opt %s -kiln-vectorize-transposes=tile=4 -split-input-file | FileCheck %s
// RUN: kiln-opt %s -kiln-vectorize-transposes -split-input-file | FileCheck %s --check-prefix=DEFAULT
// RUN: not kiln-opt %s -kiln-vectorize-transposes=tile=0 -split-input-file 2>&1 | FileCheck %s --check-prefix=BADTILE

// BADTILE: error: kiln-vectorize-transposes: tile must be positive

/// 4x4 blocks: four row loads, one shuffle of the block, four row stores
/// into the transposed position.
// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: %[[IN:.*]]: memref<8x4xf32>, %[[OUT:.*]]: memref<4x8xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: scf.for %[[I:[a-z0-9_]+]] = %[[C0]] to %[[C8]] step %[[C4]] {
// CHECK: %[[R0:.*]] = vector.load %[[IN]][%[[I]], %[[C0]]] : memref<8x4xf32>, vector<4xf32>
// CHECK-COUNT-3: vector.load %[[IN]]
// CHECK: %[[T:.*]] = vector.shuffle %{{.*}} [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]
// CHECK: %[[S0:.*]] = vector.extract_strided_slice %[[T]] {offsets = [0], sizes = [4], strides = [1]}
// CHECK: %[[S1:.*]] = vector.extract_strided_slice %[[T]] {offsets = [4], sizes = [4], strides = [1]}
// CHECK: vector.store %[[S0]], %[[OUT]][%[[C0]], %[[I]]] : memref<4x8xf32>, vector<4xf32>
// CHECK: vector.store %[[S1]], %[[OUT]][%[[C1]], %[[I]]] : memref<4x8xf32>, vector<4xf32>
// CHECK-COUNT-2: vector.store
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @transpose(%a: memref<8x4xf32>, %b: memref<4x8xf32>) {
  linalg.transpose ins(%a : memref<8x4xf32>) outs(%b : memref<4x8xf32>) permutation = [1, 0]
  return
}

// -----

/// Full 16x16 blocks (the default) go through the 16x16 shuffle network:
/// 16 loads, 64 two-input shuffles, 16 stores per block.
// DEFAULT-LABEL: func.func @transpose16(
// DEFAULT: scf.for
// DEFAULT-COUNT-16: vector.load
// DEFAULT-COUNT-64: vector.shuffle
// DEFAULT-COUNT-16: vector.store
// DEFAULT-NOT: linalg.transpose
// DEFAULT: return
func.func @transpose16(%a: memref<32x16xf32>, %b: memref<16x32xf32>) {
  linalg.transpose ins(%a : memref<32x16xf32>) outs(%b : memref<16x32xf32>) permutation = [1, 0]
  return
}

// -----

/// Sizes that the block does not divide: the remainder (the last row of 5)
/// is a separate block of static shape, here 1x3, read with one load and
/// written element by element.
// CHECK-LABEL: func.func @remainder(
// CHECK-SAME: %[[IN:.*]]: memref<5x3xf32>, %[[OUT:.*]]: memref<3x5xf32>
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-COUNT-4: vector.load %[[IN]]{{.*}} : memref<5x3xf32>, vector<3xf32>
// CHECK: vector.shuffle
// CHECK-COUNT-3: vector.store
// CHECK: %[[LAST:.*]] = vector.load %[[IN]][%[[C4]], %{{.*}}] : memref<5x3xf32>, vector<3xf32>
// CHECK: %[[E:.*]] = vector.extract %[[LAST]][0] : f32 from vector<3xf32>
// CHECK: memref.store %[[E]], %[[OUT]][%{{.*}}, %[[C4]]] : memref<3x5xf32>
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @remainder(%a: memref<5x3xf32>, %b: memref<3x5xf32>) {
  linalg.transpose ins(%a : memref<5x3xf32>) outs(%b : memref<3x5xf32>) permutation = [1, 0]
  return
}

// -----

/// Leading dimensions that the permutation keeps become loops around 2-D
/// blocks.
// CHECK-LABEL: func.func @batch(
// CHECK-SAME: %[[IN:.*]]: memref<2x4x4xf32>, %[[OUT:.*]]: memref<2x4x4xf32>
// CHECK: scf.for %[[B:[a-z0-9_]+]] =
// CHECK: vector.load %[[IN]][%[[B]], %{{.*}}, %{{.*}}] : memref<2x4x4xf32>, vector<4xf32>
// CHECK: vector.shuffle
// CHECK: vector.store %{{.*}}, %[[OUT]][%[[B]], %{{.*}}, %{{.*}}] : memref<2x4x4xf32>, vector<4xf32>
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @batch(%a: memref<2x4x4xf32>, %b: memref<2x4x4xf32>) {
  linalg.transpose ins(%a : memref<2x4x4xf32>) outs(%b : memref<2x4x4xf32>) permutation = [0, 2, 1]
  return
}

// -----

/// Left for convert-linalg-to-loops: other permutations, dynamic shapes,
/// other element types, tensors and buffers with non-contiguous rows.
// CHECK-LABEL: func.func @unsupported(
// CHECK: linalg.transpose ins(%{{.*}} : memref<2x3x4xf32>) outs(%{{.*}} : memref<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: linalg.transpose ins(%{{.*}} : memref<?x4xf32>)
// CHECK: linalg.transpose ins(%{{.*}} : memref<4x4xf64>)
// CHECK: linalg.transpose ins(%{{.*}} : tensor<4x4xf32>)
// CHECK: linalg.transpose ins(%{{.*}} : memref<4x4xf32, strided<[8, 2]>>)
// CHECK-NOT: vector.
// CHECK-NOT: kiln.codegen_stage
func.func @unsupported(%a: memref<2x3x4xf32>, %b: memref<4x2x3xf32>,
                       %c: memref<?x4xf32>, %d: memref<4x?xf32>,
                       %e: memref<4x4xf64>, %f: memref<4x4xf64>,
                       %t: tensor<4x4xf32>, %u: tensor<4x4xf32>,
                       %s: memref<4x4xf32, strided<[8, 2]>>, %o: memref<4x4xf32>) -> tensor<4x4xf32> {
  linalg.transpose ins(%a : memref<2x3x4xf32>) outs(%b : memref<4x2x3xf32>) permutation = [2, 0, 1]
  linalg.transpose ins(%c : memref<?x4xf32>) outs(%d : memref<4x?xf32>) permutation = [1, 0]
  linalg.transpose ins(%e : memref<4x4xf64>) outs(%f : memref<4x4xf64>) permutation = [1, 0]
  %r = linalg.transpose ins(%t : tensor<4x4xf32>) outs(%u : tensor<4x4xf32>) permutation = [1, 0]
  linalg.transpose ins(%s : memref<4x4xf32, strided<[8, 2]>>) outs(%o : memref<4x4xf32>) permutation = [1, 0]
  return %r : tensor<4x4xf32>
}
