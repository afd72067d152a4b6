func.func @mm_128x784x10(%a: tensor<128x784xf32>, %b: tensor<784x10xf32>) -> tensor<128x10xf32> {
  %0 = nn.matmul %a, %b : tensor<128x784xf32>, tensor<784x10xf32>
  return %0 : tensor<128x10xf32>
}
