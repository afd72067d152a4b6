// Input of kiln-bench.test: a loss with a gradient function (@loss_grad)
// that takes integer labels.
func.func @loss(%x: tensor<4x3xf32> {nn.name = "x"}, %y: tensor<4xi64> {nn.name = "y"}) -> tensor<f32>
    attributes {nn.differentiate} {
  %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x3xf32>
  %z = nn.matmul %x, %w : tensor<4x3xf32>, tensor<3x3xf32>
  %l = nn.cross_entropy %z, %y : tensor<4x3xf32>, tensor<4xi64>
  return %l : tensor<f32>
}
