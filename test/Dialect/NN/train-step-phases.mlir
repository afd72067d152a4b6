// RUN: kiln-opt %s -kiln-train-step -split-input-file | FileCheck %s

/// A GAN-like model trained in two phases. Each phase becomes its own
/// training step `@<f>_train_step_<phase>`, tagged `nn.phase`: it
/// differentiates its own loss (returned first) with respect to its own
/// parameter group only, with its own optimizer and state. The first phase
/// also returns the other results (metrics), except the other phases'
/// losses and images; later phases return their loss only.

// CHECK-LABEL: func.func @gan(
// CHECK-SAME: {nn.name = "d_loss"}
// CHECK-NOT: nn.train =

// CHECK-LABEL: func.func @gan_train_step_disc(
// CHECK-SAME: %[[M:[^:]*]]: tensor<3x1xf32> {nn.state = {name = "d.w.exp_avg", of = "d.w"}}
// CHECK-SAME: %[[V:[^:]*]]: tensor<3x1xf32> {nn.state = {name = "d.w.exp_avg_sq", of = "d.w"}}
// CHECK-SAME: %[[S:[^:]*]]: tensor<i64> {nn.name = "step", nn.step}
// CHECK-SAME: -> (tensor<f32> {nn.name = "d_loss"}, tensor<f32> {nn.name = "d_out"}, tensor<3x1xf32> {nn.update = "d.w"}, tensor<3x1xf32> {nn.update = "d.w.exp_avg"}, tensor<3x1xf32> {nn.update = "d.w.exp_avg_sq"})
// CHECK-SAME: attributes {nn.phase = "disc", nn.train_of = "gan"}
// CHECK-DAG: %[[GW:.*]] = nn.param "g.w"
// CHECK-DAG: %[[DW:.*]] = nn.param "d.w"
// CHECK: nn.adam %[[DW]], %{{.*}}, %[[M]], %[[V]], %[[S]], %{{.*}} {beta1 = 5.000000e-01 : f64}
// CHECK-NOT: nn.adam
// CHECK-NOT: nn.sgd
// CHECK: return

// CHECK-LABEL: func.func @gan_train_step_gen(
// CHECK-SAME: %[[S:[^:]*]]: tensor<i64> {nn.name = "step", nn.step}
// CHECK-SAME: -> (tensor<f32> {nn.name = "g_loss"}, tensor<3x3xf32> {nn.update = "g.w"})
// CHECK-SAME: attributes {nn.phase = "gen", nn.train_of = "gan"}
// CHECK: nn.sgd
// CHECK-NOT: nn.adam
// CHECK: return
func.func @gan(%x: tensor<4x3xf32> {nn.name = "x"})
    -> (tensor<f32> {nn.name = "d_loss"}, tensor<f32> {nn.name = "g_loss"},
        tensor<f32> {nn.name = "d_out"}, tensor<4x3xf32> {nn.image = "samples"})
    attributes {nn.train = [
      {phase = "disc", loss = 0, params = ["d."], optimizer = "adam", lr = 2.0e-4, beta1 = 0.5},
      {phase = "gen", loss = 1, params = ["g.w"], optimizer = "sgd", lr = 0.1}]} {
  %gw = nn.param "g.w" xavier_uniform seed = 1 : tensor<3x3xf32>
  %dw = nn.param "d.w" xavier_uniform seed = 2 : tensor<3x1xf32>
  %fake = nn.matmul %x, %gw : tensor<4x3xf32>, tensor<3x3xf32>
  %dr = nn.matmul %x, %dw : tensor<4x3xf32>, tensor<3x1xf32>
  %df = nn.matmul %fake, %dw : tensor<4x3xf32>, tensor<3x1xf32>
  %a = nn.reduce_mean %dr axes = [0, 1] : tensor<4x1xf32>
  %b = nn.reduce_mean %df axes = [0, 1] : tensor<4x1xf32>
  %dl = nn.sub %b, %a : tensor<f32>, tensor<f32>
  %gl = nn.neg %b : tensor<f32>
  return %dl, %gl, %a, %fake : tensor<f32>, tensor<f32>, tensor<f32>, tensor<4x3xf32>
}

// -----

/// Buffers are neither differentiated nor updated by the optimizer; a
/// model that only reads one returns no update for it. Images are not
/// returned by the training step.
// CHECK-LABEL: func.func @buf_train_step(
// CHECK-SAME: -> (tensor<f32>, tensor<3xf32> {nn.update = "w"})
// CHECK: nn.param "s" ones buffer
// CHECK: nn.sgd
// CHECK-NOT: nn.sgd
// CHECK: return
func.func @buf(%x: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32> {nn.image = "x"})
    attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
  %w = nn.param "w" ones : tensor<3xf32>
  %s = nn.param "s" ones buffer : tensor<3xf32>
  %0 = nn.mul %x, %w : tensor<3xf32>, tensor<3xf32>
  %1 = nn.mul %0, %s : tensor<3xf32>, tensor<3xf32>
  %l = nn.reduce_sum %1 axes = [0] : tensor<3xf32>
  return %l, %x : tensor<f32>, tensor<3xf32>
}
