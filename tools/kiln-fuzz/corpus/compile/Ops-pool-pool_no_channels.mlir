func.func @pool_no_channels(%x: tensor<1x0x4x4xf32>) -> (tensor<1x0x2x2xf32>, tensor<1x0x2x2xf32>, tensor<1x0xf32>) {
  %0 = nn.max_pool2d %x kernel = [2, 2] : tensor<1x0x4x4xf32>
  %1 = nn.avg_pool2d %x kernel = [2, 2] : tensor<1x0x4x4xf32>
  %2 = nn.global_avg_pool %x : tensor<1x0x4x4xf32>
  return %0, %1, %2 : tensor<1x0x2x2xf32>, tensor<1x0x2x2xf32>, tensor<1x0xf32>
}
