func.func @conv_nonsquare(%x: tensor<1x2x7x10xf32>, %w: tensor<3x2x2x4xf32>, %b: tensor<3xf32>) -> tensor<1x3x8x4xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [1, 2] padding = [1, 0] : tensor<1x2x7x10xf32>, tensor<3x2x2x4xf32>, tensor<3xf32>
  return %0 : tensor<1x3x8x4xf32>
}
