func.func @matmul(%a: tensor<7x33xf32>, %b: tensor<33x9xf32>) -> tensor<7x9xf32> {
  %0 = nn.matmul %a, %b : tensor<7x33xf32>, tensor<33x9xf32>
  return %0 : tensor<7x9xf32>
}
