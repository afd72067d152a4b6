func.func @avg_pool(%x: tensor<2x3x9x9xf32>) -> (tensor<2x3x4x4xf32>, tensor<2x3x5x5xf32>, tensor<2x3x8x5xf32>) {
  %0 = nn.avg_pool2d %x kernel = [2, 2] : tensor<2x3x9x9xf32>
  %1 = nn.avg_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>
  %2 = nn.avg_pool2d %x kernel = [2, 3] stride = [1, 2] padding = [0, 1] : tensor<2x3x9x9xf32>
  return %0, %1, %2 : tensor<2x3x4x4xf32>, tensor<2x3x5x5xf32>, tensor<2x3x8x5xf32>
}
