func.func @dropout_shapes(%s: tensor<f32>, %v: tensor<100xf32>, %t: tensor<3x5x7xf32>, %i: tensor<2x3x4x5xf32>)
    -> (tensor<f32>, tensor<100xf32>, tensor<3x5x7xf32>, tensor<2x3x4x5xf32>) {
  %0 = nn.dropout %s seed = 1 training : tensor<f32>
  %1 = nn.dropout %v seed = 2 training : tensor<100xf32>
  %2 = nn.dropout %t rate = 0.4 seed = 3 training : tensor<3x5x7xf32>
  %3 = nn.dropout %i rate = 0.6 seed = 4 training : tensor<2x3x4x5xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<100xf32>, tensor<3x5x7xf32>, tensor<2x3x4x5xf32>
}
