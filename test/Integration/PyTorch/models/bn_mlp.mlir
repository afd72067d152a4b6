// An MLP with batch norm for compare_models.py (models.test): 784 -> 64 ->
// nn.batch_norm -> ReLU -> 10, mean cross-entropy, batch 64, SGD with
// momentum. Batch norm is written in its inference form; the training step
// (kiln-train-step) turns it into nn.batch_norm_train (batch statistics,
// momentum 0.1) and writes the updated running statistics back into the
// buffers "bn1.running_mean" and "bn1.running_var", as PyTorch's
// torch.nn.BatchNorm1d(64) does in model.train(). The initializers do not
// matter: the script loads every param, buffers included, with
// --init-params.
func.func @bn_mlp(%x: tensor<64x784xf32> {nn.name = "x"},
                  %y: tensor<64xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<64x10xf32>)
    attributes {nn.train = {optimizer = "momentum", lr = 0.01, momentum = 0.9}} {
  %w1 = nn.param "fc1.w" zeros : tensor<784x64xf32>
  %b1 = nn.param "fc1.b" zeros : tensor<64xf32>
  %g = nn.param "bn1.gamma" ones : tensor<64xf32>
  %be = nn.param "bn1.beta" zeros : tensor<64xf32>
  %m = nn.param "bn1.running_mean" zeros buffer : tensor<64xf32>
  %v = nn.param "bn1.running_var" ones buffer : tensor<64xf32>
  %w2 = nn.param "fc2.w" zeros : tensor<64x10xf32>
  %b2 = nn.param "fc2.b" zeros : tensor<10xf32>
  %0 = nn.matmul %x, %w1 : tensor<64x784xf32>, tensor<784x64xf32>
  %1 = nn.add %0, %b1 : tensor<64x64xf32>, tensor<64xf32>
  %2 = nn.batch_norm %1, %g, %be, %m, %v : tensor<64x64xf32>, tensor<64xf32>
  %3 = nn.relu %2 : tensor<64x64xf32>
  %4 = nn.matmul %3, %w2 : tensor<64x64xf32>, tensor<64x10xf32>
  %logits = nn.add %4, %b2 : tensor<64x10xf32>, tensor<10xf32>
  %loss = nn.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi64>
  return %loss, %logits : tensor<f32>, tensor<64x10xf32>
}
