func.func @l1_penalty(%w: tensor<6x7xf32>) -> tensor<f32> {
  %0 = nn.l1_penalty %w lambda = 0.01 : tensor<6x7xf32>
  return %0 : tensor<f32>
}
