// RUN: kiln-opt %s -kiln-train-step -split-input-file | FileCheck %s

/// Adam with a cosine schedule: the training step takes the two moments of
/// every parameter (named as PyTorch's optimizer state) and the step count
/// before the model's inputs, keeps the forward pass and the gradient
/// function's backward pass, and returns the model's results, the updated
/// parameters and the updated moments, each tagged with what it replaces.
/// The model function stays, without the attribute, as the evaluation
/// function.
// CHECK-LABEL: func.func @model(
// CHECK-NOT: nn.train
// CHECK: return
// CHECK-LABEL: func.func @model_train_step(
// CHECK-SAME: %[[WM:[^:]*]]: tensor<3x2xf32> {nn.state = {name = "w.exp_avg", of = "w"}}
// CHECK-SAME: %[[WV:[^:]*]]: tensor<3x2xf32> {nn.state = {name = "w.exp_avg_sq", of = "w"}}
// CHECK-SAME: %[[BM:[^:]*]]: tensor<2xf32> {nn.state = {name = "b.exp_avg", of = "b"}}
// CHECK-SAME: %[[BV:[^:]*]]: tensor<2xf32> {nn.state = {name = "b.exp_avg_sq", of = "b"}}
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<i64> {nn.name = "step", nn.step}
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32> {nn.name = "x"}
// CHECK-SAME: %[[T:[^:]*]]: tensor<4x2xf32> {nn.name = "t"})
// CHECK-SAME: -> (tensor<f32>, tensor<4x2xf32>, tensor<3x2xf32> {nn.update = "w"}, tensor<2xf32> {nn.update = "b"},
// CHECK-SAME: tensor<3x2xf32> {nn.update = "w.exp_avg"}, tensor<3x2xf32> {nn.update = "w.exp_avg_sq"},
// CHECK-SAME: tensor<2xf32> {nn.update = "b.exp_avg"}, tensor<2xf32> {nn.update = "b.exp_avg_sq"})
// CHECK-SAME: attributes {nn.train_of = "model"}
// CHECK: %[[W:.*]] = nn.param "w"
// CHECK: %[[B:.*]] = nn.param "b"
// CHECK: %[[Y:.*]] = nn.matmul %[[X]], %[[W]]
// CHECK: %[[Z:.*]] = nn.add %[[Y]], %[[B]]
// CHECK: %[[L:.*]] = nn.mse %[[Z]], %[[T]]
// CHECK: %[[DB:.*]] = nn.reshape
// CHECK: %[[DW:.*]] = nn.matmul
// CHECK: %[[LR:.*]] = nn.lr_schedule %[[STEP]] cosine {lr = 1.000000e-02 : f64, min_lr = 1.000000e-03 : f64, total_steps = 100 : i64}
// CHECK: %[[NW:[^ ,]*]], %[[NWM:[^ ,]*]], %[[NWV:[^ ,]*]] = nn.adam %[[W]], %[[DW]], %[[WM]], %[[WV]], %[[STEP]], %[[LR]] {beta2 = 0.98999999999999999 : f64} : tensor<3x2xf32>
// CHECK: %[[NB:[^ ,]*]], %[[NBM:[^ ,]*]], %[[NBV:[^ ,]*]] = nn.adam %[[B]], %[[DB]], %[[BM]], %[[BV]], %[[STEP]], %[[LR]] {beta2 = 0.98999999999999999 : f64} : tensor<2xf32>
// CHECK: return %[[L]], %[[Z]], %[[NW]], %[[NB]], %[[NWM]], %[[NWV]], %[[NBM]], %[[NBV]]
func.func @model(%x: tensor<4x3xf32> {nn.name = "x"}, %t: tensor<4x2xf32> {nn.name = "t"})
    -> (tensor<f32>, tensor<4x2xf32>)
    attributes {nn.train = {optimizer = "adam", lr = 0.01, beta2 = 0.99,
                            schedule = "cosine", total_steps = 100, min_lr = 0.001}} {
  %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x2xf32>
  %b = nn.param "b" zeros : tensor<2xf32>
  %y = nn.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
  %z = nn.add %y, %b : tensor<4x2xf32>, tensor<2xf32>
  %l = nn.mse %z, %t : tensor<4x2xf32>
  return %l, %z : tensor<f32>, tensor<4x2xf32>
}

// -----

/// SGD has no state: the step count is the only new argument. The schedule
/// defaults to constant; integer hyperparameters are read as floats.
// CHECK-LABEL: func.func @sgd_train_step(
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<i64> {nn.name = "step", nn.step}, %[[X:[^:]*]]: tensor<4xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<4xf32> {nn.update = "w"})
// CHECK: %[[LR:.*]] = nn.lr_schedule %[[STEP]] constant {lr = 1.000000e+00 : f64}
// CHECK: %[[NW:.*]] = nn.sgd %{{.*}}, %{{.*}}, %[[LR]] {weight_decay = 1.000000e-01 : f64} : tensor<4xf32>
// CHECK: return %{{.*}}, %[[NW]]
func.func @sgd(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.train = {optimizer = "sgd", lr = 1, weight_decay = 0.1}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

/// Momentum with Nesterov and a step schedule: one buffer per parameter,
/// and the op takes the step count.
// CHECK-LABEL: func.func @mom_train_step(
// CHECK-SAME: %[[BUF:[^:]*]]: tensor<4xf32> {nn.state = {name = "w.momentum_buffer", of = "w"}}, %[[STEP:[^:]*]]: tensor<i64>
// CHECK: %[[LR:.*]] = nn.lr_schedule %[[STEP]] step {gamma = 5.000000e-01 : f64, lr = 1.000000e-01 : f64, step_size = 10 : i64}
// CHECK: nn.momentum %{{.*}}, %{{.*}}, %[[BUF]], %[[STEP]], %[[LR]] {momentum = 8.000000e-01 : f64, nesterov} : tensor<4xf32>
func.func @mom(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.train = {optimizer = "momentum", lr = 0.1, momentum = 0.8, nesterov = true,
                            schedule = "step", step_size = 10, gamma = 0.5}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// -----

/// RMSProp keeps one square average per parameter and takes no step count;
/// AdamW keeps two moments.
// CHECK-LABEL: func.func @rms_train_step(
// CHECK-SAME: %[[SQ:[^:]*]]: tensor<4xf32> {nn.state = {name = "w.square_avg", of = "w"}}, %[[STEP:[^:]*]]: tensor<i64>
// CHECK: nn.rmsprop %{{.*}}, %{{.*}}, %[[SQ]], %{{.*}} {alpha = 9.000000e-01 : f64} : tensor<4xf32>
// CHECK-LABEL: func.func @adamw_train_step(
// CHECK-SAME: {nn.state = {name = "w.exp_avg", of = "w"}}
// CHECK-SAME: {nn.state = {name = "w.exp_avg_sq", of = "w"}}
// CHECK: nn.adamw
func.func @rms(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.train = {optimizer = "rmsprop", lr = 0.01, alpha = 0.9}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}
func.func @adamw(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.train = {optimizer = "adamw", lr = 0.01}} {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}
