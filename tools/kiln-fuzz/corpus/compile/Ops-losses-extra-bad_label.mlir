func.func @bad_label(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<f32> {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<4x3xf32>, tensor<4xi64>
  return %0 : tensor<f32>
}
