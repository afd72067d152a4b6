// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// mse sums (p - t)^2 over every element into a rank-0 tensor, then the
/// mean divides by the element count (12).
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @mse_mean(
// CHECK-SAME: %[[P:.*]]: tensor<4x3xf32>, %[[T:.*]]: tensor<4x3xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<f32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<f32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ALL]]], iterator_types = ["reduction", "reduction"]} ins(%[[P]], %[[T]] : tensor<4x3xf32>, tensor<4x3xf32>) outs(%[[INIT]] : tensor<f32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[D:.*]] = arith.subf %[[A]], %[[B]] : f32
// CHECK: %[[SQ:.*]] = arith.mulf %[[D]], %[[D]] : f32
// CHECK: arith.addf %[[ACC]], %[[SQ]] : f32
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$SCALAR]], #[[$SCALAR]]], iterator_types = []} ins(%[[SUM]] : tensor<f32>)
// CHECK: %[[N:.*]] = arith.constant 1.200000e+01 : f32
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @mse_mean(%p: tensor<4x3xf32>, %t: tensor<4x3xf32>) -> tensor<f32> {
  %0 = nn.mse %p, %t : tensor<4x3xf32>
  return %0 : tensor<f32>
}

// -----

/// The sum reduction returns the total without dividing.
// CHECK-LABEL: func.func @mse_sum(
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-NOT: arith.divf
// CHECK: return %[[SUM]]
// CHECK-NOT: nn.
func.func @mse_sum(%p: tensor<8xf32>, %t: tensor<8xf32>) -> tensor<f32> {
  %0 = nn.mse %p, %t reduction = sum : tensor<8xf32>
  return %0 : tensor<f32>
}

// -----

/// binary_cross_entropy: max(x, 0) - x * t + log1p(e^-|x|).
// CHECK-LABEL: func.func @binary_cross_entropy(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>, %[[T:.*]]: tensor<4x3xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%[[X]], %[[T]] :
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[RELU:.*]] = arith.maximumf %[[A]], %[[Z]] : f32
// CHECK: %[[XT:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK: %[[ABS:.*]] = math.absf %[[A]] : f32
// CHECK: %[[NEG:.*]] = arith.negf %[[ABS]] : f32
// CHECK: %[[EXP:.*]] = math.exp %[[NEG]] : f32
// CHECK: %[[SP:.*]] = math.log1p %[[EXP]] : f32
// CHECK: %[[D:.*]] = arith.subf %[[RELU]], %[[XT]] : f32
// CHECK: %[[L:.*]] = arith.addf %[[D]], %[[SP]] : f32
// CHECK: arith.addf %[[ACC]], %[[L]] : f32
// CHECK: arith.constant 1.200000e+01 : f32
// CHECK-NOT: nn.
func.func @binary_cross_entropy(%x: tensor<4x3xf32>, %t: tensor<4x3xf32>) -> tensor<f32> {
  %0 = nn.binary_cross_entropy %x, %t : tensor<4x3xf32>
  return %0 : tensor<f32>
}

// -----

/// cross_entropy: row max, row sum of e^(x - max), then a reduction over the
/// batch that reads the label's logit with tensor.extract.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$BATCH:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$TOTAL:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @cross_entropy_i64(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>, %[[L:.*]]: tensor<4xi64>
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[E]] : tensor<4xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x3xf32>) outs(%[[MAXINIT]] : tensor<4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] :
// CHECK: math.exp
// CHECK: %[[TOTAL:.*]] = linalg.generic {indexing_maps = [#[[$BATCH]], #[[$BATCH]], #[[$BATCH]], #[[$TOTAL]]], iterator_types = ["reduction"]} ins(%[[MAX]], %[[SUM]], %[[L]] : tensor<4xf32>, tensor<4xf32>, tensor<4xi64>) outs(%{{.*}} : tensor<f32>)
// CHECK: ^bb0(%[[M:.*]]: f32, %[[S:.*]]: f32, %[[LBL:.*]]: i64, %[[ACC:.*]]: f32):
// CHECK: %[[ROWIDX:.*]] = linalg.index 0 : index
// CHECK: %[[IDX:.*]] = arith.index_cast %[[LBL]] : i64 to index
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[CLAST:.*]] = arith.constant 2 : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[IDX]], %[[C0]] : index
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[LO]], %[[CLAST]] : index
// CHECK: %[[PICK:.*]] = tensor.extract %[[X]][%[[ROWIDX]], %[[CLAMPED]]] : tensor<4x3xf32>
// CHECK: %[[LOG:.*]] = math.log %[[S]] : f32
// CHECK: %[[LSE:.*]] = arith.addf %[[M]], %[[LOG]] : f32
// CHECK: %[[LOSS:.*]] = arith.subf %[[LSE]], %[[PICK]] : f32
// CHECK: arith.addf %[[ACC]], %[[LOSS]] : f32
// CHECK: ins(%[[TOTAL]] : tensor<f32>)
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK: arith.divf
// CHECK-NOT: nn.
func.func @cross_entropy_i64(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<f32> {
  %0 = nn.cross_entropy %x, %l : tensor<4x3xf32>, tensor<4xi64>
  return %0 : tensor<f32>
}

// -----

/// i32 labels are cast the same way; the sum reduction does not divide.
// CHECK-LABEL: func.func @cross_entropy_i32_sum(
// CHECK: ^bb0(%{{.*}}: f32, %{{.*}}: f32, %[[LBL:.*]]: i32, %{{.*}}: f32):
// CHECK: arith.index_cast %[[LBL]] : i32 to index
// CHECK: tensor.extract
// CHECK-NOT: arith.divf
// CHECK-NOT: nn.
func.func @cross_entropy_i32_sum(%x: tensor<8x10xf32>, %l: tensor<8xi32>) -> tensor<f32> {
  %0 = nn.cross_entropy %x, %l reduction = sum : tensor<8x10xf32>, tensor<8xi32>
  return %0 : tensor<f32>
}
