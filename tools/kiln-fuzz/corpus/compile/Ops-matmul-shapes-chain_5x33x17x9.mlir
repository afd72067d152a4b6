func.func @chain_5x33x17x9(%a: tensor<5x33xf32>, %b: tensor<33x17xf32>, %c: tensor<17x9xf32>) -> (tensor<5x9xf32>, tensor<5x17xf32>) {
  %0 = nn.matmul %a, %b : tensor<5x33xf32>, tensor<33x17xf32>
  %1 = nn.matmul %0, %c : tensor<5x17xf32>, tensor<17x9xf32>
  %2 = nn.relu %0 : tensor<5x17xf32>
  return %1, %2 : tensor<5x9xf32>, tensor<5x17xf32>
}
