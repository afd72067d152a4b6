func.func @batch_matmul(%a: tensor<3x4x5xf32>, %b: tensor<3x5x6xf32>) -> tensor<3x4x6xf32> {
  %0 = nn.matmul %a, %b : tensor<3x4x5xf32>, tensor<3x5x6xf32>
  return %0 : tensor<3x4x6xf32>
}
