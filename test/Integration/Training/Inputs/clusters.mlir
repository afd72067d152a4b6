// A 4-8-3 MLP with Adam for the trainer tests: the three clusters that
// test/Runtime/Inputs/make-train-data.py writes, batch 16.
func.func @clusters(%x: tensor<16x4xf32> {nn.name = "x"}, %y: tensor<16xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<16x3xf32>)
    attributes {nn.train = {optimizer = "adam", lr = 0.05, schedule = "cosine", total_steps = 60}} {
  %w1 = nn.param "fc1.w" he_uniform seed = 1 : tensor<4x8xf32>
  %b1 = nn.param "fc1.b" zeros : tensor<8xf32>
  %w2 = nn.param "fc2.w" xavier_uniform seed = 2 : tensor<8x3xf32>
  %b2 = nn.param "fc2.b" zeros : tensor<3xf32>
  %0 = nn.matmul %x, %w1 : tensor<16x4xf32>, tensor<4x8xf32>
  %1 = nn.add %0, %b1 : tensor<16x8xf32>, tensor<8xf32>
  %2 = nn.relu %1 : tensor<16x8xf32>
  %3 = nn.matmul %2, %w2 : tensor<16x8xf32>, tensor<8x3xf32>
  %4 = nn.add %3, %b2 : tensor<16x3xf32>, tensor<3xf32>
  %l = nn.cross_entropy %4, %y : tensor<16x3xf32>, tensor<16xi64>
  return %l, %4 : tensor<f32>, tensor<16x3xf32>
}
