// Differential test of the vectorized products (kiln-vectorize-contractions,
// kiln-fold-transpose-into-matmul, kiln-vectorize-transposes): shapes that
// the cache tiles (64, 128, 256) and register tiles (8, 32) do not divide,
// tiny and degenerate ones, transposed operands and batches. Every function
// runs JIT and AOT on seeded random inputs and is compared with the f64
// reference interpreter.
// Inputs uniform in [-1, 1); f32 sums of up to 784 products (with FMAs), so
// |compiled - ref| <= 1e-4 + 1e-4 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-1,1 --rtol 1e-4 --atol 1e-4 | FileCheck %s

// CHECK-DAG: ok mm_1x1x1 aot
// CHECK-DAG: ok mm_1x1x1 jit
func.func @mm_1x1x1(%a: tensor<1x1xf32>, %b: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %0 = nn.matmul %a, %b : tensor<1x1xf32>, tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// CHECK-DAG: ok mm_7x13x5 aot
// CHECK-DAG: ok mm_7x13x5 jit
func.func @mm_7x13x5(%a: tensor<7x13xf32>, %b: tensor<13x5xf32>) -> tensor<7x5xf32> {
  %0 = nn.matmul %a, %b : tensor<7x13xf32>, tensor<13x5xf32>
  return %0 : tensor<7x5xf32>
}

/// The MLP's last layer: K spans three full cache tiles and a remainder of
/// 16, N is below one vector.
// CHECK-DAG: ok mm_128x784x10 aot
// CHECK-DAG: ok mm_128x784x10 jit
func.func @mm_128x784x10(%a: tensor<128x784xf32>, %b: tensor<784x10xf32>) -> tensor<128x10xf32> {
  %0 = nn.matmul %a, %b : tensor<128x784xf32>, tensor<784x10xf32>
  return %0 : tensor<128x10xf32>
}

// CHECK-DAG: ok mm_3x129x257 aot
// CHECK-DAG: ok mm_3x129x257 jit
func.func @mm_3x129x257(%a: tensor<3x129xf32>, %b: tensor<129x257xf32>) -> tensor<3x257xf32> {
  %0 = nn.matmul %a, %b : tensor<3x129xf32>, tensor<129x257xf32>
  return %0 : tensor<3x257xf32>
}

/// One row (batch-1 inference).
// CHECK-DAG: ok mm_1x784x512 aot
// CHECK-DAG: ok mm_1x784x512 jit
func.func @mm_1x784x512(%a: tensor<1x784xf32>, %b: tensor<784x512xf32>) -> tensor<1x512xf32> {
  %0 = nn.matmul %a, %b : tensor<1x784xf32>, tensor<784x512xf32>
  return %0 : tensor<1x512xf32>
}

/// Remainders at both tile levels: M 70 = 64 + 6 (the 6 rows get a wider
/// register tile), N 140 = 128 + 12 and in each 128: 4 x 32, K 300 = 256 + 44.
// CHECK-DAG: ok mm_70x300x140 aot
// CHECK-DAG: ok mm_70x300x140 jit
func.func @mm_70x300x140(%a: tensor<70x300xf32>, %b: tensor<300x140xf32>) -> tensor<70x140xf32> {
  %0 = nn.matmul %a, %b : tensor<70x300xf32>, tensor<300x140xf32>
  return %0 : tensor<70x140xf32>
}

// CHECK-DAG: ok batch_3x7x13x33 aot
// CHECK-DAG: ok batch_3x7x13x33 jit
func.func @batch_3x7x13x33(%a: tensor<3x7x13xf32>, %b: tensor<3x13x33xf32>) -> tensor<3x7x33xf32> {
  %0 = nn.matmul %a, %b : tensor<3x7x13xf32>, tensor<3x13x33xf32>
  return %0 : tensor<3x7x33xf32>
}

/// Gradient shapes: xᵀ · dy (read in place as matmul_transpose_a) and
/// dy · Wᵀ (W transposed by blocks first), with remainders.
// CHECK-DAG: ok transposed_a_200x37x70 aot
// CHECK-DAG: ok transposed_a_200x37x70 jit
func.func @transposed_a_200x37x70(%x: tensor<37x200xf32>, %dy: tensor<37x70xf32>) -> tensor<200x70xf32> {
  %t = nn.transpose %x perm = [1, 0] : tensor<37x200xf32>
  %0 = nn.matmul %t, %dy : tensor<200x37xf32>, tensor<37x70xf32>
  return %0 : tensor<200x70xf32>
}

// CHECK-DAG: ok transposed_b_37x70x200 aot
// CHECK-DAG: ok transposed_b_37x70x200 jit
func.func @transposed_b_37x70x200(%dy: tensor<37x70xf32>, %w: tensor<200x70xf32>) -> tensor<37x200xf32> {
  %t = nn.transpose %w perm = [1, 0] : tensor<200x70xf32>
  %0 = nn.matmul %dy, %t : tensor<37x70xf32>, tensor<70x200xf32>
  return %0 : tensor<37x200xf32>
}

/// Both operands transposed, in batches.
// CHECK-DAG: ok batch_transposed_2x9x17x21 aot
// CHECK-DAG: ok batch_transposed_2x9x17x21 jit
func.func @batch_transposed_2x9x17x21(%a: tensor<2x17x9xf32>, %b: tensor<2x21x17xf32>) -> tensor<2x9x21xf32> {
  %ta = nn.transpose %a perm = [0, 2, 1] : tensor<2x17x9xf32>
  %tb = nn.transpose %b perm = [0, 2, 1] : tensor<2x21x17xf32>
  %0 = nn.matmul %ta, %tb : tensor<2x9x17xf32>, tensor<2x17x21xf32>
  return %0 : tensor<2x9x21xf32>
}

/// A product whose result feeds another product and an elementwise op
/// (bufferization reuses buffers between them).
// CHECK-DAG: ok chain_5x33x17x9 aot
// CHECK-DAG: ok chain_5x33x17x9 jit
func.func @chain_5x33x17x9(%a: tensor<5x33xf32>, %b: tensor<33x17xf32>, %c: tensor<17x9xf32>) -> (tensor<5x9xf32>, tensor<5x17xf32>) {
  %0 = nn.matmul %a, %b : tensor<5x33xf32>, tensor<33x17xf32>
  %1 = nn.matmul %0, %c : tensor<5x17xf32>, tensor<17x9xf32>
  %2 = nn.relu %0 : tensor<5x17xf32>
  return %1, %2 : tensor<5x9xf32>, tensor<5x17xf32>
}
