// RUN: kiln-opt %s -kiln-promote-params -split-input-file -verify-diagnostics | FileCheck %s

/// Parameters become leading arguments in the order they appear, their uses
/// read the new arguments, and each argument describes its parameter.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[W:[^:]*]]: tensor<4x2xf32> {nn.param = {fan_in = 4 : i64, fan_out = 2 : i64, init = "xavier_uniform", name = "fc.w", seed = 1 : i64}},
// CHECK-SAME: %[[B:[^:]*]]: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "zeros", name = "fc.b", seed = 0 : i64}},
// CHECK-SAME: %[[X:[^:]*]]: tensor<3x4xf32> {nn.name = "x"})
// CHECK-SAME: -> tensor<3x2xf32>
// CHECK-NOT: nn.param
// CHECK: %[[M:.*]] = nn.matmul %[[X]], %[[W]]
// CHECK: %[[A:.*]] = nn.add %[[M]], %[[B]]
// CHECK: return %[[A]]
func.func @forward(%x: tensor<3x4xf32> {nn.name = "x"}) -> tensor<3x2xf32> {
  %w = nn.param "fc.w" xavier_uniform seed = 1 : tensor<4x2xf32>
  %y = nn.matmul %x, %w : tensor<3x4xf32>, tensor<4x2xf32>
  %b = nn.param "fc.b" zeros : tensor<2xf32>
  %z = nn.add %y, %b : tensor<3x2xf32>, tensor<2xf32>
  return %z : tensor<3x2xf32>
}

// -----

/// uniform keeps low/high and normal keeps mean/std; the fans follow the
/// rank rule: rank 0 -> (1, 1), rank 1 -> (d0, d0),
/// rank 4 [out, in, kh, kw] -> (in * kh * kw, out * kh * kw).
// CHECK-LABEL: func.func @initializers
// CHECK-SAME: tensor<f32> {nn.param = {fan_in = 1 : i64, fan_out = 1 : i64, init = "ones", name = "s", seed = 0 : i64}}
// CHECK-SAME: tensor<5xf32> {nn.param = {fan_in = 5 : i64, fan_out = 5 : i64, high = 2.500000e-01 : f64, init = "uniform", low = -2.500000e-01 : f64, name = "u", seed = 7 : i64}}
// CHECK-SAME: tensor<8x3x5x5xf32> {nn.param = {fan_in = 75 : i64, fan_out = 200 : i64, init = "he_normal", name = "conv", seed = -3 : i64}}
// CHECK-SAME: tensor<2x2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "normal", mean = 1.000000e+00 : f64, name = "n", seed = 0 : i64, std = 5.000000e-01 : f64}}
// CHECK-SAME: -> (tensor<f32>, tensor<5xf32>, tensor<8x3x5x5xf32>, tensor<2x2xf32>)
func.func @initializers() -> (tensor<f32>, tensor<5xf32>, tensor<8x3x5x5xf32>, tensor<2x2xf32>) {
  %s = nn.param "s" ones : tensor<f32>
  %u = nn.param "u" uniform seed = 7 {low = -0.25, high = 0.25} : tensor<5xf32>
  %c = nn.param "conv" he_normal seed = -3 : tensor<8x3x5x5xf32>
  %n = nn.param "n" normal {mean = 1.0, std = 0.5} : tensor<2x2xf32>
  return %s, %u, %c, %n : tensor<f32>, tensor<5xf32>, tensor<8x3x5x5xf32>, tensor<2x2xf32>
}

// -----

/// A parameter inside a nested region is promoted too.
// CHECK-LABEL: func.func @nested
// CHECK-SAME: (%[[W:[^:]*]]: tensor<2xf32> {nn.param = {{.*}}name = "w"{{.*}}}, %[[C:[^:]*]]: i1)
// CHECK: scf.if %[[C]]
// CHECK-NEXT: scf.yield %[[W]]
func.func @nested(%c: i1) -> tensor<2xf32> {
  %0 = scf.if %c -> tensor<2xf32> {
    %w = nn.param "w" ones : tensor<2xf32>
    scf.yield %w : tensor<2xf32>
  } else {
    %z = nn.constant dense<0.0> : tensor<2xf32>
    scf.yield %z : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// -----

/// Functions without parameters and declarations are left alone; so are
/// the callers of parameter-free functions. An uncalled private function is
/// promoted like a public one.
// CHECK-LABEL: func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
// CHECK-LABEL: func.func @helper
// CHECK-SAME: (%{{.*}}: tensor<2xf32>) -> tensor<2xf32>
// CHECK-LABEL: func.func @caller
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>) -> tensor<2xf32>
// CHECK: call @helper(%[[X]])
// CHECK-LABEL: func.func private @unused
// CHECK-SAME: (%{{.*}}: tensor<2xf32> {nn.param = {{.*}}name = "p"{{.*}}})
func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
func.func @helper(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = nn.relu %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @caller(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = call @helper(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func private @unused() -> tensor<2xf32> {
  %p = nn.param "p" zeros : tensor<2xf32>
  return %p : tensor<2xf32>
}

// -----

/// Running the pass again changes nothing: promoted arguments stay in front.
// CHECK-LABEL: func.func @idempotent
// CHECK-SAME: (%{{.*}}: tensor<2xf32> {nn.param = {{.*}}name = "w"{{.*}}}, %{{.*}}: tensor<2xf32>)
func.func @idempotent(%w: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "zeros", name = "w", seed = 0 : i64}}, %x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = nn.add %w, %x : tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

/// Error: a function with parameters must not be called.
func.func @layer(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = nn.param "w" ones : tensor<2xf32>
  %0 = nn.mul %x, %w : tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2xf32>
}
// expected-error @-5 {{function 'layer' declares nn.param ops but is called from another function; declare parameters in the functions the runtime calls}}
func.func @model(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-note @+1 {{called here}}
  %0 = call @layer(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

/// Error: a new parameter reuses the name of an argument promoted before.
func.func @clash(%w: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "zeros", name = "w", seed = 0 : i64}}) -> tensor<2xf32> {
  // expected-error @+1 {{parameter 'w' is already argument #0 of function 'clash'}}
  %v = nn.param "w" ones : tensor<2xf32>
  %0 = nn.add %w, %v : tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2xf32>
}
