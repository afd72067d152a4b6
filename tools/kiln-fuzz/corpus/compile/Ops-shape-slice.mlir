func.func @slice(%a: tensor<6x8xf32>) -> (tensor<3x3xf32>, tensor<2x4xf32>) {
  %0 = nn.slice %a offsets = [1, 2] sizes = [3, 3] strides = [1, 2] : tensor<6x8xf32>
  %1 = nn.slice %a offsets = [0, 0] sizes = [2, 4] strides = [3, 1] : tensor<6x8xf32>
  return %0, %1 : tensor<3x3xf32>, tensor<2x4xf32>
}
