//===- fuzz-checkpoint.c - libFuzzer harness of the checkpoint reader -----===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The input is a checkpoint file. It is read as is, then again with its
/// total size, header checksum and file checksum repaired (so that mutations
/// reach the tensor records instead of stopping at a checksum), from memory
/// and from a file, which must agree. A checkpoint that reads is written back
/// (kiln_checkpoint_write) and must read back the same.
///
//===----------------------------------------------------------------------===//

#include "FuzzHarness.h"

#include "kiln/Runtime/Checkpoint.h"

#include <string.h>

/// Offset of the header checksum (docs/Runtime.md).
#define HEADER_SUM_OFFSET 112

static void putU64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = (unsigned char)(v >> (8 * i));
}

static void checkSame(const kiln_checkpoint_t *a, const kiln_checkpoint_t *b) {
  KILN_FUZZ_CHECK(a->flags == b->flags && a->fingerprint == b->fingerprint &&
                  a->seed == b->seed && a->step == b->step &&
                  a->epoch == b->epoch && a->batch == b->batch &&
                  a->train_examples == b->train_examples &&
                  a->batch_size == b->batch_size &&
                  memcmp(&a->loss_sum, &b->loss_sum, 8) == 0 &&
                  a->correct == b->correct && a->counted == b->counted &&
                  a->num_tensors == b->num_tensors);
  for (size_t i = 0; i < a->num_tensors; ++i) {
    KILN_FUZZ_CHECK(a->tensors[i].kind == b->tensors[i].kind);
    KILN_FUZZ_CHECK(strcmp(a->tensors[i].name, b->tensors[i].name) == 0);
    KILN_FUZZ_CHECK(
        kiln_fuzz_same_tensor(&a->tensors[i].tensor, &b->tensors[i].tensor));
  }
}

static void readOne(const uint8_t *data, size_t size) {
  kiln_checkpoint_t ck;
  char err[512] = "";
  kiln_status_t st =
      kiln_checkpoint_read_buffer(data, size, "in", &ck, err, sizeof(err));
  if (st != KILN_OK) {
    KILN_FUZZ_CHECK(ck.tensors == NULL && ck.num_tensors == 0 &&
                    err[0] != '\0');
  } else {
    for (size_t i = 0; i < ck.num_tensors; ++i) {
      const kiln_ckpt_tensor_t *t = &ck.tensors[i];
      KILN_FUZZ_CHECK(t->name && t->name[0]);
      kiln_fuzz_check_tensor(&t->tensor);
      KILN_FUZZ_CHECK(kiln_checkpoint_find(&ck, t->kind, t->name) == t);
    }
  }

  // The file reader must agree with the in-memory one.
  const char *path = kiln_fuzz_write_scratch(data, size, "ckpt");
  if (path) {
    kiln_checkpoint_t fromFile;
    char errB[512] = "";
    kiln_status_t sb = kiln_checkpoint_read(path, &fromFile, errB, sizeof(errB));
    KILN_FUZZ_CHECK(sb == st);
    if (sb == KILN_OK) {
      checkSame(&ck, &fromFile);
      // Round trip: write it back and read it again.
      kiln_checkpoint_t again;
      KILN_FUZZ_CHECK(kiln_checkpoint_write(path, &ck, errB, sizeof(errB)) ==
                      KILN_OK);
      KILN_FUZZ_CHECK(kiln_checkpoint_read(path, &again, errB, sizeof(errB)) ==
                      KILN_OK);
      checkSame(&ck, &again);
      kiln_checkpoint_free(&again);
    }
    kiln_checkpoint_free(&fromFile);
    remove(path);
  }
  kiln_checkpoint_free(&ck);
}

KILN_FUZZ_HARNESS(checkpoint) {
  if (size > KILN_FUZZ_MAX_INPUT)
    return 0;
  readOne(data, size);
  if (size < KILN_CKPT_HEADER_SIZE + 8)
    return 0;
  unsigned char *fixed = (unsigned char *)malloc(size);
  if (!fixed)
    return 0;
  memcpy(fixed, data, size);
  putU64(fixed + 16, (uint64_t)size);
  putU64(fixed + HEADER_SUM_OFFSET,
         kiln_fnv1a64(fixed, HEADER_SUM_OFFSET, KILN_FNV1A64_INIT));
  putU64(fixed + size - 8, kiln_fnv1a64(fixed, size - 8, KILN_FNV1A64_INIT));
  readOne(fixed, size);
  free(fixed);
  return 0;
}
