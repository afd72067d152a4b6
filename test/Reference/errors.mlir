// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.zeros((2, 3), np.float32)); np.save('%t/bad_shape.npy', np.zeros((3, 2), np.float32)); np.save('%t/bad_dtype.npy', np.zeros((2, 3), np.int32)); np.save('%t/l.npy', np.array([0, 3], np.int32)); np.save('%t/ok_l.npy', np.array([0, 2], np.int32)); open('%t/garbage.npy', 'wb').write(b'not an npy file')"

/// Missing and extra inputs name the inputs the entry takes.
// RUN: not kiln-interp %s %t/x.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: kiln-interp: error: missing input 'arg1': entry 'loss' takes 2 inputs (arg0 arg1), got 1
// RUN: not kiln-interp %s %t/x.npy %t/ok_l.npy %t/x.npy 2>&1 | FileCheck %s --check-prefix=EXTRA
// EXTRA: kiln-interp: error: too many inputs: entry 'loss' takes 2 inputs (arg0 arg1), got 3

/// Shape and dtype mismatches name the file and the expected type.
// RUN: not kiln-interp %s %t/bad_shape.npy %t/ok_l.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: kiln-interp: error: {{.*}}bad_shape.npy: input 'arg0': expected shape 2x3 f32, got 3x2 f32
// RUN: not kiln-interp %s %t/bad_dtype.npy %t/ok_l.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: kiln-interp: error: {{.*}}bad_dtype.npy: input 'arg0': expected shape 2x3 f32, got 2x3 i32

/// Malformed and missing .npy files.
// RUN: not kiln-interp %s %t/garbage.npy %t/ok_l.npy 2>&1 | FileCheck %s --check-prefix=GARBAGE
// GARBAGE: kiln-interp: error: {{.*}}garbage.npy: {{.+}}
// RUN: not kiln-interp %s %t/nonexistent.npy %t/ok_l.npy 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: kiln-interp: error: {{.*}}nonexistent.npy{{.*}}

/// A label outside [0, C) is reported at the op, with its location.
// RUN: not kiln-interp %s %t/x.npy %t/l.npy 2>&1 | FileCheck %s --check-prefix=LABEL
// LABEL: errors.mlir:[[@LINE+3]]:8: error: label 3 of row 1 is out of range [0, 3)
func.func @loss(%x: tensor<2x3xf32>, %l: tensor<2xi32>) -> tensor<f32> {
  %w = nn.param "w" he_uniform seed = 2 : tensor<2x3xf32>
  %0 = nn.cross_entropy %w, %l : tensor<2x3xf32>, tensor<2xi32>
  return %0 : tensor<f32>
}

/// Ops the interpreter does not know are rejected at their location.
// RUN: not kiln-interp %s --entry unsupported 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OP
// UNKNOWN-OP: errors.mlir:[[@LINE+2]]:8: error: reference interpreter does not support 'func.constant'
func.func @unsupported() -> (() -> ()) {
  %0 = func.constant @loss2 : () -> ()
  return %0 : () -> ()
}
func.func private @loss2()

/// Unknown entries list the functions that exist.
// RUN: not kiln-interp %s --entry nope 2>&1 | FileCheck %s --check-prefix=ENTRY
// ENTRY: kiln-interp: error: unknown entry 'nope' (available: loss, unsupported, mask, bad_fans, bad_attr)

/// More -o files than outputs.
// RUN: not kiln-interp %s %t/x.npy %t/ok_l.npy -o %t/a.npy -o %t/b.npy 2>&1 | FileCheck %s --check-prefix=OUTS
// OUTS: kiln-interp: error: too many -o options: entry 'loss' has 1 output

/// i1 inputs have no .npy form.
// RUN: not kiln-interp %s --entry mask --rand-inputs 1 2>&1 | FileCheck %s --check-prefix=MASK
// MASK: kiln-interp: error: input 'arg0' has type tensor<2xi1>, which has no .npy representation
func.func @mask(%m: tensor<2xi1>) -> tensor<2xi1> {
  return %m : tensor<2xi1>
}

/// Option errors of random inputs.
// RUN: not kiln-interp %s --rand-inputs 1 %t/x.npy 2>&1 | FileCheck %s --check-prefix=MIXED
// MIXED: kiln-interp: error: --rand-inputs cannot be combined with input files
// RUN: not kiln-interp %s --rand-inputs 1 --rand-range 1,0 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: kiln-interp: error: invalid --rand-range '1,0': expected LO,HI with LO < HI
// RUN: not kiln-interp %s --rand-inputs 1 --label-range x 2>&1 | FileCheck %s --check-prefix=LRANGE
// LRANGE: kiln-interp: error: invalid --label-range 'x': expected LO,HI with LO < HI
// RUN: not kiln-interp %S/Inputs/int-input.mlir --rand-inputs 1 2>&1 | FileCheck %s --check-prefix=NOLABEL
// NOLABEL: kiln-interp: error: integer input 'arg0' is not the labels of an nn.cross_entropy or nn.focal_loss; give its range with --label-range LO,HI

/// Malformed models are reported by the parser with file:line:col.
// RUN: not kiln-interp %S/Inputs/malformed.mlir 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: malformed.mlir:3:8: error: custom op 'nn.bogus' is unknown
// RUN: not kiln-interp %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=NOMODEL
// NOMODEL: kiln-interp: error: cannot open '{{.*}}missing.mlir': No such file or directory

/// Promoted parameters whose recorded initializer the runtime rejects, and
/// malformed `nn.param` argument attributes.
// RUN: not kiln-interp %s --entry bad_fans 2>&1 | FileCheck %s --check-prefix=FANS
// FANS: errors.mlir:[[@LINE+3]]:5: error: cannot initialize parameter 'w' (he_uniform, fan_in 0, fan_out 0): invalid argument
// FANS-NOT: no value
func.func @bad_fans(
    %w: tensor<2xf32> {nn.param = {fan_in = 0 : i64, fan_out = 0 : i64,
                                   init = "he_uniform", name = "w",
                                   seed = 1 : i64}}) -> tensor<2xf32> {
  return %w : tensor<2xf32>
}
// RUN: not kiln-interp %s --entry bad_attr 2>&1 | FileCheck %s --check-prefix=ATTR
// ATTR: errors.mlir:[[@LINE+1]]:1: error: argument #0 has a malformed 'nn.param' attribute
func.func @bad_attr(%w: tensor<2xf32> {nn.param = {init = "magic"}})
    -> tensor<2xf32> {
  return %w : tensor<2xf32>
}
