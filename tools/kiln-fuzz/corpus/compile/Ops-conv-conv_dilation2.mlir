func.func @conv_dilation2(%x: tensor<1x2x9x10xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x5x6xf32> {
  %0 = nn.conv2d %x, %w dilation = [2, 2] : tensor<1x2x9x10xf32>, tensor<3x2x3x3xf32>
  return %0 : tensor<1x3x5x6xf32>
}
