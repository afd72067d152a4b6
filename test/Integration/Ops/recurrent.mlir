// Differential test of nn.rnn, nn.lstm, nn.gru and their backward ops: every
// function runs JIT and AOT on seeded random inputs (weights, biases and
// data alike uniform in [-1, 1)) and is compared with the f64 reference
// interpreter. The cases are grouped into four functions because `kilnc
// --run` compiles the whole module for each entry. The backward ops get the
// layer's own result as y, except in @backward_any_y, which checks that
// they read the hidden states from y whatever it holds (docs/Spec.md).
// Each step sums I + H products per gate and the compiled recurrence
// carries f32 rounding through up to 24 steps; observed
// |compiled - ref| <= 1.4e-6 (1 + |ref|), checked with a margin as
// |compiled - ref| <= 1e-5 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-1,1 --rtol 1e-5 --atol 1e-5 | FileCheck %s

/// The three layers, a single step, a single unit and a longer sequence.
// CHECK-DAG: ok forward aot (7 outputs
// CHECK-DAG: ok forward jit (7 outputs
func.func @forward(%x0: tensor<3x5x4xf32>, %wi0: tensor<6x4xf32>, %wh0: tensor<6x6xf32>, %bi0: tensor<6xf32>, %bh0: tensor<6xf32>, %x1: tensor<3x5x4xf32>, %wi1: tensor<6x4xf32>, %wh1: tensor<6x6xf32>, %bi1: tensor<6xf32>, %bh1: tensor<6xf32>, %x2: tensor<3x6x5xf32>, %wi2: tensor<28x5xf32>, %wh2: tensor<28x7xf32>, %bi2: tensor<28xf32>, %bh2: tensor<28xf32>, %x3: tensor<3x6x5xf32>, %wi3: tensor<21x5xf32>, %wh3: tensor<21x7xf32>, %bi3: tensor<21xf32>, %bh3: tensor<21xf32>, %x4: tensor<2x1x3xf32>, %wi4: tensor<16x3xf32>, %wh4: tensor<16x4xf32>, %bi4: tensor<16xf32>, %bh4: tensor<16xf32>, %x5: tensor<4x3x1xf32>, %wi5: tensor<3x1xf32>, %wh5: tensor<3x1xf32>, %bi5: tensor<3xf32>, %bh5: tensor<3xf32>, %x6: tensor<8x24x9xf32>, %wi6: tensor<68x9xf32>, %wh6: tensor<68x17xf32>, %bi6: tensor<68xf32>, %bh6: tensor<68xf32>)
    -> (tensor<3x5x6xf32>, tensor<3x5x6xf32>, tensor<3x6x7xf32>, tensor<3x6x7xf32>, tensor<2x1x4xf32>, tensor<4x3x1xf32>, tensor<8x24x17xf32>) {
  // Elman RNN, tanh (the default).
  %y0 = nn.rnn %x0, %wi0, %wh0, %bi0, %bh0 : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<3x5x6xf32>
  // Elman RNN, relu.
  %y1 = nn.rnn %x1, %wi1, %wh1, %bi1, %bh1 nonlinearity = relu : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<3x5x6xf32>
  // LSTM.
  %y2 = nn.lstm %x2, %wi2, %wh2, %bi2, %bh2 : tensor<3x6x5xf32>, tensor<28x5xf32>, tensor<28x7xf32>, tensor<28xf32>, tensor<28xf32> -> tensor<3x6x7xf32>
  // GRU.
  %y3 = nn.gru %x3, %wi3, %wh3, %bi3, %bh3 : tensor<3x6x5xf32>, tensor<21x5xf32>, tensor<21x7xf32>, tensor<21xf32>, tensor<21xf32> -> tensor<3x6x7xf32>
  // A single step: the loop runs once.
  %y4 = nn.lstm %x4, %wi4, %wh4, %bi4, %bh4 : tensor<2x1x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x1x4xf32>
  // One input feature and one hidden unit.
  %y5 = nn.gru %x5, %wi5, %wh5, %bi5, %bh5 : tensor<4x3x1xf32>, tensor<3x1xf32>, tensor<3x1xf32>, tensor<3xf32>, tensor<3xf32> -> tensor<4x3x1xf32>
  // A longer sequence; sizes that the product tiles do not divide.
  %y6 = nn.lstm %x6, %wi6, %wh6, %bi6, %bh6 : tensor<8x24x9xf32>, tensor<68x9xf32>, tensor<68x17xf32>, tensor<68xf32>, tensor<68xf32> -> tensor<8x24x17xf32>
  return %y0, %y1, %y2, %y3, %y4, %y5, %y6 : tensor<3x5x6xf32>, tensor<3x5x6xf32>, tensor<3x6x7xf32>, tensor<3x6x7xf32>, tensor<2x1x4xf32>, tensor<4x3x1xf32>, tensor<8x24x17xf32>
}

