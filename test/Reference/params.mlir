// RUN: rm -rf %t && mkdir -p %t
// RUN: kiln-interp %s --entry ones | FileCheck %s --check-prefix=ONES
// RUN: kiln-interp %s --entry uniform -o %t/u.npy
// RUN: %python -c "import numpy as np; [print('%%.8g' %% v) for v in np.load('%t/u.npy')]" > %t/u.txt
// RUN: %python %S/Inputs/splitmix.py 3 -0.5 0.25 6 > %t/expected.txt
// RUN: diff %t/expected.txt %t/u.txt
// RUN: kiln-interp %s --entry op_form --rand-inputs 1 > %t/op.txt
// RUN: kiln-interp %s --entry promoted_form --rand-inputs 1 > %t/promoted.txt
// RUN: diff %t/op.txt %t/promoted.txt
// RUN: FileCheck %s --check-prefix=FORM < %t/op.txt

/// Parameters get the runtime's deterministic initializer, as in compiled
/// programs.

// ONES:      output 0: 3 f32
// ONES-NEXT: [1., 1., 1.]
func.func @ones() -> tensor<3xf32> {
  %o = nn.param "o" ones : tensor<3xf32>
  return %o : tensor<3xf32>
}

/// uniform(seed 3, [-0.5, 0.25)) agrees with an independent Python model of
/// the generator, element for element after rounding to f32.
func.func @uniform() -> tensor<6xf32> {
  %u = nn.param "u" uniform seed = 3 {high = 2.5e-01 : f64, low = -5.0e-01 : f64} : tensor<6xf32>
  return %u : tensor<6xf32>
}

/// An nn.param op and the argument kiln-promote-params makes of it get the
/// same value; the promoted argument is not an input.
// FORM: output 0: 2x3 f32
func.func @op_form(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = nn.param "w" he_normal seed = 4 : tensor<2x3xf32>
  %0 = nn.add %x, %w : tensor<2x3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @promoted_form(
    %w: tensor<2x3xf32> {nn.param = {fan_in = 2 : i64, fan_out = 3 : i64,
                                     init = "he_normal", name = "w",
                                     seed = 4 : i64}},
    %x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.add %x, %w : tensor<2x3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
