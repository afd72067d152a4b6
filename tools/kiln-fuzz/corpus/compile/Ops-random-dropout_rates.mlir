func.func @dropout_rates(%x: tensor<16x64xf32>)
    -> (tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>) {
  %0 = nn.dropout %x seed = 7 training : tensor<16x64xf32>
  %1 = nn.dropout %x rate = 0.2 seed = 7 training : tensor<16x64xf32>
  %2 = nn.dropout %x rate = 0.0 seed = 7 training : tensor<16x64xf32>
  %3 = nn.dropout %x rate = 0.9999 seed = 12345 training : tensor<16x64xf32>
  %4 = nn.dropout %x rate = 0.3 seed = 7 : tensor<16x64xf32>
  return %0, %1, %2, %3, %4 : tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>
}
