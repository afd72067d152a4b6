func.func @constant(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %c = nn.constant dense<[[1.0, -2.5, 3.25], [0.0, 4.0, -0.5]]> : tensor<2x3xf32>
  %s = nn.constant dense<2.0> : tensor<f32>
  %0 = nn.add %a, %c : tensor<2x3xf32>, tensor<2x3xf32>
  %1 = nn.mul %a, %s : tensor<2x3xf32>, tensor<f32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}
