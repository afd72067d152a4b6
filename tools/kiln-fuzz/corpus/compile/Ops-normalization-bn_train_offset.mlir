func.func @bn_train_offset(%x: tensor<8x2x5x5xf32>, %g: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>)
    -> (tensor<8x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>) {
  %c99 = nn.constant dense<99.0> : tensor<f32>
  %c100 = nn.constant dense<100.0> : tensor<f32>
  %gamma = nn.sub %g, %c99 : tensor<2xf32>, tensor<f32>
  %beta = nn.sub %b, %c100 : tensor<2xf32>, tensor<f32>
  %y, %rm, %rv = nn.batch_norm_train %x, %gamma, %beta, %m, %v : tensor<8x2x5x5xf32>, tensor<2xf32>
  return %y, %rm, %rv : tensor<8x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>
}
