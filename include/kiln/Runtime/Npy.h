//===- Npy.h - Kiln runtime .npy file I/O -----------------------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Reading and writing numpy `.npy` files.
///
/// Supported subset: format versions 1.0, 2.0 (and 3.0, which differs from
/// 2.0 only in the header text encoding) for reading, 1.0 for writing;
/// little-endian descrs '<f4', '<f8', '<i4', '<i8' (the reader also accepts
/// the native-order spelling '=f4' etc.); C order only; rank 0 to
/// KILN_MAX_RANK.
///
/// The readers validate everything before touching the data: magic, version,
/// header length against the file size, the header dict syntax, dtype,
/// fortran_order, shape extents, element-count/byte-count overflow, and that
/// the data section is at least as long as the shape requires. They never
/// allocate more than the file could contain.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_NPY_H
#define KILN_RUNTIME_NPY_H

#include "kiln/Runtime/Tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Reads the `.npy` file at \p path into a newly allocated tensor \p out.
/// On failure \p out is zeroed and \p err receives a message that starts
/// with the path, e.g. "x.npy: truncated data: expected 3136 bytes, found
/// 100".
kiln_status_t kiln_npy_read(const char *path, kiln_tensor_t *out, char *err,
                            size_t err_size);

/// Parses an in-memory `.npy` image of \p size bytes. \p name is used as the
/// prefix of error messages (may be NULL, then "<buffer>").
kiln_status_t kiln_npy_read_buffer(const void *buf, size_t size,
                                   const char *name, kiln_tensor_t *out,
                                   char *err, size_t err_size);

/// Reads only the header of the `.npy` file at \p path: fills dtype, rank
/// and shape of \p out (data stays NULL, numel is set). The same checks as
/// kiln_npy_read() are applied, including the data-length check.
kiln_status_t kiln_npy_read_header(const char *path, kiln_tensor_t *out,
                                   char *err, size_t err_size);

/// Writes \p t to \p path as a version 1.0 `.npy` file. The data is first
/// written to "<path>.tmp", which is then renamed over \p path, so an
/// existing file is never left half-overwritten.
kiln_status_t kiln_npy_write(const char *path, const kiln_tensor_t *t,
                             char *err, size_t err_size);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_NPY_H
