func.func @conv_1x1(%x: tensor<2x5x4x4xf32>, %w: tensor<3x5x1x1xf32>, %b: tensor<3xf32>) -> (tensor<2x3x4x4xf32>, tensor<2x3x6x6xf32>) {
  %0 = nn.conv2d %x, %w, %b : tensor<2x5x4x4xf32>, tensor<3x5x1x1xf32>, tensor<3xf32>
  %1 = nn.conv2d %x, %w, %b padding = [1, 1] : tensor<2x5x4x4xf32>, tensor<3x5x1x1xf32>, tensor<3xf32>
  return %0, %1 : tensor<2x3x4x4xf32>, tensor<2x3x6x6xf32>
}
