// Gradient checks of the convolution and pooling ops: conv2d (with bias,
// stride, padding, dilation and groups), its backward helpers (whose rules
// are convolutions again), max_pool2d, avg_pool2d, global_avg_pool, flatten
// and a small LeNet-like model ending in cross_entropy.
// Loss: reduce_sum(op output * r), r random in [-1, 1), unless stated.
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.
// Max pooling and relu are differentiable away from ties and 0; with
// parameters drawn uniformly no window holds two values within eps.

// RUN: kiln-gradcheck %s --function f_conv --function f_conv_grouped \
// RUN:   --function f_conv_backward_input --function f_conv_backward_filter \
// RUN:   --function f_max_pool --function f_avg_pool \
// RUN:   --function f_global_avg_pool --function f_flatten \
// RUN:   --function f_lenet --function f_empty_channels | FileCheck %s

// CHECK-LABEL: gradcheck @f_conv: 3 targets, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       x{{ +}}2x3x7x7{{ +}}64/294{{ .*}}PASS
// CHECK:       w{{ +}}4x3x3x3{{ +}}64/108{{ .*}}PASS
// CHECK:       b{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       direction (406 elements){{.*}}PASS
func.func @f_conv(%r: tensor<2x4x4x4xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<2x3x7x7xf32>
  %w = nn.param "w" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<4x3x3x3xf32>
  %b = nn.param "b" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<4xf32>
  %0 = nn.conv2d %x, %w, %b stride = [2, 2] padding = [1, 1] : tensor<2x3x7x7xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>
  %1 = nn.mul %0, %r : tensor<2x4x4x4xf32>, tensor<2x4x4x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2, 3] : tensor<2x4x4x4xf32>
  return %2 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_conv_grouped: 2 targets
// CHECK:       x{{ +}}1x4x7x8{{ +}}64/224{{ .*}}PASS
// CHECK:       w{{ +}}6x2x3x2{{ +}}64/72{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_conv_grouped(%r: tensor<1x6x5x4xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 4 {low = -1.0, high = 1.0} : tensor<1x4x7x8xf32>
  %w = nn.param "w" uniform seed = 5 {low = -1.0, high = 1.0} : tensor<6x2x3x2xf32>
  %0 = nn.conv2d %x, %w stride = [1, 2] padding = [1, 0] dilation = [2, 1] groups = 2 : tensor<1x4x7x8xf32>, tensor<6x2x3x2xf32>
  %1 = nn.mul %0, %r : tensor<1x6x5x4xf32>, tensor<1x6x5x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2, 3] : tensor<1x6x5x4xf32>
  return %2 : tensor<f32>
}

/// The helpers are bilinear; both operands are targets.
// CHECK-LABEL: gradcheck @f_conv_backward_input: 2 targets
// CHECK:       dy{{ +}}1x4x4x4{{ +}}64/64{{ .*}}PASS
// CHECK:       w{{ +}}4x2x3x3{{ +}}64/72{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_conv_backward_input(%r: tensor<1x4x8x8xf32>) -> tensor<f32> {
  %dy = nn.param "dy" uniform seed = 6 {low = -1.0, high = 1.0} : tensor<1x4x4x4xf32>
  %w = nn.param "w" uniform seed = 7 {low = -1.0, high = 1.0} : tensor<4x2x3x3xf32>
  %0 = nn.conv2d_backward_input %dy, %w stride = [2, 2] padding = [1, 1] groups = 2 : tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32> -> tensor<1x4x8x8xf32>
  %1 = nn.mul %0, %r : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2, 3] : tensor<1x4x8x8xf32>
  return %2 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_conv_backward_filter: 2 targets
