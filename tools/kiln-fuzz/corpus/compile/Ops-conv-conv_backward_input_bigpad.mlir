func.func @conv_backward_input_bigpad(%dy: tensor<1x2x6x6xf32>, %w: tensor<2x3x1x1xf32>) -> tensor<1x3x4x4xf32> {
  %0 = nn.conv2d_backward_input %dy, %w padding = [1, 1] : tensor<1x2x6x6xf32>, tensor<2x3x1x1xf32> -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}
