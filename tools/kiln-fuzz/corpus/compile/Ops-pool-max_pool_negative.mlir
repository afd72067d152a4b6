func.func @max_pool_negative(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %a = nn.abs %x : tensor<1x2x5x5xf32>
  %n = nn.neg %a : tensor<1x2x5x5xf32>
  %0 = nn.max_pool2d %n kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x3x3xf32>
}
