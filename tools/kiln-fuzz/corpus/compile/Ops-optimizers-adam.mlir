func.func @adam(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %m: tensor<5x4xf32>, %v: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s cosine {lr = 0.01, total_steps = 100}
  %sq = nn.mul %v, %v : tensor<5x4xf32>, tensor<5x4xf32>
  %zero = nn.constant dense<0> : tensor<i64>
  %0:3 = nn.adam %p, %g, %m, %sq, %s, %lr {weight_decay = 0.01} : tensor<5x4xf32>
  %1:3 = nn.adam %p, %g, %m, %sq, %zero, %lr {beta1 = 0.8, beta2 = 0.99, eps = 1.0e-6} : tensor<5x4xf32>
  return %0#0, %0#1, %0#2, %1#0, %1#1, %1#2 : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}
