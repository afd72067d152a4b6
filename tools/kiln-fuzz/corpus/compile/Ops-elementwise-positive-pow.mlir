func.func @pow(%a: tensor<3x4xf32>, %b: tensor<3x1xf32>) -> tensor<3x4xf32> {
  %0 = nn.pow %a, %b : tensor<3x4xf32>, tensor<3x1xf32>
  return %0 : tensor<3x4xf32>
}
