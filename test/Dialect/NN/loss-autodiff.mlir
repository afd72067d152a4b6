// RUN: kiln-opt %s -kiln-autodiff -split-input-file | FileCheck %s

// The reverse-mode rules of focal_loss, triplet_margin_loss and
// kl_divergence (lib/Dialect/NN/IR/NNLossOps.cpp, docs/Autodiff.md): the nn
// ops each builds. Numerically they are checked by
// test/Integration/Gradcheck/losses-extra.mlir and against PyTorch by
// test/Integration/PyTorch/losses.test.

/// focal_loss: g = (1 - p_y)^gamma * (1 - gamma * p_y * ratio) per row, with
/// ratio = log(p_y) / (1 - p_y) where 1 - p_y > 0 and -1 elsewhere, times
/// scale * alpha and (softmax - onehot); softmax = exp(log_softmax). Labels
/// get no gradient.
// CHECK-LABEL: func.func @focal_grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32>, %[[L:[^:]*]]: tensor<4xi64>)
// CHECK-SAME: -> (tensor<f32>, tensor<4x3xf32> {nn.grad_of = "arg0"})
// CHECK: %[[ONE:.*]] = nn.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[IOTA:.*]] = nn.constant dense<{{\[\[}}0, 1, 2]]> : tensor<1x3xi64>
// CHECK: %[[LC:.*]] = nn.reshape %[[L]] : tensor<4xi64> -> tensor<4x1xi64>
// CHECK: %[[HOT:.*]] = nn.compare eq, %[[LC]], %[[IOTA]] : tensor<4x1xi64>, tensor<1x3xi64>
// CHECK: %[[QUARTER:.*]] = nn.constant dense<2.500000e-01> : tensor<f32>
// CHECK: %[[F0:.*]] = nn.mul %[[ONE]], %[[QUARTER]]
// CHECK: %[[ALPHA:.*]] = nn.constant dense<2.500000e-01> : tensor<f32>
// CHECK: %[[F:.*]] = nn.mul %[[F0]], %[[ALPHA]]
// CHECK: %[[LS:.*]] = nn.log_softmax %[[X]] axis = 1 : tensor<4x3xf32>
// CHECK: %[[P:.*]] = nn.exp %[[LS]] : tensor<4x3xf32>
// CHECK: %[[PM1:.*]] = nn.sub %[[P]], %{{.*}} : tensor<4x3xf32>, tensor<f32>
// CHECK: %[[DIFF:.*]] = nn.select %[[HOT]], %[[PM1]], %[[P]]
// CHECK: %[[LSY:.*]] = nn.select %[[HOT]], %[[LS]], %{{.*}} : tensor<4x3xi1>, tensor<4x3xf32>, tensor<f32>
// CHECK: %[[LOGPY:.*]] = nn.reduce_sum %[[LSY]] axes = [1] keepdims : tensor<4x3xf32>
// CHECK: %[[PY:.*]] = nn.exp %[[LOGPY]] : tensor<4x1xf32>
// CHECK: %[[Q:.*]] = nn.sub %{{.*}}, %[[PY]] : tensor<f32>, tensor<4x1xf32>
// CHECK: %[[POS:.*]] = nn.compare gt, %[[Q]], %{{.*}} : tensor<4x1xf32>, tensor<f32>
// CHECK: %[[DIV:.*]] = nn.div %[[LOGPY]], %[[Q]]
// CHECK: %[[MINUS1:.*]] = nn.constant dense<-1.000000e+00> : tensor<f32>
// CHECK: %[[RATIO:.*]] = nn.select %[[POS]], %[[DIV]], %[[MINUS1]]
// CHECK: %[[GAMMA:.*]] = nn.constant dense<2.000000e+00> : tensor<f32>
// CHECK: %[[W:.*]] = nn.pow %[[Q]], %[[GAMMA]] : tensor<4x1xf32>, tensor<f32>
// CHECK: %[[GPY:.*]] = nn.mul %[[PY]], %{{.*}} : tensor<4x1xf32>, tensor<f32>
// CHECK: %[[T:.*]] = nn.mul %[[GPY]], %[[RATIO]]
// CHECK: %[[U:.*]] = nn.sub %{{.*}}, %[[T]] : tensor<f32>, tensor<4x1xf32>
// CHECK: %[[G:.*]] = nn.mul %[[W]], %[[U]]
// CHECK: %[[FG:.*]] = nn.mul %[[F]], %[[G]] : tensor<f32>, tensor<4x1xf32>
// CHECK: %[[DX:.*]] = nn.mul %[[FG]], %[[DIFF]] : tensor<4x1xf32>, tensor<4x3xf32>
// CHECK: return %{{.*}}, %[[DX]]
func.func @focal(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<f32> attributes {nn.differentiate = [0]} {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<4x3xf32>, tensor<4xi64>
  return %0 : tensor<f32>
}

// -----

/// gamma = 0 and alpha = 1: cross_entropy's rule (softmax - onehot, no
/// per-row factor); the sum reduction adds no scale.
// CHECK-LABEL: func.func @focal_ce_grad(
// CHECK: %[[ONE:.*]] = nn.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[HOT:.*]] = nn.compare eq, %{{.*}}, %{{.*}} : tensor<4x1xi32>, tensor<1x3xi32>
// CHECK: %[[SM:.*]] = nn.softmax %{{.*}} axis = 1 : tensor<4x3xf32>
// CHECK: %[[SM1:.*]] = nn.sub %[[SM]], %{{.*}} : tensor<4x3xf32>, tensor<f32>
// CHECK: %[[DIFF:.*]] = nn.select %[[HOT]], %[[SM1]], %[[SM]]
// CHECK: %[[DX:.*]] = nn.mul %[[ONE]], %[[DIFF]]
// CHECK-NOT: nn.pow
// CHECK: return %{{.*}}, %[[DX]]
func.func @focal_ce(%x: tensor<4x3xf32>, %l: tensor<4xi32>) -> tensor<f32> attributes {nn.differentiate = [0]} {
  %0 = nn.focal_loss %x, %l gamma = 0.0 alpha = 1.0 reduction = sum : tensor<4x3xf32>, tensor<4xi32>
  return %0 : tensor<f32>
}

// -----

/// triplet_margin_loss: u = a - p + eps, v = a - n + eps, the distances
/// recomputed as [N, 1]; the hinge mask is `ge` (PyTorch's clamp_min passes
/// the gradient at 0); s / |u| is 0 where |u| = 0.
// CHECK-LABEL: func.func @triplet_grad(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x3xf32>, %[[P:[^:]*]]: tensor<4x3xf32>, %[[N:[^:]*]]: tensor<4x3xf32>)
// CHECK: %[[ONE:.*]] = nn.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[AP:.*]] = nn.sub %[[A]], %[[P]]
// CHECK: %[[EPS:.*]] = nn.constant dense<9.99999997E-7> : tensor<f32>
// CHECK: %[[U:.*]] = nn.add %[[AP]], %[[EPS]]
// CHECK: %[[AN:.*]] = nn.sub %[[A]], %[[N]]
// CHECK: %[[V:.*]] = nn.add %[[AN]], %{{.*}}
// CHECK: %[[UU:.*]] = nn.mul %[[U]], %[[U]]
// CHECK: %[[SU:.*]] = nn.reduce_sum %[[UU]] axes = [1] keepdims
// CHECK: %[[DU:.*]] = nn.sqrt %[[SU]] : tensor<4x1xf32>
// CHECK: %[[VV:.*]] = nn.mul %[[V]], %[[V]]
// CHECK: %[[SV:.*]] = nn.reduce_sum %[[VV]] axes = [1] keepdims
// CHECK: %[[DV:.*]] = nn.sqrt %[[SV]] : tensor<4x1xf32>
// CHECK: %[[D:.*]] = nn.sub %[[DU]], %[[DV]]
// CHECK: %[[MARGIN:.*]] = nn.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[H:.*]] = nn.add %[[D]], %[[MARGIN]]
// CHECK: %[[ACTIVE:.*]] = nn.compare ge, %[[H]], %{{.*}} : tensor<4x1xf32>, tensor<f32>
// CHECK: %[[QUARTER:.*]] = nn.constant dense<2.500000e-01> : tensor<f32>
// CHECK: %[[F:.*]] = nn.mul %[[ONE]], %[[QUARTER]]
// CHECK: %[[S:.*]] = nn.select %[[ACTIVE]], %[[F]], %{{.*}} : tensor<4x1xi1>, tensor<f32>, tensor<f32>
// CHECK: %[[UPOS:.*]] = nn.compare gt, %[[DU]], %{{.*}}
// CHECK: %[[SDU:.*]] = nn.div %[[S]], %[[DU]]
// CHECK: %[[KU:.*]] = nn.select %[[UPOS]], %[[SDU]], %{{.*}}
// CHECK: %[[GU:.*]] = nn.mul %[[KU]], %[[U]] : tensor<4x1xf32>, tensor<4x3xf32>
// CHECK: %[[VPOS:.*]] = nn.compare gt, %[[DV]], %{{.*}}
// CHECK: %[[SDV:.*]] = nn.div %[[S]], %[[DV]]
// CHECK: %[[KV:.*]] = nn.select %[[VPOS]], %[[SDV]], %{{.*}}
// CHECK: %[[GV:.*]] = nn.mul %[[KV]], %[[V]] : tensor<4x1xf32>, tensor<4x3xf32>
// CHECK: %[[DA:.*]] = nn.sub %[[GU]], %[[GV]]
// CHECK: %[[DP:.*]] = nn.neg %[[GU]]
// CHECK: return %{{.*}}, %[[DA]], %[[DP]], %[[GV]]
func.func @triplet(%a: tensor<4x3xf32>, %p: tensor<4x3xf32>, %n: tensor<4x3xf32>) -> tensor<f32> attributes {nn.differentiate = [0, 1, 2]} {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 0.5 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
  return %0 : tensor<f32>
}

// -----

/// kl_divergence: scale * mu and scale * 0.5 * (exp(logvar) - 1); the mean
/// scale is 1 / N = 1/4 (rows, not elements).
// CHECK-LABEL: func.func @kl_grad(
// CHECK-SAME: %[[MU:[^:]*]]: tensor<4x3xf32>, %[[LV:[^:]*]]: tensor<4x3xf32>)
// CHECK: %[[ONE:.*]] = nn.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[QUARTER:.*]] = nn.constant dense<2.500000e-01> : tensor<f32>
// CHECK: %[[S:.*]] = nn.mul %[[ONE]], %[[QUARTER]]
// CHECK: %[[DMU:.*]] = nn.mul %[[S]], %[[MU]]
// CHECK: %[[HALF:.*]] = nn.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[S2:.*]] = nn.mul %[[S]], %[[HALF]]
// CHECK: %[[E:.*]] = nn.exp %[[LV]]
// CHECK: %[[EM1:.*]] = nn.sub %[[E]], %{{.*}} : tensor<4x3xf32>, tensor<f32>
// CHECK: %[[DLV:.*]] = nn.mul %[[S2]], %[[EM1]]
// CHECK: return %{{.*}}, %[[DMU]], %[[DLV]]
func.func @kl(%mu: tensor<4x3xf32>, %lv: tensor<4x3xf32>) -> tensor<f32> attributes {nn.differentiate = [0, 1]} {
  %0 = nn.kl_divergence %mu, %lv : tensor<4x3xf32>, tensor<4x3xf32>
  return %0 : tensor<f32>
}
