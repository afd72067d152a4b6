func.func @bn_rank2(%x: tensor<8x5xf32>, %g: tensor<5xf32>, %b: tensor<5xf32>, %m: tensor<5xf32>, %v: tensor<5xf32>) -> tensor<8x5xf32> {
  %var = nn.exp %v : tensor<5xf32>
  %0 = nn.batch_norm %x, %g, %b, %m, %var : tensor<8x5xf32>, tensor<5xf32>
  return %0 : tensor<8x5xf32>
}
