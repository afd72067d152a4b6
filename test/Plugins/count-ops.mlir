// RUN: kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(kiln-example-count-ops))' \
// RUN:   -split-input-file -verify-diagnostics | FileCheck %s
// RUN: kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(kiln-example-count-ops{dialect=func}))' \
// RUN:   -split-input-file 2>&1 | FileCheck %s --check-prefix=FUNC
// RUN: not kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(kiln-example-count-ops{dialect=}))' \
// RUN:   -split-input-file 2>&1 | FileCheck %s --check-prefix=EMPTY

// kiln-example-count-ops from the example pass plugin: one remark per
// function with its nn op counts, sorted by op name; the IR is unchanged.

// EMPTY: error: kiln-example-count-ops: option 'dialect' must name a dialect

/// Each op name once, with its count; the total comes first.
// CHECK-LABEL: func.func @mlp
// CHECK: nn.matmul
// CHECK: nn.add
// CHECK: nn.relu
// CHECK: nn.matmul
// FUNC: remark: 1 func ops in 'mlp': func.return 1
// expected-remark@+1 {{4 nn ops in 'mlp': nn.add 1, nn.matmul 2, nn.relu 1}}
func.func @mlp(%x: tensor<2x4xf32>, %w1: tensor<4x8xf32>, %b1: tensor<8xf32>,
               %w2: tensor<8x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.matmul %x, %w1 : tensor<2x4xf32>, tensor<4x8xf32>
  %1 = nn.add %0, %b1 : tensor<2x8xf32>, tensor<8xf32>
  %2 = nn.relu %1 : tensor<2x8xf32>
  %3 = nn.matmul %2, %w2 : tensor<2x8xf32>, tensor<8x3xf32>
  return %3 : tensor<2x3xf32>
}

// -----

/// A function without nn ops still gets its remark; other dialects' ops are
/// not counted.
// FUNC: remark: 2 func ops in 'no_nn': func.call 1, func.return 1
// expected-remark@+1 {{0 nn ops in 'no_nn'}}
func.func @no_nn(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = call @ext(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func private @ext(tensor<4xf32>) -> tensor<4xf32>

// -----

/// Ops nested in regions count too.
// FUNC: remark: 1 func ops in 'nested': func.return 1
// expected-remark@+1 {{2 nn ops in 'nested': nn.exp 1, nn.neg 1}}
func.func @nested(%c: i1, %x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = scf.if %c -> tensor<4xf32> {
    %1 = nn.exp %x : tensor<4xf32>
    scf.yield %1 : tensor<4xf32>
  } else {
    %2 = nn.neg %x : tensor<4xf32>
    scf.yield %2 : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
