func.func @roots_and_log(%a: tensor<5x5xf32>) -> (tensor<5x5xf32>, tensor<5x5xf32>, tensor<5x5xf32>) {
  %0 = nn.log %a : tensor<5x5xf32>
  %1 = nn.sqrt %a : tensor<5x5xf32>
  %2 = nn.rsqrt %a : tensor<5x5xf32>
  return %0, %1, %2 : tensor<5x5xf32>, tensor<5x5xf32>, tensor<5x5xf32>
}
