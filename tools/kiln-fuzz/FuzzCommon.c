//===- FuzzCommon.c - Helpers shared by the runtime fuzz harnesses --------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "FuzzHarness.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *kiln_fuzz_write_scratch(const uint8_t *data, size_t size,
                                    const char *suffix) {
  static char path[512];
  struct stat st;
  const char *dir = "/dev/shm";
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0) {
    dir = getenv("TMPDIR");
    if (!dir || !*dir)
      dir = "/tmp";
  }
  snprintf(path, sizeof(path), "%s/kiln-fuzz-%ld-%s", dir, (long)getpid(),
           suffix);
  FILE *f = fopen(path, "wb");
  if (!f)
    return NULL;
  int ok = size == 0 || fwrite(data, 1, size, f) == size;
  if (fclose(f) != 0 || !ok) {
    remove(path);
    return NULL;
  }
  return path;
}

void kiln_fuzz_check_tensor(const kiln_tensor_t *t) {
  KILN_FUZZ_CHECK(t->dtype == KILN_F32 || t->dtype == KILN_F64 ||
                  t->dtype == KILN_I32 || t->dtype == KILN_I64);
  KILN_FUZZ_CHECK(t->rank >= 0 && t->rank <= KILN_MAX_RANK);
  int64_t numel;
  size_t nbytes;
  KILN_FUZZ_CHECK(kiln_shape_numel(t->rank, t->shape, t->dtype, &numel,
                                   &nbytes) == KILN_OK);
  KILN_FUZZ_CHECK(numel == t->numel);
  KILN_FUZZ_CHECK(t->data != NULL);
  KILN_FUZZ_CHECK(((uintptr_t)t->data % KILN_TENSOR_ALIGNMENT) == 0);
  volatile unsigned char sum = 0;
  const unsigned char *p = (const unsigned char *)t->data;
  for (size_t i = 0; i < nbytes; ++i)
    sum ^= p[i];
  (void)sum;
}

int kiln_fuzz_same_tensor(const kiln_tensor_t *a, const kiln_tensor_t *b) {
  if (a->dtype != b->dtype || a->rank != b->rank || a->numel != b->numel)
    return 0;
  for (int32_t i = 0; i < a->rank; ++i)
    if (a->shape[i] != b->shape[i])
      return 0;
  size_t n = kiln_tensor_nbytes(a);
  return n == 0 || memcmp(a->data, b->data, n) == 0;
}
