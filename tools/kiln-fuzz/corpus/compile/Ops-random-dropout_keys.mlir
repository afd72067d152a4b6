func.func @dropout_keys(%x: tensor<8x33xf32>, %key: tensor<i64>)
    -> (tensor<8x33xf32>, tensor<8x33xf32>, tensor<8x33xf32>, tensor<8x33xf32>) {
  %big = nn.constant dense<123456789012345> : tensor<i64>
  %neg = nn.constant dense<-5> : tensor<i64>
  %0 = nn.dropout %x, %key rate = 0.25 seed = 7 training : tensor<8x33xf32>
  %1 = nn.dropout %x, %big seed = -1 training : tensor<8x33xf32>
  %2 = nn.dropout %x, %neg rate = 0.75 seed = 9223372036854775807 training : tensor<8x33xf32>
  %3 = nn.dropout %x, %key rate = 0.1 seed = -8070450532247928832 training : tensor<8x33xf32>
  return %0, %1, %2, %3 : tensor<8x33xf32>, tensor<8x33xf32>, tensor<8x33xf32>, tensor<8x33xf32>
}
