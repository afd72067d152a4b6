func.func @conv_border(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x4x6xf32> {
  %0 = nn.conv2d %x, %w padding = [1, 2] : tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>
  return %0 : tensor<1x1x4x6xf32>
}
