// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round trip of nn.focal_loss, nn.triplet_margin_loss and nn.kl_divergence
// through the custom and the generic form. Each returns a rank-0 f32 tensor
// (inferred; the `func.return` type checks it). `reduction = mean` and the
// default `eps` are elided when printing.

/// focal_loss: gamma and alpha are always printed; i64 and i32 labels.
// CHECK-LABEL: func.func @focal_loss
// CHECK-SAME: (%[[X:.*]]: tensor<32x10xf32>, %[[L:.*]]: tensor<32xi64>, %[[M:.*]]: tensor<32xi32>)
func.func @focal_loss(%x: tensor<32x10xf32>, %l: tensor<32xi64>, %m: tensor<32xi32>)
    -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  // CHECK: %[[A:.*]] = nn.focal_loss %[[X]], %[[L]] gamma = 2.000000e+00 alpha = 2.500000e-01 : tensor<32x10xf32>, tensor<32xi64>
  // CHECK: %[[B:.*]] = nn.focal_loss %[[X]], %[[M]] gamma = 5.000000e-01 alpha = 1.000000e+00 reduction = sum : tensor<32x10xf32>, tensor<32xi32>
  // CHECK: %[[C:.*]] = nn.focal_loss %[[X]], %[[L]] gamma = 0.000000e+00 alpha = 1.000000e+00 : tensor<32x10xf32>, tensor<32xi64>
  // CHECK: return %[[A]], %[[B]], %[[C]] : tensor<f32>, tensor<f32>, tensor<f32>
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<32x10xf32>, tensor<32xi64>
  %1 = nn.focal_loss %x, %m gamma = 0.5 alpha = 1.0 reduction = sum : tensor<32x10xf32>, tensor<32xi32>
  %2 = nn.focal_loss %x, %l gamma = 0.0 alpha = 1.0 reduction = mean : tensor<32x10xf32>, tensor<32xi64>
  return %0, %1, %2 : tensor<f32>, tensor<f32>, tensor<f32>
}

/// triplet_margin_loss: eps is printed only when it differs from 1e-6.
// CHECK-LABEL: func.func @triplet_margin_loss
// CHECK-SAME: (%[[A:.*]]: tensor<8x16xf32>, %[[P:.*]]: tensor<8x16xf32>, %[[N:.*]]: tensor<8x16xf32>)
func.func @triplet_margin_loss(%a: tensor<8x16xf32>, %p: tensor<8x16xf32>, %n: tensor<8x16xf32>)
    -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  // CHECK: %[[L0:.*]] = nn.triplet_margin_loss %[[A]], %[[P]], %[[N]] margin = 1.000000e+00 : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  // CHECK: %[[L1:.*]] = nn.triplet_margin_loss %[[A]], %[[P]], %[[N]] margin = 0.000000e+00 eps = 0.000000e+00 reduction = sum : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  // CHECK: %[[L2:.*]] = nn.triplet_margin_loss %[[A]], %[[P]], %[[N]] margin = 5.000000e-01 : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  // CHECK: return %[[L0]], %[[L1]], %[[L2]]
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 1.0 : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  %1 = nn.triplet_margin_loss %a, %p, %n margin = 0.0 eps = 0.0 reduction = sum : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  %2 = nn.triplet_margin_loss %a, %p, %n margin = 0.5 eps = 1.0e-6 : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  return %0, %1, %2 : tensor<f32>, tensor<f32>, tensor<f32>
}

/// kl_divergence, both reductions.
// CHECK-LABEL: func.func @kl_divergence
// CHECK-SAME: (%[[MU:.*]]: tensor<32x20xf32>, %[[LV:.*]]: tensor<32x20xf32>)
func.func @kl_divergence(%mu: tensor<32x20xf32>, %lv: tensor<32x20xf32>) -> (tensor<f32>, tensor<f32>) {
  // CHECK: %[[K0:.*]] = nn.kl_divergence %[[MU]], %[[LV]] : tensor<32x20xf32>, tensor<32x20xf32>
  // CHECK: %[[K1:.*]] = nn.kl_divergence %[[MU]], %[[LV]] reduction = sum : tensor<32x20xf32>, tensor<32x20xf32>
  // CHECK: return %[[K0]], %[[K1]]
  %0 = nn.kl_divergence %mu, %lv : tensor<32x20xf32>, tensor<32x20xf32>
  %1 = nn.kl_divergence %mu, %lv reduction = sum : tensor<32x20xf32>, tensor<32x20xf32>
  return %0, %1 : tensor<f32>, tensor<f32>
}

/// Zero-size batches and feature dimensions are valid IR.
// CHECK-LABEL: func.func @empty
// CHECK: nn.focal_loss %{{.*}}, %{{.*}} gamma = 1.000000e+00 alpha = 1.000000e+00 : tensor<0x3xf32>, tensor<0xi64>
// CHECK: nn.triplet_margin_loss %{{.*}}, %{{.*}}, %{{.*}} margin = 1.000000e+00 : tensor<2x0xf32>, tensor<2x0xf32>, tensor<2x0xf32>
// CHECK: nn.kl_divergence %{{.*}}, %{{.*}} : tensor<0x4xf32>, tensor<0x4xf32>
func.func @empty(%x: tensor<0x3xf32>, %l: tensor<0xi64>, %a: tensor<2x0xf32>, %mu: tensor<0x4xf32>)
    -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = nn.focal_loss %x, %l gamma = 1.0 alpha = 1.0 : tensor<0x3xf32>, tensor<0xi64>
  %1 = nn.triplet_margin_loss %a, %a, %a margin = 1.0 : tensor<2x0xf32>, tensor<2x0xf32>, tensor<2x0xf32>
  %2 = nn.kl_divergence %mu, %mu : tensor<0x4xf32>, tensor<0x4xf32>
  return %0, %1, %2 : tensor<f32>, tensor<f32>, tensor<f32>
}
