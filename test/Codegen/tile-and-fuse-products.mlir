// RUN: kiln-opt %s -kiln-tile-and-fuse-products -split-input-file | FileCheck %s
// RUN: kiln-opt %s -kiln-tile-and-fuse-products="parallel=true parallel-min-flops=1 parallel-min-size=1" -split-input-file | FileCheck %s --check-prefix=PAR

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

/// The forward layer: the bias + ReLU runs in each 64 x 128 tile of the
/// product, on subviews at the tile's offsets (the bias at the tile's
/// columns). The zero fill stays whole, before the loops.
// CHECK-LABEL: func.func @bias_relu(
// CHECK-SAME: %[[A:[a-z0-9]+]]: memref<128x784xf32>, %[[W:[a-z0-9]+]]: memref<784x512xf32>, %[[B:[a-z0-9]+]]: memref<512xf32>, %[[D:[a-z0-9]+]]: memref<128x512xf32>
// CHECK: %[[C:.*]] = memref.alloc() : memref<128x512xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[C]] : memref<128x512xf32>)
// CHECK-NOT: linalg
// CHECK: scf.for %[[M:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[AT:.*]] = memref.subview %[[A]][%[[M]], 0] [64, 784] [1, 1]
// CHECK: %[[WT:.*]] = memref.subview %[[W]][0, %[[N]]] [784, 128] [1, 1]
// CHECK: %[[CT:.*]] = memref.subview %[[C]][%[[M]], %[[N]]] [64, 128] [1, 1]
// CHECK-NEXT: linalg.matmul ins(%[[AT]], %[[WT]] : {{.*}}) outs(%[[CT]] :
// CHECK: %[[BT:.*]] = memref.subview %[[B]][%[[N]]] [128] [1]
// CHECK: %[[DT:.*]] = memref.subview %[[D]][%[[M]], %[[N]]] [64, 128] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[CT]], %[[BT]] : {{.*}}) outs(%[[DT]] :
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NOT: linalg
// CHECK: return
// PAR-LABEL: func.func @bias_relu(
// PAR: scf.parallel
// PAR: scf.for
// PAR: linalg.matmul
// PAR: linalg.generic
func.func @bias_relu(%a: memref<128x784xf32>, %w: memref<784x512xf32>, %b: memref<512xf32>, %d: memref<128x512xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<128x512xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<128x512xf32>)
  linalg.matmul ins(%a, %w : memref<128x784xf32>, memref<784x512xf32>) outs(%c : memref<128x512xf32>)
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %b : memref<128x512xf32>, memref<512xf32>) outs(%d : memref<128x512xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %0 = arith.addf %x, %y : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  memref.dealloc %c : memref<128x512xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

/// Sizes the tiles do not divide (100 = 64 + 36, 200 = 128 + 72): the
/// remainders are peeled, so every tile has a static shape, and each copy
/// of the loop body has its epilogue. The epilogue here updates
/// the product in place (an SGD step on a weight gradient): it reads and
/// writes the product's buffer through the identity map.
// CHECK-LABEL: func.func @remainders_in_place(
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<100x200xf32>)
// CHECK: linalg.matmul_transpose_a ins(%{{.*}}, %{{.*}} : memref<32x64xf32, {{.*}}>, memref<32x128xf32, {{.*}}>) outs(%{{.*}} : memref<64x128xf32
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : memref<64x128xf32
// CHECK: linalg.matmul_transpose_a {{.*}} outs(%{{.*}} : memref<64x72xf32
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : memref<64x72xf32
// CHECK: linalg.matmul_transpose_a {{.*}} outs(%{{.*}} : memref<36x128xf32
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : memref<36x128xf32
// CHECK: linalg.matmul_transpose_a {{.*}} outs(%{{.*}} : memref<36x72xf32
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : memref<36x72xf32
// CHECK-NOT: linalg.{{fill|matmul|generic}}
// CHECK: memref.copy
func.func @remainders_in_place(%x: memref<32x100xf32>, %dy: memref<32x200xf32>, %w: memref<100x200xf32>) {
  %zero = arith.constant 0.0 : f32
  %lr = arith.constant 0.01 : f32
  %g = memref.alloc() : memref<100x200xf32>
  linalg.fill ins(%zero : f32) outs(%g : memref<100x200xf32>)
  linalg.matmul_transpose_a ins(%x, %dy : memref<32x100xf32>, memref<32x200xf32>) outs(%g : memref<100x200xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%w : memref<100x200xf32>) outs(%g : memref<100x200xf32>) {
  ^bb0(%p: f32, %gr: f32):
    %0 = arith.mulf %lr, %gr : f32
    %1 = arith.subf %p, %0 : f32
    linalg.yield %1 : f32
  }
  memref.copy %g, %w : memref<100x200xf32> to memref<100x200xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

/// An op that reads the product transposed would read tiles not yet
/// computed: nothing changes.
// CHECK-LABEL: func.func @transposed_read(
// CHECK-NOT: scf.for
// CHECK: linalg.fill
// CHECK-NEXT: linalg.matmul
// CHECK-NEXT: linalg.generic
// CHECK: return
func.func @transposed_read(%a: memref<256x16xf32>, %b: memref<16x256xf32>, %d: memref<256x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<256x256xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<256x256xf32>)
  linalg.matmul ins(%a, %b : memref<256x16xf32>, memref<16x256xf32>) outs(%c : memref<256x256xf32>)
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<256x256xf32>) outs(%d : memref<256x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

/// An epilogue that writes a buffer the product reads (its left operand,
/// read again by later tiles) is not fused.
// CHECK-LABEL: func.func @writes_operand(
// CHECK-NOT: scf.for
// CHECK: linalg.matmul
// CHECK-NEXT: linalg.generic
// CHECK: return
func.func @writes_operand(%a: memref<256x256xf32>, %b: memref<256x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<256x256xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<256x256xf32>)
  linalg.matmul ins(%a, %b : memref<256x256xf32>, memref<256x256xf32>) outs(%c : memref<256x256xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<256x256xf32>) outs(%a : memref<256x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

/// A product that is one tile is left alone: its epilogue already runs on
/// data in cache.
// CHECK-LABEL: func.func @one_tile(
// CHECK-NOT: scf.for
// CHECK: linalg.fill
// CHECK: linalg.matmul
// CHECK: linalg.generic
func.func @one_tile(%a: memref<32x64xf32>, %b: memref<64x100xf32>, %d: memref<32x100xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<32x100xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<32x100xf32>)
  linalg.matmul ins(%a, %b : memref<32x64xf32>, memref<64x100xf32>) outs(%c : memref<32x100xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<32x100xf32>) outs(%d : memref<32x100xf32>) {
  ^bb0(%x: f32, %o: f32):
    %0 = arith.maximumf %x, %zero : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

/// The epilogue need not come right after the product. Ops in between that
/// compute what it uses (the step count loaded for Adam's bias correction)
/// move before the product; the others (another layer's product) stay, and
/// the epilogue moves before them, since neither touches what the other
/// reads or writes.
// CHECK-LABEL: func.func @reordered(
// CHECK: %[[STEP:.*]] = memref.load
// CHECK: %[[SCALE:.*]] = arith.sitofp %[[STEP]]
// CHECK: scf.for
// CHECK: scf.for
// CHECK: linalg.matmul_transpose_a
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.*}}, %[[SCALE]]
// CHECK: }
// CHECK: }
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<256x16xf32>, memref<16x256xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @reordered(%x: memref<32x200xf32>, %dy: memref<32x300xf32>, %w: memref<200x300xf32>, %step: memref<i64>, %a: memref<256x16xf32>, %b: memref<16x256xf32>, %c2: memref<256x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %g = memref.alloc() : memref<200x300xf32>
  linalg.fill ins(%zero : f32) outs(%g : memref<200x300xf32>)
  linalg.matmul_transpose_a ins(%x, %dy : memref<32x200xf32>, memref<32x300xf32>) outs(%g : memref<200x300xf32>)
  linalg.matmul ins(%a, %b : memref<256x16xf32>, memref<16x256xf32>) outs(%c2 : memref<256x256xf32>)
  %s = memref.load %step[] : memref<i64>
  %f = arith.sitofp %s : i64 to f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%g : memref<200x300xf32>) outs(%w : memref<200x300xf32>) {
  ^bb0(%gr: f32, %p: f32):
    %0 = arith.mulf %gr, %f : f32
    %1 = arith.subf %p, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

/// An op in between writes a buffer the epilogue reads: the epilogue stays
/// after it, and the product is not tiled.
// CHECK-LABEL: func.func @conflict_between(
// CHECK-NOT: scf.for
// CHECK: linalg.matmul
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<256xf32>)
// CHECK-NEXT: linalg.generic
// CHECK: return
func.func @conflict_between(%a: memref<256x16xf32>, %b: memref<16x256xf32>, %bias: memref<256xf32>, %d: memref<256x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<256x256xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<256x256xf32>)
  linalg.matmul ins(%a, %b : memref<256x16xf32>, memref<16x256xf32>) outs(%c : memref<256x256xf32>)
  linalg.fill ins(%zero : f32) outs(%bias : memref<256xf32>)
  linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d1)>, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %bias : memref<256x256xf32>, memref<256xf32>) outs(%d : memref<256x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %0 = arith.addf %x, %y : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

/// An update of several buffers (Adam's parameter and two moments) is not
/// an epilogue: it streams faster over whole buffers than in tiles.
// CHECK-LABEL: func.func @two_outputs(
// CHECK-NOT: scf.for
// CHECK: linalg.matmul
// CHECK-NEXT: linalg.generic
func.func @two_outputs(%a: memref<256x16xf32>, %b: memref<16x256xf32>, %p: memref<256x256xf32>, %m: memref<256x256xf32>) {
  %c = memref.alloc() : memref<256x256xf32>
  linalg.matmul ins(%a, %b : memref<256x16xf32>, memref<16x256xf32>) outs(%c : memref<256x256xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<256x256xf32>) outs(%p, %m : memref<256x256xf32>, memref<256x256xf32>) {
  ^bb0(%g: f32, %x: f32, %y: f32):
    %0 = arith.addf %x, %g : f32
    %1 = arith.subf %y, %g : f32
    linalg.yield %0, %1 : f32, f32
  }
  return
}
