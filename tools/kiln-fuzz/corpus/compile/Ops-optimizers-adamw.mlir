func.func @adamw(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %m: tensor<5x4xf32>, %v: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s constant {lr = 0.1}
  %sq = nn.mul %v, %v : tensor<5x4xf32>, tensor<5x4xf32>
  %0:3 = nn.adamw %p, %g, %m, %sq, %s, %lr {weight_decay = 0.5} : tensor<5x4xf32>
  return %0#0, %0#1, %0#2 : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}
