// RUN: not kiln-opt %s --load-pass-plugin=/nonexistent.so \
// RUN:   --pass-pipeline='builtin.module(func.func(kiln-example-count-ops))' \
// RUN:   2>&1 | FileCheck %s --check-prefix=NO-FILE
// RUN: not kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExampleDialectPlugin.so \
// RUN:   --pass-pipeline='builtin.module(func.func(kiln-example-count-ops))' \
// RUN:   2>&1 | FileCheck %s --check-prefix=NOT-A-PASS-PLUGIN
// RUN: not kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   -kiln-example-count-ops 2>&1 | FileCheck %s --check-prefix=FLAG
// RUN: not kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --pass-pipeline='builtin.module(kiln-example-count-ops)' \
// RUN:   2>&1 | FileCheck %s --check-prefix=NOT-NESTED

// kiln-opt reports a pass plugin it cannot load ("Request ignored.") and
// carries on; the run then fails on the first pass it does not know.

// A missing file.
// NO-FILE: Failed to load passes from '/nonexistent.so'. Request ignored.
// NO-FILE: error: {{.*}}'kiln-example-count-ops' does not refer to a registered pass or pass pipeline

// A library without mlirGetPassPluginInfo.
// NOT-A-PASS-PLUGIN: Failed to load passes from '{{.*}}KilnExampleDialectPlugin.so'. Request ignored.
// NOT-A-PASS-PLUGIN: error: {{.*}}'kiln-example-count-ops' does not refer to a registered pass or pass pipeline

// Plugin passes are registered after kiln-opt has built its command line:
// they work in --pass-pipeline but not as flags of their own.
// FLAG: Unknown command line argument '-kiln-example-count-ops'

// The plugin's passes run on func.func and must be nested in it.
// NOT-NESTED: error: Can't add pass 'KilnExampleCountOps' restricted to 'func.func' on a PassManager intended to run on 'builtin.module', did you intend to nest?

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
