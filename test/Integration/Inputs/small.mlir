// A small model with hand-computable results for the driver tests.
//
// @predict: relu(x @ w + b) with w = ones(3x2), b = [0.5, 2.0].
//   x = [[1, 2, 3], [-4, 5, -6]] gives [[6.5, 8], [0, 0]].
// @stats: (2 * v, sum(v)).
//   v = [1, 2, 4] gives ([2, 4, 8], 7).
func.func @predict(%x: tensor<2x3xf32> {nn.name = "x"}) -> tensor<2x2xf32> {
  %w = nn.param "w" ones : tensor<3x2xf32>
  %b = nn.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %0 = nn.matmul %x, %w : tensor<2x3xf32>, tensor<3x2xf32>
  %1 = nn.add %0, %b : tensor<2x2xf32>, tensor<2xf32>
  %2 = nn.relu %1 : tensor<2x2xf32>
  return %2 : tensor<2x2xf32>
}

func.func @stats(%v: tensor<3xf32> {nn.name = "v"}) -> (tensor<3xf32>, tensor<f32>) {
  %0 = nn.add %v, %v : tensor<3xf32>, tensor<3xf32>
  %1 = nn.reduce_sum %v axes = [0] : tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<f32>
}
