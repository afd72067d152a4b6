// Models for losses_compare.py (run by losses.test): one function per
// configuration of focal_loss, triplet_margin_loss and kl_divergence. Each
// takes the loss operands and a scalar c, and returns (c * L, L);
// kiln-autodiff (run by kilnc) adds @<name>_grad, which also returns the
// gradients of c * L with respect to the f32 operands (listed in
// nn.differentiate), i.e. the vector-Jacobian products of the loss for the
// cotangent c. The shapes and attributes here must match CONFIGS in
// losses_compare.py.

// focal: gamma 2, alpha 0.25, mean
func.func @focal_g2_a025(%x: tensor<16x10xf32>, %l: tensor<16xi64>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0]} {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// focal: gamma 0, alpha 1 (cross-entropy), mean
func.func @focal_g0_a1(%x: tensor<16x10xf32>, %l: tensor<16xi64>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0]} {
  %0 = nn.focal_loss %x, %l gamma = 0.0 alpha = 1.0 : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// focal: gamma 0.5, alpha 1, sum
func.func @focal_g05_sum(%x: tensor<16x10xf32>, %l: tensor<16xi64>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0]} {
  %0 = nn.focal_loss %x, %l gamma = 0.5 alpha = 1.0 reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// focal: gamma 1.5, alpha 0.75, i32 labels, sum
func.func @focal_g15_i32_sum(%x: tensor<12x5xf32>, %l: tensor<12xi32>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0]} {
  %0 = nn.focal_loss %x, %l gamma = 1.5 alpha = 0.75 reduction = sum : tensor<12x5xf32>, tensor<12xi32>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// focal: gamma 3, alpha 0.5, logits scaled by 6 (p_y near 0 and 1), mean
func.func @focal_g3_confident(%x: tensor<16x10xf32>, %l: tensor<16xi64>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0]} {
  %0 = nn.focal_loss %x, %l gamma = 3.0 alpha = 0.5 : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// focal: gamma 2, alpha 0.25, two classes, mean
func.func @focal_g2_binary(%x: tensor<32x2xf32>, %l: tensor<32xi64>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0]} {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<32x2xf32>, tensor<32xi64>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// triplet: margin 1, eps 1e-6, mean
func.func @triplet_m1(%a: tensor<16x32xf32>, %p: tensor<16x32xf32>, %n: tensor<16x32xf32>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0, 1, 2]} {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 1.0 : tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// triplet: margin 0, eps 1e-6, sum; rows 0-3 have negative == positive (hinge exactly 0)
func.func @triplet_m0_sum(%a: tensor<16x8xf32>, %p: tensor<16x8xf32>, %n: tensor<16x8xf32>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0, 1, 2]} {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 0.0 reduction = sum : tensor<16x8xf32>, tensor<16x8xf32>, tensor<16x8xf32>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// triplet: margin 0.5, eps 0, mean; rows 0-1 have positive == anchor (distance 0)
func.func @triplet_eps0(%a: tensor<16x8xf32>, %p: tensor<16x8xf32>, %n: tensor<16x8xf32>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0, 1, 2]} {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 0.5 eps = 0.0 : tensor<16x8xf32>, tensor<16x8xf32>, tensor<16x8xf32>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// triplet: margin 2, eps 0.01, sum
func.func @triplet_m2_eps(%a: tensor<8x64xf32>, %p: tensor<8x64xf32>, %n: tensor<8x64xf32>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0, 1, 2]} {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 2.0 eps = 1.0e-2 reduction = sum : tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// kl: mean
func.func @kl_mean(%mu: tensor<16x20xf32>, %lv: tensor<16x20xf32>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0, 1]} {
  %0 = nn.kl_divergence %mu, %lv : tensor<16x20xf32>, tensor<16x20xf32>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}

// kl: sum, logvar with standard deviation 2
func.func @kl_sum(%mu: tensor<8x32xf32>, %lv: tensor<8x32xf32>, %c: tensor<f32>)
    -> (tensor<f32>, tensor<f32>) attributes {nn.differentiate = [0, 1]} {
  %0 = nn.kl_divergence %mu, %lv reduction = sum : tensor<8x32xf32>, tensor<8x32xf32>
  %1 = nn.mul %c, %0 : tensor<f32>, tensor<f32>
  return %1, %0 : tensor<f32>, tensor<f32>
}