/// Backpropagation through time for each layer, on the layer's own y.
// CHECK-DAG: ok backward aot (20 outputs
// CHECK-DAG: ok backward jit (20 outputs
func.func @backward(%x0: tensor<3x5x4xf32>, %wi0: tensor<6x4xf32>, %wh0: tensor<6x6xf32>, %bi0: tensor<6xf32>, %bh0: tensor<6xf32>, %dy0: tensor<3x5x6xf32>, %x1: tensor<3x5x4xf32>, %wi1: tensor<6x4xf32>, %wh1: tensor<6x6xf32>, %bi1: tensor<6xf32>, %bh1: tensor<6xf32>, %dy1: tensor<3x5x6xf32>, %x2: tensor<3x6x5xf32>, %wi2: tensor<28x5xf32>, %wh2: tensor<28x7xf32>, %bi2: tensor<28xf32>, %bh2: tensor<28xf32>, %dy2: tensor<3x6x7xf32>, %x3: tensor<3x6x5xf32>, %wi3: tensor<21x5xf32>, %wh3: tensor<21x7xf32>, %bi3: tensor<21xf32>, %bh3: tensor<21xf32>, %dy3: tensor<3x6x7xf32>)
    -> (tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<3x6x5xf32>, tensor<28x5xf32>, tensor<28x7xf32>, tensor<28xf32>, tensor<28xf32>, tensor<3x6x5xf32>, tensor<21x5xf32>, tensor<21x7xf32>, tensor<21xf32>, tensor<21xf32>) {
  // rnn, tanh: the derivative reads 1 - y^2.
  %y0 = nn.rnn %x0, %wi0, %wh0, %bi0, %bh0 : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<3x5x6xf32>
  %g0:5 = nn.rnn_backward %x0, %wi0, %wh0, %bi0, %bh0, %y0, %dy0 : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<3x5x6xf32>, tensor<3x5x6xf32>
  // rnn, relu: the derivative reads y > 0.
  %y1 = nn.rnn %x1, %wi1, %wh1, %bi1, %bh1 nonlinearity = relu : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<3x5x6xf32>
  %g1:5 = nn.rnn_backward %x1, %wi1, %wh1, %bi1, %bh1, %y1, %dy1 nonlinearity = relu : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<3x5x6xf32>, tensor<3x5x6xf32>
  // lstm: recomputed gates and cell states.
  %y2 = nn.lstm %x2, %wi2, %wh2, %bi2, %bh2 : tensor<3x6x5xf32>, tensor<28x5xf32>, tensor<28x7xf32>, tensor<28xf32>, tensor<28xf32> -> tensor<3x6x7xf32>
  %g2:5 = nn.lstm_backward %x2, %wi2, %wh2, %bi2, %bh2, %y2, %dy2 : tensor<3x6x5xf32>, tensor<28x5xf32>, tensor<28x7xf32>, tensor<28xf32>, tensor<28xf32>, tensor<3x6x7xf32>, tensor<3x6x7xf32>
  // gru: input-side and hidden-side cotangents differ in the n block.
  %y3 = nn.gru %x3, %wi3, %wh3, %bi3, %bh3 : tensor<3x6x5xf32>, tensor<21x5xf32>, tensor<21x7xf32>, tensor<21xf32>, tensor<21xf32> -> tensor<3x6x7xf32>
  %g3:5 = nn.gru_backward %x3, %wi3, %wh3, %bi3, %bh3, %y3, %dy3 : tensor<3x6x5xf32>, tensor<21x5xf32>, tensor<21x7xf32>, tensor<21xf32>, tensor<21xf32>, tensor<3x6x7xf32>, tensor<3x6x7xf32>
  return %g0#0, %g0#1, %g0#2, %g0#3, %g0#4, %g1#0, %g1#1, %g1#2, %g1#3, %g1#4, %g2#0, %g2#1, %g2#2, %g2#3, %g2#4, %g3#0, %g3#1, %g3#2, %g3#3, %g3#4 : tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<3x5x4xf32>, tensor<6x4xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<3x6x5xf32>, tensor<28x5xf32>, tensor<28x7xf32>, tensor<28xf32>, tensor<28xf32>, tensor<3x6x5xf32>, tensor<21x5xf32>, tensor<21x7xf32>, tensor<21xf32>, tensor<21xf32>
}

