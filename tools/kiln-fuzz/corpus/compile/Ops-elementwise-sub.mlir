func.func @sub(%a: tensor<5xf32>, %b: tensor<3x1xf32>) -> tensor<3x5xf32> {
  %0 = nn.sub %a, %b : tensor<5xf32>, tensor<3x1xf32>
  return %0 : tensor<3x5xf32>
}
