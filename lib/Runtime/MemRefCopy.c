//===- MemRefCopy.c - Strided memref copy ---------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A C implementation of the strided N-d copy behind MLIR's `memrefCopy`.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

#include <stdlib.h>
#include <string.h>

/// View of a ranked descriptor (see MemRef.h for the layout).
typedef struct DescView {
  char *aligned;
  int64_t offset;
  const int64_t *sizes;
  const int64_t *strides;
} DescView;

static DescView viewOf(const kiln_unranked_memref_t *m) {
  DescView v;
  const unsigned char *d = (const unsigned char *)m->descriptor;
  memcpy(&v.aligned, d + 8, sizeof(void *));
  memcpy(&v.offset, d + 16, sizeof(int64_t));
  v.sizes = (const int64_t *)(const void *)(d + 24);
  v.strides = v.sizes + m->rank;
  return v;
}

/// Returns nonzero if \p strides are the row-major strides of \p sizes
/// (ignoring dimensions of extent 1, whose stride never matters).
static int isContiguous(int64_t rank, const int64_t *sizes,
                        const int64_t *strides) {
  int64_t expect = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    if (sizes[i] != 1 && strides[i] != expect)
      return 0;
    expect *= sizes[i];
  }
  return 1;
}

void kiln_memref_copy(int64_t elemSize, const kiln_unranked_memref_t *src,
                      const kiln_unranked_memref_t *dst) {
  int64_t rank = src->rank;
  DescView s = viewOf(src), d = viewOf(dst);
  int64_t numel = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (s.sizes[i] == 0)
      return; // Nothing to copy; data pointers may be null.
    numel *= s.sizes[i];
  }
  char *sp = s.aligned + s.offset * elemSize;
  char *dp = d.aligned + d.offset * elemSize;
  if (rank == 0) {
    memcpy(dp, sp, (size_t)elemSize);
    return;
  }
  if (isContiguous(rank, s.sizes, s.strides) &&
      isContiguous(rank, s.sizes, d.strides)) {
    memmove(dp, sp, (size_t)(numel * elemSize));
    return;
  }

  // Iterate over all but the innermost dimension with an index odometer;
  // copy the innermost dimension as one block when it is unit-stride on both
  // sides.
  int64_t inner = s.sizes[rank - 1];
  int64_t sInner = s.strides[rank - 1] * elemSize;
  int64_t dInner = d.strides[rank - 1] * elemSize;
  int innerContiguous = s.strides[rank - 1] == 1 && d.strides[rank - 1] == 1;
  int64_t localIndex[16] = {0};
  int64_t *index = localIndex;
  if (rank > 16) {
    index = (int64_t *)calloc((size_t)rank, sizeof(int64_t));
    if (!index)
      abort(); // memrefCopy cannot report errors.
  }
  int64_t sOff = 0, dOff = 0;
  for (;;) {
    if (innerContiguous) {
      memmove(dp + dOff, sp + sOff, (size_t)(inner * elemSize));
    } else {
      for (int64_t j = 0; j < inner; ++j)
        memmove(dp + dOff + j * dInner, sp + sOff + j * sInner,
                (size_t)elemSize);
    }
    int64_t axis = rank - 2;
    for (; axis >= 0; --axis) {
      sOff += s.strides[axis] * elemSize;
      dOff += d.strides[axis] * elemSize;
      if (++index[axis] < s.sizes[axis])
        break;
      sOff -= s.sizes[axis] * s.strides[axis] * elemSize;
      dOff -= s.sizes[axis] * d.strides[axis] * elemSize;
      index[axis] = 0;
    }
    if (axis < 0)
      break;
  }
  if (index != localIndex)
    free(index);
}
