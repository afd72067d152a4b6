func.func @conv_stride2_pad(%x: tensor<2x3x9x9xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x5x5xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>
  return %0 : tensor<2x4x5x5xf32>
}