// CHECK:       dy{{ +}}1x4x4x4{{ +}}64/64{{ .*}}PASS
// CHECK:       x{{ +}}1x3x8x8{{ +}}64/192{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_conv_backward_filter(%r: tensor<4x3x3x3xf32>) -> tensor<f32> {
  %dy = nn.param "dy" uniform seed = 8 {low = -1.0, high = 1.0} : tensor<1x4x4x4xf32>
  %x = nn.param "x" uniform seed = 9 {low = -1.0, high = 1.0} : tensor<1x3x8x8xf32>
  %0 = nn.conv2d_backward_filter %dy, %x stride = [2, 2] padding = [1, 2] dilation = [1, 2] : tensor<1x4x4x4xf32>, tensor<1x3x8x8xf32> -> tensor<4x3x3x3xf32>
  %1 = nn.mul %0, %r : tensor<4x3x3x3xf32>, tensor<4x3x3x3xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2, 3] : tensor<4x3x3x3xf32>
  return %2 : tensor<f32>
}

/// Overlapping padded windows and non-overlapping ones.
// CHECK-LABEL: gradcheck @f_max_pool: 1 target
// CHECK:       x{{ +}}2x3x6x6{{ +}}64/216{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_max_pool(%r: tensor<2x3x3x3xf32>, %s: tensor<2x3x3x3xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 10 {low = -1.0, high = 1.0} : tensor<2x3x6x6xf32>
  %0 = nn.max_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x6x6xf32>
  %1 = nn.max_pool2d %x kernel = [2, 2] : tensor<2x3x6x6xf32>
  %2 = nn.mul %0, %r : tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>
  %3 = nn.mul %1, %s : tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>
  %4 = nn.add %2, %3 : tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>
  %5 = nn.reduce_sum %4 axes = [0, 1, 2, 3] : tensor<2x3x3x3xf32>
  return %5 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_avg_pool: 1 target
// CHECK:       x{{ +}}2x3x6x5{{ +}}64/180{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_avg_pool(%r: tensor<2x3x3x3xf32>, %s: tensor<2x3x5x3xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 11 {low = -1.0, high = 1.0} : tensor<2x3x6x5xf32>
  %0 = nn.avg_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x6x5xf32>
  %1 = nn.avg_pool2d %x kernel = [2, 3] stride = [1, 2] padding = [0, 1] : tensor<2x3x6x5xf32>
  %2 = nn.mul %0, %r : tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>
  %3 = nn.mul %1, %s : tensor<2x3x5x3xf32>, tensor<2x3x5x3xf32>
  %4 = nn.reduce_sum %2 axes = [0, 1, 2, 3] : tensor<2x3x3x3xf32>
  %5 = nn.reduce_sum %3 axes = [0, 1, 2, 3] : tensor<2x3x5x3xf32>
  %6 = nn.add %4, %5 : tensor<f32>, tensor<f32>
  return %6 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_global_avg_pool: 1 target
// CHECK:       x{{ +}}2x3x4x5{{ +}}64/120{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_global_avg_pool(%r: tensor<2x3xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 12 {low = -1.0, high = 1.0} : tensor<2x3x4x5xf32>
  %0 = nn.global_avg_pool %x : tensor<2x3x4x5xf32>
  %1 = nn.mul %0, %r : tensor<2x3xf32>, tensor<2x3xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<2x3xf32>
  return %2 : tensor<f32>
}

/// Squared, so that the gradient depends on x as well as on r.
// CHECK-LABEL: gradcheck @f_flatten: 1 target
// CHECK:       x{{ +}}2x3x2x2{{ +}}24/24{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_flatten(%r: tensor<2x12xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 13 {low = -1.0, high = 1.0} : tensor<2x3x2x2xf32>
  %0 = nn.flatten %x : tensor<2x3x2x2xf32>
  %1 = nn.mul %0, %0 : tensor<2x12xf32>, tensor<2x12xf32>
  %2 = nn.mul %1, %r : tensor<2x12xf32>, tensor<2x12xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<2x12xf32>
  return %3 : tensor<f32>
}

