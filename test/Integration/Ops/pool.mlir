// Differential test of the pooling ops, max_pool2d_backward and flatten:
// every function runs JIT and AOT on seeded random inputs and is compared
// with the f64 reference interpreter. Inputs uniform in [-1, 1); maxima and
// routed gradients are exact, averages sum at most 9 terms, so
// |compiled - ref| <= 1e-6 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-1,1 --rtol 1e-5 --atol 1e-6 | FileCheck %s

// CHECK-DAG: ok max_pool aot
// CHECK-DAG: ok max_pool jit
func.func @max_pool(%x: tensor<2x3x9x9xf32>) -> (tensor<2x3x4x4xf32>, tensor<2x3x5x5xf32>, tensor<2x3x8x5xf32>) {
  %0 = nn.max_pool2d %x kernel = [2, 2] : tensor<2x3x9x9xf32>
  %1 = nn.max_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>
  %2 = nn.max_pool2d %x kernel = [2, 3] stride = [1, 2] padding = [0, 1] : tensor<2x3x9x9xf32>
  return %0, %1, %2 : tensor<2x3x4x4xf32>, tensor<2x3x5x5xf32>, tensor<2x3x8x5xf32>
}

/// Padded positions count as zeros in the divisor (count_include_pad).
// CHECK-DAG: ok avg_pool aot
// CHECK-DAG: ok avg_pool jit
func.func @avg_pool(%x: tensor<2x3x9x9xf32>) -> (tensor<2x3x4x4xf32>, tensor<2x3x5x5xf32>, tensor<2x3x8x5xf32>) {
  %0 = nn.avg_pool2d %x kernel = [2, 2] : tensor<2x3x9x9xf32>
  %1 = nn.avg_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>
  %2 = nn.avg_pool2d %x kernel = [2, 3] stride = [1, 2] padding = [0, 1] : tensor<2x3x9x9xf32>
  return %0, %1, %2 : tensor<2x3x4x4xf32>, tensor<2x3x5x5xf32>, tensor<2x3x8x5xf32>
}

