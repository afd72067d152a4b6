func.func @lr_step(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s step {lr = 0.1, step_size = 7, gamma = 0.5}
  return %0 : tensor<f32>
}