/// One step, longer sequences and an empty batch.
// CHECK-DAG: ok backward_steps aot (25 outputs
// CHECK-DAG: ok backward_steps jit (25 outputs
func.func @backward_steps(%x0: tensor<2x1x3xf32>, %wi0: tensor<16x3xf32>, %wh0: tensor<16x4xf32>, %bi0: tensor<16xf32>, %bh0: tensor<16xf32>, %dy0: tensor<2x1x4xf32>, %x1: tensor<2x1x3xf32>, %wi1: tensor<12x3xf32>, %wh1: tensor<12x4xf32>, %bi1: tensor<12xf32>, %bh1: tensor<12xf32>, %dy1: tensor<2x1x4xf32>, %x2: tensor<8x24x9xf32>, %wi2: tensor<68x9xf32>, %wh2: tensor<68x17xf32>, %bi2: tensor<68xf32>, %bh2: tensor<68xf32>, %dy2: tensor<8x24x17xf32>, %x3: tensor<8x24x9xf32>, %wi3: tensor<51x9xf32>, %wh3: tensor<51x17xf32>, %bi3: tensor<51xf32>, %bh3: tensor<51xf32>, %dy3: tensor<8x24x17xf32>, %x4: tensor<0x3x5xf32>, %wi4: tensor<12x5xf32>, %wh4: tensor<12x4xf32>, %bi4: tensor<12xf32>, %bh4: tensor<12xf32>, %dy4: tensor<0x3x4xf32>)
    -> (tensor<2x1x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<2x1x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<8x24x9xf32>, tensor<68x9xf32>, tensor<68x17xf32>, tensor<68xf32>, tensor<68xf32>, tensor<8x24x9xf32>, tensor<51x9xf32>, tensor<51x17xf32>, tensor<51xf32>, tensor<51xf32>, tensor<0x3x5xf32>, tensor<12x5xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>) {
  // A single step: h_{-1} = c_{-1} = 0.
  %y0 = nn.lstm %x0, %wi0, %wh0, %bi0, %bh0 : tensor<2x1x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x1x4xf32>
  %g0:5 = nn.lstm_backward %x0, %wi0, %wh0, %bi0, %bh0, %y0, %dy0 : tensor<2x1x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>
  // A single step for gru.
  %y1 = nn.gru %x1, %wi1, %wh1, %bi1, %bh1 : tensor<2x1x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<2x1x4xf32>
  %g1:5 = nn.gru_backward %x1, %wi1, %wh1, %bi1, %bh1, %y1, %dy1 : tensor<2x1x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>
  // A longer sequence.
  %y2 = nn.lstm %x2, %wi2, %wh2, %bi2, %bh2 : tensor<8x24x9xf32>, tensor<68x9xf32>, tensor<68x17xf32>, tensor<68xf32>, tensor<68xf32> -> tensor<8x24x17xf32>
  %g2:5 = nn.lstm_backward %x2, %wi2, %wh2, %bi2, %bh2, %y2, %dy2 : tensor<8x24x9xf32>, tensor<68x9xf32>, tensor<68x17xf32>, tensor<68xf32>, tensor<68xf32>, tensor<8x24x17xf32>, tensor<8x24x17xf32>
  // A longer sequence for gru.
  %y3 = nn.gru %x3, %wi3, %wh3, %bi3, %bh3 : tensor<8x24x9xf32>, tensor<51x9xf32>, tensor<51x17xf32>, tensor<51xf32>, tensor<51xf32> -> tensor<8x24x17xf32>
  %g3:5 = nn.gru_backward %x3, %wi3, %wh3, %bi3, %bh3, %y3, %dy3 : tensor<8x24x9xf32>, tensor<51x9xf32>, tensor<51x17xf32>, tensor<51xf32>, tensor<51xf32>, tensor<8x24x17xf32>, tensor<8x24x17xf32>
  // An empty batch: dx is empty, the other gradients are zeros.
  %y4 = nn.gru %x4, %wi4, %wh4, %bi4, %bh4 : tensor<0x3x5xf32>, tensor<12x5xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<0x3x4xf32>
  %g4:5 = nn.gru_backward %x4, %wi4, %wh4, %bi4, %bh4, %y4, %dy4 : tensor<0x3x5xf32>, tensor<12x5xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<0x3x4xf32>, tensor<0x3x4xf32>
  return %g0#0, %g0#1, %g0#2, %g0#3, %g0#4, %g1#0, %g1#1, %g1#2, %g1#3, %g1#4, %g2#0, %g2#1, %g2#2, %g2#3, %g2#4, %g3#0, %g3#1, %g3#2, %g3#3, %g3#4, %g4#0, %g4#1, %g4#2, %g4#3, %g4#4 : tensor<2x1x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<2x1x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<8x24x9xf32>, tensor<68x9xf32>, tensor<68x17xf32>, tensor<68xf32>, tensor<68xf32>, tensor<8x24x9xf32>, tensor<51x9xf32>, tensor<51x17xf32>, tensor<51xf32>, tensor<51xf32>, tensor<0x3x5xf32>, tensor<12x5xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>
}

