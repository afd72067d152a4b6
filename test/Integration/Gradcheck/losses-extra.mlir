// Gradient checks of focal_loss, triplet_margin_loss and kl_divergence with
// both reductions, with respect to every f32 operand: focal_loss with
// gamma = 2, 1.5, 0.5 and 0 (cross-entropy's rule), i64 and i32 labels;
// triplet_margin_loss with margins 0.3 and 0, eps 1e-6 and 0, rows on
// both sides of the hinge (d(a, p) - d(a, n) is 0.20, 0.37, 0.58, -0.45,
// 0.98, -0.18: one row inactive under margin 0.3, two under margin 0); kl_divergence alone and behind a small encoder.
// kiln-gradcheck only generates the labels of an nn.cross_entropy, so the
// labels here are constants. Loss terms are multiplied by a random input r
// in [-1, 1) where stated, so that the cotangent is not 1.
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s --function f_focal --function f_focal_i32 \
// RUN:   --function f_triplet --function f_kl --function f_encoder_kl \
// RUN:   | FileCheck %s

// CHECK-LABEL: gradcheck @f_focal: 1 target, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       logits{{ +}}6x4{{ +}}24/24{{ .*}}PASS
// CHECK:       direction (24 elements){{.*}}PASS
func.func @f_focal(%x: tensor<6x4xf32>) -> tensor<f32> {
  %w = nn.param "logits" uniform seed = 1 {low = -2.0, high = 2.0} : tensor<6x4xf32>
  %l = nn.constant dense<[0, 3, 1, 2, 3, 0]> : tensor<6xi64>
  %0 = nn.focal_loss %w, %l gamma = 2.0 alpha = 0.25 : tensor<6x4xf32>, tensor<6xi64>
  %1 = nn.mul %w, %x : tensor<6x4xf32>, tensor<6x4xf32>
  %2 = nn.focal_loss %1, %l gamma = 1.5 alpha = 1.0 reduction = sum : tensor<6x4xf32>, tensor<6xi64>
  %3 = nn.focal_loss %w, %l gamma = 0.5 alpha = 2.0 : tensor<6x4xf32>, tensor<6xi64>
  %4 = nn.add %0, %2 : tensor<f32>, tensor<f32>
  %5 = nn.add %4, %3 : tensor<f32>, tensor<f32>
  return %5 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_focal_i32: 1 target
// CHECK:       logits{{ +}}5x3{{ +}}15/15{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_focal_i32(%r: tensor<f32>) -> tensor<f32> {
  %w = nn.param "logits" normal seed = 2 {mean = 0.0, std = 2.0} : tensor<5x3xf32>
  %l = nn.constant dense<[2, 0, 1, 1, 2]> : tensor<5xi32>
  %0 = nn.focal_loss %w, %l gamma = 0.0 alpha = 0.5 reduction = sum : tensor<5x3xf32>, tensor<5xi32>
  %1 = nn.focal_loss %w, %l gamma = 3.0 alpha = 1.0 : tensor<5x3xf32>, tensor<5xi32>
  %2 = nn.mul %1, %r : tensor<f32>, tensor<f32>
  %3 = nn.add %0, %2 : tensor<f32>, tensor<f32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_triplet: 3 targets
// CHECK:       a{{ +}}6x5{{ +}}30/30{{ .*}}PASS
// CHECK:       p{{ +}}6x5{{ +}}30/30{{ .*}}PASS
// CHECK:       n{{ +}}6x5{{ +}}30/30{{ .*}}PASS
// CHECK:       direction (90 elements){{.*}}PASS
func.func @f_triplet(%r: tensor<f32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<6x5xf32>
  %p = nn.param "p" uniform seed = 10 {low = -0.5, high = 0.5} : tensor<6x5xf32>
  %n = nn.param "n" uniform seed = 5 {low = -1.0, high = 1.0} : tensor<6x5xf32>
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 0.3 : tensor<6x5xf32>, tensor<6x5xf32>, tensor<6x5xf32>
  %1 = nn.triplet_margin_loss %a, %p, %n margin = 0.0 eps = 0.0 reduction = sum : tensor<6x5xf32>, tensor<6x5xf32>, tensor<6x5xf32>
  %2 = nn.mul %1, %r : tensor<f32>, tensor<f32>
  %3 = nn.add %0, %2 : tensor<f32>, tensor<f32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_kl: 2 targets
// CHECK:       mu{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       logvar{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       direction (24 elements){{.*}}PASS
func.func @f_kl(%r: tensor<f32>) -> tensor<f32> {
  %mu = nn.param "mu" uniform seed = 6 {low = -2.0, high = 2.0} : tensor<4x3xf32>
  %lv = nn.param "logvar" uniform seed = 7 {low = -2.0, high = 2.0} : tensor<4x3xf32>
  %0 = nn.kl_divergence %mu, %lv : tensor<4x3xf32>, tensor<4x3xf32>
  %1 = nn.kl_divergence %mu, %lv reduction = sum : tensor<4x3xf32>, tensor<4x3xf32>
  %2 = nn.mul %1, %r : tensor<f32>, tensor<f32>
  %3 = nn.add %0, %2 : tensor<f32>, tensor<f32>
  return %3 : tensor<f32>
}

// A VAE-style encoder: mu = x W_mu, logvar = x W_lv, loss = KL.
// CHECK-LABEL: gradcheck @f_encoder_kl: 2 targets
// CHECK:       w_mu{{ +}}6x3{{ +}}18/18{{ .*}}PASS
// CHECK:       w_lv{{ +}}6x3{{ +}}18/18{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 9 params passed, 0 failed
func.func @f_encoder_kl(%x: tensor<4x6xf32>) -> tensor<f32> {
  %wm = nn.param "w_mu" xavier_uniform seed = 8 : tensor<6x3xf32>
  %wl = nn.param "w_lv" xavier_uniform seed = 9 : tensor<6x3xf32>
  %mu = nn.matmul %x, %wm : tensor<4x6xf32>, tensor<6x3xf32>
  %lv = nn.matmul %x, %wl : tensor<4x6xf32>, tensor<6x3xf32>
  %0 = nn.kl_divergence %mu, %lv : tensor<4x3xf32>, tensor<4x3xf32>
  return %0 : tensor<f32>
}
