// A gru over the rows of the image for compare_models.py (models.test):
// x [32, 28, 28] (28 steps of 28 pixels) -> nn.gru with hidden size 64
// -> the last time step -> linear 64 -> 10, mean cross-entropy, batch 32.
// The PyTorch twin is torch.nn.GRU(28, 64, batch_first=True) (the
// same weight layouts and gate order: "gru.w_ih" is weight_ih_l0) and
// torch.nn.Linear(64, 10), whose weight is "fc.w" transposed. The
// initializers do not matter: the script loads the initial weights with
// --init-params.
func.func @gru(%x: tensor<32x28x28xf32> {nn.name = "x"},
               %y: tensor<32xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<32x10xf32>)
    attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
  %wih = nn.param "gru.w_ih" zeros : tensor<192x28xf32>
  %whh = nn.param "gru.w_hh" zeros : tensor<192x64xf32>
  %bih = nn.param "gru.b_ih" zeros : tensor<192xf32>
  %bhh = nn.param "gru.b_hh" zeros : tensor<192xf32>
  %fw = nn.param "fc.w" zeros : tensor<64x10xf32>
  %fb = nn.param "fc.b" zeros : tensor<10xf32>
  %h = nn.gru %x, %wih, %whh, %bih, %bhh : tensor<32x28x28xf32>, tensor<192x28xf32>, tensor<192x64xf32>, tensor<192xf32>, tensor<192xf32> -> tensor<32x28x64xf32>
  %s = nn.slice %h offsets = [0, 27, 0] sizes = [32, 1, 64] strides = [1, 1, 1] : tensor<32x28x64xf32>
  %last = nn.reshape %s : tensor<32x1x64xf32> -> tensor<32x64xf32>
  %0 = nn.matmul %last, %fw : tensor<32x64xf32>, tensor<64x10xf32>
  %logits = nn.add %0, %fb : tensor<32x10xf32>, tensor<10xf32>
  %loss = nn.cross_entropy %logits, %y : tensor<32x10xf32>, tensor<32xi64>
  return %loss, %logits : tensor<f32>, tensor<32x10xf32>
}
