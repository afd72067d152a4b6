// RUN: kiln-opt %s -kiln-plan-buffers -split-input-file | FileCheck %s

// Buffers whose lives do not overlap share bytes; the largest is placed
// first, and 1088 bytes (17 cache lines) separate neighbours. %a (256
// bytes) dies at the copy into %b; %c (256 bytes) is born after, so it
// reuses %a's bytes. %b (1024 bytes) overlaps both.

module attributes {kiln.signature = "kiln-abi 1\0Aentry f\0Ainput x f32 64\0Aoutput 0 f32 64\0A"} {
// CHECK: module attributes {kiln.signature = "kiln-abi 1\0Aentry f workspace=2368\0Ainput x f32 64
// CHECK-LABEL: func.func @_kiln_entry_f
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<64xf32>, %[[OUT:[a-z0-9]+]]: memref<64xf32>, %[[WS:[a-z0-9]+]]: memref<2368xi8> {kiln.workspace}
// CHECK-SAME: kiln.workspace_buffers = array<i64: 2112, 256, 0, 1024, 2112, 256>
// CHECK-NOT: memref.alloc
// CHECK: %[[C2112:.*]] = arith.constant 2112 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[C2112]]][] : memref<2368xi8> to memref<64xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[C0]]][] : memref<2368xi8> to memref<256xf32>
// CHECK: %[[C2112_2:.*]] = arith.constant 2112 : index
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[C2112_2]]][] : memref<2368xi8> to memref<64xf32>
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @_kiln_entry_f(%x: memref<64xf32>, %out: memref<64xf32>) attributes {llvm.emit_c_interface} {
  %a = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%x : memref<64xf32>) outs(%a : memref<64xf32>)
  %b = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  %bs = memref.subview %b[0] [64] [1] : memref<256xf32> to memref<64xf32, strided<[1]>>
  linalg.copy ins(%a : memref<64xf32>) outs(%bs : memref<64xf32, strided<[1]>>)
  %c = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%bs : memref<64xf32, strided<[1]>>) outs(%c : memref<64xf32>)
  linalg.copy ins(%c : memref<64xf32>) outs(%out : memref<64xf32>)
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<256xf32>
  memref.dealloc %c : memref<64xf32>
  return
}
}

// -----

// A buffer used inside a loop lives to the end of the loop: %t, defined
// before the loop and read by every iteration, is never reused by %u, which
// is local to one iteration. Two %u of successive iterations may share
// bytes (one iteration ends before the next begins).

// CHECK-LABEL: func.func @_kiln_entry_loop
// CHECK-SAME: memref<1600xi8> {kiln.workspace}
// CHECK-SAME: kiln.workspace_buffers = array<i64: 0, 256, 1344, 256>
// CHECK: memref.view {{.*}}[%{{.*}}][] : memref<1600xi8> to memref<64xf32>
// CHECK: scf.for
// CHECK: memref.view {{.*}}[%{{.*}}][] : memref<1600xi8> to memref<64xf32>
func.func @_kiln_entry_loop(%x: memref<64xf32>, %out: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.alloc() : memref<64xf32>
  linalg.copy ins(%x : memref<64xf32>) outs(%t : memref<64xf32>)
  scf.for %i = %c0 to %c4 step %c1 {
    %u = memref.alloc() : memref<64xf32>
    linalg.copy ins(%t : memref<64xf32>) outs(%u : memref<64xf32>)
    linalg.copy ins(%u : memref<64xf32>) outs(%out : memref<64xf32>)
    memref.dealloc %u : memref<64xf32>
  }
  memref.dealloc %t : memref<64xf32>
  return
}

// -----

// The iterations of a parallel loop may run at once: the buffers of its
// body are planned among themselves into one slot (%p and %q share bytes,
// %r overlaps both: 2368 bytes), and the loop takes one slot per iteration,
// with kSlotGap (132160 bytes) between slots: the slot of iteration number
// k ((%i - 2) / 3, so 0 and 1) starts at k * 134528. The slots are one buffer of
// the function's plan that lives as long as the loop: %t, born after it,
// reuses their bytes. The table lists each slot's buffers at their offsets.

