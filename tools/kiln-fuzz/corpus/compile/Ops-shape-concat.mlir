func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<4x3xf32>) -> (tensor<2x8xf32>, tensor<6x3xf32>) {
  %0 = nn.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<2x5xf32>
  %1 = nn.concat %a, %c axis = 0 : tensor<2x3xf32>, tensor<4x3xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<6x3xf32>
}
