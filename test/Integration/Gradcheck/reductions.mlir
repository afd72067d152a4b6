// Gradient checks of reduce_sum, reduce_mean and reduce_max, with and
// without keepdims, over one or several axes. The reduced values are
// squared or weighted by x (random in [-1, 1)) so that every gradient
// element depends on the parameter. reduce_max operands are distinct random
// values (no ties; the gap to the runner-up is far above eps).
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s --function f_reduce_sum --function f_reduce_mean \
// RUN:   --function f_reduce_max | FileCheck %s

// CHECK-LABEL: gradcheck @f_reduce_sum: 1 target, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       w{{ +}}2x3x4{{ +}}24/24{{ .*}}PASS
// CHECK:       direction (24 elements){{.*}}PASS
func.func @f_reduce_sum(%x: tensor<3x1xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<2x3x4xf32>
  %0 = nn.reduce_sum %w axes = [2, 0] keepdims : tensor<2x3x4xf32>
  %1 = nn.reshape %0 : tensor<1x3x1xf32> -> tensor<3x1xf32>
  %2 = nn.mul %1, %1 : tensor<3x1xf32>, tensor<3x1xf32>
  %3 = nn.mul %2, %x : tensor<3x1xf32>, tensor<3x1xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1] : tensor<3x1xf32>
  return %4 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_reduce_mean: 1 target
// CHECK:       w{{ +}}2x3x4{{ +}}24/24{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_reduce_mean(%x: tensor<2x4xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<2x3x4xf32>
  %0 = nn.mul %w, %w : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %1 = nn.reduce_mean %0 axes = [1] : tensor<2x3x4xf32>
  %2 = nn.mul %1, %x : tensor<2x4xf32>, tensor<2x4xf32>
  %3 = nn.reduce_mean %2 axes = [0, 1] : tensor<2x4xf32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_reduce_max: 1 target
// CHECK:       w{{ +}}3x5{{ +}}15/15{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 3 params passed, 0 failed
func.func @f_reduce_max(%x: tensor<3x1xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<3x5xf32>
  %0 = nn.reduce_max %w axes = [1] keepdims : tensor<3x5xf32>
  %1 = nn.mul %0, %x : tensor<3x1xf32>, tensor<3x1xf32>
  %2 = nn.reduce_max %w axes = [0, 1] : tensor<3x5xf32>
  %3 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x1xf32>
  %4 = nn.mul %2, %2 : tensor<f32>, tensor<f32>
  %5 = nn.add %3, %4 : tensor<f32>, tensor<f32>
  return %5 : tensor<f32>
}
