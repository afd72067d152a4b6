// The recurrent layers lower to loops over the time steps, never unrolled:
// the same model (rnn -> lstm -> gru and its gradient function, built by
// kiln-autodiff) compiled for T = 4 and T = 64 gives IR of the same size.
// This file is a template: SEQ stands for T, so it is not itself valid MLIR.
//
// RUN: sed 's/SEQ/4/g' %s > %t.4.mlir
// RUN: sed 's/SEQ/64/g' %s > %t.64.mlir
//
// nn -> linalg: the two modules are identical up to the numbers in them.
// RUN: kiln-opt %t.4.mlir --kiln-nn-to-linalg > %t.4.linalg
// RUN: kiln-opt %t.64.mlir --kiln-nn-to-linalg > %t.64.linalg
// RUN: sed -E 's/[0-9]+/N/g' %t.4.linalg > %t.4.linalg.n
// RUN: sed -E 's/[0-9]+/N/g' %t.64.linalg > %t.64.linalg.n
// RUN: diff %t.4.linalg.n %t.64.linalg.n
// RUN: FileCheck %s --input-file=%t.64.linalg
// RUN: FileCheck %s --input-file=%t.64.linalg --check-prefix=MATMUL
//
// nn -> LLVM dialect (bufferized, products vectorized): the same number of
// lines within 1%, apart from constants (which are uniqued, so sizes that
// happen to coincide with other constants save a line). Not exactly the
// same: the workspace plan (kiln-plan-buffers) depends on the buffers'
// sizes, and a buffer at offset 0 needs no address arithmetic. Unrolling
// the 60 extra steps would multiply the size. Without threads
// (parallel=false): kiln-parallelize-loops runs loops over at least 512 KiB
// in parts, which more of T = 64's loops are.
// RUN: kiln-opt %t.4.mlir --kiln-nn-to-llvm=parallel=false | grep -v llvm.mlir.constant | wc -l > %t.4.llvm.count
// RUN: kiln-opt %t.64.mlir --kiln-nn-to-llvm=parallel=false | grep -v llvm.mlir.constant | wc -l > %t.64.llvm.count
// RUN: %python -c "import sys; a, b = (int(open(f).read()) for f in sys.argv[1:]); sys.exit(abs(a - b) * 100 > a)" %t.4.llvm.count %t.64.llvm.count
//
// The batch (128) makes T*B a multiple of every tile of the vectorized
// products and transposes at both lengths, so that their loop structure is
// the same too.

// The forward function: one loop per layer, one product per step inside it,
// the input projection of each layer outside.
// CHECK-LABEL: func.func private @layers(
// CHECK-COUNT-3: scf.for
// CHECK-NOT: scf.for
// CHECK: return
//
// The gradient function: the three forward loops, then the backward ops in
// reverse order: gru (one reverse loop), lstm (the cell-state scan and the
// reverse loop), rnn (one reverse loop).
// CHECK-LABEL: func.func private @layers_grad(
// CHECK-COUNT-7: scf.for
// CHECK-NOT: scf.for
// CHECK: return

// The products are linalg.matmul: two per forward layer (input projection,
// and the recurrent product in the loop); in the backward ops the two
// projections of lstm and gru, the recurrent product in the reverse loop,
// and dx, dW_ih, dW_hh after it (rnn needs no projection): 6 + 6 + 6 + 4.
// MATMUL-LABEL: func.func private @layers(
// MATMUL-COUNT-6: linalg.matmul
// MATMUL-NOT: linalg.matmul
// MATMUL: return
// MATMUL-LABEL: func.func private @layers_grad(
// MATMUL-COUNT-22: linalg.matmul
// MATMUL-NOT: linalg.matmul
// MATMUL: return

func.func @layers(%x: tensor<128xSEQx16xf32>, %r: tensor<128xSEQx16xf32>) -> tensor<f32> attributes {nn.differentiate = [0]} {
  %wr = nn.param "rnn.w_ih" uniform seed = 1 {low = -0.25, high = 0.25} : tensor<16x16xf32>
  %ur = nn.param "rnn.w_hh" uniform seed = 2 {low = -0.25, high = 0.25} : tensor<16x16xf32>
  %br = nn.param "rnn.b" zeros : tensor<16xf32>
  %wl = nn.param "lstm.w_ih" uniform seed = 3 {low = -0.25, high = 0.25} : tensor<64x16xf32>
  %ul = nn.param "lstm.w_hh" uniform seed = 4 {low = -0.25, high = 0.25} : tensor<64x16xf32>
  %bl = nn.param "lstm.b" zeros : tensor<64xf32>
  %wg = nn.param "gru.w_ih" uniform seed = 5 {low = -0.25, high = 0.25} : tensor<48x16xf32>
  %ug = nn.param "gru.w_hh" uniform seed = 6 {low = -0.25, high = 0.25} : tensor<48x16xf32>
  %bg = nn.param "gru.b" zeros : tensor<48xf32>
  %0 = nn.rnn %x, %wr, %ur, %br, %br nonlinearity = relu : tensor<128xSEQx16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<128xSEQx16xf32>
  %1 = nn.lstm %0, %wl, %ul, %bl, %bl : tensor<128xSEQx16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<64xf32> -> tensor<128xSEQx16xf32>
  %2 = nn.gru %1, %wg, %ug, %bg, %bg : tensor<128xSEQx16xf32>, tensor<48x16xf32>, tensor<48x16xf32>, tensor<48xf32>, tensor<48xf32> -> tensor<128xSEQx16xf32>
  %3 = nn.mul %2, %r : tensor<128xSEQx16xf32>, tensor<128xSEQx16xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1, 2] : tensor<128xSEQx16xf32>
  return %4 : tensor<f32>
}
