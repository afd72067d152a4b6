// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// Unary math ops become an identity-mapped parallel linalg.generic.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @neg(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<2x3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[V:.*]] = arith.negf %[[IN]] : f32
// CHECK: linalg.yield %[[V]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: nn.
func.func @neg(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.neg %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @unary_math(
// CHECK: math.absf
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.rsqrt
// CHECK-NOT: nn.
func.func @unary_math(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.abs %x : tensor<4xf32>
  %1 = nn.exp %0 : tensor<4xf32>
  %2 = nn.log %1 : tensor<4xf32>
  %3 = nn.sqrt %2 : tensor<4xf32>
  %4 = nn.rsqrt %3 : tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

/// A missing leading dimension is dropped from the operand's map.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_bias(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[B]] : tensor<4x3xf32>, tensor<3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.addf %[[L]], %[[R]] : f32
// CHECK-NOT: nn.
func.func @add_bias(%x: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = nn.add %x, %b : tensor<4x3xf32>, tensor<3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// Broadcast size-1 dimensions read index 0.
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mul_unit_dims(
// CHECK: linalg.generic {indexing_maps = [#[[$COL]], #[[$ROW]], #[[$ID]]]
// CHECK: arith.mulf
// CHECK-NOT: nn.
func.func @mul_unit_dims(%x: tensor<4x1xf32>, %y: tensor<1x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.mul %x, %y : tensor<4x1xf32>, tensor<1x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// A rank-0 operand has an empty map.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @sub_scalar(
// CHECK: linalg.generic {indexing_maps = [#[[$SCALAR]], #[[$ID]], #[[$ID]]]
// CHECK: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.subf %[[L]], %[[R]] : f32
// CHECK-NOT: nn.
func.func @sub_scalar(%x: tensor<f32>, %y: tensor<5xf32>) -> tensor<5xf32> {
  %0 = nn.sub %x, %y : tensor<f32>, tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// CHECK-LABEL: func.func @binary_ops(
// CHECK: arith.divf
// CHECK: math.powf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK-NOT: nn.
func.func @binary_ops(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.div %x, %y : tensor<4xf32>, tensor<4xf32>
  %1 = nn.pow %0, %y : tensor<4xf32>, tensor<4xf32>
  %2 = nn.maximum %1, %y : tensor<4xf32>, tensor<4xf32>
  %3 = nn.minimum %2, %x : tensor<4xf32>, tensor<4xf32>
  return %3 : tensor<4xf32>
}

// -----

/// Float comparisons are ordered, except `ne`, which is unordered.
// CHECK-LABEL: func.func @compare_float(
// CHECK: tensor.empty() : tensor<4xi1>
// CHECK: ^bb0(%{{.*}}: f32, %{{.*}}: f32, %{{.*}}: i1):
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpf une
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf ole
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oge
// CHECK-NOT: nn.
func.func @compare_float(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = nn.compare eq, %x, %y : tensor<4xf32>, tensor<4xf32>
  %1 = nn.compare ne, %x, %y : tensor<4xf32>, tensor<4xf32>
  %2 = nn.compare lt, %x, %y : tensor<4xf32>, tensor<4xf32>
  %3 = nn.compare le, %x, %y : tensor<4xf32>, tensor<4xf32>
  %4 = nn.compare gt, %x, %y : tensor<4xf32>, tensor<4xf32>
  %5 = nn.compare ge, %x, %y : tensor<4xf32>, tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

/// Integer comparisons are signed.
// CHECK-LABEL: func.func @compare_int(
// CHECK-SAME: %[[X:.*]]: tensor<4xi32>, %[[Y:.*]]: tensor<i32>
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[Y]] : tensor<4xi32>, tensor<i32>) outs(%{{.*}} : tensor<4xi1>)
// CHECK: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i1):
// CHECK: arith.cmpi slt, %[[L]], %[[R]] : i32
// CHECK: arith.cmpi sge, %{{.*}}, %{{.*}} : i64
// CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : i64
// CHECK-NOT: nn.
func.func @compare_int(%x: tensor<4xi32>, %y: tensor<i32>, %a: tensor<4xi64>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = nn.compare lt, %x, %y : tensor<4xi32>, tensor<i32>
  %1 = nn.compare ge, %a, %a : tensor<4xi64>, tensor<4xi64>
  %2 = nn.compare ne, %a, %a : tensor<4xi64>, tensor<4xi64>
  return %0, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @select(
// CHECK-SAME: %[[C:.*]]: tensor<4x3xi1>, %[[X:.*]]: tensor<4x3xf32>, %[[Y:.*]]: tensor<f32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$SCALAR]], #[[$ID]]], {{.*}} ins(%[[C]], %[[X]], %[[Y]] :
// CHECK: ^bb0(%[[CC:.*]]: i1, %[[T:.*]]: f32, %[[F:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.select %[[CC]], %[[T]], %[[F]] : f32
// CHECK-NOT: nn.
func.func @select(%c: tensor<4x3xi1>, %x: tensor<4x3xf32>, %y: tensor<f32>) -> tensor<4x3xf32> {
  %0 = nn.select %c, %x, %y : tensor<4x3xi1>, tensor<4x3xf32>, tensor<f32>
  return %0 : tensor<4x3xf32>
}
