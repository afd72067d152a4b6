// RUN: kiln-opt %s -kiln-vectorize-contractions="cache-tiles=4,16,4 register-tiles=2,8" -split-input-file | FileCheck %s
// RUN: kiln-opt %s -kiln-vectorize-contractions -split-input-file | FileCheck %s --check-prefix=DEFAULT

/// Register tiles: the 2x8 accumulator is loaded row by row before the K
/// loop, carried through it in registers, and stored after it; each k step
/// loads one row of B and does one outer product with a column of A.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:.*]]: memref<4x3xf32>, %[[B:.*]]: memref<3x16xf32>, %[[C:.*]]: memref<4x16xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: scf.for %[[M:[a-z0-9_]+]] = %[[C0]] to %[[C4]] step %[[C2]] {
// CHECK: scf.for %[[N:[a-z0-9_]+]] = %[[C0]] to %[[C16]] step %[[C8]] {
// CHECK: %[[ROW0:.*]] = vector.load %[[C]][%[[M]], %[[N]]] : memref<4x16xf32>, vector<8xf32>
// CHECK: %[[ACC0:.*]] = vector.insert %[[ROW0]], %{{.*}} [0] : vector<8xf32> into vector<2x8xf32>
// CHECK: vector.load %[[C]]
// CHECK: %[[ACC:.*]] = vector.insert %{{.*}}, %[[ACC0]] [1] : vector<8xf32> into vector<2x8xf32>
// CHECK: %[[R:.*]] = scf.for %[[K:[a-z0-9_]+]] = %[[C0]] to %[[C3]] step %[[C1]] iter_args(%[[T:.*]] = %[[ACC]]) -> (vector<2x8xf32>) {
// CHECK-NOT: vector.load %[[C]]
// CHECK: memref.load %[[A]][%[[M]], %[[K]]] : memref<4x3xf32>
// CHECK: memref.load %[[A]]
// CHECK: %[[BROW:.*]] = vector.load %[[B]][%[[K]], %[[N]]] : memref<3x16xf32>, vector<8xf32>
// CHECK: %[[P:.*]] = vector.outerproduct %{{.*}}, %[[BROW]], %[[T]] {kind = #vector.kind<add>} : vector<2xf32>, vector<8xf32>
// CHECK-NOT: vector.store
// CHECK: scf.yield %[[P]] : vector<2x8xf32>
// CHECK: %[[OUT0:.*]] = vector.extract %[[R]][0] : vector<8xf32> from vector<2x8xf32>
// CHECK: vector.store %[[OUT0]], %[[C]][%[[M]], %[[N]]] : memref<4x16xf32>, vector<8xf32>
// CHECK: vector.extract %[[R]][1]
// CHECK: vector.store
// CHECK-NOT: linalg.matmul
// DEFAULT-LABEL: func.func @matmul(
// DEFAULT-NOT: linalg.matmul
// DEFAULT: vector.outerproduct %{{.*}} : vector<4xf32>, vector<16xf32>
// DEFAULT-NOT: linalg.matmul
// DEFAULT: return
func.func @matmul(%a: memref<4x3xf32>, %b: memref<3x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x3xf32>, memref<3x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

/// Sizes that the tiles do not divide: the last N tile (3 columns of 11) is
/// peeled into a separate kernel of static shape, and so is the last M
/// cache tile (1 row of 5); having fewer rows than the register tile, that
/// one gets a register tile twice as wide (16 columns, all 11 here), which
/// is then split at a multiple of half the register tile's width (4): 8
/// columns and 3.
// CHECK-LABEL: func.func @remainders(
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}}) -> (vector<2x8xf32>)
// CHECK: vector.outerproduct %{{.*}} : vector<2xf32>, vector<8xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}}) -> (vector<2x3xf32>)
// CHECK: vector.outerproduct %{{.*}} : vector<2xf32>, vector<3xf32>
// CHECK: vector.outerproduct %{{.*}} : vector<1xf32>, vector<8xf32>
// CHECK: vector.outerproduct %{{.*}} : vector<1xf32>, vector<3xf32>
// CHECK-NOT: vector<11xf32>
// CHECK-NOT: linalg.matmul
// CHECK: return
func.func @remainders(%a: memref<5x3xf32>, %b: memref<3x11xf32>, %c: memref<5x11xf32>) {
  linalg.matmul ins(%a, %b : memref<5x3xf32>, memref<3x11xf32>) outs(%c : memref<5x11xf32>)
  return
}

// -----

