func.func @rmsprop(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %v: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s constant {lr = 0.01}
  %sq = nn.mul %v, %v : tensor<5x4xf32>, tensor<5x4xf32>
  %0:2 = nn.rmsprop %p, %g, %sq, %lr {alpha = 0.9, eps = 1.0e-6, weight_decay = 0.01} : tensor<5x4xf32>
  return %0#0, %0#1 : tensor<5x4xf32>, tensor<5x4xf32>
}
