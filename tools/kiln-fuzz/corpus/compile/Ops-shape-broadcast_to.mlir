func.func @broadcast_to(%a: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<3x5xf32>) {
  %0 = nn.broadcast_to %a : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = nn.broadcast_to %a : tensor<3x1xf32> -> tensor<3x5xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<3x5xf32>
}
