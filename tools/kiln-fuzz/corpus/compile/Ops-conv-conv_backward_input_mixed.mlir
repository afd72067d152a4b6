func.func @conv_backward_input_mixed(%dy: tensor<1x4x5x3xf32>, %w: tensor<4x1x3x2xf32>) -> tensor<1x2x5x7xf32> {
  %0 = nn.conv2d_backward_input %dy, %w stride = [1, 2] padding = [2, 0] dilation = [2, 1] groups = 2 : tensor<1x4x5x3xf32>, tensor<4x1x3x2xf32> -> tensor<1x2x5x7xf32>
  return %0 : tensor<1x2x5x7xf32>
}
