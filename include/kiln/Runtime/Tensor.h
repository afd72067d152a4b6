//===- Tensor.h - Kiln runtime tensors and status codes ---------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Core types of the Kiln runtime: element types, status codes, and the
/// dense row-major host tensor that every other runtime API operates on.
///
/// The runtime is plain C11 and links only against libc and libm, so that a
/// compiled Kiln executable needs nothing else.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_TENSOR_H
#define KILN_RUNTIME_TENSOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Maximum tensor rank supported by the runtime.
#define KILN_MAX_RANK 8

/// Alignment in bytes of every tensor data buffer allocated by the runtime.
#define KILN_TENSOR_ALIGNMENT 64

/// Result of a runtime operation. Every fallible function returns one of
/// these and, on failure, writes a human-readable message into a
/// caller-provided buffer.
typedef enum kiln_status {
  KILN_OK = 0,
  /// The operating system reported an error (open, read, write, rename).
  KILN_ERR_IO = 1,
  /// Malformed input: bad .npy file, bad signature text, bad shape string.
  KILN_ERR_FORMAT = 2,
  /// Well-formed but unsupported input (dtype, fortran order, version).
  KILN_ERR_UNSUPPORTED = 3,
  /// A size computation overflowed int64_t or size_t.
  KILN_ERR_OVERFLOW = 4,
  /// Memory allocation failed.
  KILN_ERR_NOMEM = 5,
  /// An argument was invalid (null pointer, bad rank, bad fan_in, ...).
  KILN_ERR_INVALID_ARG = 6,
  /// A tensor does not match the dtype/shape the signature expects, or the
  /// number of tensors passed does not match.
  KILN_ERR_MISMATCH = 7,
  /// A named entity (entry point) does not exist.
  KILN_ERR_NOT_FOUND = 8,
  /// Code compiled with `kilnc --check-numerics` produced a NaN or an
  /// infinity (kiln_numerics_fail(), Numerics.h).
  KILN_ERR_NUMERICS = 9
} kiln_status_t;

/// Element type of a tensor.
typedef enum kiln_dtype {
  KILN_DTYPE_INVALID = 0,
  KILN_F32 = 1, ///< IEEE binary32, `.npy` descr '<f4'.
  KILN_F64 = 2, ///< IEEE binary64, `.npy` descr '<f8'.
  KILN_I32 = 3, ///< two's complement int32, `.npy` descr '<i4'.
  KILN_I64 = 4  ///< two's complement int64, `.npy` descr '<i8'.
} kiln_dtype_t;

/// A dense, row-major (C order) host tensor.
///
/// `data` is owned by the tensor when it was produced by kiln_tensor_alloc()
/// or kiln_npy_read(), and must then be released with kiln_tensor_free().
/// A zero-initialized struct (`kiln_tensor_t t = {0};`) is a valid "empty"
/// tensor that kiln_tensor_free() accepts.
typedef struct kiln_tensor {
  kiln_dtype_t dtype;
  /// Number of dimensions, 0 (scalar) to KILN_MAX_RANK.
  int32_t rank;
  /// Extent of each dimension; entries at index >= rank are 0.
  int64_t shape[KILN_MAX_RANK];
  /// Product of the extents (1 for a scalar).
  int64_t numel;
  /// Element storage, KILN_TENSOR_ALIGNMENT-byte aligned, never NULL for an
  /// allocated tensor (even when numel == 0).
  void *data;
} kiln_tensor_t;

/// Returns a static string describing \p status ("ok", "I/O error", ...).
const char *kiln_status_string(kiln_status_t status);

/// Returns the short name of \p dtype ("f32", "f64", "i32", "i64"), or
/// "invalid".
const char *kiln_dtype_name(kiln_dtype_t dtype);

/// Returns the size in bytes of one element of \p dtype, or 0 if invalid.
size_t kiln_dtype_size(kiln_dtype_t dtype);

