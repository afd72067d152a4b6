// Gradient checks of dropout (training with a fixed key, and evaluation)
// and of a VAE's reparameterization through random_normal. The reference
// draws the same masks and samples as the compiled code (they are pure
// functions of seed, key and index), so finite differences see the same
// function. Loss: reduce_sum(op output * r), r random in [-1, 1), unless
// stated. Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with
// eps 1e-4.

// RUN: kiln-gradcheck %s --function f_dropout --function f_dropout_eval \
// RUN:   --function f_dropout_model --function f_vae | FileCheck %s

// CHECK-LABEL: gradcheck @f_dropout: 1 target, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       x{{ +}}8x16{{ +}}64/128{{ .*}}PASS
// CHECK:       direction (128 elements){{.*}}PASS
func.func @f_dropout(%r: tensor<8x16xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<8x16xf32>
  %key = nn.constant dense<3> : tensor<i64>
  %0 = nn.dropout %x, %key rate = 0.3 seed = 5 training : tensor<8x16xf32>
  %1 = nn.mul %0, %r : tensor<8x16xf32>, tensor<8x16xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<8x16xf32>
  return %2 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_dropout_eval: 1 target
// CHECK:       x{{ +}}4x5{{ +}}20/20{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_dropout_eval(%r: tensor<4x5xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<4x5xf32>
  %0 = nn.dropout %x rate = 0.3 seed = 5 : tensor<4x5xf32>
  %1 = nn.mul %0, %r : tensor<4x5xf32>, tensor<4x5xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<4x5xf32>
  return %2 : tensor<f32>
}

/// matmul -> relu -> dropout (key 7, no key) -> matmul -> mse.
// CHECK-LABEL: gradcheck @f_dropout_model: 2 targets
// CHECK:       w1{{ +}}5x16{{ +}}64/80{{ .*}}PASS
// CHECK:       w2{{ +}}16x3{{ +}}48/48{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_dropout_model(%x: tensor<6x5xf32>, %t: tensor<6x3xf32>) -> tensor<f32> {
  %w1 = nn.param "w1" xavier_uniform seed = 3 : tensor<5x16xf32>
  %w2 = nn.param "w2" xavier_uniform seed = 4 : tensor<16x3xf32>
  %key = nn.constant dense<7> : tensor<i64>
  %h = nn.matmul %x, %w1 : tensor<6x5xf32>, tensor<5x16xf32>
  %a = nn.tanh %h : tensor<6x16xf32>
  %d = nn.dropout %a, %key rate = 0.5 seed = 9 training : tensor<6x16xf32>
  %e = nn.dropout %d rate = 0.25 seed = 10 training : tensor<6x16xf32>
  %o = nn.matmul %e, %w2 : tensor<6x16xf32>, tensor<16x3xf32>
  %l = nn.mse %o, %t : tensor<6x3xf32>
  return %l : tensor<f32>
}

/// z = mu + exp(0.5 * logvar) * eps, eps = random_normal (no gradient
/// rule needed: it depends on no parameter), and the KL term
/// -0.5 * sum(1 + logvar - mu^2 - exp(logvar)).
// CHECK-LABEL: gradcheck @f_vae: 2 targets
// CHECK:       mu{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       logvar{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_vae(%r: tensor<4x3xf32>) -> tensor<f32> {
  %mu = nn.param "mu" uniform seed = 5 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %logvar = nn.param "logvar" uniform seed = 6 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %key = nn.constant dense<11> : tensor<i64>
  %eps = nn.random_normal %key seed = 3 : tensor<4x3xf32>
  %half = nn.constant dense<0.5> : tensor<f32>
  %h = nn.mul %logvar, %half : tensor<4x3xf32>, tensor<f32>
  %std = nn.exp %h : tensor<4x3xf32>
  %s = nn.mul %std, %eps : tensor<4x3xf32>, tensor<4x3xf32>
  %z = nn.add %mu, %s : tensor<4x3xf32>, tensor<4x3xf32>
  %zr = nn.mul %z, %r : tensor<4x3xf32>, tensor<4x3xf32>
  %rec = nn.reduce_sum %zr axes = [0, 1] : tensor<4x3xf32>
  %one = nn.constant dense<1.0> : tensor<f32>
  %mu2 = nn.mul %mu, %mu : tensor<4x3xf32>, tensor<4x3xf32>
  %var = nn.exp %logvar : tensor<4x3xf32>
  %k0 = nn.add %logvar, %one : tensor<4x3xf32>, tensor<f32>
  %k1 = nn.sub %k0, %mu2 : tensor<4x3xf32>, tensor<4x3xf32>
  %k2 = nn.sub %k1, %var : tensor<4x3xf32>, tensor<4x3xf32>
  %k3 = nn.reduce_sum %k2 axes = [0, 1] : tensor<4x3xf32>
  %mhalf = nn.constant dense<-0.5> : tensor<f32>
  %kl = nn.mul %k3, %mhalf : tensor<f32>, tensor<f32>
  %l = nn.add %rec, %kl : tensor<f32>, tensor<f32>
  return %l : tensor<f32>
}
