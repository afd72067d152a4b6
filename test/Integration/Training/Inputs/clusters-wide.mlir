// A 4-256-256-3 MLP with Adam at batch 64 for threads.test: its 64x256x256
// products (8.4 MFLOP, every dimension at least 64) are large enough to run
// on threads (docs/Codegen.md, "Threads"). The three clusters of
// test/Runtime/Inputs/make-train-data.py.
func.func @clusters(%x: tensor<64x4xf32> {nn.name = "x"}, %y: tensor<64xi64> {nn.name = "y"})
    -> tensor<f32> attributes {nn.train = {optimizer = "adam", lr = 0.01}} {
  %w1 = nn.param "fc1.w" he_uniform seed = 1 : tensor<4x256xf32>
  %b1 = nn.param "fc1.b" zeros : tensor<256xf32>
  %w2 = nn.param "fc2.w" he_uniform seed = 2 : tensor<256x256xf32>
  %b2 = nn.param "fc2.b" zeros : tensor<256xf32>
  %w3 = nn.param "fc3.w" xavier_uniform seed = 3 : tensor<256x3xf32>
  %b3 = nn.param "fc3.b" zeros : tensor<3xf32>
  %0 = nn.matmul %x, %w1 : tensor<64x4xf32>, tensor<4x256xf32>
  %1 = nn.add %0, %b1 : tensor<64x256xf32>, tensor<256xf32>
  %2 = nn.relu %1 : tensor<64x256xf32>
  %3 = nn.matmul %2, %w2 : tensor<64x256xf32>, tensor<256x256xf32>
  %4 = nn.add %3, %b2 : tensor<64x256xf32>, tensor<256xf32>
  %5 = nn.tanh %4 : tensor<64x256xf32>
  %6 = nn.matmul %5, %w3 : tensor<64x256xf32>, tensor<256x3xf32>
  %7 = nn.add %6, %b3 : tensor<64x3xf32>, tensor<3xf32>
  %l = nn.cross_entropy %7, %y : tensor<64x3xf32>, tensor<64xi64>
  return %l : tensor<f32>
}
