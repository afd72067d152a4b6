//===- RuntimeInternal.h - Kiln runtime private helpers ---------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Helpers shared by the runtime's source files. Not installed.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_RUNTIME_RUNTIMEINTERNAL_H
#define KILN_LIB_RUNTIME_RUNTIMEINTERNAL_H

#include "kiln/Runtime/Runtime.h"

#include <stdint.h>
#include <stdio.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the Kiln runtime assumes a little-endian host"
#endif

_Static_assert(sizeof(void *) == 8, "the Kiln runtime assumes an LP64 host");

#if defined(__GNUC__) || defined(__clang__)
#define KILN_PRINTF_FORMAT(fmt, args) __attribute__((format(printf, fmt, args)))
/// Internal helpers stay out of the dynamic symbol table of any shared
/// object the runtime ends up in.
#define KILN_INTERNAL __attribute__((visibility("hidden")))
#else
#define KILN_PRINTF_FORMAT(fmt, args)
#define KILN_INTERNAL
#endif

/// Writes a printf-formatted message into \p err (if non-NULL and non-empty)
/// and returns \p status, so that call sites can `return kiln_fail(...)`.
KILN_INTERNAL kiln_status_t kiln_fail(kiln_status_t status, char *err,
                                      size_t err_size, const char *fmt, ...)
    KILN_PRINTF_FORMAT(4, 5);

/// Prepends "prefix: " to the message already in \p err.
KILN_INTERNAL void kiln_err_prefix(char *err, size_t err_size,
                                   const char *prefix);

/// Opens \p path for binary reading and checks that it is a regular file.
/// On success stores the stream in \p file and its size in \p size; on
/// failure \p file is NULL and \p err says why (without the path).
KILN_INTERNAL kiln_status_t kiln_open_regular_file(const char *path,
                                                   FILE **file, uint64_t *size,
                                                   char *err, size_t err_size);

/// Allocates \p nbytes (rounded up to a multiple of KILN_TENSOR_ALIGNMENT,
/// at least one block) aligned to KILN_TENSOR_ALIGNMENT. Returns NULL on
/// failure.
KILN_INTERNAL void *kiln_aligned_alloc(size_t nbytes);

#endif // KILN_LIB_RUNTIME_RUNTIMEINTERNAL_H
