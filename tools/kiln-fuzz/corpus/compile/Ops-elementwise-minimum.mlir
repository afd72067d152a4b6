func.func @minimum(%a: tensor<4x1xf32>, %b: tensor<1x6xf32>) -> tensor<4x6xf32> {
  %0 = nn.minimum %a, %b : tensor<4x1xf32>, tensor<1x6xf32>
  return %0 : tensor<4x6xf32>
}
