func.func @mse(%p: tensor<8x3xf32>, %t: tensor<8x3xf32>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.mse %p, %t : tensor<8x3xf32>
  %1 = nn.mse %p, %t reduction = sum : tensor<8x3xf32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
