func.func @reshape(%a: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<4x6xf32>, tensor<24xf32>, tensor<2x12x1xf32>) {
  %0 = nn.reshape %a : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = nn.reshape %a : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %2 = nn.reshape %a : tensor<2x3x4xf32> -> tensor<24xf32>
  %3 = nn.reshape %a : tensor<2x3x4xf32> -> tensor<2x12x1xf32>
  return %0, %1, %2, %3 : tensor<6x4xf32>, tensor<4x6xf32>, tensor<24xf32>, tensor<2x12x1xf32>
}
