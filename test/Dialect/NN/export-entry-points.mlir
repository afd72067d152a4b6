// RUN: kiln-opt %s -kiln-export-entry-points -split-input-file -verify-diagnostics | FileCheck %s

/// The wrapper takes every argument and then one buffer per result as
/// memrefs, calls @f and writes the results into the buffers; @f becomes
/// private. Parameters come first in the signature with their initializer
/// (a/b are low/high for uniform, mean/std for normal, 0 otherwise; the seed
/// is printed as an unsigned 64-bit number); inputs are named by `nn.name`
/// or `arg<k>`, where k counts inputs only; outputs are numbered.
// CHECK-LABEL: module attributes
// CHECK-SAME: kiln.signature = "kiln-abi 1\0Aentry f\0A
// CHECK-SAME: param w f32 4x2 init=xavier_uniform seed=18446744073709551615 a=0 b=0 fan_in=4 fan_out=2\0A
// CHECK-SAME: param u f32 2 init=uniform seed=3 a=-0.25 b=0.5 fan_in=2 fan_out=2\0A
// CHECK-SAME: param n f32 scalar init=normal seed=0 a=1 b=0.10000000000000001 fan_in=1 fan_out=1\0A
// CHECK-SAME: input x f32 3x4\0A
// CHECK-SAME: input arg1 i64 3\0A
// CHECK-SAME: input arg2 i32 scalar\0A
// CHECK-SAME: output 0 f32 3x2\0A
// CHECK-SAME: output 1 f32 scalar\0A"
// CHECK-LABEL: func.func @_kiln_entry_f
// CHECK-SAME: (%[[W:.*]]: memref<4x2xf32>, %[[U:.*]]: memref<2xf32>, %[[N:.*]]: memref<f32>, %[[X:.*]]: memref<3x4xf32>, %[[L:.*]]: memref<3xi64>, %[[I:.*]]: memref<i32>, %[[O0:.*]]: memref<3x2xf32>, %[[O1:.*]]: memref<f32>)
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: %[[TW:.*]] = bufferization.to_tensor %[[W]] restrict : memref<4x2xf32>
// CHECK: %[[TU:.*]] = bufferization.to_tensor %[[U]] restrict : memref<2xf32>
// CHECK: %[[TN:.*]] = bufferization.to_tensor %[[N]] restrict : memref<f32>
// CHECK: %[[TX:.*]] = bufferization.to_tensor %[[X]] restrict : memref<3x4xf32>
// CHECK: %[[TL:.*]] = bufferization.to_tensor %[[L]] restrict : memref<3xi64>
// CHECK: %[[TI:.*]] = bufferization.to_tensor %[[I]] restrict : memref<i32>
// CHECK: %[[R:.*]]:2 = call @f(%[[TW]], %[[TU]], %[[TN]], %[[TX]], %[[TL]], %[[TI]])
// CHECK: bufferization.materialize_in_destination %[[R]]#0 in restrict writable %[[O0]] : (tensor<3x2xf32>, memref<3x2xf32>) -> ()
// CHECK: bufferization.materialize_in_destination %[[R]]#1 in restrict writable %[[O1]] : (tensor<f32>, memref<f32>) -> ()
// CHECK: return
// CHECK-LABEL: func.func private @f
func.func @f(%w: tensor<4x2xf32> {nn.param = {fan_in = 4 : i64, fan_out = 2 : i64, init = "xavier_uniform", name = "w", seed = -1 : i64}},
             %u: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, high = 5.000000e-01 : f64, init = "uniform", low = -2.500000e-01 : f64, name = "u", seed = 3 : i64}},
             %n: tensor<f32> {nn.param = {fan_in = 1 : i64, fan_out = 1 : i64, init = "normal", mean = 1.0 : f64, name = "n", seed = 0 : i64, std = 0.1 : f64}},
             %x: tensor<3x4xf32> {nn.name = "x"}, %l: tensor<3xi64>, %i: tensor<i32>)
    -> (tensor<3x2xf32>, tensor<f32>) {
  %0 = nn.matmul %x, %w : tensor<3x4xf32>, tensor<4x2xf32>
  %1 = nn.cross_entropy %0, %l : tensor<3x2xf32>, tensor<3xi64>
  return %0, %1 : tensor<3x2xf32>, tensor<f32>
}

