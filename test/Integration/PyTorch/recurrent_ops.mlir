// Models for compare_recurrent.py (run by recurrent_ops.test): one function
// per recurrent configuration. Each returns the loss sum(y * g) and the
// layer's output y (or, for the *_last_step models, sum(y[:, T-1, :] * g)
// and that last step, taken with nn.slice as models do); kiln-autodiff (run
// by kilnc) adds @<name>_grad, which also returns the gradients of the loss
// with respect to the five arguments listed in nn.differentiate. The shapes
// and attributes here must match CONFIGS in compare_recurrent.py.

// torch.nn.RNN(4, 6, nonlinearity='tanh', batch_first=True)
func.func @rnn_tanh(%x: tensor<3x5x4xf32>, %w_ih: tensor<6x4xf32>, %w_hh: tensor<6x6xf32>, %b_ih: tensor<6xf32>, %b_hh: tensor<6xf32>, %g: tensor<3x5x6xf32>)
    -> (tensor<f32>, tensor<3x5x6xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.rnn %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<3x5x6xf32>
  %p = nn.mul %y, %g : tensor<3x5x6xf32>, tensor<3x5x6xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<3x5x6xf32>
  return %l, %y : tensor<f32>, tensor<3x5x6xf32>
}

// torch.nn.RNN(4, 6, nonlinearity='relu', batch_first=True)
func.func @rnn_relu(%x: tensor<3x5x4xf32>, %w_ih: tensor<6x4xf32>, %w_hh: tensor<6x6xf32>, %b_ih: tensor<6xf32>, %b_hh: tensor<6xf32>, %g: tensor<3x5x6xf32>)
    -> (tensor<f32>, tensor<3x5x6xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.rnn %x, %w_ih, %w_hh, %b_ih, %b_hh nonlinearity = relu : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<3x5x6xf32>
  %p = nn.mul %y, %g : tensor<3x5x6xf32>, tensor<3x5x6xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<3x5x6xf32>
  return %l, %y : tensor<f32>, tensor<3x5x6xf32>
}

// torch.nn.LSTM(5, 7, batch_first=True)
func.func @lstm(%x: tensor<3x6x5xf32>, %w_ih: tensor<28x5xf32>, %w_hh: tensor<28x7xf32>, %b_ih: tensor<28xf32>, %b_hh: tensor<28xf32>, %g: tensor<3x6x7xf32>)
    -> (tensor<f32>, tensor<3x6x7xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.lstm %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<3x6x5xf32>, tensor<28x5xf32>, tensor<28x7xf32>, tensor<28xf32>, tensor<28xf32> -> tensor<3x6x7xf32>
  %p = nn.mul %y, %g : tensor<3x6x7xf32>, tensor<3x6x7xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<3x6x7xf32>
  return %l, %y : tensor<f32>, tensor<3x6x7xf32>
}

// torch.nn.GRU(5, 7, batch_first=True)
func.func @gru(%x: tensor<3x6x5xf32>, %w_ih: tensor<21x5xf32>, %w_hh: tensor<21x7xf32>, %b_ih: tensor<21xf32>, %b_hh: tensor<21xf32>, %g: tensor<3x6x7xf32>)
    -> (tensor<f32>, tensor<3x6x7xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.gru %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<3x6x5xf32>, tensor<21x5xf32>, tensor<21x7xf32>, tensor<21xf32>, tensor<21xf32> -> tensor<3x6x7xf32>
  %p = nn.mul %y, %g : tensor<3x6x7xf32>, tensor<3x6x7xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<3x6x7xf32>
  return %l, %y : tensor<f32>, tensor<3x6x7xf32>
}

// torch.nn.LSTM(3, 4, batch_first=True)
func.func @lstm_one_step(%x: tensor<2x1x3xf32>, %w_ih: tensor<16x3xf32>, %w_hh: tensor<16x4xf32>, %b_ih: tensor<16xf32>, %b_hh: tensor<16xf32>, %g: tensor<2x1x4xf32>)
    -> (tensor<f32>, tensor<2x1x4xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.lstm %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<2x1x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x1x4xf32>
  %p = nn.mul %y, %g : tensor<2x1x4xf32>, tensor<2x1x4xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<2x1x4xf32>
  return %l, %y : tensor<f32>, tensor<2x1x4xf32>
}

// torch.nn.GRU(3, 4, batch_first=True)
func.func @gru_one_step(%x: tensor<2x1x3xf32>, %w_ih: tensor<12x3xf32>, %w_hh: tensor<12x4xf32>, %b_ih: tensor<12xf32>, %b_hh: tensor<12xf32>, %g: tensor<2x1x4xf32>)
    -> (tensor<f32>, tensor<2x1x4xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.gru %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<2x1x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<2x1x4xf32>
  %p = nn.mul %y, %g : tensor<2x1x4xf32>, tensor<2x1x4xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<2x1x4xf32>
  return %l, %y : tensor<f32>, tensor<2x1x4xf32>
}

