// A model marked for training whose first result is not a scalar loss is
// rejected at compile time, at the function, before anything is written.
// RUN: rm -f %t && not kilnc %s -o %t 2>&1 | FileCheck %s
// RUN: not test -e %t

// CHECK: error-no-loss.mlir:[[@LINE+1]]:1: error: cannot differentiate 'f': its first result must be the loss, of type tensor<f32>
func.func @f(%x: tensor<4x3xf32>) -> tensor<4x2xf32>
    attributes {nn.train = {optimizer = "adam", lr = 1.0e-3}} {
  %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x2xf32>
  %0 = nn.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
  return %0 : tensor<4x2xf32>
}
