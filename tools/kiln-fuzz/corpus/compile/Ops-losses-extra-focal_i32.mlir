func.func @focal_i32(%x: tensor<5x3xf32>, %l: tensor<5xi32>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<5x3xf32>, tensor<5xi32>
  %1 = nn.focal_loss %x, %l gamma = 0.0 alpha = 0.5 reduction = sum : tensor<5x3xf32>, tensor<5xi32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