// -----

/// Every public definition is an entry point, in module order; private
/// functions and declarations are not. A function without results gets a
/// wrapper without output buffers.
// CHECK-LABEL: module attributes
// CHECK-SAME: kiln.signature = "kiln-abi 1\0Aentry predict\0Ainput arg0 f32 2\0Aoutput 0 f32 2\0Aentry touch\0Ainput arg0 f32 2\0A"
// CHECK-DAG: func.func private @ext(tensor<2xf32>) -> tensor<2xf32>
// CHECK-DAG: func.func private @helper(
// CHECK-DAG: func.func private @predict(
// CHECK-DAG: func.func private @touch(
// CHECK-DAG: func.func @_kiln_entry_predict(%{{.*}}: memref<2xf32>, %{{.*}}: memref<2xf32>) attributes {llvm.emit_c_interface}
// CHECK-DAG: func.func @_kiln_entry_touch(%{{.*}}: memref<2xf32>) attributes {llvm.emit_c_interface}
// CHECK-NOT: _kiln_entry_helper
// CHECK-NOT: _kiln_entry_ext
func.func private @ext(tensor<2xf32>) -> tensor<2xf32>
func.func private @helper(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = nn.relu %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @predict(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = call @helper(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @touch(%x: tensor<2xf32>) {
  return
}

// -----

/// Error: dynamic shapes cannot cross the ABI.
// expected-error @+1 {{entry point 'dyn': argument #0 has type 'tensor<?x4xf32>'; entry points take and return statically shaped tensors of f32, i32 or i64 whose size fits in 64 bits}}
func.func @dyn(%x: tensor<?x4xf32>) -> tensor<f32> {
  %0 = nn.constant dense<0.0> : tensor<f32>
  return %0 : tensor<f32>
}

// -----

/// Error: i1 masks are not an ABI element type.
// expected-error @+1 {{entry point 'mask': result #0 has type 'tensor<4xi1>'}}
func.func @mask(%x: tensor<4xf32>) -> tensor<4xi1> {
  %0 = nn.compare gt, %x, %x : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xi1>
}

// -----

/// Error: a scalar that is not a tensor.
// expected-error @+1 {{entry point 'scalar': argument #0 has type 'f32'}}
func.func @scalar(%x: f32) {
  return
}

// -----

/// Error: unranked tensors and other element types (each argument reported).
// expected-error @+2 {{entry point 'two': argument #0 has type 'tensor<*xf32>'}}
// expected-error @+1 {{entry point 'two': argument #1 has type 'tensor<2xf16>'}}
func.func @two(%x: tensor<*xf32>, %y: tensor<2xf16>) {
  return
}

// -----

/// Error: a tensor whose byte size overflows 64 bits.
// expected-error @+1 {{entry point 'huge': argument #0 has type 'tensor<4611686018427387904xf32>'}}
func.func @huge(%x: tensor<4611686018427387904xf32>) {
  return
}

// -----

/// Error: there is nothing to export.
// expected-error @+1 {{the module has no public function to export as an entry point}}
module {
  func.func private @f(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
  func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
}

// -----

/// Error: the entry name must be a C identifier.
// expected-error @+1 {{entry point 'my-model': the name must be a C identifier (letters, digits and '_')}}
func.func @"my-model"(%x: tensor<2xf32>) {
  return
}

// -----

/// Error: an input name with whitespace would break the signature line.
// expected-error @+1 {{entry point 'f': argument #0 has an invalid 'nn.name' "the x"; input names are non-empty strings of printable ASCII without whitespace}}
func.func @f(%x: tensor<2xf32> {nn.name = "the x"}) {
  return
}

// -----

/// Error: nn.name must be a string.
// expected-error @+1 {{entry point 'f': argument #0 has an invalid 'nn.name' 3 : i64}}
func.func @f(%x: tensor<2xf32> {nn.name = 3}) {
  return
}

// -----

/// Error: an explicit name equals the default name of another input.
// expected-error @+1 {{entry point 'f': arguments #0 and #1 are both named 'arg1'; parameter, state and input names must be unique}}
func.func @f(%x: tensor<2xf32> {nn.name = "arg1"}, %y: tensor<2xf32>) {
  return
}

// -----

/// Error: an input named like a parameter.
// expected-error @+1 {{entry point 'f': arguments #0 and #1 are both named 'w'}}
func.func @f(%w: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "zeros", name = "w", seed = 0 : i64}},
             %x: tensor<2xf32> {nn.name = "w"}) {
  return
}

// -----

/// Error: nn.param must be a dictionary.
// expected-error @+1 {{entry point 'f': argument #0 has a malformed 'nn.param' attribute: expected a dictionary}}
func.func @f(%w: tensor<2xf32> {nn.param = "w"}) {
  return
}

// -----

/// Error: an unknown initializer.
// expected-error @+1 {{entry point 'f': argument #0 has a malformed 'nn.param' attribute: 'init' must name an initializer}}
func.func @f(%w: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "glorot", name = "w", seed = 0 : i64}}) {
  return
}

