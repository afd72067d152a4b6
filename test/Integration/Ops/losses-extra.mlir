// Differential test of focal_loss, triplet_margin_loss and kl_divergence:
// every function below runs JIT and AOT on seeded random inputs and is
// compared with the f64 reference interpreter.
// Floats uniform in [-3, 3); labels uniform in [0, C) (--label-range, since
// the tools infer C only for nn.cross_entropy's labels).
// |compiled - ref| <= 1e-6 + 1e-5 |ref|.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-3,3 --label-range 0,10 --rtol 1e-5 --atol 1e-6 \
// RUN:   --entry focal --entry focal_vs_ce --entry triplet --entry kl | FileCheck %s
// RUN: %python %kiln_src/utils/kiln-diff-test.py %s --bin %kiln_bin --work %t --range=-3,3 --label-range 0,3 --rtol 1e-5 --atol 1e-6 \
// RUN:   --entry focal_i32 | FileCheck %s --check-prefix=I32

/// gamma = 0, alpha = 1 is cross-entropy: the same value in the reference
/// and, bit for bit, in compiled code (the lowering then builds
/// cross_entropy's formula).
// RUN: %kiln_bin/kiln-npy compare %t/focal_vs_ce.ref0.npy %t/focal_vs_ce.ref1.npy --rtol 0 --atol 0
// RUN: %kiln_bin/kiln-npy compare %t/focal_vs_ce.aot0.npy %t/focal_vs_ce.aot1.npy --rtol 0 --atol 0
// RUN: %kiln_bin/kiln-npy compare %t/focal_vs_ce.jit0.npy %t/focal_vs_ce.jit1.npy --rtol 0 --atol 0

/// A label outside [0, C) is a data error: the reference interpreter reports
/// it at the op like cross_entropy does; compiled code clamps it into
/// [0, C) (here 7 reads class 2, -1 reads class 0).
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(12, dtype=np.float32).reshape(4, 3) / 4); np.save('%t/bad.npy', np.array([0, 7, 1, -1], np.int64)); np.save('%t/clamped.npy', np.array([0, 2, 1, 0], np.int64))"
// RUN: not %kiln_bin/kiln-interp %s --entry bad_label %t/x.npy %t/bad.npy 2>&1 | FileCheck %s --check-prefix=LABEL
// LABEL: losses-extra.mlir:[[@LINE+6]]:8: error: label 7 of row 1 is out of range [0, 3)
// RUN: %kiln_bin/kilnc %s --run --entry bad_label -o %t/bad.out.npy %t/x.npy %t/bad.npy
// RUN: %kiln_bin/kiln-interp %s --entry bad_label %t/x.npy %t/clamped.npy -o %t/clamped.ref.npy
// RUN: %kiln_bin/kiln-npy compare %t/bad.out.npy %t/clamped.ref.npy
func.func @bad_label(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<f32> {
  // The error is reported at the op below.
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<4x3xf32>, tensor<4xi64>
  return %0 : tensor<f32>
}

// CHECK-DAG: ok focal aot
// CHECK-DAG: ok focal jit
func.func @focal(%x: tensor<16x10xf32>, %l: tensor<16xi64>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.focal_loss %x, %l gamma = 0.5 alpha = 1.0 reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  %2 = nn.focal_loss %x, %l gamma = 1.5 alpha = 0.75 : tensor<16x10xf32>, tensor<16xi64>
  // Scaled logits: rows whose p_y is close to 1 or to 0.
  %c = nn.constant dense<8.0> : tensor<f32>
  %y = nn.mul %x, %c : tensor<16x10xf32>, tensor<f32>
  %3 = nn.focal_loss %y, %l gamma = 3.0 alpha = 0.5 reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}

// CHECK-DAG: ok focal_vs_ce aot
// CHECK-DAG: ok focal_vs_ce jit
func.func @focal_vs_ce(%x: tensor<16x10xf32>, %l: tensor<16xi64>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = nn.focal_loss %x, %l gamma = 0.0 alpha = 1.0 : tensor<16x10xf32>, tensor<16xi64>
  %1 = nn.cross_entropy %x, %l : tensor<16x10xf32>, tensor<16xi64>
  %2 = nn.focal_loss %x, %l gamma = 0.0 alpha = 1.0 reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  %3 = nn.cross_entropy %x, %l reduction = sum : tensor<16x10xf32>, tensor<16xi64>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}

// I32: ok focal_i32 aot
// I32: ok focal_i32 jit
func.func @focal_i32(%x: tensor<5x3xf32>, %l: tensor<5xi32>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.focal_loss %x, %l gamma = 2.0 alpha = 0.25 : tensor<5x3xf32>, tensor<5xi32>
  %1 = nn.focal_loss %x, %l gamma = 0.0 alpha = 0.5 reduction = sum : tensor<5x3xf32>, tensor<5xi32>
  return %0, %1 : tensor<f32>, tensor<f32>
}

// CHECK-DAG: ok triplet aot
// CHECK-DAG: ok triplet jit
func.func @triplet(%a: tensor<8x16xf32>, %p: tensor<8x16xf32>, %n: tensor<8x16xf32>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 1.0 : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  %1 = nn.triplet_margin_loss %a, %p, %n margin = 0.0 eps = 0.0 reduction = sum : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  %2 = nn.triplet_margin_loss %a, %p, %n margin = 2.5 eps = 1.0e-2 : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  // d(a, a) = sqrt(D) * eps: the anchor as its own positive.
  %3 = nn.triplet_margin_loss %a, %a, %n margin = 0.5 reduction = sum : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}

// CHECK-DAG: ok kl aot
// CHECK-DAG: ok kl jit
func.func @kl(%mu: tensor<8x20xf32>, %lv: tensor<8x20xf32>) -> (tensor<f32>, tensor<f32>) {
  %0 = nn.kl_divergence %mu, %lv : tensor<8x20xf32>, tensor<8x20xf32>
  %1 = nn.kl_divergence %mu, %lv reduction = sum : tensor<8x20xf32>, tensor<8x20xf32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
