// RUN: kiln-opt %s --kiln-check-numerics --split-input-file | FileCheck %s

// Every f32 result of an nn op gets a check naming the op and its line; the
// data input too; parameters and constants do not.
// CHECK-LABEL: func.func @mlp
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>
// CHECK-NEXT: nn.check_finite %[[X]] "input 'x' of @mlp" : tensor<2x3xf32>
// CHECK-NEXT: %[[W:.*]] = nn.param "w"
// CHECK-NEXT: %[[C:.*]] = nn.constant
// CHECK-NEXT: %[[M:.*]] = nn.matmul %[[X]], %[[W]]
// CHECK-NEXT: nn.check_finite %[[M]] "nn.matmul at {{.*}}:[[@LINE+9]]:{{[0-9]+}}" : tensor<2x4xf32>
// CHECK-NEXT: %[[A:.*]] = nn.add %[[M]], %[[C]]
// CHECK-NEXT: nn.check_finite %[[A]] "nn.add at {{.*}}:[[@LINE+8]]:{{[0-9]+}}" : tensor<2x4xf32>
// CHECK-NEXT: %[[L:.*]] = nn.log %[[A]]
// CHECK-NEXT: nn.check_finite %[[L]] "nn.log at {{.*}}:[[@LINE+7]]:{{[0-9]+}}" : tensor<2x4xf32>
// CHECK-NEXT: return %[[L]]
func.func @mlp(%x: tensor<2x3xf32> {nn.name = "x"}) -> tensor<2x4xf32> {
  %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x4xf32>
  %c = nn.constant dense<1.0> : tensor<4xf32>
  %0 = nn.matmul %x, %w : tensor<2x3xf32>, tensor<3x4xf32>
  %1 = nn.add %0, %c : tensor<2x4xf32>, tensor<4xf32>
  %2 = nn.log %1 : tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}

// -----

// Non-f32 results (labels, comparisons) are not checked; an argument without
// a name is numbered; optimizer state is not checked.
// CHECK-LABEL: func.func @other
// CHECK-NEXT: nn.check_finite %arg0 "input #0 of @other" : tensor<4xf32>
// CHECK-NEXT: %[[P:.*]] = nn.compare
// CHECK-NOT: nn.check_finite
// CHECK: return
func.func @other(%a: tensor<4xf32>, %m: tensor<4xf32> {nn.state = {name = "w.momentum_buffer", of = "w"}}) -> tensor<4xi1> {
  %0 = nn.compare gt, %a, %m : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xi1>
}