// -----

/// Error: a missing name.
// expected-error @+1 {{entry point 'f': argument #0 has a malformed 'nn.param' attribute: 'name' must be a non-empty string of printable ASCII without whitespace}}
func.func @f(%w: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "zeros", seed = 0 : i64}}) {
  return
}

// -----

/// Error: a missing seed.
// expected-error @+1 {{entry point 'f': argument #0 has a malformed 'nn.param' attribute: 'seed' must be an integer of at most 64 bits}}
func.func @f(%w: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "zeros", name = "w"}}) {
  return
}

// -----

/// Error: fans are positive.
// expected-error @+1 {{entry point 'f': argument #0 has a malformed 'nn.param' attribute: 'fan_in' must be a positive integer}}
func.func @f(%w: tensor<2xf32> {nn.param = {fan_in = 0 : i64, fan_out = 2 : i64, init = "he_uniform", name = "w", seed = 0 : i64}}) {
  return
}

// -----

/// Error: normal without std.
// expected-error @+1 {{entry point 'f': argument #0 has a malformed 'nn.param' attribute: 'normal' needs finite float 'std'}}
func.func @f(%w: tensor<2xf32> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "normal", mean = 0.0 : f64, name = "w", seed = 0 : i64}}) {
  return
}

// -----

/// Error: parameters are f32.
// expected-error @+1 {{entry point 'f': argument #0 has a malformed 'nn.param' attribute: parameters are f32 tensors, got i64 elements}}
func.func @f(%w: tensor<2xi64> {nn.param = {fan_in = 2 : i64, fan_out = 2 : i64, init = "zeros", name = "w", seed = 0 : i64}}) {
  return
}

// -----

/// Error: the wrapper's name is taken by another symbol.
// expected-error @+1 {{entry point 'f': its wrapper name '_kiln_entry_f' is already taken}}
func.func @f(%x: tensor<2xf32>) {
  return
}
// expected-note @+1 {{by this symbol}}
func.func private @_kiln_entry_f(%x: tensor<2xf32>) {
  return
}

// -----

/// Error: entry points were exported already.
// expected-error @+1 {{the module already has a 'kiln.signature' attribute; entry points are exported once}}
module attributes {kiln.signature = "kiln-abi 1\0A"} {
  func.func @f(%x: tensor<2xf32>) {
    return
  }
}

// -----