/// Parses a dtype name ("f32", "f64", "i32", "i64"). Returns
/// KILN_DTYPE_INVALID for anything else.
kiln_dtype_t kiln_dtype_from_name(const char *name);

/// Returns nonzero for the floating-point dtypes.
int kiln_dtype_is_float(kiln_dtype_t dtype);

/// Parses a shape string: "AxBxC" (non-negative decimal extents separated by
/// 'x') or "scalar" for rank 0. Fails on empty fields, signs, non-digits,
/// more than KILN_MAX_RANK dimensions, or an element count that overflows
/// int64_t.
kiln_status_t kiln_shape_parse(const char *text, int32_t *rank,
                               int64_t shape[KILN_MAX_RANK], char *err,
                               size_t err_size);

/// Formats a shape as "AxBxC", or "scalar" for rank 0, into \p buf
/// (always NUL-terminated when buf_size > 0). Returns \p buf.
char *kiln_shape_format(char *buf, size_t buf_size, int32_t rank,
                        const int64_t *shape);

/// Computes the element count of a shape, failing with KILN_ERR_OVERFLOW if
/// it, or its size in bytes for \p dtype, overflows int64_t or size_t, and
/// with KILN_ERR_INVALID_ARG for a negative extent or a bad rank.
kiln_status_t kiln_shape_numel(int32_t rank, const int64_t *shape,
                               kiln_dtype_t dtype, int64_t *numel,
                               size_t *nbytes);

/// Allocates a zero-filled tensor of the given dtype and shape. On failure
/// \p t is left zeroed and an error message naming the problem is written.
kiln_status_t kiln_tensor_alloc(kiln_tensor_t *t, kiln_dtype_t dtype,
                                int32_t rank, const int64_t *shape, char *err,
                                size_t err_size);

/// Frees the data of \p t (if any) and zeroes the struct. Accepts NULL.
void kiln_tensor_free(kiln_tensor_t *t);

/// Returns the size of the tensor's data in bytes (numel * element size).
size_t kiln_tensor_nbytes(const kiln_tensor_t *t);

/// Returns element \p index (row-major linear index) converted to double.
double kiln_tensor_get_f64(const kiln_tensor_t *t, int64_t index);

/// Summary of an elementwise comparison (see kiln_tensor_compare()).
typedef struct kiln_compare_result {
  /// Number of elements compared.
  int64_t count;
  /// Number of elements outside the tolerance.
  int64_t mismatches;
  /// Row-major index of the first mismatch, or -1.
  int64_t first_mismatch;
  /// Largest |a - b| over elements where both are finite (+inf if an
  /// infinity is compared with a different value).
  double max_abs_err;
  /// Largest |a - b| / |b| over the same elements (+inf where b == 0 and
  /// a != 0).
  double max_rel_err;
} kiln_compare_result_t;

/// Compares \p a against the reference \p b elementwise in double
/// precision: an element matches if |a - b| <= atol + rtol * |b|. NaN
/// matches only NaN, and an infinity only the same infinity. Dtypes may
/// differ; shapes must be equal (KILN_ERR_MISMATCH otherwise, with a message
/// like "shape mismatch: 2x3 f32 vs 3x2 f32"). Returns KILN_OK when the
/// comparison ran, whatever its outcome: check result->mismatches.
kiln_status_t kiln_tensor_compare(const kiln_tensor_t *a,
                                  const kiln_tensor_t *b, double rtol,
                                  double atol, kiln_compare_result_t *result,
                                  char *err, size_t err_size);

/// Prints \p t to \p out as a nested bracketed list in the style of numpy's
/// repr, e.g. "[[1, 2],\n [3, 4]]\n". If \p threshold > 0 and the tensor
/// has more than \p threshold elements, only the first and last 3 items of
/// each dimension are shown, with "..." in between.
void kiln_tensor_print(FILE *out, const kiln_tensor_t *t, int64_t threshold);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_TENSOR_H
