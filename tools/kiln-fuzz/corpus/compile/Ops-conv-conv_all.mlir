func.func @conv_all(%x: tensor<1x6x9x8xf32>, %w: tensor<6x2x3x2xf32>, %b: tensor<6xf32>) -> tensor<1x6x4x11xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [2, 1] padding = [1, 2] dilation = [2, 1] groups = 3 : tensor<1x6x9x8xf32>, tensor<6x2x3x2xf32>, tensor<6xf32>
  return %0 : tensor<1x6x4x11xf32>
}
