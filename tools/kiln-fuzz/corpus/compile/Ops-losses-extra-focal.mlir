func.func @focal(%x: tensor<16x10xf32>, %l: tensor<16xi64>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.focal_loss %x, %l gamma = 0.5 alpha = 1.0 reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  %2 = nn.focal_loss %x, %l gamma = 1.5 alpha = 0.75 : tensor<16x10xf32>, tensor<16xi64>
  %c = nn.constant dense<8.0> : tensor<f32>
  %y = nn.mul %x, %c : tensor<16x10xf32>, tensor<f32>
  %3 = nn.focal_loss %y, %l gamma = 3.0 alpha = 0.5 reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}
