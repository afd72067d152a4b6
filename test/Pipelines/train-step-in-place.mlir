// RUN: kiln-opt %s --kiln-nn-to-llvm --mlir-print-ir-before=convert-linalg-to-loops -o /dev/null 2>&1 | FileCheck %s

/// After bufferization (and the clean-up that follows it) the training step updates the caller's parameter and
/// optimizer-state buffers in place: the Adam update of each parameter is
/// one loop nest that reads the parameter, its gradient and both moments and
/// writes the parameter and the moments back into the entry point's own
/// argument buffers. Nothing copies a parameter or a moment: there is no
/// memref.copy at all, and the only new buffers are the activations, the
/// gradients and the two outputs.
// CHECK-LABEL: func.func @_kiln_entry_model_train_step(
// CHECK-SAME: %[[W:[^:]*]]: memref<3x2xf32>, %[[B:[^:]*]]: memref<2xf32>,
// CHECK-SAME: %[[WM:[^:]*]]: memref<3x2xf32>, %[[WV:[^:]*]]: memref<3x2xf32>, %[[BM:[^:]*]]: memref<2xf32>, %[[BV:[^:]*]]: memref<2xf32>,
// CHECK-SAME: %[[STEP:[^:]*]]: memref<i64>, %[[X:[^:]*]]: memref<4x3xf32>, %[[T:[^:]*]]: memref<4x2xf32>,
// CHECK-SAME: %[[LOSS:[^:]*]]: memref<f32>, %[[Z:[^:]*]]: memref<4x2xf32>)
// CHECK-NOT: memref.copy
// CHECK: linalg.generic {{.*}} ins(%[[W]], %[[DW:[^,]*]], %[[WM]], %[[WV]] : {{.*}}) outs(%[[W]], %[[WM]], %[[WV]] : memref<3x2xf32>, memref<3x2xf32>, memref<3x2xf32>)
// CHECK-NOT: memref.copy
// CHECK: linalg.generic {{.*}} ins(%[[B]], %[[DB:[^,]*]], %[[BM]], %[[BV]] : {{.*}}) outs(%[[B]], %[[BM]], %[[BV]] : memref<2xf32>, memref<2xf32>, memref<2xf32>)
// CHECK-NOT: memref.copy
// CHECK: return
func.func @model(%x: tensor<4x3xf32> {nn.name = "x"}, %t: tensor<4x2xf32> {nn.name = "t"})
    -> (tensor<f32>, tensor<4x2xf32>)
    attributes {nn.train = {optimizer = "adam", lr = 0.01}} {
  %w = nn.param "w" xavier_uniform seed = 1 : tensor<3x2xf32>
  %b = nn.param "b" zeros : tensor<2xf32>
  %y = nn.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
  %z = nn.add %y, %b : tensor<4x2xf32>, tensor<2xf32>
  %l = nn.mse %z, %t : tensor<4x2xf32>
  return %l, %z : tensor<f32>, tensor<4x2xf32>
}
