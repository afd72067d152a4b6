// Gradient checks of batch_norm (inference: input, gamma and beta; the
// statistics are inputs, not targets, since they get no gradient) and
// batch_norm_train (through batch_norm_train_backward) for rank 2 and
// rank 4, and batch_norm_train inside a small model.
// Loss: reduce_sum(op output * r), r random in [-1, 1), unless stated.
// Variances given to batch_norm are exp(v), v in [-1, 1).
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s --function f_bn --function f_bn_rank4 \
// RUN:   --function f_bn_train --function f_bn_train_rank4 \
// RUN:   --function f_bn_train_rank3 --function f_bn_train_model | FileCheck %s

// CHECK-LABEL: gradcheck @f_bn: 3 targets, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       x{{ +}}6x4{{ +}}24/24{{ .*}}PASS
// CHECK:       gamma{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       beta{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       direction (32 elements){{.*}}PASS
func.func @f_bn(%r: tensor<6x4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 1 {low = -2.0, high = 2.0} : tensor<6x4xf32>
  %g = nn.param "gamma" uniform seed = 2 {low = 0.5, high = 1.5} : tensor<4xf32>
  %b = nn.param "beta" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<4xf32>
  %var = nn.exp %v : tensor<4xf32>
  %0 = nn.batch_norm %x, %g, %b, %m, %var : tensor<6x4xf32>, tensor<4xf32>
  %1 = nn.mul %0, %r : tensor<6x4xf32>, tensor<6x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<6x4xf32>
  return %2 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_bn_rank4: 3 targets
// CHECK:       x{{ +}}2x3x4x5{{ +}}64/120{{ .*}}PASS
// CHECK:       gamma{{ +}}3{{ +}}3/3{{ .*}}PASS
// CHECK:       beta{{ +}}3{{ +}}3/3{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_bn_rank4(%r: tensor<2x3x4x5xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 4 {low = -2.0, high = 2.0} : tensor<2x3x4x5xf32>
  %g = nn.param "gamma" uniform seed = 5 {low = -1.5, high = 1.5} : tensor<3xf32>
  %b = nn.param "beta" uniform seed = 6 {low = -1.0, high = 1.0} : tensor<3xf32>
  %var = nn.exp %v : tensor<3xf32>
  %0 = nn.batch_norm %x, %g, %b, %m, %var eps = 1.0e-3 : tensor<2x3x4x5xf32>, tensor<3xf32>
  %1 = nn.mul %0, %r : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2, 3] : tensor<2x3x4x5xf32>
  return %2 : tensor<f32>
}

/// The running statistics are inputs; the new ones do not reach the loss.
// CHECK-LABEL: gradcheck @f_bn_train: 3 targets
// CHECK:       x{{ +}}6x4{{ +}}24/24{{ .*}}PASS
// CHECK:       gamma{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       beta{{ +}}4{{ +}}4/4{{ .*}}PASS
// CHECK:       direction (32 elements){{.*}}PASS
func.func @f_bn_train(%r: tensor<6x4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 7 {low = -2.0, high = 2.0} : tensor<6x4xf32>
  %g = nn.param "gamma" uniform seed = 8 {low = 0.5, high = 1.5} : tensor<4xf32>
  %b = nn.param "beta" uniform seed = 9 {low = -1.0, high = 1.0} : tensor<4xf32>
  %y, %nm, %nv = nn.batch_norm_train %x, %g, %b, %m, %v : tensor<6x4xf32>, tensor<4xf32>
  %1 = nn.mul %y, %r : tensor<6x4xf32>, tensor<6x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<6x4xf32>
  return %2 : tensor<f32>
}

// CHECK-LABEL: gradcheck @f_bn_train_rank4: 3 targets
// CHECK:       x{{ +}}3x2x3x4{{ +}}64/72{{ .*}}PASS
// CHECK:       gamma{{ +}}2{{ +}}2/2{{ .*}}PASS
// CHECK:       beta{{ +}}2{{ +}}2/2{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_bn_train_rank4(%r: tensor<3x2x3x4xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 10 {low = -2.0, high = 2.0} : tensor<3x2x3x4xf32>
  %g = nn.param "gamma" uniform seed = 11 {low = -1.5, high = 1.5} : tensor<2xf32>
  %b = nn.param "beta" uniform seed = 12 {low = -1.0, high = 1.0} : tensor<2xf32>
  %y, %nm, %nv = nn.batch_norm_train %x, %g, %b, %m, %v eps = 1.0e-3 momentum = 0.2 : tensor<3x2x3x4xf32>, tensor<2xf32>
  %1 = nn.mul %y, %r : tensor<3x2x3x4xf32>, tensor<3x2x3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2, 3] : tensor<3x2x3x4xf32>
  return %2 : tensor<f32>
}

/// Rank 3 with the smallest batch, M = 2: xhat = +-1 and the gradient of
/// x is 0 up to eps's share of the variance.
// CHECK-LABEL: gradcheck @f_bn_train_rank3: 3 targets
// CHECK:       x{{ +}}2x3x1{{ +}}6/6{{ .*}}PASS
// CHECK:       gamma{{ +}}3{{ +}}3/3{{ .*}}PASS
// CHECK:       beta{{ +}}3{{ +}}3/3{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_bn_train_rank3(%r: tensor<2x3x1xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<f32> {
  %x = nn.param "x" uniform seed = 13 {low = -2.0, high = 2.0} : tensor<2x3x1xf32>
  %g = nn.param "gamma" uniform seed = 14 {low = 0.5, high = 1.5} : tensor<3xf32>
  %b = nn.param "beta" uniform seed = 15 {low = -1.0, high = 1.0} : tensor<3xf32>
  %y, %nm, %nv = nn.batch_norm_train %x, %g, %b, %m, %v : tensor<2x3x1xf32>, tensor<3xf32>
  %1 = nn.mul %y, %r : tensor<2x3x1xf32>, tensor<2x3x1xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<2x3x1xf32>
  return %2 : tensor<f32>
}

/// matmul -> batch_norm_train -> tanh -> matmul -> mse: the gradient of the
/// weights flows through the batch statistics.
// CHECK-LABEL: gradcheck @f_bn_train_model: 4 targets
// CHECK:       w1{{ +}}5x6{{ +}}30/30{{ .*}}PASS
// CHECK:       gamma{{ +}}6{{ +}}6/6{{ .*}}PASS
// CHECK:       beta{{ +}}6{{ +}}6/6{{ .*}}PASS
// CHECK:       w2{{ +}}6x2{{ +}}12/12{{ .*}}PASS
// CHECK:       direction{{.*}}PASS
func.func @f_bn_train_model(%x: tensor<8x5xf32>, %t: tensor<8x2xf32>, %m: tensor<6xf32>, %v: tensor<6xf32>) -> tensor<f32> {
  %w1 = nn.param "w1" xavier_uniform seed = 16 : tensor<5x6xf32>
  %g = nn.param "gamma" ones : tensor<6xf32>
  %b = nn.param "beta" zeros : tensor<6xf32>
  %w2 = nn.param "w2" xavier_uniform seed = 17 : tensor<6x2xf32>
  %h = nn.matmul %x, %w1 : tensor<8x5xf32>, tensor<5x6xf32>
  %n, %nm, %nv = nn.batch_norm_train %h, %g, %b, %m, %v : tensor<8x6xf32>, tensor<6xf32>
  %a = nn.tanh %n : tensor<8x6xf32>
  %o = nn.matmul %a, %w2 : tensor<8x6xf32>, tensor<6x2xf32>
  %l = nn.mse %o, %t : tensor<8x2xf32>
  return %l : tensor<f32>
}
