// Differential test of nn.conv2d and its backward helpers: every function
// runs JIT and AOT on seeded random inputs and is compared with the f64
// reference interpreter. Inputs uniform in [-1, 1); each result element is a
// sum of at most 48 products (plus a bias), so
// |compiled - ref| <= 1e-5 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-1,1 --rtol 1e-5 --atol 1e-5 | FileCheck %s

// CHECK-DAG: ok conv_basic aot
// CHECK-DAG: ok conv_basic jit
func.func @conv_basic(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x6x6xf32> {
  %0 = nn.conv2d %x, %w, %b : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>
  return %0 : tensor<2x4x6x6xf32>
}

/// Stride 2 with padding 1; (9 + 2 - 3) / 2 + 1 = 5.
// CHECK-DAG: ok conv_stride2_pad aot
// CHECK-DAG: ok conv_stride2_pad jit
func.func @conv_stride2_pad(%x: tensor<2x3x9x9xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x5x5xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>
  return %0 : tensor<2x4x5x5xf32>
}

/// Dilation 2 on a non-square image, no bias.
// CHECK-DAG: ok conv_dilation2 aot
// CHECK-DAG: ok conv_dilation2 jit
func.func @conv_dilation2(%x: tensor<1x2x9x10xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x5x6xf32> {
  %0 = nn.conv2d %x, %w dilation = [2, 2] : tensor<1x2x9x10xf32>, tensor<3x2x3x3xf32>
  return %0 : tensor<1x3x5x6xf32>
}

/// Two groups: filters 0-2 read channels 0-1, filters 3-5 channels 2-3.
// CHECK-DAG: ok conv_groups2 aot
// CHECK-DAG: ok conv_groups2 jit
func.func @conv_groups2(%x: tensor<2x4x7x7xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<2x6x7x7xf32> {
  %0 = nn.conv2d %x, %w, %b padding = [1, 1] groups = 2 : tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>
  return %0 : tensor<2x6x7x7xf32>
}

/// Depthwise: one group per channel.
// CHECK-DAG: ok conv_depthwise aot
// CHECK-DAG: ok conv_depthwise jit
func.func @conv_depthwise(%x: tensor<1x3x6x6xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = nn.conv2d %x, %w groups = 3 : tensor<1x3x6x6xf32>, tensor<3x1x3x3xf32>
  return %0 : tensor<1x3x4x4xf32>
}

/// 1x1 kernels, with and without padding.
// CHECK-DAG: ok conv_1x1 aot
// CHECK-DAG: ok conv_1x1 jit
func.func @conv_1x1(%x: tensor<2x5x4x4xf32>, %w: tensor<3x5x1x1xf32>, %b: tensor<3xf32>) -> (tensor<2x3x4x4xf32>, tensor<2x3x6x6xf32>) {
  %0 = nn.conv2d %x, %w, %b : tensor<2x5x4x4xf32>, tensor<3x5x1x1xf32>, tensor<3xf32>
  %1 = nn.conv2d %x, %w, %b padding = [1, 1] : tensor<2x5x4x4xf32>, tensor<3x5x1x1xf32>, tensor<3xf32>
  return %0, %1 : tensor<2x3x4x4xf32>, tensor<2x3x6x6xf32>
}

/// Non-square kernel, stride and padding.
// CHECK-DAG: ok conv_nonsquare aot
// CHECK-DAG: ok conv_nonsquare jit
func.func @conv_nonsquare(%x: tensor<1x2x7x10xf32>, %w: tensor<3x2x2x4xf32>, %b: tensor<3xf32>) -> tensor<1x3x8x4xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [1, 2] padding = [1, 0] : tensor<1x2x7x10xf32>, tensor<3x2x2x4xf32>, tensor<3xf32>
  return %0 : tensor<1x3x8x4xf32>
}

/// Every attribute at once, different per dimension.
// CHECK-DAG: ok conv_all aot
// CHECK-DAG: ok conv_all jit
func.func @conv_all(%x: tensor<1x6x9x8xf32>, %w: tensor<6x2x3x2xf32>, %b: tensor<6xf32>) -> tensor<1x6x4x11xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [2, 1] padding = [1, 2] dilation = [2, 1] groups = 3 : tensor<1x6x9x8xf32>, tensor<6x2x3x2xf32>, tensor<6xf32>
  return %0 : tensor<1x6x4x11xf32>
}

/// Input gradient with stride 2 and padding 1; the last input row and column
/// are in no window (8 + 2 - 3 is odd).
// CHECK-DAG: ok conv_backward_input aot
// CHECK-DAG: ok conv_backward_input jit
func.func @conv_backward_input(%dy: tensor<2x4x4x4xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x3x8x8xf32> {
  %0 = nn.conv2d_backward_input %dy, %w stride = [2, 2] padding = [1, 1] : tensor<2x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<2x3x8x8xf32>
  return %0 : tensor<2x3x8x8xf32>
}

/// Input gradient with groups, dilation and mixed strides.
// CHECK-DAG: ok conv_backward_input_mixed aot
// CHECK-DAG: ok conv_backward_input_mixed jit
func.func @conv_backward_input_mixed(%dy: tensor<1x4x5x3xf32>, %w: tensor<4x1x3x2xf32>) -> tensor<1x2x5x7xf32> {
  %0 = nn.conv2d_backward_input %dy, %w stride = [1, 2] padding = [2, 0] dilation = [2, 1] groups = 2 : tensor<1x4x5x3xf32>, tensor<4x1x3x2xf32> -> tensor<1x2x5x7xf32>
  return %0 : tensor<1x2x5x7xf32>
}

/// Padding larger than the kernel's reach (1x1 kernel, padding 1): the
/// border of the output gradient touches only padding.
// CHECK-DAG: ok conv_backward_input_bigpad aot
// CHECK-DAG: ok conv_backward_input_bigpad jit
func.func @conv_backward_input_bigpad(%dy: tensor<1x2x6x6xf32>, %w: tensor<2x3x1x1xf32>) -> tensor<1x3x4x4xf32> {
  %0 = nn.conv2d_backward_input %dy, %w padding = [1, 1] : tensor<1x2x6x6xf32>, tensor<2x3x1x1xf32> -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// CHECK-DAG: ok conv_backward_filter aot
// CHECK-DAG: ok conv_backward_filter jit
func.func @conv_backward_filter(%dy: tensor<2x4x4x4xf32>, %x: tensor<2x3x8x8xf32>) -> tensor<4x3x3x3xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x stride = [2, 2] padding = [1, 1] : tensor<2x4x4x4xf32>, tensor<2x3x8x8xf32> -> tensor<4x3x3x3xf32>
  return %0 : tensor<4x3x3x3xf32>
}

// CHECK-DAG: ok conv_backward_filter_mixed aot
// CHECK-DAG: ok conv_backward_filter_mixed jit
func.func @conv_backward_filter_mixed(%dy: tensor<1x4x5x3xf32>, %x: tensor<1x2x5x7xf32>) -> tensor<4x1x3x2xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x stride = [1, 2] padding = [2, 0] dilation = [2, 1] groups = 2 : tensor<1x4x5x3xf32>, tensor<1x2x5x7xf32> -> tensor<4x1x3x2xf32>
  return %0 : tensor<4x1x3x2xf32>
}

/// Empty batch, no input channels (the result is the bias) and no filters.
// CHECK-DAG: ok conv_empty_batch aot
// CHECK-DAG: ok conv_empty_batch jit
func.func @conv_empty_batch(%x: tensor<0x2x5x5xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<0x3x3x3xf32> {
  %0 = nn.conv2d %x, %w, %b : tensor<0x2x5x5xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>
  return %0 : tensor<0x3x3x3xf32>
}

// CHECK-DAG: ok conv_no_channels aot
// CHECK-DAG: ok conv_no_channels jit
func.func @conv_no_channels(%x: tensor<1x0x5x5xf32>, %w: tensor<3x0x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x3x3xf32> {
  %0 = nn.conv2d %x, %w, %b : tensor<1x0x5x5xf32>, tensor<3x0x3x3xf32>, tensor<3xf32>
  return %0 : tensor<1x3x3x3xf32>
}

// CHECK-DAG: ok conv_no_filters aot
// CHECK-DAG: ok conv_no_filters jit
func.func @conv_no_filters(%x: tensor<1x2x5x5xf32>, %w: tensor<0x2x3x3xf32>) -> tensor<1x0x3x3xf32> {
  %0 = nn.conv2d %x, %w : tensor<1x2x5x5xf32>, tensor<0x2x3x3xf32>
  return %0 : tensor<1x0x3x3xf32>
}

/// Padding wider than a 1x1 kernel: the border is 0 (no bias).
// CHECK-DAG: ok conv_border aot
// CHECK-DAG: ok conv_border jit
func.func @conv_border(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x4x6xf32> {
  %0 = nn.conv2d %x, %w padding = [1, 2] : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  return %0 : tensor<1x1x4x6xf32>
}
