// Gradient checks of the recurrent layers: rnn (tanh and relu), lstm and
// gru through their backward ops (backpropagation through time), each with
// x, both weights and both biases as targets, a one-step sequence, and a
// small sequence classifier (gru -> last step -> matmul -> cross_entropy).
// Loss: reduce_sum(layer output * r), r random in [-1, 1), unless stated.
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.
// relu is differentiable away from 0; no pre-activation of @f_rnn_relu
// lies within eps of 0.

// RUN: kiln-gradcheck %s --function f_rnn_tanh --function f_rnn_relu \
// RUN:   --function f_lstm --function f_gru --function f_lstm_one_step \
// RUN:   --function f_gru_classifier | FileCheck %s

/// Elman RNN, tanh.
// CHECK-LABEL: gradcheck @f_rnn_tanh: 5 targets
// CHECK:       x{{ +}}2x5x3{{ +}}30/30{{ .*}}PASS
// CHECK:       w_ih{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       w_hh{{ +}}4x4{{ +}}16/16{{ .*}}PASS
// CHECK:       b_ih{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       b_hh{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_rnn_tanh(%r: tensor<2x5x4xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<2x5x3xf32>
  %w_ih = nn.param "w_ih" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %w_hh = nn.param "w_hh" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<4x4xf32>
  %b_ih = nn.param "b_ih" uniform seed = 4 {low = -1.0, high = 1.0} : tensor<4xf32>
  %b_hh = nn.param "b_hh" uniform seed = 5 {low = -1.0, high = 1.0} : tensor<4xf32>
  %0 = nn.rnn %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x5x4xf32>
  %1 = nn.mul %0, %r : tensor<2x5x4xf32>, tensor<2x5x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<2x5x4xf32>
  return %2 : tensor<f32>
}

/// Elman RNN, relu.
// CHECK-LABEL: gradcheck @f_rnn_relu: 5 targets
// CHECK:       x{{ +}}2x5x3{{ +}}30/30{{ .*}}PASS
// CHECK:       w_ih{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       w_hh{{ +}}4x4{{ +}}16/16{{ .*}}PASS
// CHECK:       b_ih{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       b_hh{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_rnn_relu(%r: tensor<2x5x4xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 6 {low = -1.0, high = 1.0} : tensor<2x5x3xf32>
  %w_ih = nn.param "w_ih" uniform seed = 7 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %w_hh = nn.param "w_hh" uniform seed = 8 {low = -1.0, high = 1.0} : tensor<4x4xf32>
  %b_ih = nn.param "b_ih" uniform seed = 9 {low = -1.0, high = 1.0} : tensor<4xf32>
  %b_hh = nn.param "b_hh" uniform seed = 10 {low = -1.0, high = 1.0} : tensor<4xf32>
  %0 = nn.rnn %x, %w_ih, %w_hh, %b_ih, %b_hh nonlinearity = relu : tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x5x4xf32>
  %1 = nn.mul %0, %r : tensor<2x5x4xf32>, tensor<2x5x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<2x5x4xf32>
  return %2 : tensor<f32>
}

/// LSTM.
// CHECK-LABEL: gradcheck @f_lstm: 5 targets
// CHECK:       x{{ +}}2x5x3{{ +}}30/30{{ .*}}PASS
// CHECK:       w_ih{{ +}}16x3{{ +}}48/48{{ .*}}PASS
// CHECK:       w_hh{{ +}}16x4{{ +}}64/64{{ .*}}PASS
// CHECK:       b_ih{{ +}}16{{ +}}16/16{{ .*}}PASS
// CHECK:       b_hh{{ +}}16{{ +}}16/16{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_lstm(%r: tensor<2x5x4xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 11 {low = -1.0, high = 1.0} : tensor<2x5x3xf32>
  %w_ih = nn.param "w_ih" uniform seed = 12 {low = -1.0, high = 1.0} : tensor<16x3xf32>
  %w_hh = nn.param "w_hh" uniform seed = 13 {low = -1.0, high = 1.0} : tensor<16x4xf32>
  %b_ih = nn.param "b_ih" uniform seed = 14 {low = -1.0, high = 1.0} : tensor<16xf32>
  %b_hh = nn.param "b_hh" uniform seed = 15 {low = -1.0, high = 1.0} : tensor<16xf32>
  %0 = nn.lstm %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<2x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x5x4xf32>
  %1 = nn.mul %0, %r : tensor<2x5x4xf32>, tensor<2x5x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<2x5x4xf32>
  return %2 : tensor<f32>
}

