// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

// check_finite: one reduction counting NaNs (x != x) and infinities
// (|x| == inf), and a call to the runtime with the site text when either
// count is not zero.
// CHECK-DAG: llvm.mlir.global private constant @[[SITE:kiln_numerics_site_0]]("nn.log at m.mlir:3:8\00")
// CHECK-DAG: func.func private @kiln_numerics_fail(!llvm.ptr, i64, i64, i64)
// CHECK-LABEL: func.func @check
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[C:.*]]:2 = linalg.generic {{.*}}iterator_types = ["reduction", "reduction"]{{.*}} ins(%[[X]] : tensor<2x3xf32>) outs({{.*}} : tensor<i64>, tensor<i64>)
// CHECK: arith.cmpf uno
// CHECK: math.absf
// CHECK: arith.cmpf oeq
// CHECK: %[[NANS:.*]] = tensor.extract %[[C]]#0[]
// CHECK: %[[INFS:.*]] = tensor.extract %[[C]]#1[]
// CHECK: %[[SUM:.*]] = arith.addi %[[NANS]], %[[INFS]]
// CHECK: %[[BAD:.*]] = arith.cmpi ne, %[[SUM]]
// CHECK: %[[ADDR:.*]] = llvm.mlir.addressof @[[SITE]]
// CHECK: %[[PTR:.*]] = llvm.getelementptr %[[ADDR]][0, 0]
// CHECK: scf.if %[[BAD]] {
// CHECK:   %[[N:.*]] = arith.constant 6 : i64
// CHECK:   func.call @kiln_numerics_fail(%[[PTR]], %[[NANS]], %[[INFS]], %[[N]])
// CHECK: return %[[X]]
func.func @check(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  nn.check_finite %x "nn.log at m.mlir:3:8" : tensor<2x3xf32>
  return %x : tensor<2x3xf32>
}

// -----

// Two checks in one module share the declaration and get one site each; a
// rank-0 tensor is a reduction over no loops.
// CHECK-DAG: llvm.mlir.global private constant @kiln_numerics_site_0("a\00")
// CHECK-DAG: llvm.mlir.global private constant @kiln_numerics_site_1("b\00")
// CHECK-LABEL: func.func @two
// CHECK: linalg.generic {{.*}}iterator_types = []
// CHECK: func.call @kiln_numerics_fail
// CHECK: func.call @kiln_numerics_fail
func.func @two(%x: tensor<f32>, %y: tensor<4xf32>) {
  nn.check_finite %x "a" : tensor<f32>
  nn.check_finite %y "b" : tensor<4xf32>
  return
}
