// A model that does not parse is reported as file:line:col: error with a
// non-zero exit, whatever kilnc was asked to do.

// RUN: not kilnc %s -o %t 2>&1 | FileCheck %s
// RUN: not kilnc %s --emit=nn 2>&1 | FileCheck %s
// RUN: not kilnc %s --run 2>&1 | FileCheck %s

// CHECK: error-malformed-model.mlir:[[@LINE+2]]:33: error: expected '>' in tensor type
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = nn.relu %x : tensor<2xf32
  return %0 : tensor<2xf32>
}
