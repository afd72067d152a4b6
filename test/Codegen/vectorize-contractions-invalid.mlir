// Invalid tile options are errors at the function, and the pass fails.
// RUN: not kiln-opt %s -kiln-vectorize-contractions="cache-tiles=64,0,256" 2>&1 | FileCheck %s --check-prefix=CACHE
// RUN: not kiln-opt %s -kiln-vectorize-contractions="cache-tiles=64,128" 2>&1 | FileCheck %s --check-prefix=CACHE
// RUN: not kiln-opt %s -kiln-vectorize-contractions="register-tiles=8,32,1" 2>&1 | FileCheck %s --check-prefix=REGISTER
// RUN: not kiln-opt %s -kiln-vectorize-contractions="register-tiles=-8,32" 2>&1 | FileCheck %s --check-prefix=REGISTER

// CACHE: error: kiln-vectorize-contractions: cache-tiles must be three positive sizes (M, N, K)
// REGISTER: error: kiln-vectorize-contractions: register-tiles must be two positive sizes (M, N)
func.func @matmul(%a: memref<4x3xf32>, %b: memref<3x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x3xf32>, memref<3x16xf32>) outs(%c : memref<4x16xf32>)
  return
}