/// conv -> relu -> max_pool -> conv -> relu -> avg_pool -> flatten -> matmul
/// -> cross_entropy, on an input image and random labels.
// CHECK-LABEL: gradcheck @f_lenet: 6 targets
// CHECK:       c1.w{{ +}}3x1x3x3{{ +}}27/27{{ .*}}PASS
// CHECK:       c1.b{{ +}}3{{ +}}3/3{{ .*}}PASS
// CHECK:       c2.w{{ +}}4x3x2x2{{ +}}48/48{{ .*}}PASS
// CHECK:       c2.b{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       fc.w{{ +}}16x5{{ +}}64/80{{ .*}}PASS
// CHECK:       fc.b{{ +}}5{{ +}}5/5{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_lenet(%x: tensor<2x1x12x12xf32>, %labels: tensor<2xi64>) -> tensor<f32> {
  %w1 = nn.param "c1.w" he_uniform seed = 14 : tensor<3x1x3x3xf32>
  %b1 = nn.param "c1.b" uniform seed = 15 {low = -0.1, high = 0.1} : tensor<3xf32>
  %w2 = nn.param "c2.w" he_uniform seed = 16 : tensor<4x3x2x2xf32>
  %b2 = nn.param "c2.b" uniform seed = 17 {low = -0.1, high = 0.1} : tensor<4xf32>
  %w3 = nn.param "fc.w" xavier_uniform seed = 18 : tensor<16x5xf32>
  %b3 = nn.param "fc.b" uniform seed = 19 {low = -0.1, high = 0.1} : tensor<5xf32>
  %0 = nn.conv2d %x, %w1, %b1 : tensor<2x1x12x12xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>
  %1 = nn.relu %0 : tensor<2x3x10x10xf32>
  %2 = nn.max_pool2d %1 kernel = [2, 2] : tensor<2x3x10x10xf32>
  %3 = nn.conv2d %2, %w2, %b2 : tensor<2x3x5x5xf32>, tensor<4x3x2x2xf32>, tensor<4xf32>
  %4 = nn.relu %3 : tensor<2x4x4x4xf32>
  %5 = nn.avg_pool2d %4 kernel = [2, 2] : tensor<2x4x4x4xf32>
  %6 = nn.flatten %5 : tensor<2x4x2x2xf32>
  %7 = nn.matmul %6, %w3 : tensor<2x16xf32>, tensor<16x5xf32>
  %8 = nn.add %7, %b3 : tensor<2x5xf32>, tensor<5xf32>
  %9 = nn.cross_entropy %8, %labels : tensor<2x5xf32>, tensor<2xi64>
  return %9 : tensor<f32>
}

/// Arguments as targets: an image without channels (its gradient is empty,
/// avg_pool2d's rule builds a constant) next to a padded average pool.
// CHECK-LABEL: gradcheck @f_empty_channels: 2 targets
// CHECK:       arg0{{ +}}1x0x4x4{{ +}}0/0{{ .*}}PASS
// CHECK:       arg1{{ +}}2x1x4x4{{ +}}32/32{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 21 params passed, 0 failed
func.func @f_empty_channels(%x: tensor<1x0x4x4xf32>, %y: tensor<2x1x4x4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1]} {
  %0 = nn.avg_pool2d %x kernel = [2, 2] : tensor<1x0x4x4xf32>
  %1 = nn.reduce_sum %0 axes = [0, 1, 2, 3] : tensor<1x0x2x2xf32>
  %2 = nn.avg_pool2d %y kernel = [3, 3] stride = [1, 1] padding = [1, 1] : tensor<2x1x4x4xf32>
  %3 = nn.mul %2, %2 : tensor<2x1x4x4xf32>, tensor<2x1x4x4xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1, 2, 3] : tensor<2x1x4x4xf32>
  %5 = nn.add %1, %4 : tensor<f32>, tensor<f32>
  return %5 : tensor<f32>
}
