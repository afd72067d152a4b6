func.func @kl(%mu: tensor<8x20xf32>, %lv: tensor<8x20xf32>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.kl_divergence %mu, %lv : tensor<8x20xf32>, tensor<8x20xf32>
  %1 = nn.kl_divergence %mu, %lv reduction = sum : tensor<8x20xf32>, tensor<8x20xf32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
