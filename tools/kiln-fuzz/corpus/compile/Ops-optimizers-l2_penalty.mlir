func.func @l2_penalty(%w: tensor<6x7xf32>) -> tensor<f32> {
  %0 = nn.l2_penalty %w lambda = 0.5 : tensor<6x7xf32>
  return %0 : tensor<f32>
}
