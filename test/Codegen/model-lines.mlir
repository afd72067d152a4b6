// RUN: kiln-opt %s -kiln-model-lines -mlir-print-debuginfo | FileCheck %s

// Ops inlined from the model's functions keep the line of their own nn op,
// not the call site's; fused and named locations are rewritten inside.

// CHECK-LABEL: func.func @step(
// CHECK: arith.addf {{.*}} loc(#[[L40:loc[0-9]*]])
// CHECK: arith.mulf {{.*}} loc(#[[MUL:loc[0-9]*]])
// CHECK: arith.subf {{.*}} loc(#[[SUB:loc[0-9]*]])
// CHECK: arith.divf {{.*}} loc(#[[L42:loc[0-9]*]])
// CHECK-DAG: #[[L40]] = loc("model.mlir":40:8)
// CHECK-DAG: #[[L41:loc[0-9]*]] = loc("model.mlir":41:8)
// CHECK-DAG: #[[MUL]] = loc(fused[#[[L40]], #[[L41]]])
// CHECK-DAG: #[[SUB]] = loc("x"(#[[L41]]))
// CHECK-DAG: #[[L42]] = loc("model.mlir":42:8)
// CHECK-NOT: callsite
func.func @step(%a: f32, %b: f32) -> f32 {
  %0 = arith.addf %a, %b : f32 loc(callsite("model.mlir":40:8 at "model.mlir":18:1))
  %1 = arith.mulf %0, %b : f32 loc(fused[callsite("model.mlir":40:8 at "model.mlir":18:1), callsite("model.mlir":41:8 at "model.mlir":18:1)])
  %2 = arith.subf %1, %a : f32 loc("x"(callsite("model.mlir":41:8 at "model.mlir":18:1)))
  %3 = arith.divf %2, %a : f32 loc(callsite(callsite("model.mlir":42:8 at "model.mlir":30:3) at "model.mlir":18:1))
  return %3 : f32
}
