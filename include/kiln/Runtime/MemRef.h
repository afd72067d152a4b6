//===- MemRef.h - MLIR memref descriptors for the Kiln runtime --*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Builders for MLIR ranked memref descriptors, and a C implementation of
/// MLIR's `memrefCopy` runtime helper.
///
/// A ranked memref descriptor of rank R is laid out (on LP64 targets, every
/// field 8 bytes, no padding) as:
///
///   struct { void *allocated; void *aligned; int64_t offset;
///            int64_t sizes[R]; int64_t strides[R]; };
///
/// i.e. (3 + 2*R) 8-byte words; a rank-0 descriptor has only the first three.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_MEMREF_H
#define KILN_RUNTIME_MEMREF_H

#include "kiln/Runtime/Tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/// An MLIR unranked memref: the rank and a pointer to a ranked descriptor.
typedef struct kiln_unranked_memref {
  int64_t rank;
  void *descriptor;
} kiln_unranked_memref_t;

/// Returns the size in bytes of a ranked descriptor of rank \p rank:
/// 8 * (3 + 2 * rank).
size_t kiln_memref_desc_size(int32_t rank);

/// Writes the ranked descriptor of \p t into \p desc (which must provide
/// kiln_memref_desc_size(t->rank) bytes, 8-byte aligned): allocated =
/// aligned = t->data, offset 0, sizes = shape, strides = contiguous
/// row-major strides.
void kiln_memref_desc_fill(void *desc, const kiln_tensor_t *t);

/// Argument block for a compiled entry function: `args[i]` points to the
/// descriptor of tensor i inside `buffer`. Free with kiln_arg_pack_free().
typedef struct kiln_arg_pack {
  void **args;
  size_t count;
  /// One allocation holding the descriptors back to back, each 8-byte
  /// aligned.
  void *buffer;
  size_t buffer_size;
} kiln_arg_pack_t;

/// Builds descriptors for the \p count tensors in \p tensors (in order) and
/// the argument pointer array that points at them. Any tensor may have any
/// rank in [0, KILN_MAX_RANK]; a NULL tensor or NULL data is rejected.
kiln_status_t kiln_arg_pack_build(kiln_arg_pack_t *pack,
                                  kiln_tensor_t *const *tensors, size_t count,
                                  char *err, size_t err_size);

/// Frees the memory of \p pack (not the tensors) and zeroes it.
void kiln_arg_pack_free(kiln_arg_pack_t *pack);

/// Copies the \p src memref into \p dst element by element, honouring
/// offsets and strides (both must have the same rank and sizes; the sizes
/// of \p src are used). Uses memcpy when both sides are contiguous, and per
/// row when only the innermost dimension is. Elements are \p elem_size
/// bytes.
///
/// The runtime also defines `void memrefCopy(int64_t elemSize,
/// kiln_unranked_memref_t *src, kiln_unranked_memref_t *dst)`, the symbol
/// that MLIR-lowered `memref.copy` calls, as a thin wrapper around this
/// function (in its own object file, so it is only linked in when a
/// compiled module references it). It is deliberately not declared here so
/// that this header can coexist with MLIR's CRunnerUtils.h.
void kiln_memref_copy(int64_t elem_size, const kiln_unranked_memref_t *src,
                      const kiln_unranked_memref_t *dst);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_MEMREF_H
