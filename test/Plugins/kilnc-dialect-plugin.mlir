// kilnc loads the example dialect plugin before it parses the model: the
// model may use kiln_example.identity, which folds away in kilnc's first
// canonicalization, and compiles to a working executable.

// RUN: kilnc %s --emit=nn --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   | FileCheck %s
// CHECK-LABEL: func.func @double_relu(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4xf32>
// CHECK-NOT: kiln_example.identity
// CHECK: %[[R:.*]] = nn.relu %[[X]] : tensor<4xf32>
// CHECK: %[[S:.*]] = nn.add %[[R]], %[[R]]
// CHECK: return %[[S]]

/// The pass plugin runs on the plugin's ops before they fold away.
// RUN: kilnc %s --emit=nn --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --run-pass-before='kiln-autodiff:func.func(kiln-example-count-ops{dialect=kiln_example})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: remark: 2 kiln_example ops in 'double_relu': kiln_example.identity 2

/// The executable computes relu(x) + relu(x), the identities gone.
// RUN: kilnc %s -o %t.prog --load-dialect-plugin=%kiln_lib/KilnExampleDialectPlugin.so
// RUN: kiln-npy rand --shape 4 --seed 3 -o %t.x.npy
// RUN: kiln-npy print %t.x.npy | FileCheck %s --check-prefix=INPUT
// INPUT: [0.47503632, 0.8460803, -0.72309011, 0.47375524]
// RUN: %t.prog --print %t.x.npy | FileCheck %s --check-prefix=OUTPUT
// OUTPUT: [0.95007265, 1.6921606, 0., 0.94751048]

/// Without the plugin, the model does not parse.
// RUN: not kilnc %s --emit=nn 2>&1 | FileCheck %s --check-prefix=NO-PLUGIN
// NO-PLUGIN: error: Dialect `kiln_example' not found for custom op 'kiln_example.identity'

func.func @double_relu(%x: tensor<4xf32> {nn.name = "x"}) -> tensor<4xf32> {
  %0 = kiln_example.identity %x : tensor<4xf32>
  %1 = nn.relu %0 : tensor<4xf32>
  %2 = kiln_example.identity %1 {tag = "relu"} : tensor<4xf32>
  %3 = nn.add %2, %1 : tensor<4xf32>, tensor<4xf32>
  return %3 : tensor<4xf32>
}
