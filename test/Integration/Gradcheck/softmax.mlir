// Gradient checks of softmax and log_softmax along both axes.
// Loss: reduce_sum(op(w) * x), x random in [-1, 1).
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s --function f_softmax --function f_log_softmax \
// RUN:   | FileCheck %s

// CHECK-LABEL: gradcheck @f_softmax: 1 target, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       w{{ +}}4x5{{ +}}20/20{{ .*}}PASS
// CHECK:       direction (20 elements){{.*}}PASS
func.func @f_softmax(%x: tensor<4x5xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 1 {low = -2.0, high = 2.0} : tensor<4x5xf32>
  %0 = nn.softmax %w axis = 1 : tensor<4x5xf32>
  %1 = nn.softmax %w axis = 0 : tensor<4x5xf32>
  %2 = nn.add %0, %1 : tensor<4x5xf32>, tensor<4x5xf32>
  %3 = nn.mul %2, %x : tensor<4x5xf32>, tensor<4x5xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1] : tensor<4x5xf32>
  return %4 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_log_softmax: 1 target
// CHECK:       w{{ +}}4x5{{ +}}20/20{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 2 params passed, 0 failed
func.func @f_log_softmax(%x: tensor<4x5xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 2 {low = -2.0, high = 2.0} : tensor<4x5xf32>
  %0 = nn.log_softmax %w axis = 1 : tensor<4x5xf32>
  %1 = nn.log_softmax %w axis = 0 : tensor<4x5xf32>
  %2 = nn.add %0, %1 : tensor<4x5xf32>, tensor<4x5xf32>
  %3 = nn.mul %2, %x : tensor<4x5xf32>, tensor<4x5xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1] : tensor<4x5xf32>
  return %4 : tensor<f32>
}
