// An MLP with batch normalization and dropout on MNIST:
// 784 -> 256 -> batch norm -> ReLU -> dropout(0.2) -> 128 -> batch norm ->
// ReLU -> dropout(0.2) -> 10, Adam, mean cross-entropy, batch 128.
//
// The file is the model's *evaluation* form: `nn.batch_norm` normalizes with
// the running statistics and `nn.dropout` is the identity. The training step
// that kiln-train-step builds uses the training form (PyTorch's
// model.train()): batch statistics, which also update the running
// statistics (the `buffer` parameters, saved in checkpoints), and dropout
// masks drawn from (seed, step, element). The trainer evaluates the held-out
// set with the evaluation form (model.eval()). docs/Training.md, "Train and
// eval modes".
//
//   kilnc examples/mnist_mlp_bn_dropout.mlir -o mnist_mlp_bn_dropout
//   ./mnist_mlp_bn_dropout --data data/mnist --epochs 10

func.func @mnist_mlp_bn_dropout(%x: tensor<128x784xf32> {nn.name = "x"},
                                %y: tensor<128xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<128x10xf32>)
    attributes {nn.train = {optimizer = "adam", lr = 1.0e-3}} {
  %w1 = nn.param "fc1.w" he_uniform seed = 1 : tensor<784x256xf32>
  %b1 = nn.param "fc1.b" zeros : tensor<256xf32>
  %g1 = nn.param "bn1.weight" ones : tensor<256xf32>
  %be1 = nn.param "bn1.bias" zeros : tensor<256xf32>
  %m1 = nn.param "bn1.running_mean" zeros buffer : tensor<256xf32>
  %v1 = nn.param "bn1.running_var" ones buffer : tensor<256xf32>
  %w2 = nn.param "fc2.w" he_uniform seed = 2 : tensor<256x128xf32>
  %b2 = nn.param "fc2.b" zeros : tensor<128xf32>
  %g2 = nn.param "bn2.weight" ones : tensor<128xf32>
  %be2 = nn.param "bn2.bias" zeros : tensor<128xf32>
  %m2 = nn.param "bn2.running_mean" zeros buffer : tensor<128xf32>
  %v2 = nn.param "bn2.running_var" ones buffer : tensor<128xf32>
  %w3 = nn.param "fc3.w" xavier_uniform seed = 3 : tensor<128x10xf32>
  %b3 = nn.param "fc3.b" zeros : tensor<10xf32>

  %0 = nn.matmul %x, %w1 : tensor<128x784xf32>, tensor<784x256xf32>
  %1 = nn.add %0, %b1 : tensor<128x256xf32>, tensor<256xf32>
  %2 = nn.batch_norm %1, %g1, %be1, %m1, %v1 : tensor<128x256xf32>, tensor<256xf32>
  %3 = nn.relu %2 : tensor<128x256xf32>
  %4 = nn.dropout %3 rate = 0.2 seed = 101 : tensor<128x256xf32>

  %5 = nn.matmul %4, %w2 : tensor<128x256xf32>, tensor<256x128xf32>
  %6 = nn.add %5, %b2 : tensor<128x128xf32>, tensor<128xf32>
  %7 = nn.batch_norm %6, %g2, %be2, %m2, %v2 : tensor<128x128xf32>, tensor<128xf32>
  %8 = nn.relu %7 : tensor<128x128xf32>
  %9 = nn.dropout %8 rate = 0.2 seed = 102 : tensor<128x128xf32>

  %10 = nn.matmul %9, %w3 : tensor<128x128xf32>, tensor<128x10xf32>
  %logits = nn.add %10, %b3 : tensor<128x10xf32>, tensor<10xf32>
  %loss = nn.cross_entropy %logits, %y : tensor<128x10xf32>, tensor<128xi64>
  return %loss, %logits : tensor<f32>, tensor<128x10xf32>
}
