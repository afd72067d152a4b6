// Gradient checks of matmul (2-D and batched 3-D) and transpose.
// Loss: reduce_sum(op output * x), x random in [-1, 1).
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s --function f_matmul --function f_batch_matmul \
// RUN:   --function f_transpose | FileCheck %s

// CHECK-LABEL: gradcheck @f_matmul: 2 targets, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       a{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       b{{ +}}3x5{{ +}}15/15{{ .*}}PASS
// CHECK:       direction (27 elements){{.*}}PASS
func.func @f_matmul(%x: tensor<4x5xf32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %b = nn.param "b" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<3x5xf32>
  %0 = nn.matmul %a, %b : tensor<4x3xf32>, tensor<3x5xf32>
  %1 = nn.mul %0, %x : tensor<4x5xf32>, tensor<4x5xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<4x5xf32>
  return %2 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_batch_matmul: 2 targets
// CHECK:       a{{ +}}2x4x3{{ +}}24/24{{ .*}}PASS
// CHECK:       b{{ +}}2x3x5{{ +}}30/30{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_batch_matmul(%x: tensor<2x4x5xf32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<2x4x3xf32>
  %b = nn.param "b" uniform seed = 4 {low = -1.0, high = 1.0} : tensor<2x3x5xf32>
  %0 = nn.matmul %a, %b : tensor<2x4x3xf32>, tensor<2x3x5xf32>
  %1 = nn.mul %0, %x : tensor<2x4x5xf32>, tensor<2x4x5xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<2x4x5xf32>
  return %2 : tensor<f32>
}

// A non-involutive permutation, squared so that the gradient depends on w.
// CHECK-LABEL: gradcheck @f_transpose: 1 target
// CHECK:       w{{ +}}2x3x4{{ +}}24/24{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 5 params passed, 0 failed
func.func @f_transpose(%x: tensor<3x4x2xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 5 {low = -1.0, high = 1.0} : tensor<2x3x4xf32>
  %0 = nn.transpose %w perm = [1, 2, 0] : tensor<2x3x4xf32>
  %1 = nn.mul %0, %0 : tensor<3x4x2xf32>, tensor<3x4x2xf32>
  %2 = nn.mul %1, %x : tensor<3x4x2xf32>, tensor<3x4x2xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1, 2] : tensor<3x4x2xf32>
  return %3 : tensor<f32>
}
