// Errors of kiln-gradcheck: each exits 1 with a diagnostic.

// An op without a gradient rule between a parameter and the loss: the
// autodiff pass's error, with a note at the op.
// RUN: not kiln-gradcheck %s --function no_rule 2>&1 | FileCheck %s --check-prefix=NO-RULE
// NO-RULE: errors.mlir:[[# @LINE + 8]]:1: error: cannot differentiate 'no_rule': 1 op(s) between its parameters and its loss have no gradient rule
// NO-RULE: errors.mlir:[[# @LINE + 10]]:8: note: 'arith.addf' has no gradient rule
// NO-RULE-NOT: gradcheck:

// A func.call on the path is not differentiated through.
// RUN: not kiln-gradcheck %s --function through_call 2>&1 | FileCheck %s --check-prefix=CALL
// CALL: error: cannot differentiate 'through_call': 1 op(s) between its parameters and its loss have no gradient rule
// CALL: note: 'func.call' has no gradient rule
func.func @no_rule(%x: tensor<4xf32>) -> tensor<f32> {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = arith.addf %0, %0 : tensor<4xf32>
  %2 = nn.reduce_sum %1 axes = [0] : tensor<4xf32>
  return %2 : tensor<f32>
}

func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

func.func @through_call(%x: tensor<4xf32>) -> tensor<f32> {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = func.call @helper(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = nn.reduce_sum %1 axes = [0] : tensor<4xf32>
  return %2 : tensor<f32>
}

// The loss must be a scalar.
// RUN: not kiln-gradcheck %s --function vector_loss 2>&1 | FileCheck %s --check-prefix=VECTOR
// VECTOR: error: cannot differentiate 'vector_loss': its first result must be the loss, of type tensor<f32>
func.func @vector_loss(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Nothing to differentiate.
// RUN: not kiln-gradcheck %s --function no_params 2>&1 | FileCheck %s --check-prefix=NO-PARAMS
// NO-PARAMS: kiln-gradcheck: error: '@no_params' has no parameters: there is no gradient to check
func.func @no_params(%x: tensor<4xf32>) -> tensor<f32> {
  %0 = nn.reduce_sum %x axes = [0] : tensor<4xf32>
  return %0 : tensor<f32>
}

// An integer input that is not cross_entropy labels cannot be generated.
// RUN: not kiln-gradcheck %s --function int_input 2>&1 | FileCheck %s --check-prefix=INT-INPUT
// INT-INPUT: kiln-gradcheck: error: '@int_input': integer input 'arg1' is not the labels of an nn.cross_entropy or nn.focal_loss; kiln-gradcheck cannot generate it
func.func @int_input(%x: tensor<4xf32>, %i: tensor<4xi32>) -> tensor<f32> {
  %w = nn.param "w" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// No function is marked nn.differentiate and none is named.
// RUN: not kiln-gradcheck %s 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: kiln-gradcheck: error: no function to check: mark a loss function with 'nn.differentiate' or name it with --function

// RUN: not kiln-gradcheck %s --function missing 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: kiln-gradcheck: error: no function named 'missing' with a body to check

// Bad options.
// RUN: not kiln-gradcheck %s --function no_rule --samples 0 2>&1 | FileCheck %s --check-prefix=SAMPLES
// SAMPLES: kiln-gradcheck: error: --samples must be positive
// RUN: not kiln-gradcheck %s --function no_rule --eps 0 2>&1 | FileCheck %s --check-prefix=EPS
// EPS: kiln-gradcheck: error: --eps must be a positive number
// RUN: not kiln-gradcheck %s --function no_rule --rtol -1 2>&1 | FileCheck %s --check-prefix=TOL
// TOL: kiln-gradcheck: error: --rtol and --atol must be non-negative
// RUN: not kiln-gradcheck %s --function int_input --input-range 1,0 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: kiln-gradcheck: error: invalid --input-range '1,0': expected LO,HI with LO < HI

// A model that does not parse, and one that does not exist.
// RUN: echo 'func.func @f(' | not kiln-gradcheck - 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: <stdin>:1:14: error:
// RUN: not kiln-gradcheck %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: kiln-gradcheck: error: cannot open '{{.*}}does-not-exist.mlir':
