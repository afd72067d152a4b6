func.func @flatten(%x: tensor<2x3x4x5xf32>) -> (tensor<2x60xf32>, tensor<6x20xf32>) {
  %0 = nn.flatten %x : tensor<2x3x4x5xf32>
  %r = nn.reshape %x : tensor<2x3x4x5xf32> -> tensor<6x4x5xf32>
  %1 = nn.flatten %r : tensor<6x4x5xf32>
  return %0, %1 : tensor<2x60xf32>, tensor<6x20xf32>
}
