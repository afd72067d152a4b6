func.func @normal_scaled(%mu: tensor<8x4xf32>, %logvar: tensor<8x4xf32>) -> (tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>) {
  %0 = nn.random_normal seed = 11 mean = 0.5 stddev = 0.25 : tensor<8x4xf32>
  %1 = nn.random_normal seed = 11 mean = -0.75 stddev = 0.0 : tensor<8x4xf32>
  %eps = nn.random_normal seed = 12 : tensor<8x4xf32>
  %half = nn.constant dense<0.5> : tensor<f32>
  %h = nn.mul %logvar, %half : tensor<8x4xf32>, tensor<f32>
  %std = nn.exp %h : tensor<8x4xf32>
  %s = nn.mul %std, %eps : tensor<8x4xf32>, tensor<8x4xf32>
  %z = nn.add %mu, %s : tensor<8x4xf32>, tensor<8x4xf32>
  return %0, %1, %z : tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>
}
