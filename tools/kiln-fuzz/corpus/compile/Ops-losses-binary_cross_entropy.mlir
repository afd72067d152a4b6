func.func @binary_cross_entropy(%x: tensor<8x2xf32>, %t: tensor<8x2xf32>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.binary_cross_entropy %x, %t : tensor<8x2xf32>
  %1 = nn.binary_cross_entropy %x, %t reduction = sum : tensor<8x2xf32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