/// A training step: results tagged `nn.update` are written back into the
/// buffer of the parameter or state they name (read through a writable
/// to_tensor), so they are not outputs; the updated params get `inout=1`,
/// states are listed with their parameter, the step count is an input with
/// `role=step`, and the entry names its evaluation function with `train=`.
// CHECK-LABEL: module attributes
// CHECK-SAME: kiln.signature = "kiln-abi 1\0Aentry m_train_step train=m\0A
// CHECK-SAME: param w f32 3 init=zeros seed=0 a=0 b=0 fan_in=3 fan_out=3 inout=1\0A
// CHECK-SAME: state w.momentum_buffer f32 3 of=w\0A
// CHECK-SAME: input step i64 scalar role=step\0A
// CHECK-SAME: input x f32 3\0A
// CHECK-SAME: output 0 f32 scalar\0A"
// CHECK-LABEL: func.func @_kiln_entry_m_train_step
// CHECK-SAME: (%[[W:.*]]: memref<3xf32>, %[[B:.*]]: memref<3xf32>, %[[S:.*]]: memref<i64>, %[[X:.*]]: memref<3xf32>, %[[L:.*]]: memref<f32>)
// CHECK: %[[TW:.*]] = bufferization.to_tensor %[[W]] restrict writable : memref<3xf32>
// CHECK: %[[TB:.*]] = bufferization.to_tensor %[[B]] restrict writable : memref<3xf32>
// CHECK: %[[TS:.*]] = bufferization.to_tensor %[[S]] restrict : memref<i64>
// CHECK: %[[TX:.*]] = bufferization.to_tensor %[[X]] restrict : memref<3xf32>
// CHECK: %[[R:.*]]:3 = call @m_train_step(%[[TW]], %[[TB]], %[[TS]], %[[TX]])
// CHECK: bufferization.materialize_in_destination %[[R]]#0 in restrict writable %[[L]]
// CHECK: bufferization.materialize_in_destination %[[R]]#1 in restrict writable %[[W]]
// CHECK: bufferization.materialize_in_destination %[[R]]#2 in restrict writable %[[B]]
func.func @m_train_step(%w: tensor<3xf32> {nn.param = {fan_in = 3 : i64, fan_out = 3 : i64, init = "zeros", name = "w", seed = 0 : i64}},
                        %b: tensor<3xf32> {nn.state = {name = "w.momentum_buffer", of = "w"}},
                        %s: tensor<i64> {nn.name = "step", nn.step},
                        %x: tensor<3xf32> {nn.name = "x"})
    -> (tensor<f32>, tensor<3xf32> {nn.update = "w"}, tensor<3xf32> {nn.update = "w.momentum_buffer"})
    attributes {nn.train_of = "m"} {
  %l = nn.reduce_sum %x axes = [0] : tensor<3xf32>
  return %l, %x, %x : tensor<f32>, tensor<3xf32>, tensor<3xf32>
}

// -----

/// Error: optimizer state must be updated by a result.
// expected-error @+1 {{entry point 'f': optimizer state 'w.m' is not updated by any result ('nn.update')}}
func.func @f(%m: tensor<3xf32> {nn.state = {name = "w.m", of = "w"}}) {
  return
}

// -----

/// Error: an update must name a parameter or state argument.
// expected-error @+1 {{entry point 'f': result #0 has 'nn.update' = "x", which names no parameter or state argument}}
func.func @f(%x: tensor<3xf32> {nn.name = "x"}) -> (tensor<3xf32> {nn.update = "x"}) {
  return %x : tensor<3xf32>
}

// -----

/// Error: two results update the same state.
// expected-error @+1 {{entry point 'f': result #1 updates 'm', which another result already updates}}
func.func @f(%m: tensor<3xf32> {nn.state = {name = "m"}}) -> (tensor<3xf32> {nn.update = "m"}, tensor<3xf32> {nn.update = "m"}) {
  return %m, %m : tensor<3xf32>, tensor<3xf32>
}

// -----

/// Error: an update has the type of what it updates.
// expected-error @+1 {{entry point 'f': result #0 of type 'tensor<2xf32>' cannot update 'm' of type 'tensor<3xf32>'}}
func.func @f(%m: tensor<3xf32> {nn.state = {name = "m"}}, %x: tensor<2xf32>) -> (tensor<2xf32> {nn.update = "m"}) {
  return %x : tensor<2xf32>
}

// -----

/// Error: the calling convention passes params, then state, then inputs.
// expected-error @+1 {{entry point 'f': argument #1 ('m') is out of order; entry points take parameters first, then optimizer state, then inputs}}
func.func @f(%x: tensor<3xf32>, %m: tensor<3xf32> {nn.state = {name = "m"}}) -> (tensor<3xf32> {nn.update = "m"}) {
  return %x : tensor<3xf32>
}

// -----

/// Error: the step count is a tensor<i64>.
// expected-error @+1 {{entry point 'f': the step count (argument #0) must be a tensor<i64>}}
func.func @f(%s: tensor<i32> {nn.step}) {
  return
}

// -----

/// Error: malformed state attribute.
// expected-error @+1 {{entry point 'f': argument #0 has a malformed 'nn.state' attribute {of = "w"}}}
func.func @f(%m: tensor<3xf32> {nn.state = {of = "w"}}) {
  return
}

