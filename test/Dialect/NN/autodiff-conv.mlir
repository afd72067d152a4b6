// RUN: kiln-opt %s -kiln-autodiff -split-input-file -verify-diagnostics | FileCheck %s

// The gradient rules of the convolution and pooling ops (docs/Autodiff.md);
// their numerics are checked by test/Integration/Gradcheck/conv.mlir.

/// conv2d: the input and filter gradients are the backward helpers with the
/// forward attributes; the bias gradient sums over N, OH and OW.
// CHECK-LABEL: func.func @conv_grad(
// CHECK-SAME: %[[X:.*]]: tensor<2x4x7x7xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>, %[[B:.*]]: tensor<6xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<2x4x7x7xf32> {nn.grad_of = "arg0"}, tensor<6x2x3x3xf32> {nn.grad_of = "arg1"}, tensor<6xf32> {nn.grad_of = "arg2"})
// CHECK: %[[CT:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1x1x1xf32> -> tensor<2x6x4x4xf32>
// CHECK: %[[DX:.*]] = nn.conv2d_backward_input %[[CT]], %[[W]] stride = [2, 2] padding = [1, 1] groups = 2 : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x7x7xf32>
// CHECK: %[[DW:.*]] = nn.conv2d_backward_filter %[[CT]], %[[X]] stride = [2, 2] padding = [1, 1] groups = 2 : tensor<2x6x4x4xf32>, tensor<2x4x7x7xf32> -> tensor<6x2x3x3xf32>
// CHECK: %[[DB:.*]] = nn.reduce_sum %[[CT]] axes = [0, 2, 3] : tensor<2x6x4x4xf32>
// CHECK: return %{{.*}}, %[[DX]], %[[DW]], %[[DB]]
func.func @conv(%x: tensor<2x4x7x7xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1, 2]} {
  %0 = nn.conv2d %x, %w, %b stride = [2, 2] padding = [1, 1] groups = 2 : tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>
  %1 = nn.reduce_sum %0 axes = [0, 1, 2, 3] : tensor<2x6x4x4xf32>
  return %1 : tensor<f32>
}

// -----

/// The helpers are linear in each operand; their rules are convolutions.
// CHECK-LABEL: func.func @helpers_grad(
// CHECK-SAME: %[[DY:.*]]: tensor<1x4x4x4xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[X:.*]]: tensor<1x3x6x6xf32>)
// CHECK: %[[CTW:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1x1x1xf32> -> tensor<4x3x3x3xf32>
// CHECK: %[[CTX:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1x1x1xf32> -> tensor<1x3x6x6xf32>
// conv2d_backward_filter(dy, x): conv2d(x, ct) for dy, conv2d_backward_input(dy, ct) for x.
// CHECK: %[[A:.*]] = nn.conv2d %[[X]], %[[CTW]] : tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32>
// CHECK: %[[GX:.*]] = nn.conv2d_backward_input %[[DY]], %[[CTW]] : tensor<1x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x6x6xf32>
// conv2d_backward_input(dy, w): conv2d(ct, w) for dy, conv2d_backward_filter(dy, ct) for w.
// CHECK: %[[C:.*]] = nn.conv2d %[[CTX]], %[[W]] : tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32>
// CHECK: %[[GW:.*]] = nn.conv2d_backward_filter %[[DY]], %[[CTX]] : tensor<1x4x4x4xf32>, tensor<1x3x6x6xf32> -> tensor<4x3x3x3xf32>
// CHECK: %[[GDY:.*]] = nn.add %[[A]], %[[C]]
// CHECK: return %{{.*}}, %[[GDY]], %[[GW]], %[[GX]]
func.func @helpers(%dy: tensor<1x4x4x4xf32>, %w: tensor<4x3x3x3xf32>, %x: tensor<1x3x6x6xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1, 2]} {
  %0 = nn.conv2d_backward_input %dy, %w : tensor<1x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x6x6xf32>
  %1 = nn.conv2d_backward_filter %dy, %x : tensor<1x4x4x4xf32>, tensor<1x3x6x6xf32> -> tensor<4x3x3x3xf32>
  %2 = nn.reduce_sum %0 axes = [0, 1, 2, 3] : tensor<1x3x6x6xf32>
  %3 = nn.reduce_sum %1 axes = [0, 1, 2, 3] : tensor<4x3x3x3xf32>
  %4 = nn.add %2, %3 : tensor<f32>, tensor<f32>
  return %4 : tensor<f32>
}

