// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// focal_loss: cross_entropy's row max, row sum of e^(x - max) and batch
/// reduction reading the label's logit (clamped into [0, C)); the row loss
/// ce = max + log(sum) - x_label is weighted by (-expm1(-ce))^gamma (that is
/// (1 - p_y)^gamma) and alpha; the mean divides by N = 4.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$BATCH:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$TOTAL:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @focal_loss(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>, %[[L:.*]]: tensor<4xi64>
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x3xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] :
// CHECK: math.exp
// CHECK: %[[TOTAL:.*]] = linalg.generic {indexing_maps = [#[[$BATCH]], #[[$BATCH]], #[[$BATCH]], #[[$TOTAL]]], iterator_types = ["reduction"]} ins(%[[MAX]], %[[SUM]], %[[L]] : tensor<4xf32>, tensor<4xf32>, tensor<4xi64>) outs(%{{.*}} : tensor<f32>)
// CHECK: ^bb0(%[[M:.*]]: f32, %[[S:.*]]: f32, %[[LBL:.*]]: i64, %[[ACC:.*]]: f32):
// CHECK: %[[ROWIDX:.*]] = linalg.index 0 : index
// CHECK: %[[IDX:.*]] = arith.index_cast %[[LBL]] : i64 to index
// CHECK: %[[LO:.*]] = arith.maxsi %[[IDX]], %{{.*}} : index
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[LO]], %{{.*}} : index
// CHECK: %[[PICK:.*]] = tensor.extract %[[X]][%[[ROWIDX]], %[[CLAMPED]]] : tensor<4x3xf32>
// CHECK: %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK: %[[LSE:.*]] = arith.addf %[[M]], %[[LOG]] : f32
// CHECK: %[[CE:.*]] = arith.subf %[[LSE]], %[[PICK]] : f32
// CHECK: %[[LOGP:.*]] = arith.negf %[[CE]] : f32
// CHECK: %[[EM1:.*]] = math.expm1 %[[LOGP]] : f32
// CHECK: %[[Q:.*]] = arith.negf %[[EM1]] : f32
// CHECK: %[[GAMMA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[W:.*]] = math.powf %[[Q]], %[[GAMMA]] : f32
// CHECK: %[[WCE:.*]] = arith.mulf %[[W]], %[[CE]] : f32
// CHECK: %[[ALPHA:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[LOSS:.*]] = arith.mulf %[[ALPHA]], %[[WCE]] : f32
// CHECK: arith.addf %[[ACC]], %[[LOSS]] : f32
// CHECK: ins(%[[TOTAL]] : tensor<f32>)
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK: arith.divf
// CHECK-NOT: nn.
func.func @focal_loss(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<f32> {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<4x3xf32>, tensor<4xi64>
  return %0 : tensor<f32>
}

// -----

/// gamma = 0 and alpha = 1 leave out the weight and the product: exactly
/// cross_entropy's row loss. i32 labels; the sum does not divide.
// CHECK-LABEL: func.func @focal_loss_ce(
// CHECK: ^bb0(%{{.*}}: f32, %[[S:.*]]: f32, %[[LBL:.*]]: i32, %[[ACC:.*]]: f32):
// CHECK: arith.index_cast %[[LBL]] : i32 to index
// CHECK: %[[PICK:.*]] = tensor.extract
// CHECK: %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK: %[[LSE:.*]] = arith.addf %{{.*}}, %[[LOG]] : f32
// CHECK: %[[CE:.*]] = arith.subf %[[LSE]], %[[PICK]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.addf %[[ACC]], %[[CE]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
// CHECK-NOT: math.powf
// CHECK-NOT: arith.divf
// CHECK-NOT: nn.
func.func @focal_loss_ce(%x: tensor<8x10xf32>, %l: tensor<8xi32>) -> tensor<f32> {
  %0 = nn.focal_loss %x, %l gamma = 0.0 alpha = 1.0 reduction = sum : tensor<8x10xf32>, tensor<8xi32>
  return %0 : tensor<f32>
}

// -----

/// triplet_margin_loss: one pass over [N, D] with two row outputs (each
/// with its own zero-filled init), the sums of (a - p + eps)^2 and
/// (a - n + eps)^2; then a batch reduction of max(sqrt - sqrt + margin, 0);
/// the mean divides by N = 4.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$BATCH:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$TOTAL:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @triplet_margin_loss(
// CHECK-SAME: %[[A:.*]]: tensor<4x3xf32>, %[[P:.*]]: tensor<4x3xf32>, %[[N:.*]]: tensor<4x3xf32>
// CHECK: %[[Z0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4xf32>)
// CHECK: %[[Z1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4xf32>)
// CHECK: %[[D:.*]]:2 = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ID]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[A]], %[[P]], %[[N]] : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) outs(%[[Z0]], %[[Z1]] : tensor<4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[VA:.*]]: f32, %[[VP:.*]]: f32, %[[VN:.*]]: f32, %[[ACCP:.*]]: f32, %[[ACCN:.*]]: f32):
// CHECK: %[[EPS:.*]] = arith.constant 9.99999997E-7 : f32
// CHECK: %[[DP:.*]] = arith.subf %[[VA]], %[[VP]] : f32
// CHECK: %[[DPE:.*]] = arith.addf %[[DP]], %[[EPS]] : f32
// CHECK: %[[SQP:.*]] = arith.mulf %[[DPE]], %[[DPE]] : f32
// CHECK: %[[SP:.*]] = arith.addf %[[ACCP]], %[[SQP]] : f32
// CHECK: %[[DN:.*]] = arith.subf %[[VA]], %[[VN]] : f32
// CHECK: %[[DNE:.*]] = arith.addf %[[DN]], %[[EPS]] : f32
// CHECK: %[[SQN:.*]] = arith.mulf %[[DNE]], %[[DNE]] : f32
// CHECK: %[[SN:.*]] = arith.addf %[[ACCN]], %[[SQN]] : f32
// CHECK: linalg.yield %[[SP]], %[[SN]] : f32, f32
// CHECK: %[[TOTAL:.*]] = linalg.generic {indexing_maps = [#[[$BATCH]], #[[$BATCH]], #[[$TOTAL]]], iterator_types = ["reduction"]} ins(%[[D]]#0, %[[D]]#1 : tensor<4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[TP:.*]]: f32, %[[TN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[RP:.*]] = math.sqrt %[[TP]] : f32
// CHECK: %[[RN:.*]] = math.sqrt %[[TN]] : f32
// CHECK: %[[DIFF:.*]] = arith.subf %[[RP]], %[[RN]] : f32
// CHECK: %[[MARGIN:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[H:.*]] = arith.addf %[[DIFF]], %[[MARGIN]] : f32
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[HINGE:.*]] = arith.maximumf %[[H]], %[[ZERO]] : f32
// CHECK: arith.addf %[[ACC]], %[[HINGE]] : f32
// CHECK: ins(%[[TOTAL]] : tensor<f32>)
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK: arith.divf
// CHECK-NOT: nn.
func.func @triplet_margin_loss(%a: tensor<4x3xf32>, %p: tensor<4x3xf32>, %n: tensor<4x3xf32>) -> tensor<f32> {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 1.0 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
  return %0 : tensor<f32>
}

