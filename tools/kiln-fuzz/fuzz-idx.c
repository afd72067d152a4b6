//===- fuzz-idx.c - libFuzzer harness of the IDX reader -------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The input is an IDX file. It is read from memory into each target dtype
/// (and with KILN_IDX_SCALE_U8), then from a file into f32; the file reader
/// must agree with the in-memory one (same status, same tensor).
///
//===----------------------------------------------------------------------===//

#include "FuzzHarness.h"

#include "kiln/Runtime/Data.h"

#include <string.h>

static void readOne(const uint8_t *data, size_t size, kiln_dtype_t dtype,
                    unsigned flags) {
  kiln_tensor_t t;
  char err[256] = "";
  kiln_status_t st =
      kiln_idx_read_buffer(data, size, "in", dtype, flags, &t, err, sizeof(err));
  if (st == KILN_OK) {
    kiln_fuzz_check_tensor(&t);
    KILN_FUZZ_CHECK(t.dtype == dtype);
  } else {
    KILN_FUZZ_CHECK(t.data == NULL && err[0] != '\0');
  }
  kiln_tensor_free(&t);
}

KILN_FUZZ_HARNESS(idx) {
  if (size > KILN_FUZZ_MAX_INPUT)
    return 0;
  readOne(data, size, KILN_F32, 0);
  readOne(data, size, KILN_F32, KILN_IDX_SCALE_U8);
  readOne(data, size, KILN_F64, 0);
  readOne(data, size, KILN_I32, 0);
  readOne(data, size, KILN_I64, 0);

  // The path reader against the in-memory one.
  const char *path = kiln_fuzz_write_scratch(data, size, "idx");
  if (!path)
    return 0;
  kiln_tensor_t a, b;
  char errA[256] = "", errB[256] = "";
  kiln_status_t sa = kiln_idx_read_buffer(data, size, path, KILN_F32, 0, &a,
                                          errA, sizeof(errA));
  kiln_status_t sb = kiln_idx_read(path, KILN_F32, 0, &b, errB, sizeof(errB));
  KILN_FUZZ_CHECK(sa == sb);
  if (sa == KILN_OK)
    KILN_FUZZ_CHECK(kiln_fuzz_same_tensor(&a, &b));
  kiln_tensor_free(&a);
  kiln_tensor_free(&b);
  remove(path);
  return 0;
}
