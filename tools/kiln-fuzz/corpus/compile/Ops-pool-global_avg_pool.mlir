func.func @global_avg_pool(%x: tensor<2x3x5x4xf32>) -> tensor<2x3xf32> {
  %0 = nn.global_avg_pool %x : tensor<2x3x5x4xf32>
  return %0 : tensor<2x3xf32>
}
