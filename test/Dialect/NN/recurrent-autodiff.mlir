// RUN: kiln-opt %s -kiln-autodiff -split-input-file -verify-diagnostics | FileCheck %s

// The gradient rules of the recurrent layers (docs/Autodiff.md): one
// backward op per layer that reads the layer's own result; their numerics
// are checked by test/Integration/Gradcheck/recurrent.mlir and against
// PyTorch by test/Integration/PyTorch/recurrent_ops.test.

/// lstm: lstm_backward(x, w_ih, w_hh, b_ih, b_hh, y, ct) gives all five
/// gradients in operand order.
// CHECK-LABEL: func.func @lstm_grad(
// CHECK-SAME: %[[X:.*]]: tensor<2x5x3xf32>, %[[WI:.*]]: tensor<16x3xf32>, %[[WH:.*]]: tensor<16x4xf32>, %[[BI:.*]]: tensor<16xf32>, %[[BH:.*]]: tensor<16xf32>, %[[R:.*]]: tensor<2x5x4xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<2x5x3xf32> {nn.grad_of = "arg0"}, tensor<16x3xf32> {nn.grad_of = "arg1"}, tensor<16x4xf32> {nn.grad_of = "arg2"}, tensor<16xf32> {nn.grad_of = "arg3"}, tensor<16xf32> {nn.grad_of = "arg4"})
// CHECK: %[[Y:.*]] = nn.lstm %[[X]], %[[WI]], %[[WH]], %[[BI]], %[[BH]] :
// CHECK: nn.broadcast_to
// CHECK: %[[CT:.*]] = nn.mul %{{.*}}, %[[R]]
// CHECK: %[[DX:.*]], %[[DWI:.*]], %[[DWH:.*]], %[[DBI:.*]], %[[DBH:.*]] = nn.lstm_backward %[[X]], %[[WI]], %[[WH]], %[[BI]], %[[BH]], %[[Y]], %[[CT]] : tensor<2x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>
// CHECK: return %{{.*}}, %[[DX]], %[[DWI]], %[[DWH]], %[[DBI]], %[[DBH]]
func.func @lstm(%x: tensor<2x5x3xf32>, %wi: tensor<16x3xf32>, %wh: tensor<16x4xf32>, %bi: tensor<16xf32>, %bh: tensor<16xf32>, %r: tensor<2x5x4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %0 = nn.lstm %x, %wi, %wh, %bi, %bh : tensor<2x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x5x4xf32>
  %1 = nn.mul %0, %r : tensor<2x5x4xf32>, tensor<2x5x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<2x5x4xf32>
  return %2 : tensor<f32>
}

// -----

/// rnn: the backward op keeps the nonlinearity; gru likewise. Only the
/// requested gradients are returned.
// CHECK-LABEL: func.func @stack_grad(
// CHECK: %[[H:.*]] = nn.rnn %{{.*}} nonlinearity = relu :
// CHECK: %[[Y:.*]] = nn.gru %[[H]],
// CHECK: %{{.*}}, %{{.*}}, %[[GWH:.*]], %{{.*}}, %{{.*}} = nn.gru_backward %[[H]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[Y]], %{{.*}} :
// CHECK: %{{.*}}, %[[RWI:.*]], %{{.*}}, %{{.*}}, %{{.*}} = nn.rnn_backward %{{.*}}, %[[H]], %{{.*}} nonlinearity = relu :
// CHECK: return %{{.*}}, %[[RWI]], %[[GWH]]
func.func @stack(%x: tensor<2x5x3xf32>, %r: tensor<2x5x6xf32>) -> tensor<f32> attributes {nn.differentiate} {
  %wi = nn.param "rnn.w_ih" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %wh = nn.param "rnn.w_hh" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<4x4xf32>
  %b = nn.param "rnn.b" zeros : tensor<4xf32>
  %0 = nn.rnn %x, %wi, %wh, %b, %b nonlinearity = relu : tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x5x4xf32>
  %gi = nn.constant dense<0.5> : tensor<18x4xf32>
  %gh = nn.param "gru.w_hh" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<18x6xf32>
  %gb = nn.constant dense<0.0> : tensor<18xf32>
  %1 = nn.gru %0, %gi, %gh, %gb, %gb : tensor<2x5x4xf32>, tensor<18x4xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32> -> tensor<2x5x6xf32>
  %2 = nn.mul %1, %r : tensor<2x5x6xf32>, tensor<2x5x6xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1, 2] : tensor<2x5x6xf32>
  return %3 : tensor<f32>
}

// -----

/// The backward ops have no rule (no second derivatives of recurrent
/// layers).
// expected-error @+1 {{cannot differentiate 'second': 1 op(s) between its parameters and its loss have no gradient rule}}
func.func @second(%x: tensor<2x5x3xf32>, %y: tensor<2x5x4xf32>, %dy: tensor<2x5x4xf32>) -> tensor<f32> attributes {nn.differentiate} {
  %wi = nn.param "w_ih" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %wh = nn.param "w_hh" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<4x4xf32>
  %b = nn.param "b" zeros : tensor<4xf32>
  // expected-note @+1 {{'nn.rnn_backward' has no gradient rule}}
  %g:5 = nn.rnn_backward %x, %wi, %wh, %b, %b, %y, %dy : tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>
  %0 = nn.reduce_sum %g#1 axes = [0, 1] : tensor<4x3xf32>
  return %0 : tensor<f32>
}
