func.func @bn_train_rank3(%x: tensor<3x4x6xf32>, %x2: tensor<2x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>)
    -> (tensor<3x4x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v eps = 1.0e-3 momentum = 1.0 : tensor<3x4x6xf32>, tensor<4xf32>
  %y2, %rm2, %rv2 = nn.batch_norm_train %x2, %g, %b, %m, %v momentum = 0.0 : tensor<2x4xf32>, tensor<4xf32>
  return %y, %rm, %rv, %y2, %rm2, %rv2 : tensor<3x4x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>
}
