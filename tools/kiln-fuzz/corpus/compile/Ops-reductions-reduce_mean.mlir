func.func @reduce_mean(%a: tensor<3x4x5xf32>) -> (tensor<3x4xf32>, tensor<3x1x1xf32>) {
  %0 = nn.reduce_mean %a axes = [2] : tensor<3x4x5xf32>
  %1 = nn.reduce_mean %a axes = [2, 1] keepdims : tensor<3x4x5xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<3x1x1xf32>
}
