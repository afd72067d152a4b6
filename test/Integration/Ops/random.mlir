// Differential test of the random ops against the f64 reference
// interpreter, JIT and AOT. Both implement the integer generator of
// docs/Spec.md independently; dropout's result is 0 or x * f32(scale), one
// f32 product that the reference computes exactly, so the masks and the
// values must be IDENTICAL (tolerance 0). The normal samples are computed
// in f32 by the compiled code (log, sqrt, cos of values in (0, 6.3]) and
// in f64 by the reference: |compiled - ref| <= 1e-5 for stddev 1 and
// 1e-5 * stddev + 1e-5 |mean| otherwise. Keys come from --label-range.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t.drop --range=-2,2 --label-range=0,100000 --rtol 0 --atol 0 --entry dropout_rates --entry dropout_keys --entry dropout_shapes --entry dropout_twice | FileCheck %s --check-prefix=DROP
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t.normal --label-range=0,100000 --rtol 1e-5 --atol 1e-5 --entry normal_standard --entry normal_keys --entry normal_scaled | FileCheck %s --check-prefix=NORMAL

/// Rates 0.5, 0.2, 0 (nothing dropped, scale 1) and 0.9999; evaluation mode.
// DROP-DAG: ok dropout_rates aot
// DROP-DAG: ok dropout_rates jit
func.func @dropout_rates(%x: tensor<16x64xf32>)
    -> (tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>) {
  %0 = nn.dropout %x seed = 7 training : tensor<16x64xf32>
  %1 = nn.dropout %x rate = 0.2 seed = 7 training : tensor<16x64xf32>
  %2 = nn.dropout %x rate = 0.0 seed = 7 training : tensor<16x64xf32>
  %3 = nn.dropout %x rate = 0.9999 seed = 12345 training : tensor<16x64xf32>
  %4 = nn.dropout %x rate = 0.3 seed = 7 : tensor<16x64xf32>
  return %0, %1, %2, %3, %4 : tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>
}

/// Keys from the input and constants that need all 64 bits of the
/// arithmetic: a key beyond 2^32, a negative key, the seed -1 (2^64 - 1)
/// and the largest positive seed.
// DROP-DAG: ok dropout_keys aot
// DROP-DAG: ok dropout_keys jit
func.func @dropout_keys(%x: tensor<8x33xf32>, %key: tensor<i64>)
    -> (tensor<8x33xf32>, tensor<8x33xf32>, tensor<8x33xf32>, tensor<8x33xf32>) {
  %big = nn.constant dense<123456789012345> : tensor<i64>
  %neg = nn.constant dense<-5> : tensor<i64>
  %0 = nn.dropout %x, %key rate = 0.25 seed = 7 training : tensor<8x33xf32>
  %1 = nn.dropout %x, %big seed = -1 training : tensor<8x33xf32>
  %2 = nn.dropout %x, %neg rate = 0.75 seed = 9223372036854775807 training : tensor<8x33xf32>
  %3 = nn.dropout %x, %key rate = 0.1 seed = -8070450532247928832 training : tensor<8x33xf32>
  return %0, %1, %2, %3 : tensor<8x33xf32>, tensor<8x33xf32>, tensor<8x33xf32>, tensor<8x33xf32>
}

/// The row-major index over ranks 0, 1, 3 and 4.
// DROP-DAG: ok dropout_shapes aot
// DROP-DAG: ok dropout_shapes jit
func.func @dropout_shapes(%s: tensor<f32>, %v: tensor<100xf32>, %t: tensor<3x5x7xf32>, %i: tensor<2x3x4x5xf32>)
    -> (tensor<f32>, tensor<100xf32>, tensor<3x5x7xf32>, tensor<2x3x4x5xf32>) {
  %0 = nn.dropout %s seed = 1 training : tensor<f32>
  %1 = nn.dropout %v seed = 2 training : tensor<100xf32>
  %2 = nn.dropout %t rate = 0.4 seed = 3 training : tensor<3x5x7xf32>
  %3 = nn.dropout %i rate = 0.6 seed = 4 training : tensor<2x3x4x5xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<100xf32>, tensor<3x5x7xf32>, tensor<2x3x4x5xf32>
}

/// Dropout of dropout (the masks multiply) and dropout feeding arithmetic,
/// so that the generics are fused with their neighbours.
// DROP-DAG: ok dropout_twice aot
// DROP-DAG: ok dropout_twice jit
func.func @dropout_twice(%x: tensor<32x32xf32>, %key: tensor<i64>) -> (tensor<32x32xf32>, tensor<32x32xf32>) {
  %0 = nn.dropout %x, %key seed = 5 training : tensor<32x32xf32>
  %1 = nn.dropout %0, %key rate = 0.2 seed = 6 training : tensor<32x32xf32>
  %2 = nn.relu %x : tensor<32x32xf32>
  %3 = nn.dropout %2 rate = 0.5 seed = 5 training : tensor<32x32xf32>
  %4 = nn.add %3, %x : tensor<32x32xf32>, tensor<32x32xf32>
  return %1, %4 : tensor<32x32xf32>, tensor<32x32xf32>
}

/// Standard normal samples of several shapes and seeds.
// NORMAL-DAG: ok normal_standard aot
// NORMAL-DAG: ok normal_standard jit
func.func @normal_standard() -> (tensor<64x64xf32>, tensor<f32>, tensor<3x4x5xf32>, tensor<1000xf32>) {
  %0 = nn.random_normal : tensor<64x64xf32>
  %1 = nn.random_normal seed = 3 : tensor<f32>
  %2 = nn.random_normal seed = -1 : tensor<3x4x5xf32>
  %3 = nn.random_normal seed = 9223372036854775807 : tensor<1000xf32>
  return %0, %1, %2, %3 : tensor<64x64xf32>, tensor<f32>, tensor<3x4x5xf32>, tensor<1000xf32>
}

/// Keys: from the input, beyond 2^32, negative.
// NORMAL-DAG: ok normal_keys aot
// NORMAL-DAG: ok normal_keys jit
func.func @normal_keys(%key: tensor<i64>) -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) {
  %big = nn.constant dense<123456789012345> : tensor<i64>
  %neg = nn.constant dense<-5> : tensor<i64>
  %0 = nn.random_normal %key seed = 3 : tensor<16x16xf32>
  %1 = nn.random_normal %big seed = 3 : tensor<16x16xf32>
  %2 = nn.random_normal %neg seed = 3 : tensor<16x16xf32>
  return %0, %1, %2 : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>
}

/// mean and stddev; stddev 0 gives the mean exactly. The VAE's
/// reparameterization mu + exp(0.5 * logvar) * eps.
// NORMAL-DAG: ok normal_scaled aot
// NORMAL-DAG: ok normal_scaled jit
func.func @normal_scaled(%mu: tensor<8x4xf32>, %logvar: tensor<8x4xf32>) -> (tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>) {
  %0 = nn.random_normal seed = 11 mean = 0.5 stddev = 0.25 : tensor<8x4xf32>
  %1 = nn.random_normal seed = 11 mean = -0.75 stddev = 0.0 : tensor<8x4xf32>
  %eps = nn.random_normal seed = 12 : tensor<8x4xf32>
  %half = nn.constant dense<0.5> : tensor<f32>
  %h = nn.mul %logvar, %half : tensor<8x4xf32>, tensor<f32>
  %std = nn.exp %h : tensor<8x4xf32>
  %s = nn.mul %std, %eps : tensor<8x4xf32>, tensor<8x4xf32>
  %z = nn.add %mu, %s : tensor<8x4xf32>, tensor<8x4xf32>
  return %0, %1, %z : tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>
}
