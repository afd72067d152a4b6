func.func @max_pool_nan(%dy: tensor<2x3x4x4xf32>, %x: tensor<2x3x9x9xf32>) -> (tensor<2x3x5x5xf32>, tensor<2x3x9x9xf32>) {
  %s = nn.sqrt %x : tensor<2x3x9x9xf32>
  %0 = nn.max_pool2d %s kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>
  %1 = nn.max_pool2d_backward %dy, %s kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x9x9xf32>
  return %0, %1 : tensor<2x3x5x5xf32>, tensor<2x3x9x9xf32>
}
