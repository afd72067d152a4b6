// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Every numbered constraint of nn.focal_loss, nn.triplet_margin_loss and
// nn.kl_divergence (docs/Spec.md) has a case here, named by the comment
// above it, plus the main ODS failures.

//===----------------------------------------------------------------------===//
// focal_loss
//===----------------------------------------------------------------------===//

/// focal_loss_c1: labels must be rank 1.
func.func @focal_loss_c1_labels(%x: tensor<4x3xf32>, %l: tensor<4x1xi64>) {
  // expected-error @+1 {{'nn.focal_loss' op (focal_loss_c1) expects logits [N, C] and labels [N], got 4x3 and 4x1}}
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<4x3xf32>, tensor<4x1xi64>
  return
}

// -----

/// focal_loss_c1: logits must be rank 2.
func.func @focal_loss_c1_logits(%x: tensor<12xf32>, %l: tensor<12xi32>) {
  // expected-error @+1 {{'nn.focal_loss' op (focal_loss_c1) expects logits [N, C] and labels [N], got 12 and 12}}
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<12xf32>, tensor<12xi32>
  return
}

// -----

/// focal_loss_c2: 4 rows of logits, 5 labels.
func.func @focal_loss_c2(%x: tensor<4x3xf32>, %l: tensor<5xi32>) {
  // expected-error @+1 {{'nn.focal_loss' op (focal_loss_c2) batch sizes differ: 4 logits rows vs 5 labels}}
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<4x3xf32>, tensor<5xi32>
  return
}

// -----

/// focal_loss_c3: a negative gamma.
func.func @focal_loss_c3(%x: tensor<4x3xf32>, %l: tensor<4xi64>) {
  // expected-error @+1 {{'nn.focal_loss' op (focal_loss_c3) 'gamma' must be finite and >= 0, got -1}}
  %0 = nn.focal_loss %x, %l gamma = -1.0 alpha = 0.25 : tensor<4x3xf32>, tensor<4xi64>
  return
}

// -----

/// focal_loss_c3: an infinite gamma.
func.func @focal_loss_c3_inf(%x: tensor<4x3xf32>, %l: tensor<4xi64>) {
  // expected-error @+1 {{'nn.focal_loss' op (focal_loss_c3) 'gamma' must be finite and >= 0, got inf}}
  %0 = nn.focal_loss %x, %l gamma = 0x7F800000 alpha = 0.25 : tensor<4x3xf32>, tensor<4xi64>
  return
}

// -----

/// focal_loss_c4: alpha must be positive, 0 is rejected.
func.func @focal_loss_c4(%x: tensor<4x3xf32>, %l: tensor<4xi64>) {
  // expected-error @+1 {{'nn.focal_loss' op (focal_loss_c4) 'alpha' must be finite and > 0, got 0}}
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.0 : tensor<4x3xf32>, tensor<4xi64>
  return
}

// -----

/// focal_loss_c4: a NaN alpha.
func.func @focal_loss_c4_nan(%x: tensor<4x3xf32>, %l: tensor<4xi64>) {
  // expected-error @+1 {{'nn.focal_loss' op (focal_loss_c4) 'alpha' must be finite and > 0, got nan}}
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0x7FC00000 : tensor<4x3xf32>, tensor<4xi64>
  return
}

// -----

/// ODS: labels are integers, not f32.
func.func @focal_loss_f32_labels(%x: tensor<4x3xf32>, %l: tensor<4xf32>) {
  // expected-error @+1 {{'nn.focal_loss' op operand #1 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<4x3xf32>, tensor<4xf32>
  return
}

// -----

/// ODS: gamma and alpha are required.
func.func @focal_loss_missing_alpha(%x: tensor<4x3xf32>, %l: tensor<4xi64>) {
  // expected-error @+1 {{expected 'alpha'}}
  %0 = nn.focal_loss %x, %l gamma = 2.0 : tensor<4x3xf32>, tensor<4xi64>
  return
}

// -----

