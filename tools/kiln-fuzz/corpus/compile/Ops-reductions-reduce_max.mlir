func.func @reduce_max(%a: tensor<3x4x5xf32>) -> (tensor<4x5xf32>, tensor<3x4x1xf32>) {
  %0 = nn.reduce_max %a axes = [0] : tensor<3x4x5xf32>
  %1 = nn.reduce_max %a axes = [2] keepdims : tensor<3x4x5xf32>
  return %0, %1 : tensor<4x5xf32>, tensor<3x4x1xf32>
}
