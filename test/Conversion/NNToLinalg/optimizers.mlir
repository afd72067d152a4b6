// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// sgd: the learning rate is extracted before one elementwise generic that
/// computes p - lr * g (no weight-decay term when weight_decay = 0).
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @sgd(
// CHECK-SAME: %[[P:.*]]: tensor<4x3xf32>, %[[G:.*]]: tensor<4x3xf32>, %[[LR:.*]]: tensor<f32>
// CHECK: %[[RATE:.*]] = tensor.extract %[[LR]][] : tensor<f32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[P]], %[[G]] : tensor<4x3xf32>, tensor<4x3xf32>) outs(%[[E]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[PV:[^:]+]]: f32, %[[GV:[^:]+]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[STEP:.*]] = arith.mulf %[[RATE]], %[[GV]] : f32
// CHECK-NEXT: %[[NEW:.*]] = arith.subf %[[PV]], %[[STEP]] : f32
// CHECK-NEXT: linalg.yield %[[NEW]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: nn.
func.func @sgd(%p: tensor<4x3xf32>, %g: tensor<4x3xf32>, %lr: tensor<f32>) -> tensor<4x3xf32> {
  %0 = nn.sgd %p, %g, %lr : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// sgd with weight decay: g' = g + wd * p inside the generic.
// CHECK-LABEL: func.func @sgd_weight_decay(
// CHECK: linalg.generic
// CHECK: ^bb0(%[[PV:[^:]+]]: f32, %[[GV:[^:]+]]: f32, %{{.*}}: f32):
// CHECK: %[[WD:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[DECAY:.*]] = arith.mulf %[[WD]], %[[PV]] : f32
// CHECK: %[[GRAD:.*]] = arith.addf %[[GV]], %[[DECAY]] : f32
// CHECK: arith.mulf %{{.*}}, %[[GRAD]] : f32
func.func @sgd_weight_decay(%p: tensor<8xf32>, %g: tensor<8xf32>, %lr: tensor<f32>) -> tensor<8xf32> {
  %0 = nn.sgd %p, %g, %lr {weight_decay = 0.25} : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

/// momentum: `step == 0` is computed once, before a single two-result
/// generic, and selects the buffer's initial value g'.
// CHECK-LABEL: func.func @momentum_nesterov(
// CHECK-SAME: %[[P:.*]]: tensor<4xf32>, %[[G:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[S:.*]]: tensor<i64>, %[[LR:.*]]: tensor<f32>
// CHECK-DAG: %[[RATE:.*]] = tensor.extract %[[LR]][] : tensor<f32>
// CHECK-DAG: %[[STEP:.*]] = tensor.extract %[[S]][] : tensor<i64>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[STEP]], %[[ZERO]] : i64
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} ins(%[[P]], %[[G]], %[[B]] : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[PV:[^:]+]]: f32, %[[GV:[^:]+]]: f32, %[[BV:[^:]+]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[MOM:.*]] = arith.constant 0.899999976 : f32
// CHECK: %[[BM:.*]] = arith.mulf %[[BV]], %[[MOM]] : f32
// CHECK: %[[DAMP:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[GD:.*]] = arith.mulf %[[DAMP]], %[[GV]] : f32
// CHECK: %[[DECAYED:.*]] = arith.addf %[[BM]], %[[GD]] : f32
// CHECK: %[[BUF:.*]] = arith.select %[[FIRST]], %[[GV]], %[[DECAYED]] : f32
// CHECK: %[[AHEAD:.*]] = arith.mulf %{{.*}}, %[[BUF]] : f32
// CHECK: %[[UPDATE:.*]] = arith.addf %[[GV]], %[[AHEAD]] : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[RATE]], %[[UPDATE]] : f32
// CHECK: %[[NEW:.*]] = arith.subf %[[PV]], %[[SCALED]] : f32
// CHECK: linalg.yield %[[NEW]], %[[BUF]] : f32, f32
// CHECK: return %[[R]]#0, %[[R]]#1
// CHECK-NOT: linalg.generic
func.func @momentum_nesterov(%p: tensor<4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %s: tensor<i64>, %lr: tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:2 = nn.momentum %p, %g, %b, %s, %lr {nesterov} : tensor<4xf32>
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

// -----

/// rmsprop: sq' = sq * alpha + (1 - alpha) * g * g; p - lr * g / (sqrt(sq') + eps).
// CHECK-LABEL: func.func @rmsprop(
// CHECK: %[[RATE:.*]] = tensor.extract
// CHECK: %[[R:.*]]:2 = linalg.generic
// CHECK: ^bb0(%[[PV:[^:]+]]: f32, %[[GV:[^:]+]]: f32, %[[SV:[^:]+]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[SA:.*]] = arith.mulf %[[SV]], %[[ALPHA]] : f32
// CHECK: %[[G1:.*]] = arith.mulf %{{.*}}, %[[GV]] : f32
// CHECK: %[[G2:.*]] = arith.mulf %[[G1]], %[[GV]] : f32
// CHECK: %[[SQ:.*]] = arith.addf %[[SA]], %[[G2]] : f32
// CHECK: %[[ROOT:.*]] = math.sqrt %[[SQ]] : f32
// CHECK: %[[AVG:.*]] = arith.addf %[[ROOT]], %{{.*}} : f32
// CHECK: %[[RATIO:.*]] = arith.divf %[[GV]], %[[AVG]] : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[RATE]], %[[RATIO]] : f32
// CHECK: %[[NEW:.*]] = arith.subf %[[PV]], %[[SCALED]] : f32
// CHECK: linalg.yield %[[NEW]], %[[SQ]] : f32, f32
// CHECK-NOT: linalg.generic
func.func @rmsprop(%p: tensor<2x2xf32>, %g: tensor<2x2xf32>, %sq: tensor<2x2xf32>, %lr: tensor<f32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %0:2 = nn.rmsprop %p, %g, %sq, %lr {alpha = 0.5} : tensor<2x2xf32>
  return %0#0, %0#1 : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

/// adam: t = step + 1, the bias corrections and the step size are f64
/// scalars computed before one three-result generic and truncated to f32.
// CHECK-LABEL: func.func @adam(
// CHECK-SAME: %[[P:.*]]: tensor<3xf32>, %[[G:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>, %[[S:.*]]: tensor<i64>, %[[LR:.*]]: tensor<f32>
// CHECK: %[[RATE:.*]] = tensor.extract %[[LR]][] : tensor<f32>
// CHECK: %[[RATE64:.*]] = arith.extf %[[RATE]] : f32 to f64
// CHECK: %[[STEP:.*]] = tensor.extract %[[S]][] : tensor<i64>
// CHECK: %[[STEP64:.*]] = arith.sitofp %[[STEP]] : i64 to f64
// CHECK: %[[T:.*]] = arith.addf %[[STEP64]], %{{.*}} : f64
// CHECK: %[[B1T:.*]] = math.powf %{{.*}}, %[[T]] : f64
// CHECK: %[[BC1:.*]] = arith.subf %{{.*}}, %[[B1T]] : f64
// CHECK: %[[B2T:.*]] = math.powf %{{.*}}, %[[T]] : f64
// CHECK: %[[BC2:.*]] = arith.subf %{{.*}}, %[[B2T]] : f64
// CHECK: %[[SS64:.*]] = arith.divf %[[RATE64]], %[[BC1]] : f64
// CHECK: %[[SS:.*]] = arith.truncf %[[SS64]] : f64 to f32
// CHECK: %[[C2_64:.*]] = math.sqrt %[[BC2]] : f64
// CHECK: %[[C2:.*]] = arith.truncf %[[C2_64]] : f64 to f32
// CHECK: %[[R:.*]]:3 = linalg.generic {{.*}} ins(%[[P]], %[[G]], %[[M]], %[[V]] : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[PV:[^:]+]]: f32, %[[GV:[^:]+]]: f32, %[[MV:[^:]+]]: f32, %[[VV:[^:]+]]: f32,
// CHECK: %[[M1:.*]] = arith.addf
// CHECK: %[[V1:.*]] = arith.addf
// CHECK: %[[ROOT:.*]] = math.sqrt %[[V1]] : f32
// CHECK: %[[HAT:.*]] = arith.divf %[[ROOT]], %[[C2]] : f32
// CHECK: %[[DENOM:.*]] = arith.addf %[[HAT]], %{{.*}} : f32
// CHECK: %[[RATIO:.*]] = arith.divf %[[M1]], %[[DENOM]] : f32
// CHECK: %[[UPDATE:.*]] = arith.mulf %[[SS]], %[[RATIO]] : f32
// CHECK: %[[NEW:.*]] = arith.subf %[[PV]], %[[UPDATE]] : f32
// CHECK: linalg.yield %[[NEW]], %[[M1]], %[[V1]] : f32, f32, f32
// CHECK: return %[[R]]#0, %[[R]]#1, %[[R]]#2
// CHECK-NOT: linalg.generic
func.func @adam(%p: tensor<3xf32>, %g: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>, %s: tensor<i64>, %lr: tensor<f32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = nn.adam %p, %g, %m, %v, %s, %lr : tensor<3xf32>
  return %0#0, %0#1, %0#2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

/// adamw: the decoupled factor 1 - lr * wd is an f64 scalar that scales the
/// parameter first; the gradient is not decayed.
// CHECK-LABEL: func.func @adamw(
// CHECK: %[[RATE64:.*]] = arith.extf
// CHECK: %[[WD:.*]] = arith.constant 1.000000e-02 : f64
// CHECK: %[[LRWD:.*]] = arith.mulf %[[RATE64]], %[[WD]] : f64
// CHECK: %[[KEEP64:.*]] = arith.subf %{{.*}}, %[[LRWD]] : f64
// CHECK: %[[KEEP:.*]] = arith.truncf %[[KEEP64]] : f64 to f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[PV:[^:]+]]: f32, %[[GV:[^:]+]]: f32,
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[PV]], %[[KEEP]] : f32
// CHECK: arith.subf %[[SCALED]], %{{.*}} : f32
func.func @adamw(%p: tensor<3xf32>, %g: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>, %s: tensor<i64>, %lr: tensor<f32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = nn.adamw %p, %g, %m, %v, %s, %lr : tensor<3xf32>
  return %0#0, %0#1, %0#2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

/// lr_schedule step: lr * gamma^(max(step, 0) / step_size) in f64 (the
/// division of non-negative integers is the floor), truncated to f32.
// CHECK-LABEL: func.func @lr_step(
// CHECK-SAME: %[[S:.*]]: tensor<i64>
// CHECK: %[[LR:.*]] = arith.constant 1.000000e-01 : f64
// CHECK: %[[STEP:.*]] = tensor.extract %[[S]][] : tensor<i64>
// CHECK: %[[CLAMPED:.*]] = arith.maxsi %[[STEP]], %{{.*}} : i64
// CHECK: %[[SIZE:.*]] = arith.constant 7 : i64
// CHECK: %[[K:.*]] = arith.divsi %[[CLAMPED]], %[[SIZE]] : i64
// CHECK: %[[GAMMA:.*]] = arith.constant 5.000000e-01 : f64
// CHECK: %[[K64:.*]] = arith.sitofp %[[K]] : i64 to f64
// CHECK: %[[DECAY:.*]] = math.powf %[[GAMMA]], %[[K64]] : f64
// CHECK: %[[RATE:.*]] = arith.mulf %[[LR]], %[[DECAY]] : f64
// CHECK: %[[RATE32:.*]] = arith.truncf %[[RATE]] : f64 to f32
// CHECK: %[[R:.*]] = tensor.from_elements %[[RATE32]] : tensor<f32>
// CHECK: return %[[R]]
func.func @lr_step(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s step {lr = 0.1, step_size = 7, gamma = 0.5}
  return %0 : tensor<f32>
}

// -----

/// lr_schedule cosine: the step is clamped to [0, total_steps] before the
/// cosine.
// CHECK-LABEL: func.func @lr_cosine(
// CHECK: %[[CLAMPED:.*]] = arith.maxsi
// CHECK: %[[TOTAL:.*]] = arith.constant 10 : i64
// CHECK: %[[S:.*]] = arith.minsi %[[CLAMPED]], %[[TOTAL]] : i64
// CHECK: %[[PI:.*]] = arith.constant 3.1415926535897931 : f64
// CHECK: %[[S64:.*]] = arith.sitofp %[[S]] : i64 to f64
// CHECK: %[[A:.*]] = arith.mulf %[[PI]], %[[S64]] : f64
// CHECK: %[[ANGLE:.*]] = arith.divf %[[A]], %{{.*}} : f64
// CHECK: math.cos %[[ANGLE]] : f64
// CHECK: tensor.from_elements
func.func @lr_cosine(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s cosine {lr = 0.1, total_steps = 10, min_lr = 0.01}
  return %0 : tensor<f32>
}

// -----

/// lr_schedule constant: no arithmetic on the step.
// CHECK-LABEL: func.func @lr_constant(
// CHECK: %[[LR:.*]] = arith.constant 2.500000e-01 : f64
// CHECK-NOT: math.
// CHECK: %[[R32:.*]] = arith.truncf %[[LR]] : f64 to f32
// CHECK: tensor.from_elements %[[R32]] : tensor<f32>
func.func @lr_constant(%s: tensor<i64>) -> tensor<f32> {
  %0 = nn.lr_schedule %s constant {lr = 0.25}
  return %0 : tensor<f32>
}

// -----

/// l1_penalty: a full reduction of |w|, then a rank-0 generic times lambda.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @l1_penalty(
// CHECK-SAME: %[[W:.*]]: tensor<4x3xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ALL]]], iterator_types = ["reduction", "reduction"]} ins(%[[W]] : tensor<4x3xf32>)
// CHECK: %[[ABS:.*]] = math.absf %{{.*}} : f32
// CHECK: arith.addf %{{.*}}, %[[ABS]] : f32
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<f32>)
// CHECK: %[[LAMBDA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: arith.mulf %[[LAMBDA]], %{{.*}} : f32
// CHECK: return %[[R]]
func.func @l1_penalty(%w: tensor<4x3xf32>) -> tensor<f32> {
  %0 = nn.l1_penalty %w lambda = 0.5 : tensor<4x3xf32>
  return %0 : tensor<f32>
}

// -----

/// l2_penalty: a full reduction of w * w, then times lambda.
// CHECK-LABEL: func.func @l2_penalty(
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:[^:]+]]: f32, %[[ACC:[^:]+]]: f32):
// CHECK: %[[SQ:.*]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK: arith.addf %[[ACC]], %[[SQ]] : f32
// CHECK: %[[LAMBDA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: arith.mulf %[[LAMBDA]], %{{.*}} : f32
// CHECK-NOT: math.absf
func.func @l2_penalty(%w: tensor<5xf32>) -> tensor<f32> {
  %0 = nn.l2_penalty %w lambda = 2.0 : tensor<5xf32>
  return %0 : tensor<f32>
}
