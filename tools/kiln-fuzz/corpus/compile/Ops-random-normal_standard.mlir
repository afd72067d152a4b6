func.func @normal_standard() -> (tensor<64x64xf32>, tensor<f32>, tensor<3x4x5xf32>, tensor<1000xf32>) {
  %0 = nn.random_normal : tensor<64x64xf32>
  %1 = nn.random_normal seed = 3 : tensor<f32>
  %2 = nn.random_normal seed = -1 : tensor<3x4x5xf32>
  %3 = nn.random_normal seed = 9223372036854775807 : tensor<1000xf32>
  return %0, %1, %2, %3 : tensor<64x64xf32>, tensor<f32>, tensor<3x4x5xf32>, tensor<1000xf32>
}
