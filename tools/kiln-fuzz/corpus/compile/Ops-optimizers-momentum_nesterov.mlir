func.func @momentum_nesterov(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %b: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s constant {lr = 0.1}
  %zero = nn.constant dense<0> : tensor<i64>
  %0:2 = nn.momentum %p, %g, %b, %s, %lr {momentum = 0.8, nesterov} : tensor<5x4xf32>
  %1:2 = nn.momentum %p, %g, %b, %zero, %lr {momentum = 0.8, nesterov} : tensor<5x4xf32>
  return %0#0, %0#1, %1#0, %1#1 : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}
