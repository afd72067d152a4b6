//===- MemRefCopyABI.c - MLIR's memrefCopy symbol -------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Defines `memrefCopy`, the symbol that code lowered from MLIR's
/// `memref.copy` calls, so compiled executables do not need MLIR's
/// runner-utils libraries. Kept in its own object file: a static link pulls
/// it in only when the compiled module references it, so it cannot clash
/// with MLIR's definition in tools that link both.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

void memrefCopy(int64_t elemSize, kiln_unranked_memref_t *src,
                kiln_unranked_memref_t *dst);

void memrefCopy(int64_t elemSize, kiln_unranked_memref_t *src,
                kiln_unranked_memref_t *dst) {
  kiln_memref_copy(elemSize, src, dst);
}
