// LeNet-5 on MNIST: two 5x5 convolutions with ReLU and 2x2 max pooling, then
// three fully connected layers (the classic 6-16-120-84-10 widths, with ReLU
// and max pooling as PyTorch tutorials write it), with dropout (rate 0.3)
// after the first two fully connected layers: without it the 8,000 training
// digits are memorized (100% train accuracy) and held-out accuracy stalls
// near 97.8%. Adam with a cosine schedule from 2e-3 to 0 over 15 epochs
// (1,875 steps), mean cross-entropy, batch 64: 98.35% held-out after 15
// epochs (docs/Models.md). docs/Training.md explains the model format;
// docs/Spec.md the ops.
//
// Train it (utils/setup.sh fetches the digits into data/mnist):
//   kilnc examples/mnist_lenet.mlir -o mnist_lenet
//   ./mnist_lenet --data data/mnist --epochs 15
//
// The images arrive as [64, 1, 28, 28]: the trainer reshapes each 784-pixel
// example to the model's per-example shape.

func.func @mnist_lenet(%x: tensor<64x1x28x28xf32> {nn.name = "x"},
                       %y: tensor<64xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<64x10xf32>)
    attributes {nn.train = {optimizer = "adam", lr = 2.0e-3,
                            schedule = "cosine", total_steps = 1875,
                            min_lr = 0.0}} {
  %c1w = nn.param "conv1.w" he_uniform seed = 1 : tensor<6x1x5x5xf32>
  %c1b = nn.param "conv1.b" zeros : tensor<6xf32>
  %c2w = nn.param "conv2.w" he_uniform seed = 2 : tensor<16x6x5x5xf32>
  %c2b = nn.param "conv2.b" zeros : tensor<16xf32>
  %f1w = nn.param "fc1.w" he_uniform seed = 3 : tensor<400x120xf32>
  %f1b = nn.param "fc1.b" zeros : tensor<120xf32>
  %f2w = nn.param "fc2.w" he_uniform seed = 4 : tensor<120x84xf32>
  %f2b = nn.param "fc2.b" zeros : tensor<84xf32>
  %f3w = nn.param "fc3.w" xavier_uniform seed = 5 : tensor<84x10xf32>
  %f3b = nn.param "fc3.b" zeros : tensor<10xf32>

  // [64,1,28,28] -> conv 5x5 pad 2 -> [64,6,28,28] -> pool -> [64,6,14,14]
  %0 = nn.conv2d %x, %c1w, %c1b padding = [2, 2] : tensor<64x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>
  %1 = nn.relu %0 : tensor<64x6x28x28xf32>
  %2 = nn.max_pool2d %1 kernel = [2, 2] : tensor<64x6x28x28xf32>
  // -> conv 5x5 -> [64,16,10,10] -> pool -> [64,16,5,5]
  %3 = nn.conv2d %2, %c2w, %c2b : tensor<64x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>
  %4 = nn.relu %3 : tensor<64x16x10x10xf32>
  %5 = nn.max_pool2d %4 kernel = [2, 2] : tensor<64x16x10x10xf32>
  %6 = nn.flatten %5 : tensor<64x16x5x5xf32>

  %7 = nn.matmul %6, %f1w : tensor<64x400xf32>, tensor<400x120xf32>
  %8 = nn.add %7, %f1b : tensor<64x120xf32>, tensor<120xf32>
  %r9 = nn.relu %8 : tensor<64x120xf32>
  %9 = nn.dropout %r9 rate = 0.3 seed = 101 : tensor<64x120xf32>
  %10 = nn.matmul %9, %f2w : tensor<64x120xf32>, tensor<120x84xf32>
  %11 = nn.add %10, %f2b : tensor<64x84xf32>, tensor<84xf32>
  %r12 = nn.relu %11 : tensor<64x84xf32>
  %12 = nn.dropout %r12 rate = 0.3 seed = 102 : tensor<64x84xf32>
  %13 = nn.matmul %12, %f3w : tensor<64x84xf32>, tensor<84x10xf32>
  %logits = nn.add %13, %f3b : tensor<64x10xf32>, tensor<10xf32>

  %loss = nn.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi64>
  return %loss, %logits : tensor<f32>, tensor<64x10xf32>
}
