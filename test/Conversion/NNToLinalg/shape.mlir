// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// Reshapes that group dimensions are one collapse_shape or expand_shape.
// CHECK-LABEL: func.func @reshape_grouping(
// CHECK-SAME: %[[X:.*]]: tensor<32x1x28x28xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<32x1x28x28xf32> into tensor<32x784xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[C]] {{\[}}[0], [1, 2]] output_shape [32, 28, 28] : tensor<32x784xf32> into tensor<32x28x28xf32>
// CHECK: return %[[C]], %[[E]]
// CHECK-NOT: nn.
func.func @reshape_grouping(%x: tensor<32x1x28x28xf32>) -> (tensor<32x784xf32>, tensor<32x28x28xf32>) {
  %0 = nn.reshape %x : tensor<32x1x28x28xf32> -> tensor<32x784xf32>
  %1 = nn.reshape %0 : tensor<32x784xf32> -> tensor<32x28x28xf32>
  return %0, %1 : tensor<32x784xf32>, tensor<32x28x28xf32>
}

// -----

/// Other reshapes go through a 1-D tensor.
// CHECK-LABEL: func.func @reshape_through_1d(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @reshape_through_1d(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = nn.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

/// Rank-0 tensors reshape with an empty reassociation.
// CHECK-LABEL: func.func @reshape_scalar(
// CHECK-SAME: %[[S:.*]]: tensor<f32>, %[[I:.*]]: tensor<1x1xi64>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[S]] [] output_shape [1, 1, 1] : tensor<f32> into tensor<1x1x1xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[I]] [] : tensor<1x1xi64> into tensor<i64>
// CHECK: return %[[E]], %[[C]]
// CHECK-NOT: nn.
func.func @reshape_scalar(%s: tensor<f32>, %i: tensor<1x1xi64>) -> (tensor<1x1x1xf32>, tensor<i64>) {
  %0 = nn.reshape %s : tensor<f32> -> tensor<1x1x1xf32>
  %1 = nn.reshape %i : tensor<1x1xi64> -> tensor<i64>
  return %0, %1 : tensor<1x1x1xf32>, tensor<i64>
}

// -----

/// broadcast_to copies through a broadcasting map.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @broadcast_to(
// CHECK-SAME: %[[X:.*]]: tensor<3x1xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<3x1xf32>) outs(%[[E]] : tensor<2x3x4xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK: linalg.yield %[[V]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @broadcast_to(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.broadcast_to %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

/// concat inserts each input at its running offset along the axis.
// CHECK-LABEL: func.func @concat(
// CHECK-SAME: %[[A:.*]]: tensor<4x3xi64>, %[[B:.*]]: tensor<4x5xi64>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x11xi64>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [4, 3] [1, 1] : tensor<4x3xi64> into tensor<4x11xi64>
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[B]] into %[[I0]][0, 3] [4, 5] [1, 1] : tensor<4x5xi64> into tensor<4x11xi64>
// CHECK: %[[I2:.*]] = tensor.insert_slice %[[A]] into %[[I1]][0, 8] [4, 3] [1, 1] : tensor<4x3xi64> into tensor<4x11xi64>
// CHECK: return %[[I2]]
// CHECK-NOT: nn.
func.func @concat(%a: tensor<4x3xi64>, %b: tensor<4x5xi64>) -> tensor<4x11xi64> {
  %0 = nn.concat %a, %b, %a axis = 1 : tensor<4x3xi64>, tensor<4x5xi64>, tensor<4x3xi64>
  return %0 : tensor<4x11xi64>
}

// -----

// CHECK-LABEL: func.func @slice(
// CHECK-SAME: %[[X:.*]]: tensor<4x8xf32>
// CHECK: %[[R:.*]] = tensor.extract_slice %[[X]][0, 2] [4, 3] [1, 2] : tensor<4x8xf32> to tensor<4x3xf32>
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @slice(%x: tensor<4x8xf32>) -> tensor<4x3xf32> {
  %0 = nn.slice %x offsets = [0, 2] sizes = [4, 3] strides = [1, 2] : tensor<4x8xf32>
  return %0 : tensor<4x3xf32>
}
