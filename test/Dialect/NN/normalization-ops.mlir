// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round trip of the normalization ops (batch_norm, batch_norm_train,
// batch_norm_train_backward) through the custom and the generic form. The
// result types follow from the two types spelled after the colon; they are
// checked through a `func.return` whose type must match.

/// batch_norm over [N, C] and [N, C, H, W]; the default eps is elided.
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<8x3xf32>, %[[I:.*]]: tensor<2x3x4x5xf32>, %[[G:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
func.func @batch_norm(%x: tensor<8x3xf32>, %img: tensor<2x3x4x5xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<8x3xf32>, tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) {
  // CHECK: %[[Y:.*]] = nn.batch_norm %[[X]], %[[G]], %[[B]], %[[M]], %[[V]] : tensor<8x3xf32>, tensor<3xf32>
  // CHECK: %[[Z:.*]] = nn.batch_norm %[[I]], %[[G]], %[[B]], %[[M]], %[[V]] : tensor<2x3x4x5xf32>, tensor<3xf32>
  // CHECK: %[[E:.*]] = nn.batch_norm %[[I]], %[[G]], %[[B]], %[[M]], %[[V]] eps = 1.000000e-03 : tensor<2x3x4x5xf32>, tensor<3xf32>
  // CHECK: return %[[Y]], %[[Z]], %[[E]]
  %0 = nn.batch_norm %x, %g, %b, %m, %v : tensor<8x3xf32>, tensor<3xf32>
  %1 = nn.batch_norm %img, %g, %b, %m, %v eps = 1.0e-5 : tensor<2x3x4x5xf32>, tensor<3xf32>
  %2 = nn.batch_norm %img, %g, %b, %m, %v eps = 1.0e-3 : tensor<2x3x4x5xf32>, tensor<3xf32>
  return %0, %1, %2 : tensor<8x3xf32>, tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>
}

/// batch_norm on rank 3 ([N, C, L]) and with C = 0.
// CHECK-LABEL: func.func @batch_norm_other_ranks
// CHECK: nn.batch_norm %{{.*}} : tensor<2x4x7xf32>, tensor<4xf32>
// CHECK: nn.batch_norm %{{.*}} : tensor<2x0xf32>, tensor<0xf32>
func.func @batch_norm_other_ranks(%x: tensor<2x4x7xf32>, %v: tensor<4xf32>, %e: tensor<2x0xf32>, %w: tensor<0xf32>)
    -> (tensor<2x4x7xf32>, tensor<2x0xf32>) {
  %0 = nn.batch_norm %x, %v, %v, %v, %v : tensor<2x4x7xf32>, tensor<4xf32>
  %1 = nn.batch_norm %e, %w, %w, %w, %w : tensor<2x0xf32>, tensor<0xf32>
  return %0, %1 : tensor<2x4x7xf32>, tensor<2x0xf32>
}

/// batch_norm_train has three results: y and the new running statistics.
// CHECK-LABEL: func.func @batch_norm_train
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x5xf32>, %[[G:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
func.func @batch_norm_train(%x: tensor<2x3x4x5xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: %[[Y:[^,]*]], %[[RM:[^,]*]], %[[RV:[^,]*]] = nn.batch_norm_train %[[X]], %[[G]], %[[B]], %[[M]], %[[V]] : tensor<2x3x4x5xf32>, tensor<3xf32>
  // CHECK: %[[Y2:[^,]*]], %[[RM2:[^,]*]], %[[RV2:[^,]*]] = nn.batch_norm_train %[[X]], %[[G]], %[[B]], %[[RM]], %[[RV]] eps = 1.000000e-03 momentum = 1.000000e-02 : tensor<2x3x4x5xf32>, tensor<3xf32>
  // CHECK: return %[[Y]], %[[RM]], %[[RV]], %[[Y2]], %[[RM2]], %[[RV2]]
  %y, %rm, %rv = nn.batch_norm_train %x, %g, %b, %m, %v : tensor<2x3x4x5xf32>, tensor<3xf32>
  %y2, %rm2, %rv2 = nn.batch_norm_train %x, %g, %b, %rm, %rv eps = 1.0e-3 momentum = 0.01 : tensor<2x3x4x5xf32>, tensor<3xf32>
  return %y, %rm, %rv, %y2, %rm2, %rv2 : tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>
}

/// The extreme momenta 0 and 1 are valid; M = 2 is enough.
// CHECK-LABEL: func.func @batch_norm_train_limits
// CHECK: nn.batch_norm_train %{{.*}} momentum = 0.000000e+00 : tensor<2x3xf32>, tensor<3xf32>
// CHECK: nn.batch_norm_train %{{.*}} momentum = 1.000000e+00 : tensor<1x3x2xf32>, tensor<3xf32>
func.func @batch_norm_train_limits(%x: tensor<2x3xf32>, %i: tensor<1x3x2xf32>, %v: tensor<3xf32>)
    -> (tensor<2x3xf32>, tensor<1x3x2xf32>) {
  %y, %m, %s = nn.batch_norm_train %x, %v, %v, %v, %v momentum = 0.0 : tensor<2x3xf32>, tensor<3xf32>
  %z, %m2, %s2 = nn.batch_norm_train %i, %v, %v, %v, %v momentum = 1.0 : tensor<1x3x2xf32>, tensor<3xf32>
  return %y, %z : tensor<2x3xf32>, tensor<1x3x2xf32>
}

/// The backward helper: the input gradient has the input's type, the
/// gradients of gamma and beta gamma's type.
// CHECK-LABEL: func.func @batch_norm_train_backward
// CHECK-SAME: (%[[DY:.*]]: tensor<2x3x4x5xf32>, %[[X:.*]]: tensor<2x3x4x5xf32>, %[[G:.*]]: tensor<3xf32>)
func.func @batch_norm_train_backward(%dy: tensor<2x3x4x5xf32>, %x: tensor<2x3x4x5xf32>, %g: tensor<3xf32>)
    -> (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x5xf32>) {
  // CHECK: %[[DX:[^,]*]], %[[DG:[^,]*]], %[[DB:[^,]*]] = nn.batch_norm_train_backward %[[DY]], %[[X]], %[[G]] : tensor<2x3x4x5xf32>, tensor<3xf32>
  // CHECK: %[[DX2:[^,]*]], %{{[^,]*}}, %{{[^,]*}} = nn.batch_norm_train_backward %[[DY]], %[[X]], %[[G]] eps = 1.000000e-03 : tensor<2x3x4x5xf32>, tensor<3xf32>
  // CHECK: return %[[DX]], %[[DG]], %[[DB]], %[[DX2]]
  %dx, %dg, %db = nn.batch_norm_train_backward %dy, %x, %g : tensor<2x3x4x5xf32>, tensor<3xf32>
  %dx2, %dg2, %db2 = nn.batch_norm_train_backward %dy, %x, %g eps = 1.0e-3 : tensor<2x3x4x5xf32>, tensor<3xf32>
  return %dx, %dg, %db, %dx2 : tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x5xf32>
}
