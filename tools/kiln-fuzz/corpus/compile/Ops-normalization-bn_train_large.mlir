func.func @bn_train_large(%x: tensor<16x4x32x32xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>)
    -> (tensor<16x4x32x32xf32>, tensor<4xf32>, tensor<4xf32>) {
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v : tensor<16x4x32x32xf32>, tensor<4xf32>
  return %y, %rm, %rv : tensor<16x4x32x32xf32>, tensor<4xf32>, tensor<4xf32>
}
