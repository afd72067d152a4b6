// The checker can fail: the same correct gradient is rejected when the
// tolerance is zero (f32 gradients never match f64 differences exactly) and
// when the finite-difference step is so large (0.5) that the truncation
// error of the central difference, h^2/6 * f''' ~ 4% for exp, exceeds the
// default tolerance. Failing params are reported with their worst element
// and the tool exits 1.

// RUN: kiln-gradcheck %s | FileCheck %s --check-prefix=OK
// RUN: not kiln-gradcheck %s --rtol 0 --atol 0 | FileCheck %s --check-prefix=EXACT
// RUN: not kiln-gradcheck %s --eps 0.5 | FileCheck %s --check-prefix=BIG-STEP

// OK:       w{{ +}}2x3{{ +}}6/6{{ .*}}PASS
// OK:       direction{{.*}}PASS
// OK:       gradcheck: 1 params passed, 0 failed

// EXACT:    rtol 0, atol 0
// EXACT:    w{{ +}}2x3{{ +}}6/6{{ .*}}FAIL
// EXACT-NEXT: {{[1-6]}} of 6 elements out of tolerance; worst [{{[0-9]}}, {{[0-9]}}]: compiled {{.*}}, finite difference
// EXACT:    direction{{.*}}FAIL
// EXACT:    gradcheck: 0 params passed, 1 failed; direction check failed

// BIG-STEP: eps 0.5,
// BIG-STEP: w{{ +}}2x3{{ +}}6/6{{ .*}}FAIL
// BIG-STEP-NEXT: 6 of 6 elements out of tolerance
// BIG-STEP: direction{{.*}}FAIL
// BIG-STEP: gradcheck: 0 params passed, 1 failed; direction check failed

func.func @f(%x: tensor<2x3xf32>) -> tensor<f32> attributes {nn.differentiate} {
  %w = nn.param "w" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<2x3xf32>
  %0 = nn.exp %w : tensor<2x3xf32>
  %1 = nn.mul %0, %x : tensor<2x3xf32>, tensor<2x3xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<2x3xf32>
  return %2 : tensor<f32>
}
