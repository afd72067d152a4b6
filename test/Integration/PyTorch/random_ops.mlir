// Models for random_compare.py (run by random_ops.test): dropout, the
// seeded normal sampler and flatten, against PyTorch 1.13. Each function
// returns sum(y * g) first; kiln-autodiff (run by kilnc) adds @<name>_grad,
// which also returns the gradients of that loss with respect to the
// operands listed in nn.differentiate. Shapes must match random_compare.py.

// F.dropout(x, 0.3, training=True) with Kiln's mask (key 11, seed 5).
func.func @dropout_train(%x: tensor<64x256xf32>, %g: tensor<64x256xf32>)
    -> (tensor<f32>, tensor<64x256xf32>) attributes {nn.differentiate = [0]} {
  %key = nn.constant dense<11> : tensor<i64>
  %y = nn.dropout %x, %key rate = 0.3 seed = 5 training : tensor<64x256xf32>
  %p = nn.mul %y, %g : tensor<64x256xf32>, tensor<64x256xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<64x256xf32>
  return %l, %y : tensor<f32>, tensor<64x256xf32>
}

// F.dropout(x, 0.5, training=False): the identity.
func.func @dropout_eval(%x: tensor<16x32xf32>, %g: tensor<16x32xf32>)
    -> (tensor<f32>, tensor<16x32xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.dropout %x rate = 0.5 seed = 5 : tensor<16x32xf32>
  %p = nn.mul %y, %g : tensor<16x32xf32>, tensor<16x32xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<16x32xf32>
  return %l, %y : tensor<f32>, tensor<16x32xf32>
}

// torch.normal(mean=2, std=0.5, size) in distribution: 65,536 draws.
func.func @normal(%key: tensor<i64>) -> tensor<256x256xf32> {
  %e = nn.random_normal %key seed = 3 mean = 2.0 stddev = 0.5 : tensor<256x256xf32>
  return %e : tensor<256x256xf32>
}

// The VAE's reparameterization z = mu + exp(logvar / 2) * eps, eps drawn by
// Kiln (key 4, seed 9) and returned so that PyTorch uses the same noise.
func.func @reparam(%mu: tensor<32x20xf32>, %lv: tensor<32x20xf32>, %g: tensor<32x20xf32>)
    -> (tensor<f32>, tensor<32x20xf32>, tensor<32x20xf32>) attributes {nn.differentiate = [0, 1]} {
  %key = nn.constant dense<4> : tensor<i64>
  %eps = nn.random_normal %key seed = 9 : tensor<32x20xf32>
  %half = nn.constant dense<0.5> : tensor<f32>
  %h = nn.mul %lv, %half : tensor<32x20xf32>, tensor<f32>
  %s = nn.exp %h : tensor<32x20xf32>
  %n = nn.mul %s, %eps : tensor<32x20xf32>, tensor<32x20xf32>
  %z = nn.add %mu, %n : tensor<32x20xf32>, tensor<32x20xf32>
  %p = nn.mul %z, %g : tensor<32x20xf32>, tensor<32x20xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<32x20xf32>
  return %l, %z, %eps : tensor<f32>, tensor<32x20xf32>, tensor<32x20xf32>
}

// torch.flatten(x, 1)
func.func @flatten(%x: tensor<4x3x5x2xf32>, %g: tensor<4x30xf32>)
    -> (tensor<f32>, tensor<4x30xf32>) attributes {nn.differentiate = [0]} {
  %y = nn.flatten %x : tensor<4x3x5x2xf32>
  %p = nn.mul %y, %g : tensor<4x30xf32>, tensor<4x30xf32>
  %l = nn.reduce_sum %p axes = [0, 1] : tensor<4x30xf32>
  return %l, %y : tensor<f32>, tensor<4x30xf32>
}
