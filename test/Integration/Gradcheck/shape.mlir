// Gradient checks of the shape ops reshape, broadcast_to, concat and slice
// (strided, in two dimensions), and of constant (a leaf on the path).
// Loss: reduce_sum(op output^2 * x), x random in [-1, 1), so the gradient
// of every element depends on its value.
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s --function f_reshape --function f_broadcast_to \
// RUN:   --function f_concat --function f_slice | FileCheck %s

// CHECK-LABEL: gradcheck @f_reshape: 1 target, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       w{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// CHECK:       direction (12 elements){{.*}}PASS
func.func @f_reshape(%x: tensor<2x6xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<3x4xf32>
  %0 = nn.reshape %w : tensor<3x4xf32> -> tensor<2x6xf32>
  %1 = nn.mul %0, %0 : tensor<2x6xf32>, tensor<2x6xf32>
  %2 = nn.mul %1, %x : tensor<2x6xf32>, tensor<2x6xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<2x6xf32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_broadcast_to: 1 target
// CHECK:       w{{ +}}3x1{{ +}}3/3{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_broadcast_to(%x: tensor<2x3x4xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<3x1xf32>
  %0 = nn.broadcast_to %w : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = nn.mul %0, %0 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %2 = nn.mul %1, %x : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1, 2] : tensor<2x3x4xf32>
  return %3 : tensor<f32>
}

// Three inputs, one of them twice (fan-out), and a constant.
// CHECK-LABEL: gradcheck @f_concat: 2 targets
// CHECK:       a{{ +}}3x2{{ +}}6/6{{ .*}}PASS
// CHECK:       b{{ +}}3x3{{ +}}9/9{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_concat(%x: tensor<3x8xf32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<3x2xf32>
  %b = nn.param "b" uniform seed = 4 {low = -1.0, high = 1.0} : tensor<3x3xf32>
  %c = nn.constant dense<[[0.5], [-0.25], [2.0]]> : tensor<3x1xf32>
  %0 = nn.concat %a, %b, %c, %a axis = 1 : tensor<3x2xf32>, tensor<3x3xf32>, tensor<3x1xf32>, tensor<3x2xf32>
  %1 = nn.mul %0, %0 : tensor<3x8xf32>, tensor<3x8xf32>
  %2 = nn.mul %1, %x : tensor<3x8xf32>, tensor<3x8xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<3x8xf32>
  return %3 : tensor<f32>
}

// Strides 2 and 3 with offsets; the elements not sliced get zero gradient.
// CHECK-LABEL: gradcheck @f_slice: 1 target
// CHECK:       w{{ +}}5x9{{ +}}45/45{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 5 params passed, 0 failed
func.func @f_slice(%x: tensor<2x3xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 5 {low = -1.0, high = 1.0} : tensor<5x9xf32>
  %0 = nn.slice %w offsets = [1, 1] sizes = [2, 3] strides = [2, 3] : tensor<5x9xf32>
  %1 = nn.mul %0, %0 : tensor<2x3xf32>, tensor<2x3xf32>
  %2 = nn.mul %1, %x : tensor<2x3xf32>, tensor<2x3xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<2x3xf32>
  return %3 : tensor<f32>
}
