//===- fuzz-csv.c - libFuzzer harness of the CSV reader and data sets -----===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The input is CSV text. It is read from memory with several option sets
/// (header or not, label column -1, 0 or 1, non-finite values allowed or
/// not); the file reader must agree with the in-memory one. A data set read
/// with labels then goes through the data-set code: label check, slicing,
/// splitting, permutation and an epoch of padded batches.
///
//===----------------------------------------------------------------------===//

#include "FuzzHarness.h"

#include "kiln/Runtime/Data.h"

#include <string.h>

static void exerciseDataset(kiln_dataset_t *ds, size_t size) {
  char err[256];
  int64_t n = kiln_dataset_size(ds);
  KILN_FUZZ_CHECK(n == ds->features.shape[0]);
  (void)kiln_dataset_check_labels(ds, 10, err, sizeof(err));

  kiln_dataset_t a = {0}, b = {0};
  if (kiln_dataset_split(ds, n / 2, &a, &b, err, sizeof(err)) == KILN_OK) {
    KILN_FUZZ_CHECK(kiln_dataset_size(&a) + kiln_dataset_size(&b) == n);
  }
  kiln_dataset_free(&a);
  kiln_dataset_free(&b);
  // Out-of-range slices must be refused, not read.
  KILN_FUZZ_CHECK(kiln_dataset_slice(ds, 0, n + 1, &a, err, sizeof(err)) !=
                  KILN_OK);
  kiln_dataset_free(&a);

  (void)kiln_dataset_permute(ds, (uint64_t)size, err, sizeof(err));

  int64_t batch = (int64_t)(size % 3) + 1;
  kiln_batch_iter_t it = {0};
  if (kiln_batch_iter_init(&it, ds, batch, KILN_BATCH_PAD, 1, 42, err,
                           sizeof(err)) != KILN_OK)
    return;
  kiln_tensor_t x = {0}, y = {0};
  int64_t xs[KILN_MAX_RANK], ys[KILN_MAX_RANK];
  memcpy(xs, ds->features.shape, sizeof(xs));
  memcpy(ys, ds->labels.shape, sizeof(ys));
  xs[0] = ys[0] = batch;
  if (kiln_tensor_alloc(&x, KILN_F32, ds->features.rank, xs, err,
                        sizeof(err)) == KILN_OK &&
      kiln_tensor_alloc(&y, ds->labels.dtype, ds->labels.rank, ys, err,
                        sizeof(err)) == KILN_OK) {
    int64_t valid, total = 0, batches = 0;
    while (kiln_batch_iter_next(&it, &x, &y, &valid, err, sizeof(err)) ==
               KILN_OK &&
           valid > 0) {
      KILN_FUZZ_CHECK(valid <= batch);
      total += valid;
      ++batches;
    }
    KILN_FUZZ_CHECK(total == n);
    KILN_FUZZ_CHECK(batches == kiln_batch_iter_num_batches(&it));
  }
  kiln_tensor_free(&x);
  kiln_tensor_free(&y);
  kiln_batch_iter_free(&it);
}

KILN_FUZZ_HARNESS(csv) {
  if (size > KILN_FUZZ_MAX_INPUT)
    return 0;
  static const kiln_csv_options_t Options[] = {
      {0, 0, 0}, {1, 0, 0}, {0, -1, 1}, {1, 1, 1}};
  for (size_t i = 0; i < sizeof(Options) / sizeof(Options[0]); ++i) {
    kiln_tensor_t features, labels;
    char err[256] = "";
    kiln_status_t st =
        kiln_csv_read_buffer((const char *)data, size, "in", &Options[i],
                             &features, &labels, err, sizeof(err));
    if (st != KILN_OK) {
      KILN_FUZZ_CHECK(features.data == NULL && labels.data == NULL &&
                      err[0] != '\0');
      continue;
    }
    kiln_fuzz_check_tensor(&features);
    KILN_FUZZ_CHECK(features.dtype == KILN_F32 && features.rank == 2);
    if (Options[i].label_column < 0) {
      KILN_FUZZ_CHECK(labels.data == NULL);
      kiln_tensor_free(&features);
      continue;
    }
    kiln_fuzz_check_tensor(&labels);
    KILN_FUZZ_CHECK(labels.dtype == KILN_I64 && labels.rank == 1 &&
                    labels.shape[0] == features.shape[0]);
    kiln_dataset_t ds;
    memset(&ds, 0, sizeof(ds));
    ds.features = features;
    ds.labels = labels;
    strcpy(ds.labels_name, "in");
    exerciseDataset(&ds, size);
    kiln_dataset_free(&ds);
  }

  // The path readers against the in-memory one.
  const char *path = kiln_fuzz_write_scratch(data, size, "csv");
  if (!path)
    return 0;
  kiln_tensor_t fa, la, fb, lb;
  char errA[256] = "", errB[256] = "";
  kiln_status_t sa = kiln_csv_read_buffer((const char *)data, size, path,
                                          &Options[1], &fa, &la, errA,
                                          sizeof(errA));
  kiln_status_t sb =
      kiln_csv_read(path, &Options[1], &fb, &lb, errB, sizeof(errB));
  KILN_FUZZ_CHECK(sa == sb);
  if (sa == KILN_OK) {
    KILN_FUZZ_CHECK(kiln_fuzz_same_tensor(&fa, &fb));
    KILN_FUZZ_CHECK(kiln_fuzz_same_tensor(&la, &lb));
  } else {
    KILN_FUZZ_CHECK(strcmp(errA, errB) == 0);
  }
  kiln_tensor_free(&fa);
  kiln_tensor_free(&la);
  kiln_tensor_free(&fb);
  kiln_tensor_free(&lb);
  kiln_dataset_t ds = {0};
  char err[256];
  if (kiln_dataset_from_csv(path, &Options[0], &ds, err, sizeof(err)) ==
      KILN_OK)
    KILN_FUZZ_CHECK(kiln_dataset_size(&ds) == ds.features.shape[0]);
  kiln_dataset_free(&ds);
  remove(path);
  return 0;
}
