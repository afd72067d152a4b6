func.func @mm_3x129x257(%a: tensor<3x129xf32>, %b: tensor<129x257xf32>) -> tensor<3x257xf32> {
  %0 = nn.matmul %a, %b : tensor<3x129xf32>, tensor<129x257xf32>
  return %0 : tensor<3x257xf32>
}
