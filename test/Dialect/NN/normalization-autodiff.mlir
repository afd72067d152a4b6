// RUN: kiln-opt %s -kiln-autodiff -split-input-file | FileCheck %s

// The gradient rules of the normalization ops (docs/Autodiff.md); their
// numerics are checked by test/Integration/Gradcheck/normalization.mlir and
// test/Integration/PyTorch/normalization.test.

/// batch_norm: dx = ct * gamma * rstd, dgamma = sum(ct * xhat),
/// dbeta = sum(ct) over every axis but 1, with rstd = rsqrt(var + eps) in
/// f32 and the [C] vectors reshaped to [1, C, 1, 1]; mean and var get
/// zeros (no gradient).
// CHECK-LABEL: func.func @bn_grad(
// CHECK-SAME: %[[X:.*]]: tensor<4x3x2x2xf32>, %[[G:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK: %[[CT:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1x1x1xf32> -> tensor<4x3x2x2xf32>
// CHECK: %[[EPS:.*]] = nn.constant dense<1.000000e-03> : tensor<f32>
// CHECK: %[[VE:.*]] = nn.add %[[V]], %[[EPS]] : tensor<3xf32>, tensor<f32>
// CHECK: %[[RSTD:.*]] = nn.rsqrt %[[VE]] : tensor<3xf32>
// CHECK: %[[SCALE:.*]] = nn.mul %[[G]], %[[RSTD]] : tensor<3xf32>, tensor<3xf32>
// CHECK: %[[SCALE4:.*]] = nn.reshape %[[SCALE]] : tensor<3xf32> -> tensor<1x3x1x1xf32>
// CHECK: %[[DX:.*]] = nn.mul %[[CT]], %[[SCALE4]] : tensor<4x3x2x2xf32>, tensor<1x3x1x1xf32>
// CHECK: %[[M4:.*]] = nn.reshape %[[M]] : tensor<3xf32> -> tensor<1x3x1x1xf32>
// CHECK: %[[XC:.*]] = nn.sub %[[X]], %[[M4]] : tensor<4x3x2x2xf32>, tensor<1x3x1x1xf32>
// CHECK: %[[RSTD4:.*]] = nn.reshape %[[RSTD]] : tensor<3xf32> -> tensor<1x3x1x1xf32>
// CHECK: %[[XHAT:.*]] = nn.mul %[[XC]], %[[RSTD4]] : tensor<4x3x2x2xf32>, tensor<1x3x1x1xf32>
// CHECK: %[[P:.*]] = nn.mul %[[CT]], %[[XHAT]] : tensor<4x3x2x2xf32>, tensor<4x3x2x2xf32>
// CHECK: %[[DG:.*]] = nn.reduce_sum %[[P]] axes = [0, 2, 3] : tensor<4x3x2x2xf32>
// CHECK: %[[DB:.*]] = nn.reduce_sum %[[CT]] axes = [0, 2, 3] : tensor<4x3x2x2xf32>
// CHECK: %[[Z1:.*]] = nn.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: %[[Z2:.*]] = nn.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: return %{{.*}}, %[[DX]], %[[DG]], %[[DB]], %[[Z1]], %[[Z2]]
func.func @bn(%x: tensor<4x3x2x2xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %0 = nn.batch_norm %x, %g, %b, %m, %v eps = 1.0e-3 : tensor<4x3x2x2xf32>, tensor<3xf32>
  %1 = nn.reduce_sum %0 axes = [0, 1, 2, 3] : tensor<4x3x2x2xf32>
  return %1 : tensor<f32>
}

// -----

/// Rank 2: the [C] vectors broadcast against [N, C] without a reshape.
// CHECK-LABEL: func.func @bn2_grad(
// CHECK-SAME: %[[X:.*]]: tensor<5x3xf32>, %[[G:.*]]: tensor<3xf32>
// CHECK-NOT: nn.reshape %{{.*}} : tensor<3xf32>
// CHECK: %[[DX:.*]] = nn.mul %{{.*}}, %{{.*}} : tensor<5x3xf32>, tensor<3xf32>
// CHECK: %[[DG:.*]] = nn.reduce_sum %{{.*}} axes = [0] : tensor<5x3xf32>
// CHECK: return %{{.*}}, %[[DX]], %[[DG]]
func.func @bn2(%x: tensor<5x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1]} {
  %0 = nn.batch_norm %x, %g, %b, %m, %v : tensor<5x3xf32>, tensor<3xf32>
  %1 = nn.reduce_sum %0 axes = [0, 1] : tensor<5x3xf32>
  return %1 : tensor<f32>
}

// -----

/// batch_norm_train: batch_norm_train_backward with the same eps gives the
/// gradients of x, gamma and beta; the running statistics get zeros, and
/// the new statistics (returned, not part of the loss) need no cotangent.
// CHECK-LABEL: func.func @bnt_grad(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>, %[[G:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<3xf32>, tensor<4x3xf32> {nn.grad_of = "arg0"}, tensor<3xf32> {nn.grad_of = "arg1"}, tensor<3xf32> {nn.grad_of = "arg2"}, tensor<3xf32> {nn.grad_of = "arg3"}, tensor<3xf32> {nn.grad_of = "arg4"})
// CHECK: %[[Y:[^,]*]], %[[NM:[^,]*]], %{{[^,]*}} = nn.batch_norm_train %[[X]], %[[G]], %[[B]], %[[M]], %[[V]] eps = 1.000000e-03 momentum = 2.000000e-01 : tensor<4x3xf32>, tensor<3xf32>
// CHECK: %[[CT:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<4x3xf32>
// CHECK: %[[DX:[^,]*]], %[[DG:[^,]*]], %[[DB:[^,]*]] = nn.batch_norm_train_backward %[[CT]], %[[X]], %[[G]] eps = 1.000000e-03 : tensor<4x3xf32>, tensor<3xf32>
// CHECK: %[[Z1:.*]] = nn.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: %[[Z2:.*]] = nn.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: return %{{.*}}, %[[NM]], %[[DX]], %[[DG]], %[[DB]], %[[Z1]], %[[Z2]]
func.func @bnt(%x: tensor<4x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>)
    attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y, %nm, %nv = nn.batch_norm_train %x, %g, %b, %m, %v eps = 1.0e-3 momentum = 0.2 : tensor<4x3xf32>, tensor<3xf32>
  %1 = nn.reduce_sum %y axes = [0, 1] : tensor<4x3xf32>
  return %1, %nm : tensor<f32>, tensor<3xf32>
}

// -----

/// A loss made of the new running statistics only: their cotangents are
/// ignored (the statistics are buffers outside autograd, as in PyTorch), so
/// every gradient is zero and no backward op is built.
// CHECK-LABEL: func.func @stats_only_grad(
// CHECK-NOT: nn.batch_norm_train_backward
// CHECK: %[[Z:.*]] = nn.constant dense<0.000000e+00> : tensor<4x3xf32>
// CHECK: return %{{.*}}, %[[Z]]
func.func @stats_only(%x: tensor<4x3xf32>, %v: tensor<3xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %y, %nm, %nv = nn.batch_norm_train %x, %v, %v, %v, %v : tensor<4x3xf32>, tensor<3xf32>
  %1 = nn.reduce_sum %nm axes = [0] : tensor<3xf32>
  return %1 : tensor<f32>
}
