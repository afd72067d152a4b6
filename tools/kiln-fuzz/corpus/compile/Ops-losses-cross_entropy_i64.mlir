func.func @cross_entropy_i64(%x: tensor<16x10xf32>, %l: tensor<16xi64>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.cross_entropy %x, %l : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.cross_entropy %x, %l reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  return %0, %1 : tensor<f32>, tensor<f32>
}
