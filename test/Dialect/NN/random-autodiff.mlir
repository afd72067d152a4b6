// RUN: kiln-opt %s -kiln-autodiff -split-input-file | FileCheck %s

// The gradient rule of dropout (docs/Autodiff.md), and random_normal in a
// differentiated model (it needs no rule: it depends on no parameter). The
// numerics are checked by test/Integration/Gradcheck/random.mlir.

/// Training: the same dropout (key, rate, seed) on the cotangent, hence
/// the same mask and scale; evaluation: the cotangent itself. The key gets
/// no gradient.
// CHECK-LABEL: func.func @drop_grad(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>, %[[K:.*]]: tensor<i64>)
// CHECK-SAME: -> (tensor<f32>, tensor<4x3xf32> {nn.grad_of = "arg0"})
// CHECK: %[[CT:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<4x3xf32>
// CHECK-NOT: nn.dropout %[[CT]] :
// CHECK: %[[DX:.*]] = nn.dropout %[[CT]], %[[K]] rate = 2.500000e-01 seed = 4 training : tensor<4x3xf32>
// CHECK: return %{{.*}}, %[[DX]]
func.func @drop(%x: tensor<4x3xf32>, %k: tensor<i64>) -> tensor<f32> attributes {nn.differentiate = [0]} {
  %0 = nn.dropout %x, %k rate = 0.25 seed = 4 training : tensor<4x3xf32>
  %1 = nn.dropout %0 : tensor<4x3xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<4x3xf32>
  return %2 : tensor<f32>
}

// -----

/// Without a key.
// CHECK-LABEL: func.func @drop_nokey_grad(
// CHECK: %[[CT:.*]] = nn.broadcast_to %{{.*}} : tensor<1xf32> -> tensor<6xf32>
// CHECK: %[[DX:.*]] = nn.dropout %[[CT]] seed = 9 training : tensor<6xf32>
// CHECK: return %{{.*}}, %[[DX]]
func.func @drop_nokey(%x: tensor<6xf32>) -> tensor<f32> attributes {nn.differentiate = [0]} {
  %0 = nn.dropout %x seed = 9 training : tensor<6xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<6xf32>
  return %1 : tensor<f32>
}

// -----

/// A VAE's reparameterization z = mu + exp(0.5 * logvar) * eps: eps is a
/// leaf of the backward pass like a constant, and the gradient of logvar
/// is ct * eps * exp(0.5 * logvar) * 0.5.
// CHECK-LABEL: func.func @vae_grad(
// CHECK-SAME: -> (tensor<f32>, tensor<4x2xf32> {nn.grad_of = "mu"}, tensor<4x2xf32> {nn.grad_of = "logvar"})
// CHECK: %[[EPS:.*]] = nn.random_normal seed = 3 : tensor<4x2xf32>
// CHECK: %[[HALF:.*]] = nn.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[STD:.*]] = nn.exp %{{.*}} : tensor<4x2xf32>
// CHECK: nn.mse
// CHECK: %[[DZ:.*]] = nn.mul %{{.*}}, %{{.*}} : tensor<f32>, tensor<4x2xf32>
// CHECK: %[[A:.*]] = nn.mul %[[DZ]], %[[EPS]] : tensor<4x2xf32>, tensor<4x2xf32>
// CHECK: %[[B:.*]] = nn.mul %[[A]], %[[STD]] : tensor<4x2xf32>, tensor<4x2xf32>
// CHECK: %[[DLV:.*]] = nn.mul %[[B]], %[[HALF]] : tensor<4x2xf32>, tensor<f32>
// CHECK: return %{{.*}}, %[[DZ]], %[[DLV]]
func.func @vae(%t: tensor<4x2xf32>) -> tensor<f32> attributes {nn.differentiate} {
  %mu = nn.param "mu" zeros : tensor<4x2xf32>
  %logvar = nn.param "logvar" zeros : tensor<4x2xf32>
  %eps = nn.random_normal seed = 3 : tensor<4x2xf32>
  %half = nn.constant dense<0.5> : tensor<f32>
  %h = nn.mul %logvar, %half : tensor<4x2xf32>, tensor<f32>
  %std = nn.exp %h : tensor<4x2xf32>
  %s = nn.mul %std, %eps : tensor<4x2xf32>, tensor<4x2xf32>
  %z = nn.add %mu, %s : tensor<4x2xf32>, tensor<4x2xf32>
  %l = nn.mse %z, %t : tensor<4x2xf32>
  return %l : tensor<f32>
}
