func.func @bn_train_rank2(%x: tensor<8x5xf32>, %g: tensor<5xf32>, %b: tensor<5xf32>, %m: tensor<5xf32>, %v: tensor<5xf32>)
    -> (tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v : tensor<8x5xf32>, tensor<5xf32>
  return %y, %rm, %rv : tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>
}
