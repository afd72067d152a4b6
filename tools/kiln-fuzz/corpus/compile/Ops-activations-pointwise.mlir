func.func @pointwise(%a: tensor<6x7xf32>) -> (tensor<6x7xf32>, tensor<6x7xf32>, tensor<6x7xf32>) {
  %0 = nn.relu %a : tensor<6x7xf32>
  %1 = nn.sigmoid %a : tensor<6x7xf32>
  %2 = nn.tanh %a : tensor<6x7xf32>
  return %0, %1, %2 : tensor<6x7xf32>, tensor<6x7xf32>, tensor<6x7xf32>
}