/// ODS: the result is a rank-0 f32 tensor.
func.func @focal_loss_result(%x: tensor<4x3xf32>, %l: tensor<4xi64>) {
  // expected-error @+1 {{'nn.focal_loss' op result #0 must be 0D tensor of 32-bit float values, but got 'tensor<4xf32>'}}
  %0 = "nn.focal_loss"(%x, %l) {gamma = 2.0 : f32, alpha = 0.25 : f32} : (tensor<4x3xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// triplet_margin_loss
//===----------------------------------------------------------------------===//

/// triplet_margin_loss_c1: the anchor must be rank 2.
func.func @triplet_margin_loss_c1(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'nn.triplet_margin_loss' op (triplet_margin_loss_c1) expects anchor [N, D], got 2x3x4}}
  %0 = nn.triplet_margin_loss %a, %a, %a margin = 1.0 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return
}

// -----

/// triplet_margin_loss_c2: the positive has another shape.
func.func @triplet_margin_loss_c2_positive(%a: tensor<4x8xf32>, %p: tensor<4x7xf32>) {
  // expected-error @+1 {{'nn.triplet_margin_loss' op (triplet_margin_loss_c2) positive has shape 4x7 but the anchor has shape 4x8}}
  %0 = nn.triplet_margin_loss %a, %p, %a margin = 1.0 : tensor<4x8xf32>, tensor<4x7xf32>, tensor<4x8xf32>
  return
}

// -----

/// triplet_margin_loss_c2: no broadcasting of the negative.
func.func @triplet_margin_loss_c2_negative(%a: tensor<4x8xf32>, %n: tensor<1x8xf32>) {
  // expected-error @+1 {{'nn.triplet_margin_loss' op (triplet_margin_loss_c2) negative has shape 1x8 but the anchor has shape 4x8}}
  %0 = nn.triplet_margin_loss %a, %a, %n margin = 1.0 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<1x8xf32>
  return
}

// -----

/// triplet_margin_loss_c3: a negative margin.
func.func @triplet_margin_loss_c3(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.triplet_margin_loss' op (triplet_margin_loss_c3) 'margin' must be finite and >= 0, got -0.5}}
  %0 = nn.triplet_margin_loss %a, %a, %a margin = -0.5 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  return
}

// -----

/// triplet_margin_loss_c4: a negative eps.
func.func @triplet_margin_loss_c4(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.triplet_margin_loss' op (triplet_margin_loss_c4) 'eps' must be finite and >= 0, got -1e-06}}
  %0 = nn.triplet_margin_loss %a, %a, %a margin = 1.0 eps = -1.0e-6 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  return
}

// -----

/// triplet_margin_loss_c4: an infinite eps.
func.func @triplet_margin_loss_c4_inf(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.triplet_margin_loss' op (triplet_margin_loss_c4) 'eps' must be finite and >= 0, got inf}}
  %0 = nn.triplet_margin_loss %a, %a, %a margin = 1.0 eps = 0x7F800000 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  return
}

// -----

/// ODS: the operands are f32.
func.func @triplet_margin_loss_i32(%a: tensor<4x8xf32>, %n: tensor<4x8xi32>) {
  // expected-error @+1 {{'nn.triplet_margin_loss' op operand #2 must be statically shaped tensor of 32-bit float values, but got 'tensor<4x8xi32>'}}
  %0 = nn.triplet_margin_loss %a, %a, %n margin = 1.0 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// kl_divergence
//===----------------------------------------------------------------------===//

/// kl_divergence_c1: mu must be rank 2.
func.func @kl_divergence_c1(%mu: tensor<20xf32>) {
  // expected-error @+1 {{'nn.kl_divergence' op (kl_divergence_c1) expects mu [N, Z], got 20}}
  %0 = nn.kl_divergence %mu, %mu : tensor<20xf32>, tensor<20xf32>
  return
}

// -----

/// kl_divergence_c2: logvar has another shape.
func.func @kl_divergence_c2(%mu: tensor<4x20xf32>, %lv: tensor<20x4xf32>) {
  // expected-error @+1 {{'nn.kl_divergence' op (kl_divergence_c2) logvar has shape 20x4 but mu has shape 4x20}}
  %0 = nn.kl_divergence %mu, %lv : tensor<4x20xf32>, tensor<20x4xf32>
  return
}

// -----

/// ODS: the reduction enum is mean or sum.
func.func @kl_divergence_reduction(%mu: tensor<4x20xf32>) {
  // expected-error @+1 {{custom op 'nn.kl_divergence' expected string or keyword containing one of the following enum values for attribute 'reduction' [mean, sum]}}
  %0 = nn.kl_divergence %mu, %mu reduction = none : tensor<4x20xf32>, tensor<4x20xf32>
  return
}
