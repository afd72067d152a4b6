// A 784-512-256-10 multilayer perceptron for 28x28 images (MNIST-sized):
// two ReLU hidden layers and a softmax over 10 classes. Weights use the
// `[in, out]` layout with xavier_uniform initialization, biases start at
// zero, and every parameter has its own seed.
//
// Compile and run it:
//   kilnc examples/mlp_forward.mlir -o mlp
//   ./mlp --print examples/data/mlp_input.npy
// or in-process:
//   kilnc examples/mlp_forward.mlir --run --print examples/data/mlp_input.npy

func.func @forward(%x: tensor<1x784xf32> {nn.name = "x"}) -> tensor<1x10xf32> {
  %w1 = nn.param "fc1.w" xavier_uniform seed = 1 : tensor<784x512xf32>
  %b1 = nn.param "fc1.b" zeros seed = 2 : tensor<512xf32>
  %w2 = nn.param "fc2.w" xavier_uniform seed = 3 : tensor<512x256xf32>
  %b2 = nn.param "fc2.b" zeros seed = 4 : tensor<256xf32>
  %w3 = nn.param "fc3.w" xavier_uniform seed = 5 : tensor<256x10xf32>
  %b3 = nn.param "fc3.b" zeros seed = 6 : tensor<10xf32>

  %0 = nn.matmul %x, %w1 : tensor<1x784xf32>, tensor<784x512xf32>
  %1 = nn.add %0, %b1 : tensor<1x512xf32>, tensor<512xf32>
  %2 = nn.relu %1 : tensor<1x512xf32>

  %3 = nn.matmul %2, %w2 : tensor<1x512xf32>, tensor<512x256xf32>
  %4 = nn.add %3, %b2 : tensor<1x256xf32>, tensor<256xf32>
  %5 = nn.relu %4 : tensor<1x256xf32>

  %6 = nn.matmul %5, %w3 : tensor<1x256xf32>, tensor<256x10xf32>
  %7 = nn.add %6, %b3 : tensor<1x10xf32>, tensor<10xf32>
  %8 = nn.softmax %7 axis = 1 : tensor<1x10xf32>
  return %8 : tensor<1x10xf32>
}
