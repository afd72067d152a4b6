// RUN: kiln-opt %s --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   -split-input-file -verify-diagnostics

// The verifier of kiln_example.identity (from KilnExampleDialectPlugin.so)
// runs in kiln-opt.

/// The result has the operand's type.
func.func @identity_type_mismatch(%x: tensor<4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{'kiln_example.identity' op requires the same type for all operands and results}}
  %0 = "kiln_example.identity"(%x) : (tensor<4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

/// Exactly one operand.
func.func @identity_two_operands(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'kiln_example.identity' op requires a single operand}}
  %0 = "kiln_example.identity"(%x, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
