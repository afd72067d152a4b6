func.func @alpha(%a: tensor<6x7xf32>) -> (tensor<6x7xf32>, tensor<6x7xf32>, tensor<6x7xf32>) {
  %0 = nn.leaky_relu %a : tensor<6x7xf32>
  %1 = nn.leaky_relu %a alpha = 0.2 : tensor<6x7xf32>
  %2 = nn.elu %a alpha = 1.5 : tensor<6x7xf32>
  return %0, %1, %2 : tensor<6x7xf32>, tensor<6x7xf32>, tensor<6x7xf32>
}
