func.func @mul(%a: tensor<2x3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = nn.mul %a, %b : tensor<2x3xf32>, tensor<f32>
  return %0 : tensor<2x3xf32>
}
