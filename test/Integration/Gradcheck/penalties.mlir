// Gradient checks of the penalties l1_penalty and l2_penalty, added to a
// loss the way a regularized model uses them.
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.
// The weights are uniform in [-1, 1) and none lies within eps of 0, where
// |w| has no derivative.

// RUN: kiln-gradcheck %s --function f_l1 --function f_l2 | FileCheck %s

// CHECK-LABEL: gradcheck @f_l1: 1 target
// CHECK:       w{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_l1(%x: tensor<2x4xf32>, %t: tensor<2x3xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 11 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %0 = nn.matmul %x, %w : tensor<2x4xf32>, tensor<4x3xf32>
  %1 = nn.mse %0, %t : tensor<2x3xf32>
  %2 = nn.l1_penalty %w lambda = 0.3 : tensor<4x3xf32>
  %3 = nn.add %1, %2 : tensor<f32>, tensor<f32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_l2: 1 target
// CHECK:       w{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 2 params passed, 0 failed
func.func @f_l2(%x: tensor<2x4xf32>, %t: tensor<2x3xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 12 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %0 = nn.matmul %x, %w : tensor<2x4xf32>, tensor<4x3xf32>
  %1 = nn.mse %0, %t : tensor<2x3xf32>
  %2 = nn.l2_penalty %w lambda = 0.3 : tensor<4x3xf32>
  %3 = nn.add %1, %2 : tensor<f32>, tensor<f32>
  return %3 : tensor<f32>
}
