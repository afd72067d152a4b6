func.func @unary(%a: tensor<7x3xf32>) -> (tensor<7x3xf32>, tensor<7x3xf32>, tensor<7x3xf32>) {
  %0 = nn.neg %a : tensor<7x3xf32>
  %1 = nn.abs %a : tensor<7x3xf32>
  %2 = nn.exp %a : tensor<7x3xf32>
  return %0, %1, %2 : tensor<7x3xf32>, tensor<7x3xf32>, tensor<7x3xf32>
}
