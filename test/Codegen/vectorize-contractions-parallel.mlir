// RUN: kiln-opt %s -kiln-vectorize-contractions="cache-tiles=4,16,4 register-tiles=2,8 parallel=true parallel-min-flops=512 parallel-min-size=4" -split-input-file | FileCheck %s
// RUN: kiln-opt %s -kiln-vectorize-contractions="cache-tiles=4,16,4 register-tiles=2,8" -split-input-file | FileCheck %s --check-prefix=SERIAL

/// parallel=true: the M cache-tile loop (the outermost, 8 / 4 = 2 tiles)
/// becomes an scf.parallel; the N, K and register loops stay scf.for, in
/// the same order inside it. Without the option nothing is parallel.
// CHECK-LABEL: func.func @over_m(
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: scf.parallel (%[[M:[a-z0-9_]+]]) = (%[[C0]]) to (%[[C8]]) step (%[[C4]]) {
// CHECK-NOT: scf.parallel
// CHECK: scf.for %{{.*}} = %[[C0]] to %{{.*}} step %{{.*}} {
// CHECK: vector.outerproduct
// CHECK: scf.reduce
// CHECK-NOT: kiln.parallel_tiles
// SERIAL-LABEL: func.func @over_m(
// SERIAL-NOT: scf.parallel
// SERIAL: return
func.func @over_m(%a: memref<8x8xf32>, %b: memref<8x32xf32>, %c: memref<8x32xf32>) {
  linalg.matmul ins(%a, %b : memref<8x8xf32>, memref<8x32xf32>)
                outs(%c : memref<8x32xf32>)
  return
}

// -----

/// M fits in one cache tile: the outermost loop is over N (32 / 16 = 2
/// tiles) and becomes the scf.parallel.
// CHECK-LABEL: func.func @over_n(
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: scf.parallel (%{{.*}}) = (%[[C0]]) to (%[[C32]]) step (%[[C16]]) {
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @over_n(%a: memref<4x8xf32>, %b: memref<8x32xf32>, %c: memref<4x32xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x32xf32>)
                outs(%c : memref<4x32xf32>)
  return
}

// -----

/// M and N fit in one tile: the only tile loop is over K, whose tiles
/// accumulate into the same result, so nothing runs in parallel.
// CHECK-LABEL: func.func @only_k(
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @only_k(%a: memref<4x64xf32>, %b: memref<64x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x64xf32>, memref<64x16xf32>)
                outs(%c : memref<4x16xf32>)
  return
}

// -----

/// Below parallel-min-flops (2 * 8 * 4 * 8 = 512 > 2 * 8 * 2 * 8 = 256):
/// serial, though its M loop has two tiles.
// CHECK-LABEL: func.func @small(
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @small(%a: memref<8x2xf32>, %b: memref<2x8xf32>, %c: memref<8x8xf32>) {
  linalg.matmul ins(%a, %b : memref<8x2xf32>, memref<2x8xf32>)
                outs(%c : memref<8x8xf32>)
  return
}

// -----

/// Enough operations (2 * 8 * 32 * 2 = 1024) and two M tiles, but K = 2 is
/// below parallel-min-size: serial.
// CHECK-LABEL: func.func @thin(
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @thin(%a: memref<8x2xf32>, %b: memref<2x32xf32>, %c: memref<8x32xf32>) {
  linalg.matmul ins(%a, %b : memref<8x2xf32>, memref<2x32xf32>)
                outs(%c : memref<8x32xf32>)
  return
}

// -----

/// One tile in M plus a remainder (6 = 4 + 2): the main loop has a single
/// iteration, so it stays serial; the peeled remainder is never parallel.
// CHECK-LABEL: func.func @one_tile_and_remainder(
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @one_tile_and_remainder(%a: memref<6x16xf32>, %b: memref<16x16xf32>, %c: memref<6x16xf32>) {
  linalg.matmul ins(%a, %b : memref<6x16xf32>, memref<16x16xf32>)
                outs(%c : memref<6x16xf32>)
  return
}

// -----

/// A matrix-vector product (M = 1) is far below the limits, but its right
/// operand is a 512 KiB argument that the function never writes, an
/// inference weight: its N tiles run in parallel, each thread reading the
/// same columns on every call, which stay in its core's cache.
// CHECK-LABEL: func.func @read_only_weight(
// CHECK: scf.parallel
// CHECK: vector.outerproduct
// SERIAL-LABEL: func.func @read_only_weight(
// SERIAL-NOT: scf.parallel
// SERIAL: return
func.func @read_only_weight(%x: memref<1x256xf32>, %w: memref<256x512xf32>, %y: memref<1x512xf32>) {
  linalg.matmul ins(%x, %w : memref<1x256xf32>, memref<256x512xf32>)
                outs(%y : memref<1x512xf32>)
  return
}

// -----

/// The same product in a training step, which updates the weight in place:
/// serial, since the update would move each half of it between the cores.
// CHECK-LABEL: func.func @written_weight(
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @written_weight(%x: memref<1x256xf32>, %w: memref<256x512xf32>, %y: memref<1x512xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.matmul ins(%x, %w : memref<1x256xf32>, memref<256x512xf32>)
                outs(%y : memref<1x512xf32>)
  linalg.fill ins(%zero : f32) outs(%w : memref<256x512xf32>)
  return
}
