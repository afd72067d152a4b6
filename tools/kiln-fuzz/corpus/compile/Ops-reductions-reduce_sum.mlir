func.func @reduce_sum(%a: tensor<3x4x5xf32>) -> (tensor<3x5xf32>, tensor<1x4x1xf32>, tensor<f32>) {
  %0 = nn.reduce_sum %a axes = [1] : tensor<3x4x5xf32>
  %1 = nn.reduce_sum %a axes = [0, 2] keepdims : tensor<3x4x5xf32>
  %2 = nn.reduce_sum %a axes = [0, 1, 2] : tensor<3x4x5xf32>
  return %0, %1, %2 : tensor<3x5xf32>, tensor<1x4x1xf32>, tensor<f32>
}
