// MNIST digit classifier: a 784-512-256-10 multilayer perceptron with ReLU,
// trained with Adam on mean cross-entropy. docs/Training.md explains the
// model format.
//
// - The function's first result is the loss (tensor<f32>); the second, the
//   logits, lets the trainer report accuracy.
// - Its inputs are one batch: 128 images of 28x28 = 784 pixels in [0, 1]
//   and their labels (class indices 0..9). The batch size is part of the
//   compiled model.
// - `nn.param` declares each parameter with its initializer and seed.
// - `nn.train` names the optimizer and its hyperparameters; kiln-train-step
//   builds `@mnist_mlp_train_step` from it (forward, loss, backward, update).
//
// Train it (utils/setup.sh fetches the digits into data/mnist):
//   kilnc examples/mnist_mlp.mlir -o mnist_mlp
//   ./mnist_mlp --data data/mnist --epochs 10 --metrics m.jsonl --checkpoint mnist.ckpt
// or through the JIT:
//   kilnc examples/mnist_mlp.mlir --run --data data/mnist --epochs 10

func.func @mnist_mlp(%x: tensor<128x784xf32> {nn.name = "x"},
                     %y: tensor<128xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<128x10xf32>)
    attributes {nn.train = {optimizer = "adam", lr = 1.0e-3}} {
  %w1 = nn.param "fc1.w" he_uniform seed = 1 : tensor<784x512xf32>
  %b1 = nn.param "fc1.b" zeros : tensor<512xf32>
  %w2 = nn.param "fc2.w" he_uniform seed = 2 : tensor<512x256xf32>
  %b2 = nn.param "fc2.b" zeros : tensor<256xf32>
  %w3 = nn.param "fc3.w" xavier_uniform seed = 3 : tensor<256x10xf32>
  %b3 = nn.param "fc3.b" zeros : tensor<10xf32>

  %0 = nn.matmul %x, %w1 : tensor<128x784xf32>, tensor<784x512xf32>
  %1 = nn.add %0, %b1 : tensor<128x512xf32>, tensor<512xf32>
  %2 = nn.relu %1 : tensor<128x512xf32>

  %3 = nn.matmul %2, %w2 : tensor<128x512xf32>, tensor<512x256xf32>
  %4 = nn.add %3, %b2 : tensor<128x256xf32>, tensor<256xf32>
  %5 = nn.relu %4 : tensor<128x256xf32>

  %6 = nn.matmul %5, %w3 : tensor<128x256xf32>, tensor<256x10xf32>
  %logits = nn.add %6, %b3 : tensor<128x10xf32>, tensor<10xf32>

  %loss = nn.cross_entropy %logits, %y : tensor<128x10xf32>, tensor<128xi64>
  return %loss, %logits : tensor<f32>, tensor<128x10xf32>
}
