func.func @mm_1x784x512(%a: tensor<1x784xf32>, %b: tensor<784x512xf32>) -> tensor<1x512xf32> {
  %0 = nn.matmul %a, %b : tensor<1x784xf32>, tensor<784x512xf32>
  return %0 : tensor<1x512xf32>
}
