func.func @transpose(%a: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<3x2x4xf32>) {
  %0 = nn.transpose %a perm = [2, 0, 1] : tensor<2x3x4xf32>
  %1 = nn.transpose %a perm = [1, 0, 2] : tensor<2x3x4xf32>
  return %0, %1 : tensor<4x2x3xf32>, tensor<3x2x4xf32>
}
