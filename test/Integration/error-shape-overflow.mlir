// A tensor whose byte size does not fit in 64 bits is rejected by the
// verifier (shape_c1); kilnc reports it and exits 1.

// RUN: not kilnc %s -o %t 2>&1 | FileCheck %s
// RUN: not kilnc %s --run 2>&1 | FileCheck %s

func.func @f(%x: tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32> {
  // CHECK: error-shape-overflow.mlir:[[@LINE+1]]:8: error: 'nn.relu' op (shape_c1) operand #0 of type 'tensor<4611686018427387904x4xf32>' has more bytes than fit in 64 bits
  %0 = nn.relu %x : tensor<4611686018427387904x4xf32>
  return %0 : tensor<4611686018427387904x4xf32>
}
