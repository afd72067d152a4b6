// A model that parses but fails verification is reported at the op, with a
// non-zero exit.

// RUN: not kilnc %s -o %t 2>&1 | FileCheck %s

func.func @f(%x: tensor<2x3xf32>, %y: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // CHECK: error-verifier.mlir:[[@LINE+1]]:8: error: 'nn.matmul' op
  %0 = nn.matmul %x, %y : tensor<2x3xf32>, tensor<4x5xf32>
  return %0 : tensor<2x5xf32>
}
