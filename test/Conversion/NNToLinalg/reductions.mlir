// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// reduce_sum: zero-filled init, reduction iterator on the axis, the output
/// map drops it.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce_sum(
// CHECK-SAME: %[[X:.*]]: tensor<32x10xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<32xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<32xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<32x10xf32>) outs(%[[INIT]] : tensor<32xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[S:.*]] = arith.addf %[[IN]], %[[ACC]] : f32
// CHECK: linalg.yield %[[S]]
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @reduce_sum(%x: tensor<32x10xf32>) -> tensor<32xf32> {
  %0 = nn.reduce_sum %x axes = [1] : tensor<32x10xf32>
  return %0 : tensor<32xf32>
}

// -----

/// reduce_mean divides by the reduced element count (3) and keepdims
/// expands the size-1 dimension back.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_mean_keepdims(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[X]] : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: arith.addf
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[N:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: arith.divf %[[V]], %[[N]] : f32
// CHECK: %[[R:.*]] = tensor.expand_shape %[[MEAN]] {{\[}}[0, 1], [2]] output_shape [2, 1, 4] : tensor<2x4xf32> into tensor<2x1x4xf32>
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @reduce_mean_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = nn.reduce_mean %x axes = [1] keepdims : tensor<2x3x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

/// A leading reduced dimension joins the first group of the expand_shape.
// CHECK-LABEL: func.func @reduce_sum_keepdims_leading(
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2]] output_shape [1, 1, 4] : tensor<4xf32> into tensor<1x1x4xf32>
// CHECK-NOT: nn.
func.func @reduce_sum_keepdims_leading(%x: tensor<2x3x4xf32>) -> tensor<1x1x4xf32> {
  %0 = nn.reduce_sum %x axes = [0, 1] keepdims : tensor<2x3x4xf32>
  return %0 : tensor<1x1x4xf32>
}

// -----

/// reduce_max starts from -inf and uses NaN-propagating maximumf; reducing
/// every axis with keepdims expands a rank-0 tensor.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func.func @reduce_max_all(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4xf32>
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<f32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[E]] : tensor<f32>)
// CHECK: %[[M:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["reduction", "reduction", "reduction"]} ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<f32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: arith.maximumf %[[IN]], %[[ACC]] : f32
// CHECK: %[[R:.*]] = tensor.expand_shape %[[M]] [] output_shape [1, 1, 1] : tensor<f32> into tensor<1x1x1xf32>
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @reduce_max_all(%x: tensor<2x3x4xf32>) -> tensor<1x1x1xf32> {
  %0 = nn.reduce_max %x axes = [0, 1, 2] keepdims : tensor<2x3x4xf32>
  return %0 : tensor<1x1x1xf32>
}
