// Differential test: every function below runs JIT and AOT on seeded random
// inputs and is compared with the f64 reference interpreter. Tensors are
// uniform in [-2, 2); step counts are integers in [0, 50). State that must be
// non-negative (RMSProp's square average, Adam's second moment) is squared
// first. |compiled - ref| <= 1e-6 + 1e-5 |ref|.
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-2,2 --label-range=0,50 --rtol 1e-5 --atol 1e-6 | FileCheck %s

// CHECK-DAG: ok lr_constant aot
// CHECK-DAG: ok lr_constant jit
func.func @lr_constant(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s constant {lr = 0.05}
  return %0 : tensor<f32>
}

// CHECK-DAG: ok lr_step aot
// CHECK-DAG: ok lr_step jit
func.func @lr_step(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s step {lr = 0.1, step_size = 7, gamma = 0.5}
  return %0 : tensor<f32>
}

/// total_steps = 30 < 50, so some steps are past the end (held at min_lr).
// CHECK-DAG: ok lr_cosine aot
// CHECK-DAG: ok lr_cosine jit
func.func @lr_cosine(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s cosine {lr = 0.1, total_steps = 30, min_lr = 0.001}
  return %0 : tensor<f32>
}

// CHECK-DAG: ok sgd aot
// CHECK-DAG: ok sgd jit
func.func @sgd(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %s: tensor<i64>) -> (tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s cosine {lr = 0.5, total_steps = 40}
  %0 = nn.sgd %p, %g, %lr : tensor<5x4xf32>
  %1 = nn.sgd %p, %g, %lr {weight_decay = 0.1} : tensor<5x4xf32>
  return %0, %1 : tensor<5x4xf32>, tensor<5x4xf32>
}

/// Both branches of the buffer: the random step (almost never 0) and step 0.
// CHECK-DAG: ok momentum aot
// CHECK-DAG: ok momentum jit
func.func @momentum(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %b: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s step {lr = 0.3, step_size = 10, gamma = 0.8}
  %zero = nn.constant dense<0> : tensor<i64>
  %0:2 = nn.momentum %p, %g, %b, %s, %lr {momentum = 0.9, dampening = 0.25, weight_decay = 0.05} : tensor<5x4xf32>
  %1:2 = nn.momentum %p, %g, %b, %zero, %lr {momentum = 0.9, dampening = 0.25, weight_decay = 0.05} : tensor<5x4xf32>
  return %0#0, %0#1, %1#0, %1#1 : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}

// CHECK-DAG: ok momentum_nesterov aot
// CHECK-DAG: ok momentum_nesterov jit
func.func @momentum_nesterov(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %b: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s constant {lr = 0.1}
  %zero = nn.constant dense<0> : tensor<i64>
  %0:2 = nn.momentum %p, %g, %b, %s, %lr {momentum = 0.8, nesterov} : tensor<5x4xf32>
  %1:2 = nn.momentum %p, %g, %b, %zero, %lr {momentum = 0.8, nesterov} : tensor<5x4xf32>
  return %0#0, %0#1, %1#0, %1#1 : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}

// CHECK-DAG: ok rmsprop aot
// CHECK-DAG: ok rmsprop jit
func.func @rmsprop(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %v: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s constant {lr = 0.01}
  %sq = nn.mul %v, %v : tensor<5x4xf32>, tensor<5x4xf32>
  %0:2 = nn.rmsprop %p, %g, %sq, %lr {alpha = 0.9, eps = 1.0e-6, weight_decay = 0.01} : tensor<5x4xf32>
  return %0#0, %0#1 : tensor<5x4xf32>, tensor<5x4xf32>
}

// CHECK-DAG: ok adam aot
// CHECK-DAG: ok adam jit
func.func @adam(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %m: tensor<5x4xf32>, %v: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s cosine {lr = 0.01, total_steps = 100}
  %sq = nn.mul %v, %v : tensor<5x4xf32>, tensor<5x4xf32>
  %zero = nn.constant dense<0> : tensor<i64>
  %0:3 = nn.adam %p, %g, %m, %sq, %s, %lr {weight_decay = 0.01} : tensor<5x4xf32>
  %1:3 = nn.adam %p, %g, %m, %sq, %zero, %lr {beta1 = 0.8, beta2 = 0.99, eps = 1.0e-6} : tensor<5x4xf32>
  return %0#0, %0#1, %0#2, %1#0, %1#1, %1#2 : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}

// CHECK-DAG: ok adamw aot
// CHECK-DAG: ok adamw jit
func.func @adamw(%p: tensor<5x4xf32>, %g: tensor<5x4xf32>, %m: tensor<5x4xf32>, %v: tensor<5x4xf32>, %s: tensor<i64>)
    -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %lr = nn.lr_schedule %s constant {lr = 0.1}
  %sq = nn.mul %v, %v : tensor<5x4xf32>, tensor<5x4xf32>
  %0:3 = nn.adamw %p, %g, %m, %sq, %s, %lr {weight_decay = 0.5} : tensor<5x4xf32>
  return %0#0, %0#1, %0#2 : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}

// CHECK-DAG: ok l1_penalty aot
// CHECK-DAG: ok l1_penalty jit
func.func @l1_penalty(%w: tensor<6x7xf32>) -> tensor<f32> {
  %0 = nn.l1_penalty %w lambda = 0.01 : tensor<6x7xf32>
  return %0 : tensor<f32>
}

// CHECK-DAG: ok l2_penalty aot
// CHECK-DAG: ok l2_penalty jit
func.func @l2_penalty(%w: tensor<6x7xf32>) -> tensor<f32> {
  %0 = nn.l2_penalty %w lambda = 0.5 : tensor<6x7xf32>
  return %0 : tensor<f32>
}
