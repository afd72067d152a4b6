// A small CNN whose convolutions run their batch blocks in two parts
// (docs/Codegen.md, "Threads"): batch 16, conv1 3->8 3x3 (an im2col matrix
// of 27 x 16*256 elements, in 2 blocks of 8 examples), conv2 8->8 3x3
// (72 x 16*64, 2 blocks of 8), whose filter gradients sum two partial
// gradients. threads-conv.test runs its training step on 1, 2 and 3 threads.
func.func @cnn(%x: tensor<16x3x16x16xf32> {nn.name = "x"},
               %y: tensor<16xi64> {nn.name = "y"}) -> tensor<f32>
    attributes {nn.train = {optimizer = "sgd", lr = 1.0e-2}} {
  %c1w = nn.param "conv1.w" he_uniform seed = 1 : tensor<8x3x3x3xf32>
  %c1b = nn.param "conv1.b" zeros : tensor<8xf32>
  %c2w = nn.param "conv2.w" he_uniform seed = 2 : tensor<8x8x3x3xf32>
  %fw = nn.param "fc.w" xavier_uniform seed = 3 : tensor<512x10xf32>
  %0 = nn.conv2d %x, %c1w, %c1b padding = [1, 1] : tensor<16x3x16x16xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>
  %1 = nn.relu %0 : tensor<16x8x16x16xf32>
  %2 = nn.max_pool2d %1 kernel = [2, 2] : tensor<16x8x16x16xf32>
  %3 = nn.conv2d %2, %c2w padding = [1, 1] : tensor<16x8x8x8xf32>, tensor<8x8x3x3xf32>
  %4 = nn.relu %3 : tensor<16x8x8x8xf32>
  %5 = nn.flatten %4 : tensor<16x8x8x8xf32>
  %6 = nn.matmul %5, %fw : tensor<16x512xf32>, tensor<512x10xf32>
  %loss = nn.cross_entropy %6, %y : tensor<16x10xf32>, tensor<16xi64>
  return %loss : tensor<f32>
}
