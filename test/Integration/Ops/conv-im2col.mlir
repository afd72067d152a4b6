// Differential test of the convolutions lowered as im2col products (groups =
// 1, lib/Conversion/NNToLinalg/Convolution.cpp): every attribute at once
// (stride 2, dilation 2, padding) in the three ops, non-square kernels,
// products whose sizes the cache tiles (64, 128, 256) and register tiles
// (8, 32) do not divide (F = 13 and 70, C*KH*KW = 27, 50 and 261, N*OH*OW =
// 70 and 162), batch 1, and batches computed in blocks of examples
// (scf.for).
// Every function runs JIT and AOT on seeded random inputs and is compared
// with the f64 reference interpreter.
// Inputs uniform in [-1, 1); f32 sums of up to 630 products (with FMAs), so
// |compiled - ref| <= 1e-4 + 1e-4 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-1,1 --rtol 1e-4 --atol 1e-4 | FileCheck %s

/// Stride 2, dilation 2 and padding [2, 1]: OH = (13 + 4 - 4 - 1) / 2 + 1 =
/// 7, OW = (12 + 2 - 4 - 1) / 2 + 1 = 5. The product is 13x27 x 27x70: M
/// and N peel a partial register tile.
// CHECK-DAG: ok im2col_s2d2p aot
// CHECK-DAG: ok im2col_s2d2p jit
func.func @im2col_s2d2p(%x: tensor<2x3x13x12xf32>, %w: tensor<13x3x3x3xf32>, %b: tensor<13xf32>) -> tensor<2x13x7x5xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [2, 2] padding = [2, 1] dilation = [2, 2] : tensor<2x3x13x12xf32>, tensor<13x3x3x3xf32>, tensor<13xf32>
  return %0 : tensor<2x13x7x5xf32>
}

/// Its two gradients: 3x117 x 117x312 (the frame of the strided output
/// gradient is 2x13x21x18) and, transposed, 27x70 x 70x13.
// CHECK-DAG: ok im2col_s2d2p_backward_input aot
// CHECK-DAG: ok im2col_s2d2p_backward_input jit
func.func @im2col_s2d2p_backward_input(%dy: tensor<2x13x7x5xf32>, %w: tensor<13x3x3x3xf32>) -> tensor<2x3x13x12xf32> {
  %0 = nn.conv2d_backward_input %dy, %w stride = [2, 2] padding = [2, 1] dilation = [2, 2] : tensor<2x13x7x5xf32>, tensor<13x3x3x3xf32> -> tensor<2x3x13x12xf32>
  return %0 : tensor<2x3x13x12xf32>
}

// CHECK-DAG: ok im2col_s2d2p_backward_filter aot
// CHECK-DAG: ok im2col_s2d2p_backward_filter jit
func.func @im2col_s2d2p_backward_filter(%dy: tensor<2x13x7x5xf32>, %x: tensor<2x3x13x12xf32>) -> tensor<13x3x3x3xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x stride = [2, 2] padding = [2, 1] dilation = [2, 2] : tensor<2x13x7x5xf32>, tensor<2x3x13x12xf32> -> tensor<13x3x3x3xf32>
  return %0 : tensor<13x3x3x3xf32>
}

/// A 2x5 kernel with stride [1, 2], dilation [2, 1] and padding [1, 2]:
/// OH = (9 + 2 - 2 - 1) / 1 + 1 = 9, OW = (11 + 4 - 4 - 1) / 2 + 1 = 6;
/// 9x50 x 50x162 for the forward product.
// CHECK-DAG: ok im2col_nonsquare aot
// CHECK-DAG: ok im2col_nonsquare jit
func.func @im2col_nonsquare(%x: tensor<3x5x9x11xf32>, %w: tensor<9x5x2x5xf32>, %b: tensor<9xf32>) -> tensor<3x9x9x6xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [1, 2] padding = [1, 2] dilation = [2, 1] : tensor<3x5x9x11xf32>, tensor<9x5x2x5xf32>, tensor<9xf32>
  return %0 : tensor<3x9x9x6xf32>
}

