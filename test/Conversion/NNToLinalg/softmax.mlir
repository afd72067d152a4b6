// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// softmax subtracts the row maximum: a max reduction from -inf, a sum of
/// e^(x - max) from 0, then e^(x - max) / sum.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[E0]] : tensor<4xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x3xf32>) outs(%[[MAXINIT]] : tensor<4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[SUMINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E1]] : tensor<4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] : tensor<4x3xf32>, tensor<4xf32>) outs(%[[SUMINIT]] : tensor<4xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[M:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[SH:.*]] = arith.subf %[[A]], %[[M]] : f32
// CHECK: %[[EX:.*]] = math.exp %[[SH]] : f32
// CHECK: arith.addf %[[ACC]], %[[EX]] : f32
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x3xf32>, tensor<4xf32>, tensor<4xf32>) outs(%[[E2]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[B:.*]]: f32, %[[BM:.*]]: f32, %[[BS:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SH2:.*]] = arith.subf %[[B]], %[[BM]] : f32
// CHECK: %[[EX2:.*]] = math.exp %[[SH2]] : f32
// CHECK: %[[Q:.*]] = arith.divf %[[EX2]], %[[BS]] : f32
// CHECK: linalg.yield %[[Q]]
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @softmax(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.softmax %x axis = 1 : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// log_softmax along axis 0 reduces the first loop and yields
/// x - max - log(sum).
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @log_softmax_axis0(
// CHECK-SAME: %[[X:.*]]: tensor<2x5xf32>
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]]], iterator_types = ["reduction", "parallel"]} ins(%[[X]] : tensor<2x5xf32>) outs(%{{.*}} : tensor<5xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$COL]]], iterator_types = ["reduction", "parallel"]} ins(%[[X]], %[[MAX]] :
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[MAX]], %[[SUM]] :
// CHECK: ^bb0(%[[B:.*]]: f32, %[[BM:.*]]: f32, %[[BS:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SH:.*]] = arith.subf %[[B]], %[[BM]] : f32
// CHECK: %[[LOG:.*]] = math.log %[[BS]] : f32
// CHECK: %[[V:.*]] = arith.subf %[[SH]], %[[LOG]] : f32
// CHECK: linalg.yield %[[V]]
// CHECK-NOT: nn.
func.func @log_softmax_axis0(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = nn.log_softmax %x axis = 0 : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
