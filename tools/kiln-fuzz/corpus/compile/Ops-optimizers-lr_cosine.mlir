func.func @lr_cosine(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s cosine {lr = 0.1, total_steps = 30, min_lr = 0.001}
  return %0 : tensor<f32>
}
