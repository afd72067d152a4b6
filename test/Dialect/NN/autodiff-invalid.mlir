// RUN: kiln-opt %s -kiln-autodiff -split-input-file -verify-diagnostics
// RUN: not kiln-opt %s -kiln-autodiff=functions=missing 2>&1 | FileCheck %s --check-prefix=OPTION

/// Ops from other dialects between the parameters and the loss have no rule;
/// one error lists all of them, with a note at each. tensor.empty does not
/// depend on a parameter, so it needs no rule.
// expected-error @+1 {{cannot differentiate 'other_dialects': 2 op(s) between its parameters and its loss have no gradient rule}}
func.func @other_dialects(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  // expected-note @+1 {{'arith.addf' has no gradient rule}}
  %1 = arith.addf %0, %0 : tensor<4xf32>
  %2 = tensor.empty() : tensor<4xf32>
  %3 = nn.add %1, %2 : tensor<4xf32>, tensor<4xf32>
  // expected-note @+1 {{'math.exp' has no gradient rule}}
  %4 = math.exp %3 : tensor<4xf32>
  %5 = nn.reduce_sum %4 axes = [0] : tensor<4xf32>
  return %5 : tensor<f32>
}

// -----

/// A call is not differentiated through.
func.func private @helper(tensor<4xf32>) -> tensor<4xf32>

// expected-error @+1 {{cannot differentiate 'through_call': 1 op(s) between its parameters and its loss have no gradient rule}}
func.func @through_call(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  // expected-note @+1 {{'func.call' has no gradient rule}}
  %0 = func.call @helper(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

/// The loss must be a scalar tensor<f32>.
// expected-error @+1 {{cannot differentiate 'vector_loss': its first result must be the loss, of type tensor<f32>}}
func.func @vector_loss(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {nn.differentiate} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{cannot differentiate 'no_results': its first result must be the loss, of type tensor<f32>}}
func.func @no_results() attributes {nn.differentiate} {
  return
}

// -----

// expected-error @+1 {{cannot differentiate 'declaration': it has no body}}
func.func private @declaration(tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate}

// -----

// expected-error @+1 {{cannot differentiate 'blocks': it has more than one block}}
func.func @blocks(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  cf.br ^bb1
^bb1:
  %0 = nn.reduce_sum %x axes = [0] : tensor<4xf32>
  return %0 : tensor<f32>
}

// -----

// expected-error @+1 {{cannot differentiate 'bad_index': 'nn.differentiate' entry 1 : i64 is not an argument index}}
func.func @bad_index(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [1]} {
  %0 = nn.reduce_sum %x axes = [0] : tensor<4xf32>
  return %0 : tensor<f32>
}

// -----

// expected-error @+1 {{cannot differentiate 'int_arg': argument 1 is not an f32 tensor}}
func.func @int_arg(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1]} {
  %0 = nn.cross_entropy %x, %l : tensor<4x3xf32>, tensor<4xi64>
  return %0 : tensor<f32>
}

// -----

// expected-error @+1 {{'nn.differentiate' must be a unit attribute or an array of argument indices}}
func.func @bad_attr(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate = "yes"} {
  %0 = nn.reduce_sum %x axes = [0] : tensor<4xf32>
  return %0 : tensor<f32>
}

// -----

// expected-error @+1 {{cannot differentiate 'taken': a symbol named 'taken_grad' already exists}}
func.func @taken(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %0 = nn.reduce_sum %x axes = [0] : tensor<4xf32>
  return %0 : tensor<f32>
}

func.func @taken_grad() {
  return
}

// OPTION: error: kiln-autodiff: no function named 'missing' to differentiate
