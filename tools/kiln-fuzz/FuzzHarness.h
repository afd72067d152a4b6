//===- FuzzHarness.h - Kiln fuzz harness entry points -----------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Every harness source defines its entry point with KILN_FUZZ_HARNESS(name):
/// `int kiln_fuzz_NAME(const uint8_t *data, size_t size)`. Built with
/// -DKILN_FUZZ_LIBFUZZER (the fuzz-NAME targets of KILN_BUILD_FUZZERS), the
/// source also defines LLVMFuzzerTestOneInput() calling it; otherwise the
/// entry points are linked together into kiln-fuzz-replay (Replay.cpp),
/// which feeds files to them in the normal build (test/Runtime/
/// fuzz-corpus.test). A harness returns 0; a crash, a sanitizer report or a
/// failed KILN_FUZZ_CHECK is the only finding.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_FUZZ_FUZZHARNESS_H
#define KILN_TOOLS_KILN_FUZZ_FUZZHARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef __cplusplus
#define KILN_FUZZ_EXTERN_C extern "C"
#else
#define KILN_FUZZ_EXTERN_C
#endif

/// Inputs above this size are ignored (utils/fuzz.sh also passes -max_len).
#define KILN_FUZZ_MAX_INPUT ((size_t)64 * 1024)

#ifdef KILN_FUZZ_LIBFUZZER
#define KILN_FUZZ_HARNESS(name)                                                \
  KILN_FUZZ_EXTERN_C int kiln_fuzz_##name(const uint8_t *data, size_t size);   \
  KILN_FUZZ_EXTERN_C int LLVMFuzzerTestOneInput(const uint8_t *data,           \
                                                size_t size) {                 \
    return kiln_fuzz_##name(data, size);                                       \
  }                                                                            \
  KILN_FUZZ_EXTERN_C int kiln_fuzz_##name(const uint8_t *data, size_t size)
#else
#define KILN_FUZZ_HARNESS(name)                                                \
  KILN_FUZZ_EXTERN_C int kiln_fuzz_##name(const uint8_t *data, size_t size)
#endif

/// An invariant of the code under test: abort (a finding) if it is false.
#define KILN_FUZZ_CHECK(cond)                                                  \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: KILN_FUZZ_CHECK failed: %s\n", __FILE__,         \
              __LINE__, #cond);                                                \
      abort();                                                                 \
    }                                                                          \
  } while (0)

#ifndef KILN_FUZZ_CXX_ONLY
#include "kiln/Runtime/Tensor.h"

/// Path of a per-process scratch file (in /dev/shm when it exists, else
/// $TMPDIR or /tmp) that harnesses write the input to, to drive the
/// path-based readers as well as the in-memory ones. `suffix` tells files
/// apart. Returns NULL if the file cannot be written.
KILN_FUZZ_EXTERN_C const char *kiln_fuzz_write_scratch(const uint8_t *data,
                                                       size_t size,
                                                       const char *suffix);

/// Checks the invariants of a tensor produced by a reader (dtype, rank,
/// numel, data) and reads every byte of its data, so that ASan sees a short
/// allocation.
KILN_FUZZ_EXTERN_C void kiln_fuzz_check_tensor(const kiln_tensor_t *t);

/// Nonzero if two tensors have the same dtype, shape and bytes.
KILN_FUZZ_EXTERN_C int kiln_fuzz_same_tensor(const kiln_tensor_t *a,
                                             const kiln_tensor_t *b);
#endif

#endif // KILN_TOOLS_KILN_FUZZ_FUZZHARNESS_H
