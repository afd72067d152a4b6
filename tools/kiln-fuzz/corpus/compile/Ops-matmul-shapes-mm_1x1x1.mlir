func.func @mm_1x1x1(%a: tensor<1x1xf32>, %b: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %0 = nn.matmul %a, %b : tensor<1x1xf32>, tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}
