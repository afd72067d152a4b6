// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Every numbered constraint of the normalization ops (docs/Spec.md) has a
// case here, named by the comment above it. The same-type constraints are
// ODS traits, reachable only through the generic form.

//===----------------------------------------------------------------------===//
// batch_norm
//===----------------------------------------------------------------------===//

/// batch_norm_c1: a rank-1 input has no channel dimension.
func.func @batch_norm_c1(%x: tensor<8xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op (batch_norm_c1) expects an input [N, C, ...] of rank >= 2, got 8}}
  %0 = nn.batch_norm %x, %v, %v, %v, %v : tensor<8xf32>, tensor<8xf32>
  return
}

// -----

/// batch_norm_c1: a rank-0 input.
func.func @batch_norm_c1_scalar(%x: tensor<f32>, %v: tensor<1xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op (batch_norm_c1) expects an input [N, C, ...] of rank >= 2, got scalar}}
  %0 = nn.batch_norm %x, %v, %v, %v, %v : tensor<f32>, tensor<1xf32>
  return
}

// -----

/// batch_norm_c2: beta has another type than gamma.
func.func @batch_norm_c2(%x: tensor<4x3xf32>, %v: tensor<3xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op failed to verify that (batch_norm_c2) all of {gamma, beta, mean, var} have the same type}}
  %0 = "nn.batch_norm"(%x, %v, %w, %v, %v) : (tensor<4x3xf32>, tensor<3xf32>, tensor<4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return
}

// -----

/// The result has the input's type (an ODS trait without a number).
func.func @batch_norm_result(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op failed to verify that all of {input, result} have same type}}
  %0 = "nn.batch_norm"(%x, %v, %v, %v, %v) : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  return
}

// -----

/// batch_norm_c3: the vectors do not have C elements.
func.func @batch_norm_c3(%x: tensor<2x3x4x4xf32>, %v: tensor<4xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op (batch_norm_c3) gamma, beta, mean and var must have shape 3 (C = dim(input, 1)), got 4}}
  %0 = nn.batch_norm %x, %v, %v, %v, %v : tensor<2x3x4x4xf32>, tensor<4xf32>
  return
}

// -----

/// batch_norm_c3: the vectors must have rank 1, not [1, C, 1, 1].
func.func @batch_norm_c3_rank(%x: tensor<2x3x4x4xf32>, %v: tensor<1x3x1x1xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op (batch_norm_c3) gamma, beta, mean and var must have shape 3 (C = dim(input, 1)), got 1x3x1x1}}
  %0 = nn.batch_norm %x, %v, %v, %v, %v : tensor<2x3x4x4xf32>, tensor<1x3x1x1xf32>
  return
}

// -----

/// batch_norm_c4: eps must be positive.
func.func @batch_norm_c4(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op (batch_norm_c4) 'eps' must be finite and > 0, got 0}}
  %0 = nn.batch_norm %x, %v, %v, %v, %v eps = 0.0 : tensor<4x3xf32>, tensor<3xf32>
  return
}

// -----

/// batch_norm_c4: an infinite eps.
func.func @batch_norm_c4_inf(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op (batch_norm_c4) 'eps' must be finite and > 0, got inf}}
  %0 = nn.batch_norm %x, %v, %v, %v, %v eps = 0x7FF0000000000000 : tensor<4x3xf32>, tensor<3xf32>
  return
}

// -----

/// ODS: the input must be f32.
func.func @batch_norm_i32(%x: tensor<4x3xi32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<4x3xi32>'}}
  %0 = "nn.batch_norm"(%x, %v, %v, %v, %v) : (tensor<4x3xi32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<4x3xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// batch_norm_train
//===----------------------------------------------------------------------===//

/// batch_norm_train_c1: a rank-1 input.
func.func @batch_norm_train_c1(%x: tensor<8xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op (batch_norm_train_c1) expects an input [N, C, ...] of rank >= 2, got 8}}
  %0:3 = nn.batch_norm_train %x, %v, %v, %v, %v : tensor<8xf32>, tensor<8xf32>
  return
}

// -----

/// batch_norm_train_c2: a statistics result of another type.
func.func @batch_norm_train_c2(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op failed to verify that (batch_norm_train_c2) all of {gamma, beta, running_mean, running_var, new_mean, new_var} have the same type}}
  %0:3 = "nn.batch_norm_train"(%x, %v, %v, %v, %v) : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<1x3xf32>)
  return
}

// -----

/// batch_norm_train_c3: the vectors do not have C elements.
func.func @batch_norm_train_c3(%x: tensor<4x3xf32>, %v: tensor<2xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op (batch_norm_train_c3) gamma, beta, running_mean and running_var must have shape 3 (C = dim(input, 1)), got 2}}
  %0:3 = nn.batch_norm_train %x, %v, %v, %v, %v : tensor<4x3xf32>, tensor<2xf32>
  return
}

// -----

