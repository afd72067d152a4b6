// RUN: kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(kiln-example-simplify))' \
// RUN:   -split-input-file | FileCheck %s --check-prefixes=CHECK,DEFAULT
// RUN: kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(kiln-example-simplify{assume-finite=true}))' \
// RUN:   -split-input-file | FileCheck %s --check-prefixes=CHECK,FINITE

// kiln-example-simplify from the example pass plugin. Each rewrite is
// followed by cases that must stay.

/// nn.mul(x, one) -> x, with a scalar 1.0 that broadcasts to x's shape.
// CHECK-LABEL: func.func @mul_one_rhs
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: nn.mul
// CHECK: return %[[X]]
func.func @mul_one_rhs(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %one = nn.constant dense<1.0> : tensor<f32>
  %0 = nn.mul %x, %one : tensor<4x3xf32>, tensor<f32>
  return %0 : tensor<4x3xf32>
}

// -----

/// nn.mul(one, x) -> x, with a full-size splat 1.0.
// CHECK-LABEL: func.func @mul_one_lhs
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: nn.mul
// CHECK: return %[[X]]
func.func @mul_one_lhs(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %one = nn.constant dense<1.0> : tensor<4x3xf32>
  %0 = nn.mul %one, %x : tensor<4x3xf32>, tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// The rewrite applies to a fixed point: x * 1 * 1 -> x.
// CHECK-LABEL: func.func @mul_one_twice
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK-NOT: nn.mul
// CHECK: return %[[X]]
func.func @mul_one_twice(%x: tensor<3xf32>) -> tensor<3xf32> {
  %one = nn.constant dense<1.0> : tensor<3xf32>
  %0 = nn.mul %x, %one : tensor<3xf32>, tensor<3xf32>
  %1 = nn.mul %0, %one : tensor<3xf32>, tensor<3xf32>
  return %1 : tensor<3xf32>
}

// -----

/// A one that broadcasts x to a larger shape stays: the product is not x.
// CHECK-LABEL: func.func @mul_one_broadcasts
// CHECK: %[[M:.*]] = nn.mul
// CHECK: return %[[M]]
func.func @mul_one_broadcasts(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %one = nn.constant dense<1.0> : tensor<2x3xf32>
  %0 = nn.mul %x, %one : tensor<3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

/// Multiplying by 2 stays.
// CHECK-LABEL: func.func @mul_two
// CHECK: %[[M:.*]] = nn.mul
// CHECK: return %[[M]]
func.func @mul_two(%x: tensor<3xf32>) -> tensor<3xf32> {
  %two = nn.constant dense<2.0> : tensor<f32>
  %0 = nn.mul %x, %two : tensor<3xf32>, tensor<f32>
  return %0 : tensor<3xf32>
}

// -----

/// A constant that is not all ones stays, even if some elements are 1.
// CHECK-LABEL: func.func @mul_not_splat
// CHECK: %[[M:.*]] = nn.mul
// CHECK: return %[[M]]
func.func @mul_not_splat(%x: tensor<3xf32>) -> tensor<3xf32> {
  %c = nn.constant dense<[1.0, 2.0, 1.0]> : tensor<3xf32>
  %0 = nn.mul %x, %c : tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

/// A non-constant operand stays.
// CHECK-LABEL: func.func @mul_not_constant
// CHECK: %[[M:.*]] = nn.mul
// CHECK: return %[[M]]
func.func @mul_not_constant(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %0 = nn.mul %x, %y : tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

/// nn.sub(x, x) -> zeros only with assume-finite=true (inf - inf is NaN).
// CHECK-LABEL: func.func @sub_self
// DEFAULT: %[[S:.*]] = nn.sub %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xf32>
// DEFAULT: return %[[S]]
// FINITE-NOT: nn.sub
// FINITE: %[[Z:.*]] = nn.constant dense<0.000000e+00> : tensor<2x3xf32>
// FINITE: return %[[Z]]
func.func @sub_self(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.sub %x, %x : tensor<2x3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

/// x - y stays, with or without assume-finite.
// CHECK-LABEL: func.func @sub_other
// CHECK: %[[S:.*]] = nn.sub
// CHECK: return %[[S]]
func.func @sub_other(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %0 = nn.sub %x, %y : tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<3xf32>
}
