//===- fuzz-npy.c - libFuzzer harness of the .npy reader ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The input is a `.npy` file. It is read from memory and from a file
/// (kiln_npy_read, kiln_npy_read_header), which must agree; a file that
/// reads is written back (kiln_npy_write) and must read back the same, and
/// is loaded as a data set (features and labels from the same file).
///
//===----------------------------------------------------------------------===//

#include "FuzzHarness.h"

#include "kiln/Runtime/Data.h"
#include "kiln/Runtime/Npy.h"

#include <string.h>

KILN_FUZZ_HARNESS(npy) {
  if (size > KILN_FUZZ_MAX_INPUT)
    return 0;
  kiln_tensor_t t;
  char err[512] = "";
  kiln_status_t st = kiln_npy_read_buffer(data, size, "in", &t, err, sizeof(err));
  if (st == KILN_OK)
    kiln_fuzz_check_tensor(&t);
  else
    KILN_FUZZ_CHECK(t.data == NULL && err[0] != '\0');

  const char *path = kiln_fuzz_write_scratch(data, size, "npy");
  if (!path) {
    kiln_tensor_free(&t);
    return 0;
  }
  kiln_tensor_t fromFile, header;
  char errB[512] = "", errC[512] = "";
  kiln_status_t sb = kiln_npy_read(path, &fromFile, errB, sizeof(errB));
  kiln_status_t sc = kiln_npy_read_header(path, &header, errC, sizeof(errC));
  KILN_FUZZ_CHECK(sb == st && sc == st);
  if (st == KILN_OK) {
    KILN_FUZZ_CHECK(kiln_fuzz_same_tensor(&t, &fromFile));
    KILN_FUZZ_CHECK(header.data == NULL && header.dtype == t.dtype &&
                    header.rank == t.rank && header.numel == t.numel);
    // Round trip through the writer.
    kiln_tensor_t again;
    KILN_FUZZ_CHECK(kiln_npy_write(path, &t, errB, sizeof(errB)) == KILN_OK);
    KILN_FUZZ_CHECK(kiln_npy_read(path, &again, errB, sizeof(errB)) ==
                    KILN_OK);
    KILN_FUZZ_CHECK(kiln_fuzz_same_tensor(&t, &again));
    kiln_tensor_free(&again);
    // The same file as features and labels of a data set.
    kiln_dataset_t ds = {0};
    if (kiln_dataset_from_npy(path, path, &ds, errB, sizeof(errB)) ==
        KILN_OK) {
      KILN_FUZZ_CHECK(kiln_dataset_size(&ds) == t.shape[0]);
      (void)kiln_dataset_check_labels(&ds, 10, errB, sizeof(errB));
    }
    kiln_dataset_free(&ds);
  } else {
    KILN_FUZZ_CHECK(strcmp(errB, errC) == 0);
  }
  kiln_tensor_free(&fromFile);
  kiln_tensor_free(&t);
  remove(path);
  return 0;
}