/// A register tile wider than one AVX-512 vector (16 floats) but not a
/// multiple of it is split: N = 120 is three 32-wide tiles and 24 columns,
/// run as 16 and 8 (an odd-sized vector<24xf32> goes through the stack).
// DEFAULT-LABEL: func.func @ragged(
// DEFAULT: vector.outerproduct %{{.*}} : vector<8xf32>, vector<32xf32>
// DEFAULT: vector.outerproduct %{{.*}} : vector<8xf32>, vector<16xf32>
// DEFAULT: vector.outerproduct %{{.*}} : vector<8xf32>, vector<8xf32>
// DEFAULT-NOT: vector<24xf32>
// DEFAULT: return
func.func @ragged(%a: memref<8x4xf32>, %b: memref<4x120xf32>, %c: memref<8x120xf32>) {
  linalg.matmul ins(%a, %b : memref<8x4xf32>, memref<4x120xf32>) outs(%c : memref<8x120xf32>)
  return
}

// -----

/// One row: the register tile is as many times wider as the register tile
/// has rows: 16 columns with the 2x8 tile; 256 with the default 8x32, capped
/// by the cache tile's 128 (8 accumulator registers instead of 2).
// CHECK-LABEL: func.func @one_row(
// CHECK: scf.for %{{.*}} iter_args(%{{.*}}) -> (vector<1x16xf32>)
// DEFAULT-LABEL: func.func @one_row(
// DEFAULT: scf.for %{{.*}} iter_args(%{{.*}}) -> (vector<1x128xf32>)
// DEFAULT: vector.outerproduct %{{.*}} : vector<1xf32>, vector<128xf32>
func.func @one_row(%a: memref<1x8xf32>, %b: memref<8x256xf32>, %c: memref<1x256xf32>) {
  linalg.matmul ins(%a, %b : memref<1x8xf32>, memref<8x256xf32>) outs(%c : memref<1x256xf32>)
  return
}

// -----

/// K is tiled by the cache tile (4) without peeling: the register kernel's K
/// loop runs to the size of the current K tile (4, then 2 for K = 10). With a
/// single M and N tile, the accumulator stays in registers across K tiles.
// CHECK-LABEL: func.func @k_tiles(
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C10:.*]] = arith.constant 10 : index
// CHECK: scf.for %[[K0:[a-z0-9_]+]] = %{{.*}} to %[[C10]] step %[[C4]] iter_args
// CHECK: %[[KT:.*]] = affine.min #{{.*}}(%[[K0]])
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[KT]] step %{{.*}} iter_args(%{{.*}}) -> (vector<2x8xf32>)
// CHECK-NOT: linalg.matmul
func.func @k_tiles(%a: memref<2x10xf32>, %b: memref<10x8xf32>, %c: memref<2x8xf32>) {
  linalg.matmul ins(%a, %b : memref<2x10xf32>, memref<10x8xf32>) outs(%c : memref<2x8xf32>)
  return
}

// -----

/// A transposed left operand (stored K x M) is read in place: a column of A
/// is one contiguous 2-element load.
// CHECK-LABEL: func.func @matmul_transpose_a(
// CHECK-SAME: %[[A:.*]]: memref<3x4xf32>
// CHECK: scf.for %[[K:[a-z0-9_]+]] = {{.*}} iter_args(%{{.*}}) -> (vector<2x8xf32>) {
// CHECK: %[[COL:.*]] = vector.load %[[A]][%[[K]], %{{.*}}] : memref<3x4xf32>, vector<2xf32>
// CHECK: vector.outerproduct %[[COL]], %{{.*}} : vector<2xf32>, vector<8xf32>
// CHECK-NOT: linalg.matmul_transpose_a
func.func @matmul_transpose_a(%a: memref<3x4xf32>, %b: memref<3x8xf32>, %c: memref<4x8xf32>) {
  linalg.matmul_transpose_a ins(%a, %b : memref<3x4xf32>, memref<3x8xf32>) outs(%c : memref<4x8xf32>)
  return
}

// -----

