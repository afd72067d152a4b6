// kilnc loads the example pass plugin and runs its passes at named points
// of its own pipeline (--run-pass-after/--run-pass-before PASS:PIPELINE).

/// kiln-example-count-ops after kiln-train-step sees the training step that
/// pass built; before it, only the model. The IR is the same as without it.
// RUN: kilnc %s --emit=nn --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --run-pass-after='kiln-train-step:func.func(kiln-example-count-ops)' \
// RUN:   -o %t.after.mlir 2>&1 | FileCheck %s --check-prefix=AFTER
// AFTER: remark: 5 nn ops in 'tiny': nn.constant 1, nn.cross_entropy 1, nn.matmul 1, nn.mul 1, nn.param 1
// AFTER: remark: {{[0-9]+}} nn ops in 'tiny_train_step': {{.*}}nn.sgd 1
// RUN: kilnc %s --emit=nn --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --run-pass-before='kiln-train-step:func.func(kiln-example-count-ops)' \
// RUN:   -o %t.before.mlir 2>&1 | FileCheck %s --check-prefix=BEFORE \
// RUN:   --implicit-check-not=tiny_train_step
// BEFORE: remark: 5 nn ops in 'tiny': nn.constant 1, nn.cross_entropy 1, nn.matmul 1, nn.mul 1, nn.param 1
// RUN: kilnc %s --emit=nn -o %t.plain.mlir
// RUN: diff %t.plain.mlir %t.after.mlir
// RUN: diff %t.plain.mlir %t.before.mlir

/// kiln-example-simplify before kiln-autodiff removes the multiplication by
/// one from the model, so the training step has no gradient for it either.
// RUN: kilnc %s --emit=nn --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --run-pass-before='kiln-autodiff:func.func(kiln-example-simplify)' \
// RUN:   | FileCheck %s --check-prefix=SIMPLIFIED
// SIMPLIFIED-LABEL: func.func @tiny(
// SIMPLIFIED-SAME: %[[X:[^:]*]]: tensor<4x2xf32>
// SIMPLIFIED-NOT: nn.mul
// SIMPLIFIED: nn.matmul %[[X]]
// SIMPLIFIED-LABEL: func.func @tiny_train_step(
// SIMPLIFIED-NOT: nn.mul %{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<f32>
// SIMPLIFIED: return
// RUN: kilnc %s --emit=nn | FileCheck %s --check-prefix=PLAIN
// PLAIN-LABEL: func.func @tiny(
// PLAIN: nn.mul %{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<f32>

/// --print-pipeline shows the plugin's pass at its point, and kiln-opt
/// replays that pipeline with the plugin to kilnc's very output.
// RUN: kilnc %s --print-pipeline --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --run-pass-before='kiln-autodiff:func.func(kiln-example-simplify)' \
// RUN:   --run-pass-after='kiln-convert-nn-to-linalg:func.func(kiln-example-count-ops{dialect=linalg})' \
// RUN:   > %t.pipeline
// RUN: FileCheck %s --input-file=%t.pipeline --check-prefix=PIPELINE
// PIPELINE: builtin.module(func.func(kiln-example-simplify{assume-finite=false}),kiln-autodiff{},kiln-train-step,
// PIPELINE-SAME: kiln-convert-nn-to-linalg,func.func(kiln-example-count-ops{dialect=linalg}),canonicalize
// PIPELINE-SAME: reconcile-unrealized-casts)
// RUN: kiln-opt %s --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --pass-pipeline="$(cat %t.pipeline)" -o %t.replayed.mlir 2> %t.replayed.err
// RUN: kilnc %s --emit=llvm-mlir --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --run-pass-before='kiln-autodiff:func.func(kiln-example-simplify)' \
// RUN:   --run-pass-after='kiln-convert-nn-to-linalg:func.func(kiln-example-count-ops{dialect=linalg})' \
// RUN:   -o %t.kilnc.mlir 2> %t.kilnc.err
// RUN: diff %t.kilnc.mlir %t.replayed.mlir
// RUN: FileCheck %s --input-file=%t.kilnc.err --check-prefix=LINALG
// LINALG: remark: {{[0-9]+}} linalg ops in 'tiny': {{.*}}linalg.matmul

/// A pass nested on functions is split around the point: the inserted
/// pipeline runs on the module between the two halves.
// RUN: kilnc %s --print-pipeline --run-pass-before=loop-invariant-code-motion:cse \
// RUN:   --run-pass-after=loop-invariant-code-motion:symbol-dce \
// RUN:   | FileCheck %s --check-prefix=SPLIT
// SPLIT: ,cse,func.func(loop-invariant-code-motion),symbol-dce,

/// Each run of a pass that occurs several times is a point.
// RUN: kilnc %s --print-pipeline --emit=linalg --run-pass-after=canonicalize:symbol-dce \
// RUN:   | FileCheck %s --check-prefix=EACH
// EACH: kiln-train-step,canonicalize{{[{][^}]*[}]}},symbol-dce,cse,
// EACH-SAME: kiln-convert-nn-to-linalg,canonicalize{{[{][^}]*[}]}},symbol-dce)

/// --dump-after numbers the plugin's pass like any other.
// RUN: rm -rf %t.dump
// RUN: kilnc %s --emit=nn --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --run-pass-before='kiln-autodiff:func.func(kiln-example-simplify)' \
// RUN:   --dump-after=kiln-example-simplify --dump-dir=%t.dump -o /dev/null
// RUN: FileCheck %s --input-file=%t.dump/01-kiln-example-simplify@tiny.mlir --check-prefix=DUMP
// DUMP-LABEL: func.func @tiny(
// DUMP-NOT: nn.mul
// DUMP: return

/// The executable built with the plugin's pass in its pipeline trains.
// RUN: rm -rf %t.data && mkdir -p %t.data
// RUN: printf '0,1,0\n1,0,1\n2,1,1\n0,0,0\n1,0,2\n2,2,1\n0,3,0\n1,0,3\n' > %t.data/train.csv
// RUN: kilnc %s -o %t.prog --load-pass-plugin=%kiln_lib/KilnExamplePassPlugin.so \
// RUN:   --run-pass-before='kiln-autodiff:func.func(kiln-example-simplify)'
// RUN: %t.prog --data %t.data --epochs 2 --quiet | FileCheck %s --check-prefix=TRAIN
// TRAIN: epoch 1/2  loss
// TRAIN: epoch 2/2  loss

func.func @tiny(%x: tensor<4x2xf32> {nn.name = "x"},
                %y: tensor<4xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<4x3xf32>)
    attributes {nn.train = {optimizer = "sgd", lr = 0.1}} {
  %w = nn.param "w" xavier_uniform seed = 1 : tensor<2x3xf32>
  %one = nn.constant dense<1.0> : tensor<f32>
  %xs = nn.mul %x, %one : tensor<4x2xf32>, tensor<f32>
  %logits = nn.matmul %xs, %w : tensor<4x2xf32>, tensor<2x3xf32>
  %loss = nn.cross_entropy %logits, %y : tensor<4x3xf32>, tensor<4xi64>
  return %loss, %logits : tensor<f32>, tensor<4x3xf32>
}