// CHECK-LABEL: func.func @_kiln_entry_slots
// CHECK-SAME: memref<269056xi8> {kiln.workspace}
// CHECK-SAME: kiln.workspace_buffers = array<i64: 0, 256, 2112, 256, 0, 1024, 2112, 256, 136640, 256, 134528, 1024, 136640, 256>
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[SHIFTED:.*]] = arith.subi %[[I]], %[[C2]] : index
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[SLOT:.*]] = arith.divui %[[SHIFTED]], %[[C3]] : index
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[STRIDE:.*]] = arith.constant 134528 : index
// CHECK: %[[SLOTBYTES:.*]] = arith.muli %[[SLOT]], %[[STRIDE]] : index
// CHECK: %[[BASE:.*]] = arith.addi %[[C0]], %[[SLOTBYTES]] : index
// CHECK: %[[OFFSET:.*]] = arith.constant 2112 : index
// CHECK: %[[AT:.*]] = arith.addi %[[BASE]], %[[OFFSET]] : index
// CHECK: memref.view %{{.*}}[%[[AT]]][] : memref<269056xi8> to memref<64xf32>
// CHECK: scf.reduce
// CHECK: memref.view %{{.*}}[%{{.*}}][] : memref<269056xi8> to memref<64xf32>
// CHECK-NOT: memref.alloc
func.func @_kiln_entry_slots(%x: memref<64xf32>, %out: memref<64xf32>) {
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c2) to (%c8) step (%c3) {
    %p = memref.alloc() : memref<64xf32>
    linalg.copy ins(%x : memref<64xf32>) outs(%p : memref<64xf32>)
    %r = memref.alloc() : memref<256xf32>
    %rs = memref.subview %r[0] [64] [1] : memref<256xf32> to memref<64xf32, strided<[1]>>
    linalg.copy ins(%p : memref<64xf32>) outs(%rs : memref<64xf32, strided<[1]>>)
    memref.dealloc %p : memref<64xf32>
    %q = memref.alloc() : memref<64xf32>
    linalg.copy ins(%rs : memref<64xf32, strided<[1]>>) outs(%q : memref<64xf32>)
    memref.dealloc %r : memref<256xf32>
    memref.dealloc %q : memref<64xf32>
    scf.reduce
  }
  %t = memref.alloc() : memref<64xf32>
  linalg.copy ins(%x : memref<64xf32>) outs(%t : memref<64xf32>)
  linalg.copy ins(%t : memref<64xf32>) outs(%out : memref<64xf32>)
  memref.dealloc %t : memref<64xf32>
  return
}

// -----

// What is not planned keeps its memref.alloc: a dynamic size, a buffer in
// a parallel loop whose bounds are not constants, one passed to a call or
// carried out of a loop. Functions
// other than entry points are left alone. An entry with nothing to plan
// takes no workspace.

// CHECK-LABEL: func.func @_kiln_entry_unplanned
// CHECK-SAME: (%{{.*}}: index, %{{.*}}: memref<64xf32>)
// CHECK-NOT: kiln.workspace
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: scf.parallel
// CHECK: memref.alloc() : memref<64xf32>
// CHECK: memref.alloc() : memref<64xf32>
// CHECK: call @use
// CHECK: memref.alloc() : memref<64xf32>
// CHECK: scf.if
func.func private @use(memref<64xf32>)
func.func @_kiln_entry_unplanned(%n: index, %out: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %true = arith.constant true
  %d = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %d : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %p = memref.alloc() : memref<64xf32>
    linalg.copy ins(%p : memref<64xf32>) outs(%out : memref<64xf32>)
    memref.dealloc %p : memref<64xf32>
    scf.reduce
  }
  %c = memref.alloc() : memref<64xf32>
  call @use(%c) : (memref<64xf32>) -> ()
  memref.dealloc %c : memref<64xf32>
  %y = memref.alloc() : memref<64xf32>
  %r = scf.if %true -> memref<64xf32> {
    scf.yield %y : memref<64xf32>
  } else {
    scf.yield %out : memref<64xf32>
  }
  linalg.copy ins(%r : memref<64xf32>) outs(%out : memref<64xf32>)
  return
}

// CHECK-LABEL: func.func @helper
// CHECK: memref.alloc() : memref<64xf32>
func.func @helper(%out: memref<64xf32>) {
  %h = memref.alloc() : memref<64xf32>
  linalg.copy ins(%h : memref<64xf32>) outs(%out : memref<64xf32>)
  memref.dealloc %h : memref<64xf32>
  return
}
