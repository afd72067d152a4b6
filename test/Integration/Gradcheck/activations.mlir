// Gradient checks of the activations relu sigmoid tanh leaky_relu elu. The
// parameter is uniform in [0, 1) and shifted per column by -1.1 or +0.1, so
// half of the elements are negative, half positive and none is within 0.1
// of the kink at 0. Loss: reduce_sum(act(w + c) * x), x random in [-1, 1).
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s --function f_relu --function f_sigmoid \
// RUN:   --function f_tanh --function f_leaky_relu --function f_elu \
// RUN:   | FileCheck %s

// CHECK-LABEL: gradcheck @f_relu: 1 target, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       w{{ +}}4x6{{ +}}24/24{{ .*}}PASS
// CHECK:       direction (24 elements){{.*}}PASS
func.func @f_relu(%x: tensor<4x6xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 1 {low = 0.0, high = 1.0} : tensor<4x6xf32>
  %c = nn.constant dense<[-1.1, 0.1, -1.1, 0.1, -1.1, 0.1]> : tensor<6xf32>
  %0 = nn.add %w, %c : tensor<4x6xf32>, tensor<6xf32>
  %1 = nn.relu %0 : tensor<4x6xf32>
  %2 = nn.mul %1, %x : tensor<4x6xf32>, tensor<4x6xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<4x6xf32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_sigmoid: 1 target
// CHECK:       w{{ +}}4x6{{ +}}24/24{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_sigmoid(%x: tensor<4x6xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 2 {low = -3.0, high = 3.0} : tensor<4x6xf32>
  %0 = nn.sigmoid %w : tensor<4x6xf32>
  %1 = nn.mul %0, %x : tensor<4x6xf32>, tensor<4x6xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<4x6xf32>
  return %2 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_tanh: 1 target
// CHECK:       w{{ +}}4x6{{ +}}24/24{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_tanh(%x: tensor<4x6xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 3 {low = -2.0, high = 2.0} : tensor<4x6xf32>
  %0 = nn.tanh %w : tensor<4x6xf32>
  %1 = nn.mul %0, %x : tensor<4x6xf32>, tensor<4x6xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<4x6xf32>
  return %2 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_leaky_relu: 1 target
// CHECK:       w{{ +}}4x6{{ +}}24/24{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_leaky_relu(%x: tensor<4x6xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 4 {low = 0.0, high = 1.0} : tensor<4x6xf32>
  %c = nn.constant dense<[-1.1, 0.1, -1.1, 0.1, -1.1, 0.1]> : tensor<6xf32>
  %0 = nn.add %w, %c : tensor<4x6xf32>, tensor<6xf32>
  %1 = nn.leaky_relu %0 alpha = 0.2 : tensor<4x6xf32>
  %2 = nn.mul %1, %x : tensor<4x6xf32>, tensor<4x6xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<4x6xf32>
  return %3 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_elu: 1 target
// CHECK:       w{{ +}}4x6{{ +}}24/24{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
// CHECK:       gradcheck: 5 params passed, 0 failed
func.func @f_elu(%x: tensor<4x6xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 5 {low = 0.0, high = 1.0} : tensor<4x6xf32>
  %c = nn.constant dense<[-1.1, 0.1, -1.1, 0.1, -1.1, 0.1]> : tensor<6xf32>
  %0 = nn.add %w, %c : tensor<4x6xf32>, tensor<6xf32>
  %1 = nn.elu %0 alpha = 0.7 : tensor<4x6xf32>
  %2 = nn.mul %1, %x : tensor<4x6xf32>, tensor<4x6xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<4x6xf32>
  return %3 : tensor<f32>
}
