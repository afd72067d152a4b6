// RUN: not kiln-opt %s --load-dialect-plugin=/nonexistent.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-FILE
// RUN: not kiln-opt %s --load-dialect-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   2>&1 | FileCheck %s --check-prefix=NOT-A-DIALECT-PLUGIN

// kiln-opt reports a dialect plugin it cannot load ("Request ignored.") and
// carries on; parsing then fails on the first op of the missing dialect.

// A missing file.
// NO-FILE: Failed to load dialect plugin from '/nonexistent.so'. Request ignored.
// NO-FILE: error: Dialect `kiln_example' not found for custom op 'kiln_example.identity'

// A library without mlirGetDialectPluginInfo.
// NOT-A-DIALECT-PLUGIN: Failed to load dialect plugin from '{{.*}}KilnExamplePassPlugin.so'. Request ignored.
// NOT-A-DIALECT-PLUGIN: error: Dialect `kiln_example' not found for custom op 'kiln_example.identity'

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kiln_example.identity %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
