// MNIST with a single-layer LSTM that reads each image as a sequence of 28
// rows of 28 pixels (batch first), hidden size 128; the hidden state after
// the last row goes through a linear layer to the 10 class logits. Adam,
// mean cross-entropy, batch 64. Weights and gate formulas are PyTorch's
// torch.nn.LSTM(28, 128, batch_first=True) (docs/Spec.md, nn.lstm); the
// time loop compiles to a loop, forward and backward.
//
//   kilnc examples/mnist_lstm.mlir -o mnist_lstm
//   ./mnist_lstm --data data/mnist --epochs 10

func.func @mnist_lstm(%x: tensor<64x28x28xf32> {nn.name = "x"},
                       %y: tensor<64xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<64x10xf32>)
    attributes {nn.train = {optimizer = "adam", lr = 2.0e-3}} {
  %wih = nn.param "lstm.weight_ih" uniform seed = 1 {low = -0.08838834764831845 : f64, high = 0.08838834764831845 : f64} : tensor<512x28xf32>
  %whh = nn.param "lstm.weight_hh" uniform seed = 2 {low = -0.08838834764831845 : f64, high = 0.08838834764831845 : f64} : tensor<512x128xf32>
  %bih = nn.param "lstm.bias_ih" uniform seed = 3 {low = -0.08838834764831845 : f64, high = 0.08838834764831845 : f64} : tensor<512xf32>
  %bhh = nn.param "lstm.bias_hh" uniform seed = 4 {low = -0.08838834764831845 : f64, high = 0.08838834764831845 : f64} : tensor<512xf32>
  %w = nn.param "fc.w" xavier_uniform seed = 5 : tensor<128x10xf32>
  %b = nn.param "fc.b" zeros : tensor<10xf32>

  // Every hidden state [64, 28, 128]; keep the last one.
  %h = nn.lstm %x, %wih, %whh, %bih, %bhh : tensor<64x28x28xf32>, tensor<512x28xf32>, tensor<512x128xf32>, tensor<512xf32>, tensor<512xf32> -> tensor<64x28x128xf32>
  %last = nn.slice %h offsets = [0, 27, 0] sizes = [64, 1, 128] strides = [1, 1, 1] : tensor<64x28x128xf32>
  %hT = nn.reshape %last : tensor<64x1x128xf32> -> tensor<64x128xf32>
  %0 = nn.matmul %hT, %w : tensor<64x128xf32>, tensor<128x10xf32>
  %logits = nn.add %0, %b : tensor<64x10xf32>, tensor<10xf32>
  %loss = nn.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi64>
  return %loss, %logits : tensor<f32>, tensor<64x10xf32>
}
