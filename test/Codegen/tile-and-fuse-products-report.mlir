// RUN: kiln-opt %s -kiln-tile-and-fuse-products="report=true parallel=true" -split-input-file -verify-diagnostics -o /dev/null

// The report: one remark per product, at the product, saying what went into
// its tiles or why the op after it did not. (Lines count from each split.)

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

func.func @fused(%a: memref<128x784xf32>, %w: memref<784x512xf32>, %b: memref<512xf32>, %d: memref<128x512xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<128x512xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<128x512xf32>)
  // expected-remark @+1 {{linalg.matmul: fused into its 64 x 128 tiles: linalg.generic {addf, maximumf} at line 15:3; the tiles run in parallel}}
  linalg.matmul ins(%a, %w : memref<128x784xf32>, memref<784x512xf32>) outs(%c : memref<128x512xf32>)
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %b : memref<128x512xf32>, memref<512xf32>) outs(%d : memref<128x512xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %0 = arith.addf %x, %y : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

func.func @transposed_read(%a: memref<256x16xf32>, %b: memref<16x256xf32>, %d: memref<256x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<256x256xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<256x256xf32>)
  // expected-remark @+1 {{linalg.matmul: not fused: linalg.generic {copy} at line 12:3: it reads or writes the product's buffer other than element by element}}
  linalg.matmul ins(%a, %b : memref<256x16xf32>, memref<16x256xf32>) outs(%c : memref<256x256xf32>)
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<256x256xf32>) outs(%d : memref<256x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>

func.func @reduction(%a: memref<256x16xf32>, %b: memref<16x256xf32>, %c: memref<256x256xf32>, %s: memref<256xf32>) {
  // expected-remark @+1 {{linalg.matmul: not fused: linalg.generic {reduction: addf} at line 9:3: it is not an elementwise op on buffers of the product's two dimensions}}
  linalg.matmul ins(%a, %b : memref<256x16xf32>, memref<16x256xf32>) outs(%c : memref<256x256xf32>)
  linalg.generic {indexing_maps = [#id, #red], iterator_types = ["parallel", "reduction"]} ins(%c : memref<256x256xf32>) outs(%s : memref<256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %0 = arith.addf %x, %o : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @one_tile(%a: memref<32x64xf32>, %b: memref<64x100xf32>, %d: memref<32x100xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<32x100xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<32x100xf32>)
  // expected-remark @+1 {{linalg.matmul: one 64 x 128 tile: its epilogue already runs on it in cache}}
  linalg.matmul ins(%a, %b : memref<32x64xf32>, memref<64x100xf32>) outs(%c : memref<32x100xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : memref<32x100xf32>) outs(%d : memref<32x100xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

func.func @conflict_between(%a: memref<256x16xf32>, %b: memref<16x256xf32>, %bias: memref<256xf32>, %d: memref<256x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<256x256xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<256x256xf32>)
  // expected-remark @+1 {{linalg.matmul: not fused: linalg.generic {addf} at line 12:3: an op between them (linalg.fill) touches memory it reads or writes}}
  linalg.matmul ins(%a, %b : memref<256x16xf32>, memref<16x256xf32>) outs(%c : memref<256x256xf32>)
  linalg.fill ins(%zero : f32) outs(%bias : memref<256xf32>)
  linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d1)>, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %bias : memref<256x256xf32>, memref<256xf32>) outs(%d : memref<256x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %0 = arith.addf %x, %y : f32
    linalg.yield %0 : f32
  }
  return
}
