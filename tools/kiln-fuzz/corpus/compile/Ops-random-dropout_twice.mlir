func.func @dropout_twice(%x: tensor<32x32xf32>, %key: tensor<i64>) -> (tensor<32x32xf32>, tensor<32x32xf32>) {
  %0 = nn.dropout %x, %key seed = 5 training : tensor<32x32xf32>
  %1 = nn.dropout %0, %key rate = 0.2 seed = 6 training : tensor<32x32xf32>
  %2 = nn.relu %x : tensor<32x32xf32>
  %3 = nn.dropout %2 rate = 0.5 seed = 5 training : tensor<32x32xf32>
  %4 = nn.add %3, %x : tensor<32x32xf32>, tensor<32x32xf32>
  return %1, %4 : tensor<32x32xf32>, tensor<32x32xf32>
}
