func.func @sgd(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %s: tensor<i64>) -> (tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s cosine {lr = 0.5, total_steps = 40}
  %0 = nn.sgd %p, %g, %lr : tensor<5x4xf32>
  %1 = nn.sgd %p, %g, %lr {weight_decay = 0.1} : tensor<5x4xf32>
  return %0, %1 : tensor<5x4xf32>, tensor<5x4xf32>
}
