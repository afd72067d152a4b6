func.func @conv_empty_batch(%x: tensor<0x2x5x5xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<0x3x3x3xf32> {
  %0 = nn.conv2d %x, %w, %b : tensor<0x2x5x5xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>
  return %0 : tensor<0x3x3x3xf32>
}
