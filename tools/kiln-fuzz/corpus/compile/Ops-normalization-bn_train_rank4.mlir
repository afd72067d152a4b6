func.func @bn_train_rank4(%x: tensor<4x3x7x6xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<4x3x7x6xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v momentum = 0.3 : tensor<4x3x7x6xf32>, tensor<3xf32>
  return %y, %rm, %rv : tensor<4x3x7x6xf32>, tensor<3xf32>, tensor<3xf32>
}
