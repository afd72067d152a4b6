func.func @max_pool_backward_overlap(%dy: tensor<2x3x5x5xf32>, %e: tensor<2x3x8x5xf32>, %x: tensor<2x3x9x9xf32>) -> (tensor<2x3x9x9xf32>, tensor<2x3x9x9xf32>) {
  %0 = nn.max_pool2d_backward %dy, %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x5x5xf32>, tensor<2x3x9x9xf32>
  %1 = nn.max_pool2d_backward %e, %x kernel = [2, 3] stride = [1, 2] padding = [0, 1] : tensor<2x3x8x5xf32>, tensor<2x3x9x9xf32>
  return %0, %1 : tensor<2x3x9x9xf32>, tensor<2x3x9x9xf32>
}
