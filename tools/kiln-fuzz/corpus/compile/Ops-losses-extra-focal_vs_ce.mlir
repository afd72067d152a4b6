func.func @focal_vs_ce(%x: tensor<16x10xf32>, %l: tensor<16xi64>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = nn.focal_loss %x, %l gamma = 0.0 alpha = 1.0 : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.cross_entropy %x, %l : tensor<16x10xf32>, tensor<16xi64>
  %2 = nn.focal_loss %x, %l gamma = 0.0 alpha = 1.0 reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  %3 = nn.cross_entropy %x, %l reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}