/// A batch of products is a loop over the batch around the same kernel.
// CHECK-LABEL: func.func @batch_matmul(
// CHECK-SAME: %[[A:.*]]: memref<3x2x4xf32>, %[[B:.*]]: memref<3x4x8xf32>, %[[C:.*]]: memref<3x2x8xf32>
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK: scf.for %[[I:[a-z0-9_]+]] = %{{.*}} to %[[C3]] step %{{.*}} {
// CHECK: vector.load %[[C]][%[[I]], %{{.*}}, %{{.*}}] : memref<3x2x8xf32>, vector<8xf32>
// CHECK: scf.for %[[K:[a-z0-9_]+]] = {{.*}} -> (vector<2x8xf32>) {
// CHECK: vector.load %[[B]][%[[I]], %[[K]], %{{.*}}] : memref<3x4x8xf32>, vector<8xf32>
// CHECK: vector.outerproduct
// CHECK-NOT: linalg.batch_matmul
func.func @batch_matmul(%a: memref<3x2x4xf32>, %b: memref<3x4x8xf32>, %c: memref<3x2x8xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x2x4xf32>, memref<3x4x8xf32>) outs(%c : memref<3x2x8xf32>)
  return
}

// -----

/// The batch form of a transposed left operand.
// CHECK-LABEL: func.func @batch_matmul_transpose_a(
// CHECK-SAME: %[[A:.*]]: memref<2x3x4xf32>
// CHECK: scf.for %[[I:[a-z0-9_]+]] =
// CHECK: scf.for %[[K:[a-z0-9_]+]] = {{.*}} -> (vector<2x8xf32>) {
// CHECK: vector.load %[[A]][%[[I]], %[[K]], %{{.*}}] : memref<2x3x4xf32>, vector<2xf32>
// CHECK-NOT: linalg.batch_matmul_transpose_a
func.func @batch_matmul_transpose_a(%a: memref<2x3x4xf32>, %b: memref<2x3x8xf32>, %c: memref<2x4x8xf32>) {
  linalg.batch_matmul_transpose_a ins(%a, %b : memref<2x3x4xf32>, memref<2x3x8xf32>) outs(%c : memref<2x4x8xf32>)
  return
}

// -----

/// Left for convert-linalg-to-loops: dynamic shapes, other element types,
/// tensors, empty products, a transposed right operand (whose rows are not
/// contiguous along N) and buffers with non-contiguous rows.
// CHECK-LABEL: func.func @unsupported(
// CHECK: linalg.matmul ins(%{{.*}} : memref<?x4xf32>, memref<4x8xf32>)
// CHECK: linalg.matmul ins(%{{.*}} : memref<2x4xf64>, memref<4x8xf64>)
// CHECK: linalg.matmul ins(%{{.*}} : tensor<2x4xf32>, tensor<4x8xf32>)
// CHECK: linalg.matmul ins(%{{.*}} : memref<2x0xf32>, memref<0x8xf32>)
// CHECK: linalg.matmul_transpose_b ins(%{{.*}} : memref<2x4xf32>, memref<8x4xf32>)
// CHECK: linalg.matmul ins(%{{.*}} : memref<2x4xf32, strided<[8, 2]>>, memref<4x8xf32>)
// CHECK-NOT: vector.
// CHECK-NOT: kiln.codegen_stage
func.func @unsupported(%a: memref<?x4xf32>, %b: memref<4x8xf32>, %c: memref<?x8xf32>,
                       %d: memref<2x4xf64>, %e: memref<4x8xf64>, %f: memref<2x8xf64>,
                       %t: tensor<2x4xf32>, %u: tensor<4x8xf32>, %v: tensor<2x8xf32>,
                       %g: memref<2x0xf32>, %h: memref<0x8xf32>, %i: memref<2x8xf32>,
                       %bt: memref<8x4xf32>, %j: memref<2x4xf32>,
                       %s: memref<2x4xf32, strided<[8, 2]>>) -> tensor<2x8xf32> {
  linalg.matmul ins(%a, %b : memref<?x4xf32>, memref<4x8xf32>) outs(%c : memref<?x8xf32>)
  linalg.matmul ins(%d, %e : memref<2x4xf64>, memref<4x8xf64>) outs(%f : memref<2x8xf64>)
  %r = linalg.matmul ins(%t, %u : tensor<2x4xf32>, tensor<4x8xf32>) outs(%v : tensor<2x8xf32>) -> tensor<2x8xf32>
  linalg.matmul ins(%g, %h : memref<2x0xf32>, memref<0x8xf32>) outs(%i : memref<2x8xf32>)
  linalg.matmul_transpose_b ins(%j, %bt : memref<2x4xf32>, memref<8x4xf32>) outs(%i : memref<2x8xf32>)
  linalg.matmul ins(%s, %b : memref<2x4xf32, strided<[8, 2]>>, memref<4x8xf32>) outs(%i : memref<2x8xf32>)
  return %r : tensor<2x8xf32>
}
