func.func @conv_backward_filter_mixed(%dy: tensor<1x4x5x3xf32>, %x: tensor<1x2x5x7xf32>) -> tensor<4x1x3x2xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x stride = [1, 2] padding = [2, 0] dilation = [2, 1] groups = 2 : tensor<1x4x5x3xf32>, tensor<1x2x5x7xf32> -> tensor<4x1x3x2xf32>
  return %0 : tensor<4x1x3x2xf32>
}
