func.func @bn_train_backward(%dy: tensor<6x5xf32>, %x: tensor<6x5xf32>, %g: tensor<5xf32>, %dy4: tensor<3x2x4x4xf32>, %x4: tensor<3x2x4x4xf32>, %g4: tensor<2xf32>)
    -> (tensor<6x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<3x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>) {
  %dx, %dg, %db = nn.batch_norm_train_backward %dy, %x, %g : tensor<6x5xf32>, tensor<5xf32>
  %dx4, %dg4, %db4 = nn.batch_norm_train_backward %dy4, %x4, %g4 eps = 1.0e-2 : tensor<3x2x4x4xf32>, tensor<2xf32>
  return %dx, %dg, %db, %dx4, %dg4, %db4 : tensor<6x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<3x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>
}
