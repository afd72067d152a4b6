func.func @mm_7x13x5(%a: tensor<7x13xf32>, %b: tensor<13x5xf32>) -> tensor<7x5xf32> {
  %0 = nn.matmul %a, %b : tensor<7x13xf32>, tensor<13x5xf32>
  return %0 : tensor<7x5xf32>
}