// -----

/// One phase of a multi-phase training step (`phase=`), a buffer that the
/// phase updates (`buffer=1` with `inout=1`), a parameter it only reads, and
/// named and image outputs (`name=`, `image=`).
// CHECK-LABEL: module attributes
// CHECK-SAME: kiln.signature = "kiln-abi 1\0Aentry g_train_step_d train=g phase=d\0A
// CHECK-SAME: param w f32 3 init=zeros seed=0 a=0 b=0 fan_in=3 fan_out=3 inout=1\0A
// CHECK-SAME: param v f32 3 init=ones seed=0 a=0 b=0 fan_in=3 fan_out=3\0A
// CHECK-SAME: param m f32 3 init=zeros seed=0 a=0 b=0 fan_in=3 fan_out=3 inout=1 buffer=1\0A
// CHECK-SAME: input step i64 scalar role=step\0A
// CHECK-SAME: input x f32 3\0A
// CHECK-SAME: input img f32 1x4\0A
// CHECK-SAME: output 0 f32 scalar name=d_loss\0A
// CHECK-SAME: output 1 f32 1x4 image=samples\0A"
func.func @g_train_step_d(%w: tensor<3xf32> {nn.param = {fan_in = 3 : i64, fan_out = 3 : i64, init = "zeros", name = "w", seed = 0 : i64}},
                          %v: tensor<3xf32> {nn.param = {fan_in = 3 : i64, fan_out = 3 : i64, init = "ones", name = "v", seed = 0 : i64}},
                          %m: tensor<3xf32> {nn.param = {buffer, fan_in = 3 : i64, fan_out = 3 : i64, init = "zeros", name = "m", seed = 0 : i64}},
                          %s: tensor<i64> {nn.name = "step", nn.step},
                          %x: tensor<3xf32> {nn.name = "x"},
                          %img: tensor<1x4xf32> {nn.name = "img"})
    -> (tensor<f32> {nn.name = "d_loss"}, tensor<1x4xf32> {nn.image = "samples"},
        tensor<3xf32> {nn.update = "w"}, tensor<3xf32> {nn.update = "m"})
    attributes {nn.train_of = "g", nn.phase = "d"} {
  %l = nn.reduce_sum %x axes = [0] : tensor<3xf32>
  return %l, %img, %x, %x : tensor<f32>, tensor<1x4xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// expected-error @+1 {{entry point 'bad_name': result #0 has an invalid 'nn.name' "a b"; output names are non-empty strings of printable ASCII without whitespace}}
func.func @bad_name(%x: tensor<3xf32>) -> (tensor<f32> {nn.name = "a b"}) {
  %l = nn.reduce_sum %x axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}

// -----

// expected-error @+1 {{entry point 'bad_image': result #1 of type 'tensor<4x3xf32>' cannot be an image ('nn.image'); images are f32 [N, H, W], [N, 1, H, W] or [N, P] with P a square}}
func.func @bad_image(%x: tensor<4x3xf32>) -> (tensor<f32>, tensor<4x3xf32> {nn.image = "i"}) {
  %l = nn.reduce_sum %x axes = [0, 1] : tensor<4x3xf32>
  return %l, %x : tensor<f32>, tensor<4x3xf32>
}

// -----

// expected-error @+1 {{entry point 'bad_image_name': result #1: image name 'a/b' must not contain '/'}}
func.func @bad_image_name(%x: tensor<4x4xf32>) -> (tensor<f32>, tensor<4x4xf32> {nn.image = "a/b"}) {
  %l = nn.reduce_sum %x axes = [0, 1] : tensor<4x4xf32>
  return %l, %x : tensor<f32>, tensor<4x4xf32>
}

// -----

// expected-error @+1 {{entry point 'reserved': result #1 is named 'acc', which the trainer reports itself; choose another 'nn.name'}}
func.func @reserved(%x: tensor<4xf32>) -> (tensor<f32>, tensor<f32> {nn.name = "acc"}) {
  %l = nn.reduce_sum %x axes = [0] : tensor<4xf32>
  return %l, %l : tensor<f32>, tensor<f32>
}
