func.func @batch_3x7x13x33(%a: tensor<3x7x13xf32>, %b: tensor<3x13x33xf32>) -> tensor<3x7x33xf32> {
  %0 = nn.matmul %a, %b : tensor<3x7x13xf32>, tensor<3x13x33xf32>
  return %0 : tensor<3x7x33xf32>
}
