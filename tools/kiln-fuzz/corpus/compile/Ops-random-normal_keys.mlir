func.func @normal_keys(%key: tensor<i64>) -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) {
  %big = nn.constant dense<123456789012345> : tensor<i64>
  %neg = nn.constant dense<-5> : tensor<i64>
  %0 = nn.random_normal %key seed = 3 : tensor<16x16xf32>
  %1 = nn.random_normal %big seed = 3 : tensor<16x16xf32>
  %2 = nn.random_normal %neg seed = 3 : tensor<16x16xf32>
  return %0, %1, %2 : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>
}
