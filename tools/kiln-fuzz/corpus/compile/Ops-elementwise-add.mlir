func.func @add(%a: tensor<3x4x5xf32>, %b: tensor<4x1xf32>) -> tensor<3x4x5xf32> {
  %0 = nn.add %a, %b : tensor<3x4x5xf32>, tensor<4x1xf32>
  return %0 : tensor<3x4x5xf32>
}