// -----

/// eps = 0 and margin = 0 are constants like any other; sum: no division.
// CHECK-LABEL: func.func @triplet_margin_loss_sum(
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK: arith.subf
// CHECK: math.sqrt
// CHECK: arith.maximumf
// CHECK-NOT: arith.divf
// CHECK-NOT: nn.
func.func @triplet_margin_loss_sum(%a: tensor<2x5xf32>, %p: tensor<2x5xf32>, %n: tensor<2x5xf32>) -> tensor<f32> {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 0.0 eps = 0.0 reduction = sum : tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>
  return %0 : tensor<f32>
}

// -----

/// kl_divergence: one reduction of 1 + lv - mu^2 - e^lv over every element,
/// then total * -0.5, divided by the batch N = 4 (not the 12 elements) for
/// the mean, in one elementwise generic.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @kl_divergence(
// CHECK-SAME: %[[MU:.*]]: tensor<4x3xf32>, %[[LV:.*]]: tensor<4x3xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ALL]]], iterator_types = ["reduction", "reduction"]} ins(%[[MU]], %[[LV]] : tensor<4x3xf32>, tensor<4x3xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK: ^bb0(%[[M:.*]]: f32, %[[V:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[T0:.*]] = arith.addf %[[ONE]], %[[V]] : f32
// CHECK: %[[SQ:.*]] = arith.mulf %[[M]], %[[M]] : f32
// CHECK: %[[T1:.*]] = arith.subf %[[T0]], %[[SQ]] : f32
// CHECK: %[[E:.*]] = math.exp %[[V]] : f32
// CHECK: %[[T2:.*]] = arith.subf %[[T1]], %[[E]] : f32
// CHECK: arith.addf %[[ACC]], %[[T2]] : f32
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$SCALAR]], #[[$SCALAR]]], iterator_types = []} ins(%[[SUM]] : tensor<f32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[HALF:.*]] = arith.constant -5.000000e-01 : f32
// CHECK: %[[H:.*]] = arith.mulf %[[IN]], %[[HALF]] : f32
// CHECK: %[[N:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: %[[MEAN:.*]] = arith.divf %[[H]], %[[N]] : f32
// CHECK: linalg.yield %[[MEAN]]
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @kl_divergence(%mu: tensor<4x3xf32>, %lv: tensor<4x3xf32>) -> tensor<f32> {
  %0 = nn.kl_divergence %mu, %lv : tensor<4x3xf32>, tensor<4x3xf32>
  return %0 : tensor<f32>
}

// -----

/// The sum only halves and negates.
// CHECK-LABEL: func.func @kl_divergence_sum(
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK: arith.constant -5.000000e-01 : f32
// CHECK-NEXT: %[[H:.*]] = arith.mulf
// CHECK-NEXT: linalg.yield %[[H]]
// CHECK-NOT: arith.divf
// CHECK-NOT: nn.
func.func @kl_divergence_sum(%mu: tensor<2x5xf32>, %lv: tensor<2x5xf32>) -> tensor<f32> {
  %0 = nn.kl_divergence %mu, %lv reduction = sum : tensor<2x5xf32>, tensor<2x5xf32>
  return %0 : tensor<f32>
}
