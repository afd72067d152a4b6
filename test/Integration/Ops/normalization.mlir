// Differential test of the normalization ops: every function runs JIT and
// AOT on seeded random inputs and is compared with the f64 reference
// interpreter. Variances given to nn.batch_norm are exp(v) > 0. The compiled
// training ops accumulate the batch statistics in f64 and evaluate their
// elementwise pass in f64 (one rounding); batch_norm's pass is a few f32
// operations on terms of size <= ~20. So |compiled - ref| <= 1e-5 +
// 1e-5 |ref| (measured: at most 0.015 of it, 2.4e-7).
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-2,2 --rtol 1e-5 --atol 1e-5 --entry bn_rank2 --entry bn_rank4 --entry bn_train_rank2 --entry bn_train_rank3 --entry bn_train_rank4 --entry bn_train_large --entry bn_train_backward | FileCheck %s
// A batch far from zero (inputs in [99, 101)): the variance is taken from
// the deviations from the mean (two passes) and x - mean in f64, so the
// result stays exact where E[x^2] - E[x]^2, or x - mean with the mean
// rounded to f32, would lose the digits of the deviations.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t.offset --range=99,101 --rtol 1e-5 --atol 1e-5 --entry bn_train_offset | FileCheck %s --check-prefix=OFFSET

// CHECK-DAG: ok bn_rank2 aot
// CHECK-DAG: ok bn_rank2 jit
func.func @bn_rank2(%x: tensor<8x5xf32>, %g: tensor<5xf32>, %b: tensor<5xf32>, %m: tensor<5xf32>, %v: tensor<5xf32>) -> tensor<8x5xf32> {
  %var = nn.exp %v : tensor<5xf32>
  %0 = nn.batch_norm %x, %g, %b, %m, %var : tensor<8x5xf32>, tensor<5xf32>
  return %0 : tensor<8x5xf32>
}

/// NCHW with a large eps.
// CHECK-DAG: ok bn_rank4 aot
// CHECK-DAG: ok bn_rank4 jit
func.func @bn_rank4(%x: tensor<2x3x4x5xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %var = nn.exp %v : tensor<3xf32>
  %0 = nn.batch_norm %x, %g, %b, %m, %var eps = 0.5 : tensor<2x3x4x5xf32>, tensor<3xf32>
  return %0 : tensor<2x3x4x5xf32>
}

/// Training form: y and the running statistics, rank 2 (M = 8).
// CHECK-DAG: ok bn_train_rank2 aot
// CHECK-DAG: ok bn_train_rank2 jit
func.func @bn_train_rank2(%x: tensor<8x5xf32>, %g: tensor<5xf32>, %b: tensor<5xf32>, %m: tensor<5xf32>, %v: tensor<5xf32>)
    -> (tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v : tensor<8x5xf32>, tensor<5xf32>
  return %y, %rm, %rv : tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>
}

/// Rank 3 ([N, C, L]), momentum 1 (the running statistics are the batch's)
/// and the smallest batch, M = 2.
// CHECK-DAG: ok bn_train_rank3 aot
// CHECK-DAG: ok bn_train_rank3 jit
func.func @bn_train_rank3(%x: tensor<3x4x6xf32>, %x2: tensor<2x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>)
    -> (tensor<3x4x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v eps = 1.0e-3 momentum = 1.0 : tensor<3x4x6xf32>, tensor<4xf32>
  %y2, %rm2, %rv2 = nn.batch_norm_train %x2, %g, %b, %m, %v momentum = 0.0 : tensor<2x4xf32>, tensor<4xf32>
  return %y, %rm, %rv, %y2, %rm2, %rv2 : tensor<3x4x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>
}

/// NCHW, M = 4 * 7 * 6 = 168.
// CHECK-DAG: ok bn_train_rank4 aot
// CHECK-DAG: ok bn_train_rank4 jit
func.func @bn_train_rank4(%x: tensor<4x3x7x6xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<4x3x7x6xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v momentum = 0.3 : tensor<4x3x7x6xf32>, tensor<3xf32>
  return %y, %rm, %rv : tensor<4x3x7x6xf32>, tensor<3xf32>, tensor<3xf32>
}

/// A larger batch, M = 16 * 32 * 32 = 16384 values per channel.
// CHECK-DAG: ok bn_train_large aot
// CHECK-DAG: ok bn_train_large jit
func.func @bn_train_large(%x: tensor<16x4x32x32xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>)
    -> (tensor<16x4x32x32xf32>, tensor<4xf32>, tensor<4xf32>) {
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v : tensor<16x4x32x32xf32>, tensor<4xf32>
  return %y, %rm, %rv : tensor<16x4x32x32xf32>, tensor<4xf32>, tensor<4xf32>
}

/// gamma in [0, 2) and beta in [-1, 1) from inputs in [99, 101).
// OFFSET: ok bn_train_offset aot
// OFFSET: ok bn_train_offset jit
func.func @bn_train_offset(%x: tensor<8x2x5x5xf32>, %g: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>)
    -> (tensor<8x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>) {
  %c99 = nn.constant dense<99.0> : tensor<f32>
  %c100 = nn.constant dense<100.0> : tensor<f32>
  %gamma = nn.sub %g, %c99 : tensor<2xf32>, tensor<f32>
  %beta = nn.sub %b, %c100 : tensor<2xf32>, tensor<f32>
  %y, %rm, %rv = nn.batch_norm_train %x, %gamma, %beta, %m, %v : tensor<8x2x5x5xf32>, tensor<2xf32>
  return %y, %rm, %rv : tensor<8x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>
}

/// The backward helper, rank 2 and rank 4.
// CHECK-DAG: ok bn_train_backward aot
// CHECK-DAG: ok bn_train_backward jit
func.func @bn_train_backward(%dy: tensor<6x5xf32>, %x: tensor<6x5xf32>, %g: tensor<5xf32>, %dy4: tensor<3x2x4x4xf32>, %x4: tensor<3x2x4x4xf32>, %g4: tensor<2xf32>)
    -> (tensor<6x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<3x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>) {
  %dx, %dg, %db = nn.batch_norm_train_backward %dy, %x, %g : tensor<6x5xf32>, tensor<5xf32>
  %dx4, %dg4, %db4 = nn.batch_norm_train_backward %dy4, %x4, %g4 eps = 1.0e-2 : tensor<3x2x4x4xf32>, tensor<2xf32>
  return %dx, %dg, %db, %dx4, %dg4, %db4 : tensor<6x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<3x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>
}
