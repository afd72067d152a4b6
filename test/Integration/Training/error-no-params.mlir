// A model marked for training without parameters is rejected at compile
// time, at the function, before anything is written.
// RUN: rm -f %t && not kilnc %s -o %t 2>&1 | FileCheck %s
// RUN: not test -e %t

// CHECK: error-no-params.mlir:[[@LINE+1]]:1: error: cannot train 'f': it has no parameters (declare them with nn.param)
func.func @f(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
  %0 = nn.reduce_sum %x axes = [0] : tensor<4xf32>
  return %0 : tensor<f32>
}
