func.func @maximum(%a: tensor<4x6xf32>, %b: tensor<6xf32>) -> tensor<4x6xf32> {
  %0 = nn.maximum %a, %b : tensor<4x6xf32>, tensor<6xf32>
  return %0 : tensor<4x6xf32>
}