// CHECK-DAG: ok im2col_nonsquare_backward_input aot
// CHECK-DAG: ok im2col_nonsquare_backward_input jit
func.func @im2col_nonsquare_backward_input(%dy: tensor<3x9x9x6xf32>, %w: tensor<9x5x2x5xf32>) -> tensor<3x5x9x11xf32> {
  %0 = nn.conv2d_backward_input %dy, %w stride = [1, 2] padding = [1, 2] dilation = [2, 1] : tensor<3x9x9x6xf32>, tensor<9x5x2x5xf32> -> tensor<3x5x9x11xf32>
  return %0 : tensor<3x5x9x11xf32>
}

// CHECK-DAG: ok im2col_nonsquare_backward_filter aot
// CHECK-DAG: ok im2col_nonsquare_backward_filter jit
func.func @im2col_nonsquare_backward_filter(%dy: tensor<3x9x9x6xf32>, %x: tensor<3x5x9x11xf32>) -> tensor<9x5x2x5xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x stride = [1, 2] padding = [1, 2] dilation = [2, 1] : tensor<3x9x9x6xf32>, tensor<3x5x9x11xf32> -> tensor<9x5x2x5xf32>
  return %0 : tensor<9x5x2x5xf32>
}

/// Products across cache tiles: forward 70x261 x 261x162 (M = 64 + 6,
/// N = 128 + 34, K = 256 + 5); input gradient 29x630 x 630x121 per example
/// (K = 2 x 256 + 118; 630 x 121 is over 64K elements, so one example per
/// block); filter gradient, transposed, 261x162 x 162x70.
// CHECK-DAG: ok im2col_tiles aot
// CHECK-DAG: ok im2col_tiles jit
func.func @im2col_tiles(%x: tensor<2x29x11x11xf32>, %w: tensor<70x29x3x3xf32>) -> tensor<2x70x9x9xf32> {
  %0 = nn.conv2d %x, %w : tensor<2x29x11x11xf32>, tensor<70x29x3x3xf32>
  return %0 : tensor<2x70x9x9xf32>
}

// CHECK-DAG: ok im2col_tiles_backward_input aot
// CHECK-DAG: ok im2col_tiles_backward_input jit
func.func @im2col_tiles_backward_input(%dy: tensor<2x70x9x9xf32>, %w: tensor<70x29x3x3xf32>) -> tensor<2x29x11x11xf32> {
  %0 = nn.conv2d_backward_input %dy, %w : tensor<2x70x9x9xf32>, tensor<70x29x3x3xf32> -> tensor<2x29x11x11xf32>
  return %0 : tensor<2x29x11x11xf32>
}

// CHECK-DAG: ok im2col_tiles_backward_filter aot
// CHECK-DAG: ok im2col_tiles_backward_filter jit
func.func @im2col_tiles_backward_filter(%dy: tensor<2x70x9x9xf32>, %x: tensor<2x29x11x11xf32>) -> tensor<70x29x3x3xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x : tensor<2x70x9x9xf32>, tensor<2x29x11x11xf32> -> tensor<70x29x3x3xf32>
  return %0 : tensor<70x29x3x3xf32>
}

/// Batch 1 with padding 1.
// CHECK-DAG: ok im2col_batch1 aot
// CHECK-DAG: ok im2col_batch1 jit
func.func @im2col_batch1(%x: tensor<1x4x10x10xf32>, %w: tensor<12x4x3x3xf32>, %b: tensor<12xf32>) -> tensor<1x12x10x10xf32> {
  %0 = nn.conv2d %x, %w, %b padding = [1, 1] : tensor<1x4x10x10xf32>, tensor<12x4x3x3xf32>, tensor<12xf32>
  return %0 : tensor<1x12x10x10xf32>
}

// CHECK-DAG: ok im2col_batch1_backward_input aot
// CHECK-DAG: ok im2col_batch1_backward_input jit
func.func @im2col_batch1_backward_input(%dy: tensor<1x12x10x10xf32>, %w: tensor<12x4x3x3xf32>) -> tensor<1x4x10x10xf32> {
  %0 = nn.conv2d_backward_input %dy, %w padding = [1, 1] : tensor<1x12x10x10xf32>, tensor<12x4x3x3xf32> -> tensor<1x4x10x10xf32>
  return %0 : tensor<1x4x10x10xf32>
}

