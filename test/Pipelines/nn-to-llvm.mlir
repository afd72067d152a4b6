// RUN: kiln-opt %s --kiln-nn-to-llvm | FileCheck %s
// RUN: kiln-opt %s --kiln-nn-to-llvm | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
/// The generated code calls nothing but LLVM intrinsics and the Kiln
/// runtime's memrefCopy (no MLIR runner-utils library): every temporary is
/// in the workspace that kiln-plan-buffers planned, so nothing calls malloc
/// or free; f32 exp, tanh, log and log1p are expanded inline
/// (kiln-expand-math), not libm calls:
// RUN: kiln-opt %s --kiln-nn-to-llvm | mlir-translate --mlir-to-llvmir \
// RUN:   | grep '^declare' | not grep -v -E '@(llvm\.[a-z0-9.]+|memrefCopy)\('
// RUN: kiln-opt %s --kiln-nn-to-llvm | FileCheck %s --check-prefix=NOLIBM
// NOLIBM-NOT: llvm.func @{{tanhf|log1pf|expm1f|expf|logf}}(
// NOLIBM-NOT: llvm.intr.{{exp|log}}(

/// A small model and a function using every nn op lower completely to the
/// LLVM dialect, with a C-interface wrapper for each exported entry point.
// CHECK-NOT: {{nn\.|linalg\.|tensor\.|bufferization\.|memref\.|scf\.|math\.|arith\.|func\.func}}
// CHECK-NOT: llvm.func @malloc(
// CHECK-NOT: llvm.func @free(
// CHECK: llvm.func @_kiln_entry_mlp(
// CHECK: llvm.func @_mlir_ciface__kiln_entry_mlp(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr {kiln.workspace}) attributes {kiln.workspace_buffers = array<i64: {{[0-9, ]+}}>, llvm.emit_c_interface}
// CHECK: llvm.call @_kiln_entry_mlp(
// CHECK: llvm.func @_mlir_ciface__kiln_entry_all_ops(
// CHECK-NOT: {{nn\.|linalg\.|tensor\.|bufferization\.|memref\.|scf\.|math\.|arith\.|func\.func}}

/// The model functions are inlined into their entry points and removed.
// CHECK-NOT: llvm.func @mlp(
// CHECK-NOT: llvm.func @all_ops(

// LLVMIR: define void @_mlir_ciface__kiln_entry_mlp(ptr
// LLVMIR: define void @_mlir_ciface__kiln_entry_all_ops(ptr

func.func @mlp(%x: tensor<4x6xf32>, %labels: tensor<4xi64>) -> (tensor<4x3xf32>, tensor<f32>) {
  %w1 = nn.param "fc1.w" xavier_uniform seed = 1 : tensor<6x8xf32>
  %b1 = nn.param "fc1.b" zeros : tensor<8xf32>
  %w2 = nn.param "fc2.w" he_normal seed = 2 : tensor<8x3xf32>
  %0 = nn.matmul %x, %w1 : tensor<4x6xf32>, tensor<6x8xf32>
  %1 = nn.add %0, %b1 : tensor<4x8xf32>, tensor<8xf32>
  %2 = nn.relu %1 : tensor<4x8xf32>
  %3 = nn.matmul %2, %w2 : tensor<4x8xf32>, tensor<8x3xf32>
  %4 = nn.softmax %3 axis = 1 : tensor<4x3xf32>
  %5 = nn.cross_entropy %3, %labels : tensor<4x3xf32>, tensor<4xi64>
  return %4, %5 : tensor<4x3xf32>, tensor<f32>
}

func.func @all_ops(%x: tensor<4x6xf32>, %y: tensor<6xf32>, %t: tensor<4x6xf32>, %b: tensor<2x4x6xf32>) -> (tensor<4x6xf32>, tensor<f32>, tensor<f32>, tensor<2x3xf32>, tensor<4x1xf32>, tensor<6x4xf32>, tensor<2x4x4xf32>, tensor<24xf32>, tensor<4x12xf32>) {
  %0 = nn.neg %x : tensor<4x6xf32>
  %1 = nn.abs %0 : tensor<4x6xf32>
  %2 = nn.exp %1 : tensor<4x6xf32>
  %3 = nn.log %2 : tensor<4x6xf32>
  %4 = nn.sqrt %3 : tensor<4x6xf32>
  %5 = nn.rsqrt %2 : tensor<4x6xf32>
  %6 = nn.sigmoid %5 : tensor<4x6xf32>
  %7 = nn.tanh %6 : tensor<4x6xf32>
  %8 = nn.leaky_relu %7 : tensor<4x6xf32>
  %9 = nn.elu %8 alpha = 0.5 : tensor<4x6xf32>
  %10 = nn.pow %9, %y : tensor<4x6xf32>, tensor<6xf32>
  %11 = nn.div %10, %4 : tensor<4x6xf32>, tensor<4x6xf32>
  %12 = nn.sub %11, %y : tensor<4x6xf32>, tensor<6xf32>
  %13 = nn.maximum %12, %x : tensor<4x6xf32>, tensor<4x6xf32>
  %14 = nn.minimum %13, %y : tensor<4x6xf32>, tensor<6xf32>
  %m = nn.compare ne, %14, %x : tensor<4x6xf32>, tensor<4x6xf32>
  %15 = nn.select %m, %14, %y : tensor<4x6xi1>, tensor<4x6xf32>, tensor<6xf32>
  %16 = nn.log_softmax %15 axis = 0 : tensor<4x6xf32>
  %l1 = nn.mse %16, %t : tensor<4x6xf32>
  %l2 = nn.binary_cross_entropy %16, %t reduction = sum : tensor<4x6xf32>
  %s = nn.slice %x offsets = [1, 0] sizes = [2, 3] strides = [2, 2] : tensor<4x6xf32>
  %r = nn.reduce_max %16 axes = [1] keepdims : tensor<4x6xf32>
  %tr = nn.transpose %x perm = [1, 0] : tensor<4x6xf32>
  %bt = nn.transpose %b perm = [0, 2, 1] : tensor<2x4x6xf32>
  %bm = nn.matmul %b, %bt : tensor<2x4x6xf32>, tensor<2x6x4xf32>
  %rs = nn.reshape %x : tensor<4x6xf32> -> tensor<24xf32>
  %c = nn.constant dense<2.0> : tensor<4x6xf32>
  %cat = nn.concat %16, %c axis = 1 : tensor<4x6xf32>, tensor<4x6xf32>
  return %16, %l1, %l2, %s, %r, %tr, %bm, %rs, %cat : tensor<4x6xf32>, tensor<f32>, tensor<f32>, tensor<2x3xf32>, tensor<4x1xf32>, tensor<6x4xf32>, tensor<2x4x4xf32>, tensor<24xf32>, tensor<4x12xf32>
}
