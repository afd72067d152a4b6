func.func @cross_entropy_i32(%x: tensor<5x3xf32>, %l: tensor<5xi32>) -> tensor<f32> {
  %0 = nn.cross_entropy %x, %l : tensor<5x3xf32>, tensor<5xi32>
  return %0 : tensor<f32>
}