/// batch_norm_train_c4: a negative eps.
func.func @batch_norm_train_c4(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op (batch_norm_train_c4) 'eps' must be finite and > 0, got -1e-05}}
  %0:3 = nn.batch_norm_train %x, %v, %v, %v, %v eps = -1.0e-5 : tensor<4x3xf32>, tensor<3xf32>
  return
}

// -----

/// batch_norm_train_c5: momentum above 1.
func.func @batch_norm_train_c5(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op (batch_norm_train_c5) 'momentum' must be finite and in [0, 1], got 1.5}}
  %0:3 = nn.batch_norm_train %x, %v, %v, %v, %v momentum = 1.5 : tensor<4x3xf32>, tensor<3xf32>
  return
}

// -----

/// batch_norm_train_c5: a negative momentum.
func.func @batch_norm_train_c5_negative(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op (batch_norm_train_c5) 'momentum' must be finite and in [0, 1], got -0.1}}
  %0:3 = nn.batch_norm_train %x, %v, %v, %v, %v momentum = -0.1 : tensor<4x3xf32>, tensor<3xf32>
  return
}

// -----

/// batch_norm_train_c6: one value per channel (PyTorch's "Expected more
/// than 1 value per channel when training").
func.func @batch_norm_train_c6(%x: tensor<1x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op (batch_norm_train_c6) expects more than 1 value per channel, got M = 1 for an input 1x3}}
  %0:3 = nn.batch_norm_train %x, %v, %v, %v, %v : tensor<1x3xf32>, tensor<3xf32>
  return
}

// -----

/// batch_norm_train_c6: M = N * H * W = 1 for a 1x1 image.
func.func @batch_norm_train_c6_image(%x: tensor<1x3x1x1xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op (batch_norm_train_c6) expects more than 1 value per channel, got M = 1 for an input 1x3x1x1}}
  %0:3 = nn.batch_norm_train %x, %v, %v, %v, %v : tensor<1x3x1x1xf32>, tensor<3xf32>
  return
}

// -----

/// batch_norm_train_c6: an empty batch.
func.func @batch_norm_train_c6_empty(%x: tensor<0x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op (batch_norm_train_c6) expects more than 1 value per channel, got M = 0 for an input 0x3}}
  %0:3 = nn.batch_norm_train %x, %v, %v, %v, %v : tensor<0x3xf32>, tensor<3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// batch_norm_train_backward
//===----------------------------------------------------------------------===//

/// batch_norm_train_backward_c1: a rank-1 input.
func.func @batch_norm_train_backward_c1(%x: tensor<8xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train_backward' op (batch_norm_train_backward_c1) expects an input [N, C, ...] of rank >= 2, got 8}}
  %0:3 = nn.batch_norm_train_backward %x, %x, %v : tensor<8xf32>, tensor<8xf32>
  return
}

// -----

/// batch_norm_train_backward_c2: gamma's gradient of another type.
func.func @batch_norm_train_backward_c2(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train_backward' op failed to verify that (batch_norm_train_backward_c2) all of {gamma, gamma_grad, beta_grad} have the same type}}
  %0:3 = "nn.batch_norm_train_backward"(%x, %x, %v) : (tensor<4x3xf32>, tensor<4x3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<4xf32>, tensor<3xf32>)
  return
}

// -----

/// batch_norm_train_backward_c3: gamma does not have C elements.
func.func @batch_norm_train_backward_c3(%x: tensor<4x3xf32>, %v: tensor<4xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train_backward' op (batch_norm_train_backward_c3) gamma and its gradients must have shape 3 (C = dim(input, 1)), got 4}}
  %0:3 = nn.batch_norm_train_backward %x, %x, %v : tensor<4x3xf32>, tensor<4xf32>
  return
}

// -----

/// batch_norm_train_backward_c4: eps must be positive.
func.func @batch_norm_train_backward_c4(%x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train_backward' op (batch_norm_train_backward_c4) 'eps' must be finite and > 0, got 0}}
  %0:3 = nn.batch_norm_train_backward %x, %x, %v eps = 0.0 : tensor<4x3xf32>, tensor<3xf32>
  return
}

// -----

/// batch_norm_train_backward_c5: the output gradient has another type than
/// the input.
func.func @batch_norm_train_backward_c5(%dy: tensor<4x3x1xf32>, %x: tensor<4x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train_backward' op failed to verify that (batch_norm_train_backward_c5) all of {output_grad, input, input_grad} have the same type}}
  %0:3 = "nn.batch_norm_train_backward"(%dy, %x, %v) : (tensor<4x3x1xf32>, tensor<4x3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

/// batch_norm_train_backward_c6: one value per channel.
func.func @batch_norm_train_backward_c6(%x: tensor<1x3xf32>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train_backward' op (batch_norm_train_backward_c6) expects more than 1 value per channel, got M = 1 for an input 1x3}}
  %0:3 = nn.batch_norm_train_backward %x, %x, %v : tensor<1x3xf32>, tensor<3xf32>
  return
}