// -----

/// flatten reshapes back; global_avg_pool spreads ct / (H * W); avg_pool2d
/// is the input gradient of a depthwise convolution with the constant
/// filter 1/9 (stride and padding of the pool); max_pool2d routes through
/// max_pool2d_backward.
// CHECK-LABEL: func.func @pools_grad(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x8x8xf32>)
// CHECK: %[[M:.*]] = nn.max_pool2d %[[X]] kernel = [2, 2]
// CHECK: %[[CT:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// CHECK-NOT: nn.reshape %[[CT]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[K:.*]] = nn.reshape %[[CT]] : tensor<2x3xf32> -> tensor<2x3x1x1xf32>
// CHECK: %[[S:.*]] = nn.constant dense<6.250000e-02> : tensor<f32>
// CHECK: %[[KS:.*]] = nn.mul %[[K]], %[[S]]
// CHECK: %[[G:.*]] = nn.broadcast_to %[[KS]] : tensor<2x3x1x1xf32> -> tensor<2x3x4x4xf32>
// CHECK: %[[F:.*]] = nn.constant dense<0.111111112> : tensor<3x1x3x3xf32>
// CHECK: %[[A:.*]] = nn.conv2d_backward_input %[[G]], %[[F]] padding = [1, 1] groups = 3 : tensor<2x3x4x4xf32>, tensor<3x1x3x3xf32> -> tensor<2x3x4x4xf32>
// CHECK: %[[DX:.*]] = nn.max_pool2d_backward %[[A]], %[[X]] kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x8x8xf32>
// CHECK: return %{{.*}}, %[[DX]]
func.func @pools(%x: tensor<2x3x8x8xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %0 = nn.max_pool2d %x kernel = [2, 2] : tensor<2x3x8x8xf32>
  %1 = nn.avg_pool2d %0 kernel = [3, 3] stride = [1, 1] padding = [1, 1] : tensor<2x3x4x4xf32>
  %2 = nn.global_avg_pool %1 : tensor<2x3x4x4xf32>
  %3 = nn.flatten %2 : tensor<2x3xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1] : tensor<2x3xf32>
  return %4 : tensor<f32>
}

// -----

/// avg_pool2d's stride defaults to its kernel, and so does the stride of
/// the convolution in its rule.
// CHECK-LABEL: func.func @avg_pool_default_stride_grad(
// CHECK: nn.conv2d_backward_input %{{.*}}, %{{.*}} stride = [2, 3] groups = 2 : tensor<1x2x3x2xf32>, tensor<2x1x2x3xf32> -> tensor<1x2x6x6xf32>
func.func @avg_pool_default_stride(%x: tensor<1x2x6x6xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %0 = nn.avg_pool2d %x kernel = [2, 3] : tensor<1x2x6x6xf32>
  %1 = nn.reduce_sum %0 axes = [0, 1, 2, 3] : tensor<1x2x3x2xf32>
  return %1 : tensor<f32>
}

// -----

/// nn.max_pool2d_backward has no rule.
// expected-error @+1 {{cannot differentiate 'no_rule': 1 op(s) between its parameters and its loss have no gradient rule}}
func.func @no_rule(%dy: tensor<1x1x2x2xf32>, %x: tensor<1x1x4x4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [1]} {
  // expected-note @+1 {{'nn.max_pool2d_backward' has no gradient rule}}
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>
  %1 = nn.reduce_sum %0 axes = [0, 1, 2, 3] : tensor<1x1x4x4xf32>
  return %1 : tensor<f32>
}
