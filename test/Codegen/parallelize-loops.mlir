// RUN: kiln-opt %s -kiln-parallelize-loops -split-input-file | FileCheck %s

// A linalg op that reads and writes at least 512 KiB (here 2 x 1.2 MB) has
// its outermost loop tiled into 8 parts of 8, an scf.parallel; the tiled op
// moves into a function of its own, called from the loop with subviews, and
// its buffers (two arguments of the entry) are distinct. Constants its body
// uses are defined in the new function, which is internal and never
// inlined; its innermost loop (28) is short, so it is not optimized for
// size.

// CHECK-LABEL: func.func @_kiln_entry_relu(
// CHECK-SAME: %[[X:.*]]: memref<64x6x28x28xf32>, %[[Y:.*]]: memref<64x6x28x28xf32>
// CHECK: scf.parallel (%[[I:.*]]) = (%c0{{.*}}) to (%c64) step (%c8{{.*}}) {
// CHECK: %[[XS:.*]] = memref.subview %[[X]][%[[I]], 0, 0, 0] [8, 6, 28, 28] [1, 1, 1, 1]
// CHECK: %[[YS:.*]] = memref.subview %[[Y]][%[[I]], 0, 0, 0] [8, 6, 28, 28] [1, 1, 1, 1]
// CHECK: func.call @_kiln_part_0__kiln_entry_relu(%[[XS]], %[[YS]])
// CHECK-NOT: linalg.generic
// CHECK: return
// CHECK: func.func private @_kiln_part_0__kiln_entry_relu(%[[A:.*]]: memref<8x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>, %[[B:.*]]: memref<8x6x28x28xf32, strided<[4704, 784, 28, 1], offset: ?>>) attributes {kiln.distinct_buffers, llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.generic {{.*}} ins(%[[A]] : {{.*}}) outs(%[[B]] : {{.*}})
// CHECK: arith.maximumf %{{.*}}, %[[ZERO]] : f32
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @_kiln_entry_relu(%x: memref<64x6x28x28xf32>, %y: memref<64x6x28x28xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : memref<64x6x28x28xf32>) outs(%y : memref<64x6x28x28xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// An op that updates %w in place reads and writes it through one subview
// per part, passed once: its buffers are distinct. One that writes half of
// %u while reading the other half is not marked (two views of one root).
// A leading dimension smaller than 8 gives one part per index (3 parts of
// 1), and a fill of a fresh allocation is distinct; the scalar it fills
// with is passed as an argument. All have long rows (256 and 65536): they
// are optimized for size.

// CHECK-LABEL: func.func @_kiln_entry_update(
// CHECK-SAME: %[[W:[a-z0-9]+]]: memref<1024x256xf32>, %[[G:[a-z0-9]+]]: memref<1024x256xf32>
// CHECK: scf.parallel (%[[I:.*]]) = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK: %[[GS:.*]] = memref.subview %[[G]][%[[I]], 0] [128, 256] [1, 1]
// CHECK: %[[WS:.*]] = memref.subview %[[W]][%[[I]], 0] [128, 256] [1, 1]
// CHECK-NEXT: func.call @_kiln_part_0__kiln_entry_update(%[[GS]], %[[WS]]) :
// CHECK: scf.parallel
// CHECK: func.call @_kiln_part_1__kiln_entry_update(
// CHECK: scf.parallel
// CHECK: func.call @_kiln_part_2__kiln_entry_update(
// CHECK: func.func private @_kiln_part_0__kiln_entry_update(%[[A:[a-z0-9]+]]: {{.*}}, %[[B:[a-z0-9]+]]: {{.*}}) attributes {kiln.distinct_buffers, llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline", "optsize"]} {
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : {{.*}}) outs(%[[B]] : {{.*}})
// CHECK: func.func private @_kiln_part_1__kiln_entry_update({{.*}}) attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline", "optsize"]} {
// CHECK: func.func private @_kiln_part_2__kiln_entry_update(%[[V:.*]]: f32, %[[T:.*]]: memref<1x65536xf32, strided<[65536, 1], offset: ?>>) attributes {kiln.distinct_buffers, llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline", "optsize"]}
// CHECK: linalg.fill ins(%[[V]] : f32) outs(%[[T]] : memref<1x65536xf32, strided<[65536, 1], offset: ?>>)
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @_kiln_entry_update(%w: memref<1024x256xf32>, %g: memref<1024x256xf32>, %u: memref<2048x256xf32>, %out: memref<3x65536xf32>) {
  %c = arith.constant 0.5 : f32
  linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%g, %w : memref<1024x256xf32>, memref<1024x256xf32>) outs(%w : memref<1024x256xf32>) {
  ^bb0(%in: f32, %old: f32, %acc: f32):
    %s = arith.mulf %in, %c : f32
    %r = arith.subf %old, %s : f32
    linalg.yield %r : f32
  }
  %lo = memref.subview %u[0, 0] [1024, 256] [1, 1] : memref<2048x256xf32> to memref<1024x256xf32, strided<[256, 1]>>
  %hi = memref.subview %u[1024, 0] [1024, 256] [1, 1] : memref<2048x256xf32> to memref<1024x256xf32, strided<[256, 1], offset: 262144>>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%lo : memref<1024x256xf32, strided<[256, 1]>>) outs(%hi : memref<1024x256xf32, strided<[256, 1], offset: 262144>>) {
  ^bb0(%in: f32, %acc: f32):
    linalg.yield %in : f32
  }
  %t = memref.alloc() : memref<3x65536xf32>
  linalg.fill ins(%c : f32) outs(%t : memref<3x65536xf32>)
  memref.copy %t, %out : memref<3x65536xf32> to memref<3x65536xf32>
  memref.dealloc %t : memref<3x65536xf32>
  return
}

// -----

// Left alone: an op under 512 KiB, an op whose outermost loop is a
// reduction, one that reads through a map where loop 0 is not a whole
// result (linalg's tiling would slice it wrongly), a product
// (kiln-vectorize-contractions' business) and an op already inside a
// parallel loop.

// CHECK-LABEL: func.func @_kiln_entry_untouched(
// CHECK-NOT: func.call
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK: linalg.matmul
// CHECK: scf.parallel
// CHECK: linalg.generic
// CHECK-NOT: func.func private
#id1 = affine_map<(d0) -> (d0)>
#id3 = affine_map<(d0, d1) -> (d0, d1)>
#sum = affine_map<(d0, d1) -> (d1)>
#shifted = affine_map<(d0, d1) -> (d0 + 64, d1)>
func.func @_kiln_entry_untouched(%small: memref<1024xf32>, %big: memref<1024x1024xf32>, %row: memref<1024xf32>, %a: memref<512x512xf32>, %b: memref<512x512xf32>, %c: memref<512x512xf32>, %d: memref<960x1024xf32>) {
  linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%small : memref<1024xf32>) outs(%small : memref<1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %in : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id3, #sum], iterator_types = ["reduction", "parallel"]} ins(%big : memref<1024x1024xf32>) outs(%row : memref<1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#shifted, #id3], iterator_types = ["parallel", "parallel"]} ins(%big : memref<1024x1024xf32>) outs(%d : memref<960x1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.matmul ins(%a, %b : memref<512x512xf32>, memref<512x512xf32>) outs(%c : memref<512x512xf32>)
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.parallel (%i) = (%c0) to (%c2) step (%c1) {
    linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]} ins(%big : memref<1024x1024xf32>) outs(%big : memref<1024x1024xf32>) {
    ^bb0(%in: f32, %out: f32):
      %r = arith.addf %in, %in : f32
      linalg.yield %r : f32
    }
    scf.reduce
  }
  return
}
