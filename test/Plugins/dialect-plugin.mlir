// RUN: kiln-opt %s --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   | FileCheck %s
// RUN: kiln-opt %s --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   --mlir-print-op-generic \
// RUN:   | kiln-opt --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   | FileCheck %s
// RUN: kiln-opt %s --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   -canonicalize | FileCheck %s --check-prefix=CANON
// RUN: kiln-opt %s --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(kiln-example-count-ops{dialect=kiln_example}))' \
// RUN:   2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not kiln-opt %s 2>&1 | FileCheck %s --check-prefix=NO-PLUGIN

// The kiln_example dialect exists only in KilnExampleDialectPlugin.so:
// kiln-opt parses, prints and folds its op with the plugin and rejects the
// input without it. The pass plugin can run on the same input.

// NO-PLUGIN: error: Dialect `kiln_example' not found for custom op 'kiln_example.identity'

/// kiln_example.identity round-trips (custom and generic form, with its
/// attributes) and folds to its operand under -canonicalize.
// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[I:.*]] = kiln_example.identity %[[X]] {tag = "after input"} : tensor<4xf32>
// CHECK: %[[R:.*]] = nn.relu %[[I]] : tensor<4xf32>
// CHECK: %[[J:.*]] = kiln_example.identity %[[R]] : tensor<4xf32>
// CHECK: return %[[J]]
// CANON-LABEL: func.func @identity
// CANON-SAME: (%[[X:.*]]: tensor<4xf32>)
// CANON-NOT: kiln_example.identity
// CANON: %[[R:.*]] = nn.relu %[[X]] : tensor<4xf32>
// CANON-NOT: kiln_example.identity
// CANON: return %[[R]]
// COUNT: remark: 2 kiln_example ops in 'identity': kiln_example.identity 2
func.func @identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kiln_example.identity %x {tag = "after input"} : tensor<4xf32>
  %1 = nn.relu %0 : tensor<4xf32>
  %2 = kiln_example.identity %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}