/// Windows of only negative inputs keep a negative maximum (the -inf
/// padding never wins).
// CHECK-DAG: ok max_pool_negative aot
// CHECK-DAG: ok max_pool_negative jit
func.func @max_pool_negative(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %a = nn.abs %x : tensor<1x2x5x5xf32>
  %n = nn.neg %a : tensor<1x2x5x5xf32>
  %0 = nn.max_pool2d %n kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// CHECK-DAG: ok global_avg_pool aot
// CHECK-DAG: ok global_avg_pool jit
func.func @global_avg_pool(%x: tensor<2x3x5x4xf32>) -> tensor<2x3xf32> {
  %0 = nn.global_avg_pool %x : tensor<2x3x5x4xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-DAG: ok flatten aot
// CHECK-DAG: ok flatten jit
func.func @flatten(%x: tensor<2x3x4x5xf32>) -> (tensor<2x60xf32>, tensor<6x20xf32>) {
  %0 = nn.flatten %x : tensor<2x3x4x5xf32>
  %r = nn.reshape %x : tensor<2x3x4x5xf32> -> tensor<6x4x5xf32>
  %1 = nn.flatten %r : tensor<6x4x5xf32>
  return %0, %1 : tensor<2x60xf32>, tensor<6x20xf32>
}

/// Non-overlapping windows (stride = kernel) that leave the last row and
/// column out (9 = 4 * 2 + 1): the general lowering.
// CHECK-DAG: ok max_pool_backward aot
// CHECK-DAG: ok max_pool_backward jit
func.func @max_pool_backward(%dy: tensor<2x3x4x4xf32>, %x: tensor<2x3x9x9xf32>) -> tensor<2x3x9x9xf32> {
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x9x9xf32>
}

/// Overlapping, padded and non-square windows: gradients accumulate.
// CHECK-DAG: ok max_pool_backward_overlap aot
// CHECK-DAG: ok max_pool_backward_overlap jit
func.func @max_pool_backward_overlap(%dy: tensor<2x3x5x5xf32>, %e: tensor<2x3x8x5xf32>, %x: tensor<2x3x9x9xf32>) -> (tensor<2x3x9x9xf32>, tensor<2x3x9x9xf32>) {
  %0 = nn.max_pool2d_backward %dy, %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x5x5xf32>, tensor<2x3x9x9xf32>
  %1 = nn.max_pool2d_backward %e, %x kernel = [2, 3] stride = [1, 2] padding = [0, 1] : tensor<2x3x8x5xf32>, tensor<2x3x9x9xf32>
  return %0, %1 : tensor<2x3x9x9xf32>, tensor<2x3x9x9xf32>
}

/// Ties: relu(x - 0.5) is 0 for 3/4 of the inputs, so about 1 window in 13
/// holds only zeros (18 of these 294 with seed 1); its gradient goes to the
/// first of them.
// CHECK-DAG: ok max_pool_backward_ties aot
// CHECK-DAG: ok max_pool_backward_ties jit
func.func @max_pool_backward_ties(%dy: tensor<2x3x7x7xf32>, %x: tensor<2x3x9x9xf32>) -> tensor<2x3x9x9xf32> {
  %half = nn.constant dense<5.000000e-01> : tensor<f32>
  %s = nn.sub %x, %half : tensor<2x3x9x9xf32>, tensor<f32>
  %r = nn.relu %s : tensor<2x3x9x9xf32>
  %0 = nn.max_pool2d_backward %dy, %r kernel = [3, 3] stride = [1, 1] : tensor<2x3x7x7xf32>, tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x9x9xf32>
}

/// NaN: sqrt of the negative inputs; max_pool2d propagates NaN, and the
/// gradient of a window with NaNs goes to its last NaN (PyTorch's choice).
// CHECK-DAG: ok max_pool_nan aot
// CHECK-DAG: ok max_pool_nan jit
func.func @max_pool_nan(%dy: tensor<2x3x4x4xf32>, %x: tensor<2x3x9x9xf32>) -> (tensor<2x3x5x5xf32>, tensor<2x3x9x9xf32>) {
  %s = nn.sqrt %x : tensor<2x3x9x9xf32>
  %0 = nn.max_pool2d %s kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>
  %1 = nn.max_pool2d_backward %dy, %s kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x9x9xf32>
  return %0, %1 : tensor<2x3x5x5xf32>, tensor<2x3x9x9xf32>
}

/// Windows that tile the input exactly (stride = kernel, no padding, H and W
/// multiples of the kernel: LeNet's 2x2 pooling) take the one-pass lowering;
/// square and non-square windows, ties of all-zero windows (relu(x - 0.5):
/// about a third of the 2x2 windows) going to their first zero, and NaNs
/// (sqrt of the negative inputs) to the last NaN of their window.
// CHECK-DAG: ok max_pool_backward_tiling aot
// CHECK-DAG: ok max_pool_backward_tiling jit
func.func @max_pool_backward_tiling(%dy: tensor<2x3x4x4xf32>, %e: tensor<2x3x3x4xf32>, %x: tensor<2x3x8x8xf32>, %w: tensor<2x3x9x8xf32>) -> (tensor<2x3x8x8xf32>, tensor<2x3x9x8xf32>, tensor<2x3x8x8xf32>, tensor<2x3x8x8xf32>) {
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x8x8xf32>
  %1 = nn.max_pool2d_backward %e, %w kernel = [3, 2] : tensor<2x3x3x4xf32>, tensor<2x3x9x8xf32>
  %half = nn.constant dense<5.000000e-01> : tensor<f32>
  %s = nn.sub %x, %half : tensor<2x3x8x8xf32>, tensor<f32>
  %r = nn.relu %s : tensor<2x3x8x8xf32>
  %2 = nn.max_pool2d_backward %dy, %r kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x8x8xf32>
  %q = nn.sqrt %x : tensor<2x3x8x8xf32>
  %3 = nn.max_pool2d_backward %dy, %q kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x8x8xf32>
  return %0, %1, %2, %3 : tensor<2x3x8x8xf32>, tensor<2x3x9x8xf32>, tensor<2x3x8x8xf32>, tensor<2x3x8x8xf32>
}

/// No channels: every pooling result is empty.
// CHECK-DAG: ok pool_no_channels aot
// CHECK-DAG: ok pool_no_channels jit
func.func @pool_no_channels(%x: tensor<1x0x4x4xf32>) -> (tensor<1x0x2x2xf32>, tensor<1x0x2x2xf32>, tensor<1x0xf32>) {
  %0 = nn.max_pool2d %x kernel = [2, 2] : tensor<1x0x4x4xf32>
  %1 = nn.avg_pool2d %x kernel = [2, 2] : tensor<1x0x4x4xf32>
  %2 = nn.global_avg_pool %x : tensor<1x0x4x4xf32>
  return %0, %1, %2 : tensor<1x0x2x2xf32>, tensor<1x0x2x2xf32>, tensor<1x0xf32>
}
