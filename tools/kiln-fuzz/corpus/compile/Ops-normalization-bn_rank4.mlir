func.func @bn_rank4(%x: tensor<2x3x4x5xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %var = nn.exp %v : tensor<3xf32>
  %0 = nn.batch_norm %x, %g, %b, %m, %var eps = 0.5 : tensor<2x3x4x5xf32>, tensor<3xf32>
  return %0 : tensor<2x3x4x5xf32>
}