// CHECK-DAG: ok im2col_batch1_backward_filter aot
// CHECK-DAG: ok im2col_batch1_backward_filter jit
func.func @im2col_batch1_backward_filter(%dy: tensor<1x12x10x10xf32>, %x: tensor<1x4x10x10xf32>) -> tensor<12x4x3x3xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x padding = [1, 1] : tensor<1x12x10x10xf32>, tensor<1x4x10x10xf32> -> tensor<12x4x3x3xf32>
  return %0 : tensor<12x4x3x3xf32>
}

/// LeNet's second convolution and its gradients in one function: 16x150 x
/// 150x200, 6x400 x 400x196 per example and 150x200 x 200x16.
// CHECK-DAG: ok im2col_lenet2 aot
// CHECK-DAG: ok im2col_lenet2 jit
func.func @im2col_lenet2(%x: tensor<2x6x14x14xf32>, %w: tensor<16x6x5x5xf32>, %b: tensor<16xf32>, %dy: tensor<2x16x10x10xf32>) -> (tensor<2x16x10x10xf32>, tensor<2x6x14x14xf32>, tensor<16x6x5x5xf32>) {
  %0 = nn.conv2d %x, %w, %b : tensor<2x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>
  %1 = nn.conv2d_backward_input %dy, %w : tensor<2x16x10x10xf32>, tensor<16x6x5x5xf32> -> tensor<2x6x14x14xf32>
  %2 = nn.conv2d_backward_filter %dy, %x : tensor<2x16x10x10xf32>, tensor<2x6x14x14xf32> -> tensor<16x6x5x5xf32>
  return %0, %1, %2 : tensor<2x16x10x10xf32>, tensor<2x6x14x14xf32>, tensor<16x6x5x5xf32>
}

/// Batch blocks: the im2col matrices of the whole batch exceed 64K elements,
/// so each op runs in an scf.for over blocks of 3 examples (the forward and
/// filter-gradient matrices have 72 x 256 elements per example, the input
/// gradient's 45 x 324).
// CHECK-DAG: ok im2col_blocks3 aot
// CHECK-DAG: ok im2col_blocks3 jit
func.func @im2col_blocks3(%x: tensor<6x8x18x18xf32>, %w: tensor<5x8x3x3xf32>, %b: tensor<5xf32>, %dy: tensor<6x5x16x16xf32>) -> (tensor<6x5x16x16xf32>, tensor<6x8x18x18xf32>, tensor<5x8x3x3xf32>) {
  %0 = nn.conv2d %x, %w, %b : tensor<6x8x18x18xf32>, tensor<5x8x3x3xf32>, tensor<5xf32>
  %1 = nn.conv2d_backward_input %dy, %w : tensor<6x5x16x16xf32>, tensor<5x8x3x3xf32> -> tensor<6x8x18x18xf32>
  %2 = nn.conv2d_backward_filter %dy, %x : tensor<6x5x16x16xf32>, tensor<6x8x18x18xf32> -> tensor<5x8x3x3xf32>
  return %0, %1, %2 : tensor<6x5x16x16xf32>, tensor<6x8x18x18xf32>, tensor<5x8x3x3xf32>
}

/// Blocks of one example: with padding 1 every matrix has 72 x 324 or
/// 45 x 324 elements per example, and no divisor of 5 above 1 fits.
// CHECK-DAG: ok im2col_blocks1 aot
// CHECK-DAG: ok im2col_blocks1 jit
func.func @im2col_blocks1(%x: tensor<5x8x18x18xf32>, %w: tensor<5x8x3x3xf32>, %b: tensor<5xf32>, %dy: tensor<5x5x18x18xf32>) -> (tensor<5x5x18x18xf32>, tensor<5x8x18x18xf32>, tensor<5x8x3x3xf32>) {
  %0 = nn.conv2d %x, %w, %b padding = [1, 1] : tensor<5x8x18x18xf32>, tensor<5x8x3x3xf32>, tensor<5xf32>
  %1 = nn.conv2d_backward_input %dy, %w padding = [1, 1] : tensor<5x5x18x18xf32>, tensor<5x8x3x3xf32> -> tensor<5x8x18x18xf32>
  %2 = nn.conv2d_backward_filter %dy, %x padding = [1, 1] : tensor<5x5x18x18xf32>, tensor<5x8x18x18xf32> -> tensor<5x8x3x3xf32>
  return %0, %1, %2 : tensor<5x5x18x18xf32>, tensor<5x8x18x18xf32>, tensor<5x8x3x3xf32>
}
