// RUN: kiln-opt %s -kiln-plan-buffers=report -verify-diagnostics

// The report: a remark per entry point with its arguments, workspace and
// peak, and one at every buffer left unplanned, with the reason.

func.func private @use(memref<64xf32>)

// expected-remark @+1 {{memory plan of 'g': arguments 512 bytes, 2 buffers in a workspace of 1600 bytes (512 without reuse), peak 2112 bytes plus the unplanned buffers}}
func.func @_kiln_entry_g(%x: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  %b = memref.alloc() : memref<64xf32>
  linalg.copy ins(%x : memref<64xf32>) outs(%a : memref<64xf32>)
  linalg.copy ins(%a : memref<64xf32>) outs(%b : memref<64xf32>)
  linalg.copy ins(%b : memref<64xf32>) outs(%out : memref<64xf32>)
  // expected-remark @+1 {{buffer 'memref<64xf32>' not planned: passed to a call}}
  %c = memref.alloc() : memref<64xf32>
  call @use(%c) : (memref<64xf32>) -> ()
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  memref.dealloc %c : memref<64xf32>
  return
}

// expected-remark @+1 {{memory plan of 'h': arguments 256 bytes, 0 buffers in a workspace of 0 bytes (0 without reuse), peak 256 bytes}}
func.func @_kiln_entry_h(%out: memref<64xf32>) {
  return
}
