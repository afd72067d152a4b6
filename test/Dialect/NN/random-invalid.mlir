// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Every numbered constraint of the random ops (docs/Spec.md) has a case
// here, named by the comment above it, plus the ODS checks of the key.

/// dropout_c1: a rate of 1 would divide by zero.
func.func @dropout_c1(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.dropout' op (dropout_c1) 'rate' must be finite and in [0, 1), got 1}}
  %0 = nn.dropout %x rate = 1.0 training : tensor<4xf32>
  return
}

// -----

/// dropout_c1: a negative rate (checked in evaluation mode too).
func.func @dropout_c1_negative(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.dropout' op (dropout_c1) 'rate' must be finite and in [0, 1), got -0.5}}
  %0 = nn.dropout %x rate = -0.5 : tensor<4xf32>
  return
}

// -----

/// dropout_c1: NaN.
func.func @dropout_c1_nan(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.dropout' op (dropout_c1) 'rate' must be finite and in [0, 1), got nan}}
  %0 = nn.dropout %x rate = 0x7FF8000000000000 : tensor<4xf32>
  return
}

// -----

/// ODS: the key is a rank-0 i64 tensor.
func.func @dropout_key_type(%x: tensor<4xf32>, %k: tensor<1xi64>) {
  // expected-error @+1 {{'nn.dropout' op operand #1 must be 0D tensor of 64-bit signless integer values, but got 'tensor<1xi64>'}}
  %0 = "nn.dropout"(%x, %k) {training} : (tensor<4xf32>, tensor<1xi64>) -> tensor<4xf32>
  return
}

// -----

/// ODS: the result has the input's type.
func.func @dropout_result(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.dropout' op failed to verify that all of {input, result} have same type}}
  %0 = "nn.dropout"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

/// random_normal_c1: a negative standard deviation.
func.func @random_normal_c1() {
  // expected-error @+1 {{'nn.random_normal' op (random_normal_c1) 'stddev' must be finite and >= 0, got -1}}
  %0 = nn.random_normal stddev = -1.0 : tensor<4xf32>
  return
}

// -----

/// random_normal_c1: an infinite mean.
func.func @random_normal_c1_mean() {
  // expected-error @+1 {{'nn.random_normal' op (random_normal_c1) 'mean' must be finite, got inf}}
  %0 = nn.random_normal mean = 0x7FF0000000000000 : tensor<4xf32>
  return
}

// -----

/// ODS: the result is an f32 tensor.
func.func @random_normal_i32() {
  // expected-error @+1 {{'nn.random_normal' op result #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<4xi32>'}}
  %0 = nn.random_normal : tensor<4xi32>
  return
}