/// y is an argument, not the layer's result: the backward ops read the hidden
/// states from it.
// CHECK-DAG: ok backward_any_y aot (15 outputs
// CHECK-DAG: ok backward_any_y jit (15 outputs
func.func @backward_any_y(%x0: tensor<2x4x3xf32>, %wi0: tensor<5x3xf32>, %wh0: tensor<5x5xf32>, %bi0: tensor<5xf32>, %bh0: tensor<5xf32>, %y0: tensor<2x4x5xf32>, %dy0: tensor<2x4x5xf32>, %x1: tensor<2x4x3xf32>, %wi1: tensor<20x3xf32>, %wh1: tensor<20x5xf32>, %bi1: tensor<20xf32>, %bh1: tensor<20xf32>, %y1: tensor<2x4x5xf32>, %dy1: tensor<2x4x5xf32>, %x2: tensor<2x4x3xf32>, %wi2: tensor<15x3xf32>, %wh2: tensor<15x5xf32>, %bi2: tensor<15xf32>, %bh2: tensor<15xf32>, %y2: tensor<2x4x5xf32>, %dy2: tensor<2x4x5xf32>)
    -> (tensor<2x4x3xf32>, tensor<5x3xf32>, tensor<5x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<2x4x3xf32>, tensor<20x3xf32>, tensor<20x5xf32>, tensor<20xf32>, tensor<20xf32>, tensor<2x4x3xf32>, tensor<15x3xf32>, tensor<15x5xf32>, tensor<15xf32>, tensor<15xf32>) {
  // rnn: 1 - y[:, t]^2.
  %g0:5 = nn.rnn_backward %x0, %wi0, %wh0, %bi0, %bh0, %y0, %dy0 : tensor<2x4x3xf32>, tensor<5x3xf32>, tensor<5x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<2x4x5xf32>, tensor<2x4x5xf32>
  // lstm: gates from h_{t-1} = y[:, t-1], cell states rebuilt from them.
  %g1:5 = nn.lstm_backward %x1, %wi1, %wh1, %bi1, %bh1, %y1, %dy1 : tensor<2x4x3xf32>, tensor<20x3xf32>, tensor<20x5xf32>, tensor<20xf32>, tensor<20xf32>, tensor<2x4x5xf32>, tensor<2x4x5xf32>
  // gru: gates from h_{t-1} = y[:, t-1].
  %g2:5 = nn.gru_backward %x2, %wi2, %wh2, %bi2, %bh2, %y2, %dy2 : tensor<2x4x3xf32>, tensor<15x3xf32>, tensor<15x5xf32>, tensor<15xf32>, tensor<15xf32>, tensor<2x4x5xf32>, tensor<2x4x5xf32>
  return %g0#0, %g0#1, %g0#2, %g0#3, %g0#4, %g1#0, %g1#1, %g1#2, %g1#3, %g1#4, %g2#0, %g2#1, %g2#2, %g2#3, %g2#4 : tensor<2x4x3xf32>, tensor<5x3xf32>, tensor<5x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<2x4x3xf32>, tensor<20x3xf32>, tensor<20x5xf32>, tensor<20xf32>, tensor<20xf32>, tensor<2x4x3xf32>, tensor<15x3xf32>, tensor<15x5xf32>, tensor<15xf32>, tensor<15xf32>
}
