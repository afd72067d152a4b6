func.func @max_pool_backward_ties(%dy: tensor<2x3x7x7xf32>, %x: tensor<2x3x9x9xf32>) -> tensor<2x3x9x9xf32> {
  %half = nn.constant dense<5.000000e-01> : tensor<f32>
  %s = nn.sub %x, %half : tensor<2x3x9x9xf32>, tensor<f32>
  %r = nn.relu %s : tensor<2x3x9x9xf32>
  %0 = nn.max_pool2d_backward %dy, %r kernel = [3, 3] stride = [1, 1] : tensor<2x3x7x7xf32>, tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x9x9xf32>
}
