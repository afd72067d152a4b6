func.func @softmax(%a: tensor<3x4x5xf32>) -> (tensor<3x4x5xf32>, tensor<3x4x5xf32>, tensor<3x4x5xf32>) {
  %0 = nn.softmax %a axis = 2 : tensor<3x4x5xf32>
  %1 = nn.softmax %a axis = 0 : tensor<3x4x5xf32>
  %2 = nn.log_softmax %a axis = 1 : tensor<3x4x5xf32>
  return %0, %1, %2 : tensor<3x4x5xf32>, tensor<3x4x5xf32>, tensor<3x4x5xf32>
}
