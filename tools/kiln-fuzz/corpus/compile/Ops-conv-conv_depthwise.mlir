func.func @conv_depthwise(%x: tensor<1x3x6x6xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = nn.conv2d %x, %w groups = 3 : tensor<1x3x6x6xf32>, tensor<3x1x3x3xf32>
  return %0 : tensor<1x3x4x4xf32>
}
