func.func @lr_constant(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s constant {lr = 0.05}
  return %0 : tensor<f32>
}
