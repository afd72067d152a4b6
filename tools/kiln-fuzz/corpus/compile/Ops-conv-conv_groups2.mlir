func.func @conv_groups2(%x: tensor<2x4x7x7xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<2x6x7x7xf32> {
  %0 = nn.conv2d %x, %w, %b padding = [1, 1] groups = 2 : tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>
  return %0 : tensor<2x6x7x7xf32>
}
