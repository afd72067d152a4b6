func.func @max_pool_backward(%dy: tensor<2x3x4x4xf32>, %x: tensor<2x3x9x9xf32>) -> tensor<2x3x9x9xf32> {
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x9x9xf32>
}