// torch.nn.RNN(8, 16, nonlinearity='tanh', batch_first=True)
func.func @rnn_long(%x: tensor<4x40x8xf32>, %w_ih: tensor<16x8xf32>, %w_hh: tensor<16x16xf32>, %b_ih: tensor<16xf32>, %b_hh: tensor<16xf32>, %g: tensor<4x40x16xf32>)
    -> (tensor<f32>, tensor<4x40x16xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.rnn %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<4x40x8xf32>, tensor<16x8xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<4x40x16xf32>
  %p = nn.mul %y, %g : tensor<4x40x16xf32>, tensor<4x40x16xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<4x40x16xf32>
  return %l, %y : tensor<f32>, tensor<4x40x16xf32>
}

// torch.nn.LSTM(28, 32, batch_first=True)
func.func @lstm_long(%x: tensor<4x28x28xf32>, %w_ih: tensor<128x28xf32>, %w_hh: tensor<128x32xf32>, %b_ih: tensor<128xf32>, %b_hh: tensor<128xf32>, %g: tensor<4x28x32xf32>)
    -> (tensor<f32>, tensor<4x28x32xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.lstm %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<4x28x28xf32>, tensor<128x28xf32>, tensor<128x32xf32>, tensor<128xf32>, tensor<128xf32> -> tensor<4x28x32xf32>
  %p = nn.mul %y, %g : tensor<4x28x32xf32>, tensor<4x28x32xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<4x28x32xf32>
  return %l, %y : tensor<f32>, tensor<4x28x32xf32>
}

// torch.nn.GRU(28, 32, batch_first=True)
func.func @gru_long(%x: tensor<4x28x28xf32>, %w_ih: tensor<96x28xf32>, %w_hh: tensor<96x32xf32>, %b_ih: tensor<96xf32>, %b_hh: tensor<96xf32>, %g: tensor<4x28x32xf32>)
    -> (tensor<f32>, tensor<4x28x32xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.gru %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<4x28x28xf32>, tensor<96x28xf32>, tensor<96x32xf32>, tensor<96xf32>, tensor<96xf32> -> tensor<4x28x32xf32>
  %p = nn.mul %y, %g : tensor<4x28x32xf32>, tensor<4x28x32xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<4x28x32xf32>
  return %l, %y : tensor<f32>, tensor<4x28x32xf32>
}

// torch.nn.LSTM(6, 9, batch_first=True), last step
func.func @lstm_last_step(%x: tensor<5x12x6xf32>, %w_ih: tensor<36x6xf32>, %w_hh: tensor<36x9xf32>, %b_ih: tensor<36xf32>, %b_hh: tensor<36xf32>, %g: tensor<5x1x9xf32>)
    -> (tensor<f32>, tensor<5x1x9xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.lstm %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<5x12x6xf32>, tensor<36x6xf32>, tensor<36x9xf32>, tensor<36xf32>, tensor<36xf32> -> tensor<5x12x9xf32>
  %s = nn.slice %y offsets = [0, 11, 0] sizes = [5, 1, 9] strides = [1, 1, 1] : tensor<5x12x9xf32>
  %p = nn.mul %s, %g : tensor<5x1x9xf32>, tensor<5x1x9xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<5x1x9xf32>
  return %l, %s : tensor<f32>, tensor<5x1x9xf32>
}

// torch.nn.GRU(6, 9, batch_first=True), last step
func.func @gru_last_step(%x: tensor<5x12x6xf32>, %w_ih: tensor<27x6xf32>, %w_hh: tensor<27x9xf32>, %b_ih: tensor<27xf32>, %b_hh: tensor<27xf32>, %g: tensor<5x1x9xf32>)
    -> (tensor<f32>, tensor<5x1x9xf32>) attributes {nn.differentiate = [0, 1, 2, 3, 4]} {
  %y = nn.gru %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<5x12x6xf32>, tensor<27x6xf32>, tensor<27x9xf32>, tensor<27xf32>, tensor<27xf32> -> tensor<5x12x9xf32>
  %s = nn.slice %y offsets = [0, 11, 0] sizes = [5, 1, 9] strides = [1, 1, 1] : tensor<5x12x9xf32>
  %p = nn.mul %s, %g : tensor<5x1x9xf32>, tensor<5x1x9xf32>
  %l = nn.reduce_sum %p axes = [0, 1, 2] : tensor<5x1x9xf32>
  return %l, %s : tensor<f32>, tensor<5x1x9xf32>
}
