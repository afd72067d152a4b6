// Gradient checks of the losses mse, cross_entropy and binary_cross_entropy
// with both reductions, with respect to both operands where they are f32.
// cross_entropy labels are generated in [0, C) (i64 and i32).
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s --function f_mse --function f_cross_entropy \
// RUN:   --function f_cross_entropy_i32 --function f_binary_cross_entropy \
// RUN:   | FileCheck %s

// CHECK-LABEL: gradcheck @f_mse: 2 targets, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       p{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       t{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       direction (24 elements){{.*}}PASS
func.func @f_mse(%x: tensor<4x3xf32>) -> tensor<f32> {
  %p = nn.param "p" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %t = nn.param "t" uniform seed = 2 {low = -1.0, high = 1.0} : tensor<4x3xf32>
  %0 = nn.mul %p, %x : tensor<4x3xf32>, tensor<4x3xf32>
  %1 = nn.mse %0, %t : tensor<4x3xf32>
  %2 = nn.mse %p, %t reduction = sum : tensor<4x3xf32>
  %3 = nn.add %1, %2 : tensor<f32>, tensor<f32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_cross_entropy: 1 target
// CHECK:       logits{{ +}}6x4{{ +}}24/24{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_cross_entropy(%x: tensor<6x4xf32>, %l: tensor<6xi64>) -> tensor<f32> {
  %w = nn.param "logits" uniform seed = 3 {low = -2.0, high = 2.0} : tensor<6x4xf32>
  %0 = nn.mul %w, %x : tensor<6x4xf32>, tensor<6x4xf32>
  %1 = nn.cross_entropy %0, %l : tensor<6x4xf32>, tensor<6xi64>
  %2 = nn.cross_entropy %w, %l reduction = sum : tensor<6x4xf32>, tensor<6xi64>
  %3 = nn.add %1, %2 : tensor<f32>, tensor<f32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_cross_entropy_i32: 1 target
// CHECK:       logits{{ +}}5x3{{ +}}15/15{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_cross_entropy_i32(%l: tensor<5xi32>) -> tensor<f32> {
  %w = nn.param "logits" normal seed = 4 {mean = 0.0, std = 1.0} : tensor<5x3xf32>
  %0 = nn.cross_entropy %w, %l : tensor<5x3xf32>, tensor<5xi32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_binary_cross_entropy: 2 targets
// CHECK:       z{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       t{{ +}}4x3{{ +}}12/12{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 6 params passed, 0 failed
func.func @f_binary_cross_entropy(%x: tensor<4x3xf32>) -> tensor<f32> {
  %z = nn.param "z" uniform seed = 5 {low = -3.0, high = 3.0} : tensor<4x3xf32>
  %t = nn.param "t" uniform seed = 6 {low = 0.0, high = 1.0} : tensor<4x3xf32>
  %0 = nn.binary_cross_entropy %z, %t : tensor<4x3xf32>
  %1 = nn.mul %z, %x : tensor<4x3xf32>, tensor<4x3xf32>
  %2 = nn.binary_cross_entropy %1, %t reduction = sum : tensor<4x3xf32>
  %3 = nn.add %0, %2 : tensor<f32>, tensor<f32>
  return %3 : tensor<f32>
}