/// GRU.
// CHECK-LABEL: gradcheck @f_gru: 5 targets
// CHECK:       x{{ +}}2x5x3{{ +}}30/30{{ .*}}PASS
// CHECK:       w_ih{{ +}}12x3{{ +}}36/36{{ .*}}PASS
// CHECK:       w_hh{{ +}}12x4{{ +}}48/48{{ .*}}PASS
// CHECK:       b_ih{{ +}}12{{ +}}12/12{{ .*}}PASS
// CHECK:       b_hh{{ +}}12{{ +}}12/12{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_gru(%r: tensor<2x5x4xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 16 {low = -1.0, high = 1.0} : tensor<2x5x3xf32>
  %w_ih = nn.param "w_ih" uniform seed = 17 {low = -1.0, high = 1.0} : tensor<12x3xf32>
  %w_hh = nn.param "w_hh" uniform seed = 18 {low = -1.0, high = 1.0} : tensor<12x4xf32>
  %b_ih = nn.param "b_ih" uniform seed = 19 {low = -1.0, high = 1.0} : tensor<12xf32>
  %b_hh = nn.param "b_hh" uniform seed = 20 {low = -1.0, high = 1.0} : tensor<12xf32>
  %0 = nn.gru %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<2x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<2x5x4xf32>
  %1 = nn.mul %0, %r : tensor<2x5x4xf32>, tensor<2x5x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<2x5x4xf32>
  return %2 : tensor<f32>
}

/// A single step.
// CHECK-LABEL: gradcheck @f_lstm_one_step: 5 targets
// CHECK:       x{{ +}}3x1x2{{ +}}6/6{{ .*}}PASS
// CHECK:       w_ih{{ +}}12x2{{ +}}24/24{{ .*}}PASS
// CHECK:       w_hh{{ +}}12x3{{ +}}36/36{{ .*}}PASS
// CHECK:       b_ih{{ +}}12{{ +}}12/12{{ .*}}PASS
// CHECK:       b_hh{{ +}}12{{ +}}12/12{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_lstm_one_step(%r: tensor<3x1x3xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 21 {low = -1.0, high = 1.0} : tensor<3x1x2xf32>
  %w_ih = nn.param "w_ih" uniform seed = 22 {low = -1.0, high = 1.0} : tensor<12x2xf32>
  %w_hh = nn.param "w_hh" uniform seed = 23 {low = -1.0, high = 1.0} : tensor<12x3xf32>
  %b_ih = nn.param "b_ih" uniform seed = 24 {low = -1.0, high = 1.0} : tensor<12xf32>
  %b_hh = nn.param "b_hh" uniform seed = 25 {low = -1.0, high = 1.0} : tensor<12xf32>
  %0 = nn.lstm %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<3x1x2xf32>, tensor<12x2xf32>, tensor<12x3xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<3x1x3xf32>
  %1 = nn.mul %0, %r : tensor<3x1x3xf32>, tensor<3x1x3xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<3x1x3xf32>
  return %2 : tensor<f32>
}

/// A sequence classifier: gru over the sequence, its last hidden state
/// (nn.slice + nn.reshape), a linear layer and cross_entropy on random
/// labels; the input sequence is data, not a target.
// CHECK-LABEL: gradcheck @f_gru_classifier: 6 targets
// CHECK:       gru.w_ih{{ +}}15x3{{ +}}45/45{{ .*}}PASS
// CHECK:       gru.w_hh{{ +}}15x5{{ +}}64/75{{ .*}}PASS
// CHECK:       gru.b_ih{{ +}}15{{ +}}15/15{{ .*}}PASS
// CHECK:       gru.b_hh{{ +}}15{{ +}}15/15{{ .*}}PASS
// CHECK:       fc.w{{ +}}5x4{{ +}}20/20{{ .*}}PASS
// CHECK:       fc.b{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_gru_classifier(%x: tensor<3x6x3xf32>, %labels: tensor<3xi64>) -> tensor<f32> {
  %wi = nn.param "gru.w_ih" uniform seed = 40 {low = -0.5, high = 0.5} : tensor<15x3xf32>
  %wh = nn.param "gru.w_hh" uniform seed = 41 {low = -0.5, high = 0.5} : tensor<15x5xf32>
  %bi = nn.param "gru.b_ih" uniform seed = 42 {low = -0.5, high = 0.5} : tensor<15xf32>
  %bh = nn.param "gru.b_hh" uniform seed = 43 {low = -0.5, high = 0.5} : tensor<15xf32>
  %w = nn.param "fc.w" xavier_uniform seed = 44 : tensor<5x4xf32>
  %b = nn.param "fc.b" uniform seed = 45 {low = -0.1, high = 0.1} : tensor<4xf32>
  %y = nn.gru %x, %wi, %wh, %bi, %bh : tensor<3x6x3xf32>, tensor<15x3xf32>, tensor<15x5xf32>, tensor<15xf32>, tensor<15xf32> -> tensor<3x6x5xf32>
  %last = nn.slice %y offsets = [0, 5, 0] sizes = [3, 1, 5] strides = [1, 1, 1] : tensor<3x6x5xf32>
  %h = nn.reshape %last : tensor<3x1x5xf32> -> tensor<3x5xf32>
  %z = nn.matmul %h, %w : tensor<3x5xf32>, tensor<5x4xf32>
  %logits = nn.add %z, %b : tensor<3x4xf32>, tensor<4xf32>
  %loss = nn.cross_entropy %logits, %labels : tensor<3x4xf32>, tensor<3xi64>
  return %loss : tensor<f32>
}
