// A linear regression whose loss adds sqrt(s) for a parameter s = 1 that
// SGD drives down by lr * 0.5 / sqrt(s) per step: s is 1, 0.85, 0.687,
// 0.506, 0.295, 0.019, then -1.07 after the 6th update, so the nn.sqrt of
// the 7th step (line 15) is the first op to produce a NaN.
func.func @sqrtnan(%x: tensor<16x4xf32> {nn.name = "x"}, %t: tensor<16x2xf32> {nn.name = "y"})
    -> tensor<f32>
    attributes {nn.train = {optimizer = "sgd", lr = 0.3}} {
  %w = nn.param "w" zeros : tensor<4x2xf32>
  %b = nn.param "b" zeros : tensor<2xf32>
  %s = nn.param "s" ones : tensor<1xf32>
  %0 = nn.matmul %x, %w : tensor<16x4xf32>, tensor<4x2xf32>
  %1 = nn.add %0, %b : tensor<16x2xf32>, tensor<2xf32>
  %2 = nn.mse %1, %t : tensor<16x2xf32>
  // sqrt(s), summed to a scalar and added to the loss.
  %r = nn.sqrt %s : tensor<1xf32>
  %3 = nn.reduce_sum %r axes = [0] : tensor<1xf32>
  %l = nn.add %2, %3 : tensor<f32>, tensor<f32>
  return %l : tensor<f32>
}
