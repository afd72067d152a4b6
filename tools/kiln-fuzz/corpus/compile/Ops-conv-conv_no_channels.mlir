func.func @conv_no_channels(%x: tensor<1x0x5x5xf32>, %w: tensor<3x0x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x3x3xf32> {
  %0 = nn.conv2d %x, %w, %b : tensor<1x0x5x5xf32>, tensor<3x0x3x3xf32>, tensor<3xf32>
  return %0 : tensor<1x3x3x3xf32>
}
