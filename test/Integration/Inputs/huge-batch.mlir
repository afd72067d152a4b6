// A model whose training step needs far more memory than any test machine
// has: batch 1,048,576 through a 65,536-wide layer, 256 GiB for one
// activation (test/Integration/error-out-of-memory.test).
func.func @huge(%x: tensor<1048576x784xf32> {nn.name = "x"},
                %y: tensor<1048576xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<1048576x10xf32>)
    attributes {nn.train = {optimizer = "sgd", lr = 1.0e-2}} {
  %w1 = nn.param "fc1.w" he_uniform seed = 1 : tensor<784x65536xf32>
  %w2 = nn.param "fc2.w" xavier_uniform seed = 2 : tensor<65536x10xf32>
  %0 = nn.matmul %x, %w1 : tensor<1048576x784xf32>, tensor<784x65536xf32>
  %1 = nn.relu %0 : tensor<1048576x65536xf32>
  %logits = nn.matmul %1, %w2 : tensor<1048576x65536xf32>, tensor<65536x10xf32>
  %loss = nn.cross_entropy %logits, %y : tensor<1048576x10xf32>, tensor<1048576xi64>
  return %loss, %logits : tensor<f32>, tensor<1048576x10xf32>
}
