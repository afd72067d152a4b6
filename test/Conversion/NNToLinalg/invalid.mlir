// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file -verify-diagnostics

/// nn.param must become a function argument (kiln-promote-params) first.
func.func @param_not_promoted(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{nn.param 'w' cannot be lowered to linalg; run kiln-promote-params first}}
  %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x3xf32>
  %0 = nn.matmul %x, %w : tensor<4x3xf32>, tensor<3x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// Every unpromoted parameter is reported.
func.func @two_params() -> (tensor<3xf32>, tensor<2xf32>) {
  // expected-error @+1 {{nn.param 'a' cannot be lowered to linalg}}
  %a = nn.param "a" zeros : tensor<3xf32>
  // expected-error @+1 {{nn.param 'b' cannot be lowered to linalg}}
  %b = nn.param "b" ones : tensor<2xf32>
  return %a, %b : tensor<3xf32>, tensor<2xf32>
}
