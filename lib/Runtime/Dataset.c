//===- Dataset.c - Kiln runtime data sets, shuffling and batching ---------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Data sets of features and labels built from IDX, CSV or `.npy` files,
/// label validation, seeded Fisher-Yates shuffling, the epoch iterator and
/// splits by index range. Examples are rows: every operation copies whole
/// slices along the leading dimension.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

#include <stdlib.h>
#include <string.h>

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Computes the size in bytes of one example (a slice along dimension 0) of
/// \p t, which must have rank >= 1.
static kiln_status_t rowBytes(const kiln_tensor_t *t, size_t *bytes) {
  int64_t numel;
  return kiln_shape_numel(t->rank - 1, t->shape + 1, t->dtype, &numel, bytes);
}

/// Replaces \p t by a copy converted to \p dtype (exact for integer to
/// integer and float widening; f64 to f32 rounds, integers to f32 round).
static kiln_status_t convertTo(kiln_tensor_t *t, kiln_dtype_t dtype, char *err,
                               size_t errSize) {
  if (t->dtype == dtype)
    return KILN_OK;
  kiln_tensor_t out;
  kiln_status_t st =
      kiln_tensor_alloc(&out, dtype, t->rank, t->shape, err, errSize);
  if (st != KILN_OK)
    return st;
  for (int64_t i = 0; i < t->numel; ++i) {
    switch (dtype) {
    case KILN_F32:
      ((float *)out.data)[i] = (float)kiln_tensor_get_f64(t, i);
      break;
    case KILN_I64:
      // Integer sources only: i32 widens exactly.
      ((int64_t *)out.data)[i] = t->dtype == KILN_I32
                                     ? ((const int32_t *)t->data)[i]
                                     : (int64_t)kiln_tensor_get_f64(t, i);
      break;
    default:
      break;
    }
  }
  kiln_tensor_free(t);
  *t = out;
  return KILN_OK;
}

static void setLabelsName(kiln_dataset_t *ds, const char *name) {
  snprintf(ds->labels_name, sizeof(ds->labels_name), "%s", name);
}

/// Checks that features (rank >= 1) and labels (if any) agree on N.
static kiln_status_t checkCounts(const kiln_dataset_t *ds,
                                 const char *featuresName,
                                 const char *labelsName, char *err,
                                 size_t errSize) {
  if (ds->features.rank < 1)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: features must have rank >= 1 (one row per "
                     "example), found a scalar",
                     featuresName);
  if (ds->labels.dtype == KILN_DTYPE_INVALID)
    return KILN_OK;
  if (ds->labels.rank < 1)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: labels must have rank >= 1, found a scalar",
                     labelsName);
  if (ds->labels.shape[0] != ds->features.shape[0])
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "%s has %lld examples but %s has %lld labels",
                     featuresName, (long long)ds->features.shape[0], labelsName,
                     (long long)ds->labels.shape[0]);
  return KILN_OK;
}

/// Finishes a loader: on failure frees \p ds, on success records the name.
static kiln_status_t finish(kiln_dataset_t *ds, kiln_status_t st,
                            const char *labelsName) {
  if (st != KILN_OK)
    kiln_dataset_free(ds);
  else
    setLabelsName(ds, labelsName);
  return st;
}

//===----------------------------------------------------------------------===//
// Loaders
//===----------------------------------------------------------------------===//

void kiln_dataset_free(kiln_dataset_t *ds) {
  if (!ds)
    return;
  kiln_tensor_free(&ds->features);
  kiln_tensor_free(&ds->labels);
  memset(ds, 0, sizeof(*ds));
}

int64_t kiln_dataset_size(const kiln_dataset_t *ds) {
  return ds && ds->features.rank >= 1 ? ds->features.shape[0] : 0;
}

kiln_status_t kiln_dataset_from_idx(const char *imagesPath,
                                    const char *labelsPath, unsigned flags,
                                    kiln_dataset_t *ds, char *err,
                                    size_t errSize) {
  if (!imagesPath || !labelsPath || !ds)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_from_idx: null argument");
  memset(ds, 0, sizeof(*ds));
  kiln_status_t st =
      kiln_idx_read(imagesPath, KILN_F32, flags, &ds->features, err, errSize);
  if (st == KILN_OK)
    st = kiln_idx_read(labelsPath, KILN_I64, 0, &ds->labels, err, errSize);
  if (st == KILN_OK && ds->labels.rank != 1) {
    char shape[128];
    kiln_shape_format(shape, sizeof(shape), ds->labels.rank, ds->labels.shape);
    st = kiln_fail(KILN_ERR_FORMAT, err, errSize,
                   "%s: labels must have rank 1, found shape %s", labelsPath,
                   shape);
  }
  if (st == KILN_OK)
    st = checkCounts(ds, imagesPath, labelsPath, err, errSize);
  return finish(ds, st, labelsPath);
}

kiln_status_t kiln_dataset_from_csv(const char *path,
                                    const kiln_csv_options_t *opts,
                                    kiln_dataset_t *ds, char *err,
                                    size_t errSize) {
  if (!path || !opts || !ds)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_from_csv: null argument");
  memset(ds, 0, sizeof(*ds));
  kiln_status_t st =
      kiln_csv_read(path, opts, &ds->features, &ds->labels, err, errSize);
  return finish(ds, st, path);
}

kiln_status_t kiln_dataset_from_npy(const char *featuresPath,
                                    const char *labelsPath, kiln_dataset_t *ds,
                                    char *err, size_t errSize) {
  if (!featuresPath || !labelsPath || !ds)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_from_npy: null argument");
  memset(ds, 0, sizeof(*ds));
  kiln_status_t st = kiln_npy_read(featuresPath, &ds->features, err, errSize);
  if (st == KILN_OK)
    st = kiln_npy_read(labelsPath, &ds->labels, err, errSize);
  if (st == KILN_OK)
    st = checkCounts(ds, featuresPath, labelsPath, err, errSize);
  if (st == KILN_OK && !kiln_dtype_is_float(ds->labels.dtype) &&
      ds->labels.rank != 1) {
    char shape[128];
    kiln_shape_format(shape, sizeof(shape), ds->labels.rank, ds->labels.shape);
    st = kiln_fail(KILN_ERR_FORMAT, err, errSize,
                   "%s: integer labels must have rank 1, found shape %s",
                   labelsPath, shape);
  }
  if (st == KILN_OK)
    st = convertTo(&ds->features, KILN_F32, err, errSize);
  if (st == KILN_OK)
    st = convertTo(&ds->labels,
                   kiln_dtype_is_float(ds->labels.dtype) ? KILN_F32 : KILN_I64,
                   err, errSize);
  return finish(ds, st, labelsPath);
}

kiln_status_t kiln_labels_check(const kiln_tensor_t *labels, int64_t numClasses,
                                const char *name, char *err, size_t errSize) {
  if (!name)
    name = "labels";
  if (!labels || (labels->dtype != KILN_I32 && labels->dtype != KILN_I64) ||
      (!labels->data && labels->numel))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "%s: class labels must be an i32 or i64 tensor", name);
  if (numClasses <= 0)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "%s: number of classes must be positive, got %lld", name,
                     (long long)numClasses);
  for (int64_t i = 0; i < labels->numel; ++i) {
    int64_t v = labels->dtype == KILN_I32 ? ((const int32_t *)labels->data)[i]
                                          : ((const int64_t *)labels->data)[i];
    if (v < 0 || v >= numClasses)
      return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                       "%s: label %lld at index %lld is outside [0, %lld)",
                       name, (long long)v, (long long)i, (long long)numClasses);
  }
  return KILN_OK;
}

kiln_status_t kiln_dataset_check_labels(const kiln_dataset_t *ds,
                                        int64_t numClasses, char *err,
                                        size_t errSize) {
  if (!ds)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_check_labels: null argument");
  return kiln_labels_check(&ds->labels, numClasses,
                           ds->labels_name[0] ? ds->labels_name : NULL, err,
                           errSize);
}

//===----------------------------------------------------------------------===//
// Row copies
//===----------------------------------------------------------------------===//

/// Checks that \p batch can receive \p count examples of \p src: same dtype
/// and rank, same trailing extents, leading extent >= count.
static kiln_status_t checkBatch(const kiln_tensor_t *src,
                                const kiln_tensor_t *batch, int64_t count,
                                const char *what, char *err, size_t errSize) {
  int ok = batch->dtype == src->dtype && batch->rank == src->rank &&
           batch->rank >= 1 && batch->shape[0] >= count &&
           (batch->data || batch->numel == 0);
  for (int32_t d = 1; ok && d < src->rank; ++d)
    ok = batch->shape[d] == src->shape[d];
  if (ok)
    return KILN_OK;
  char want[128], got[128];
  int64_t shape[KILN_MAX_RANK];
  memcpy(shape, src->shape, sizeof(shape));
  shape[0] = count;
  kiln_shape_format(want, sizeof(want), src->rank, shape);
  kiln_shape_format(got, sizeof(got), batch->rank, batch->shape);
  return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                   "%s batch is %s %s, expected %s (or more rows) %s", what,
                   got, kiln_dtype_name(batch->dtype), want,
                   kiln_dtype_name(src->dtype));
}

/// Copies rows \p indices[0..count) of \p src to rows 0..count of \p dst.
static void copyRows(const kiln_tensor_t *src, const int64_t *indices,
                     int64_t count, kiln_tensor_t *dst, size_t bytes) {
  for (int64_t k = 0; k < count && bytes; ++k)
    memcpy((char *)dst->data + (size_t)k * bytes,
           (const char *)src->data + (size_t)indices[k] * bytes, bytes);
}

kiln_status_t kiln_dataset_gather(const kiln_dataset_t *ds,
                                  const int64_t *indices, int64_t count,
                                  kiln_tensor_t *x, kiln_tensor_t *y, char *err,
                                  size_t errSize) {
  if (!ds || !x || (!indices && count) || count < 0)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_gather: bad argument");
  if (y && ds->labels.dtype == KILN_DTYPE_INVALID)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_gather: the data set has no labels");
  int64_t n = kiln_dataset_size(ds);
  for (int64_t k = 0; k < count; ++k)
    if (indices[k] < 0 || indices[k] >= n)
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "kiln_dataset_gather: index %lld at position %lld is "
                       "outside [0, %lld)",
                       (long long)indices[k], (long long)k, (long long)n);
  kiln_status_t st =
      checkBatch(&ds->features, x, count, "feature", err, errSize);
  if (st == KILN_OK && y)
    st = checkBatch(&ds->labels, y, count, "label", err, errSize);
  size_t xBytes = 0, yBytes = 0;
  if (st == KILN_OK && (rowBytes(&ds->features, &xBytes) != KILN_OK ||
                        (y && rowBytes(&ds->labels, &yBytes) != KILN_OK)))
    st = kiln_fail(KILN_ERR_OVERFLOW, err, errSize,
                   "kiln_dataset_gather: row size overflows");
  if (st != KILN_OK)
    return st;
  copyRows(&ds->features, indices, count, x, xBytes);
  if (y)
    copyRows(&ds->labels, indices, count, y, yBytes);
  return KILN_OK;
}

/// Allocates \p dst like \p src with leading extent \p count and copies the
/// rows \p indices into it. A label-less source gives a label-less result.
static kiln_status_t gatherNew(const kiln_tensor_t *src, const int64_t *indices,
                               int64_t count, kiln_tensor_t *dst, char *err,
                               size_t errSize) {
  memset(dst, 0, sizeof(*dst));
  if (src->dtype == KILN_DTYPE_INVALID)
    return KILN_OK;
  int64_t shape[KILN_MAX_RANK];
  memcpy(shape, src->shape, sizeof(shape));
  shape[0] = count;
  kiln_status_t st =
      kiln_tensor_alloc(dst, src->dtype, src->rank, shape, err, errSize);
  size_t bytes = 0;
  if (st == KILN_OK && rowBytes(src, &bytes) != KILN_OK) {
    kiln_tensor_free(dst);
    st = kiln_fail(KILN_ERR_OVERFLOW, err, errSize, "row size overflows");
  }
  if (st == KILN_OK)
    copyRows(src, indices, count, dst, bytes);
  return st;
}

/// Builds \p out from the examples \p indices of \p ds.
static kiln_status_t selectRows(const kiln_dataset_t *ds,
                                const int64_t *indices, int64_t count,
                                kiln_dataset_t *out, char *err,
                                size_t errSize) {
  kiln_dataset_t tmp;
  memset(&tmp, 0, sizeof(tmp));
  kiln_status_t st =
      gatherNew(&ds->features, indices, count, &tmp.features, err, errSize);
  if (st == KILN_OK)
    st = gatherNew(&ds->labels, indices, count, &tmp.labels, err, errSize);
  if (st != KILN_OK) {
    kiln_dataset_free(&tmp);
    return st;
  }
  memcpy(tmp.labels_name, ds->labels_name, sizeof(tmp.labels_name));
  *out = tmp;
  return KILN_OK;
}

/// Returns a malloc'ed array of \p n indices (at least one element).
static int64_t *allocIndices(int64_t n) {
  size_t bytes;
  if (n < 0 || __builtin_mul_overflow((size_t)n, sizeof(int64_t), &bytes))
    return NULL;
  return (int64_t *)malloc(bytes ? bytes : 1);
}

kiln_status_t kiln_dataset_slice(const kiln_dataset_t *ds, int64_t begin,
                                 int64_t end, kiln_dataset_t *out, char *err,
                                 size_t errSize) {
  if (!ds || !out || ds == out)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_slice: bad argument");
  int64_t n = kiln_dataset_size(ds);
  if (begin < 0 || begin > end || end > n)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_slice: range [%lld, %lld) is not within "
                     "[0, %lld]",
                     (long long)begin, (long long)end, (long long)n);
  int64_t *idx = allocIndices(end - begin);
  if (!idx)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  for (int64_t i = begin; i < end; ++i)
    idx[i - begin] = i;
  kiln_status_t st = selectRows(ds, idx, end - begin, out, err, errSize);
  free(idx);
  return st;
}

kiln_status_t kiln_dataset_split(const kiln_dataset_t *ds, int64_t nFirst,
                                 kiln_dataset_t *first, kiln_dataset_t *second,
                                 char *err, size_t errSize) {
  if (!ds || !first || !second || first == second)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_split: bad argument");
  int64_t n = kiln_dataset_size(ds);
  kiln_status_t st = kiln_dataset_slice(ds, 0, nFirst, first, err, errSize);
  if (st != KILN_OK)
    return st;
  st = kiln_dataset_slice(ds, nFirst, n, second, err, errSize);
  if (st != KILN_OK)
    kiln_dataset_free(first);
  return st;
}

//===----------------------------------------------------------------------===//
// Shuffling
//===----------------------------------------------------------------------===//

void kiln_shuffle_indices(int64_t *perm, int64_t n, uint64_t seed) {
  if (!perm)
    return;
  for (int64_t i = 0; i < n; ++i)
    perm[i] = i;
  for (int64_t i = n - 1, t = 0; i >= 1; --i, ++t) {
    int64_t j = (int64_t)(kiln_rng_draw(seed, (uint64_t)t) % (uint64_t)(i + 1));
    int64_t tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
}

uint64_t kiln_shuffle_epoch_seed(uint64_t seed, uint64_t epoch) {
  return kiln_rng_draw(seed, epoch);
}

kiln_status_t kiln_dataset_permute(kiln_dataset_t *ds, uint64_t seed, char *err,
                                   size_t errSize) {
  if (!ds)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_dataset_permute: null argument");
  int64_t n = kiln_dataset_size(ds);
  int64_t *perm = allocIndices(n);
  if (!perm)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  kiln_shuffle_indices(perm, n, seed);
  kiln_dataset_t out;
  kiln_status_t st = selectRows(ds, perm, n, &out, err, errSize);
  free(perm);
  if (st != KILN_OK)
    return st;
  kiln_dataset_free(ds);
  *ds = out;
  return KILN_OK;
}

//===----------------------------------------------------------------------===//
// Epoch iterator
//===----------------------------------------------------------------------===//

kiln_status_t kiln_batch_iter_init(kiln_batch_iter_t *it,
                                   const kiln_dataset_t *ds, int64_t batchSize,
                                   kiln_batch_mode_t mode, int shuffle,
                                   uint64_t seed, char *err, size_t errSize) {
  if (!it || !ds)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_batch_iter_init: null argument");
  memset(it, 0, sizeof(*it));
  if (batchSize <= 0)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_batch_iter_init: batch size must be positive, got "
                     "%lld",
                     (long long)batchSize);
  if (mode != KILN_BATCH_DROP_LAST && mode != KILN_BATCH_PAD)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_batch_iter_init: bad batch mode %d", (int)mode);
  it->order = allocIndices(kiln_dataset_size(ds));
  if (!it->order)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  it->ds = ds;
  it->batch_size = batchSize;
  it->mode = mode;
  it->shuffle = shuffle != 0;
  it->seed = seed;
  kiln_batch_iter_start_epoch(it, 0);
  return KILN_OK;
}

void kiln_batch_iter_start_epoch(kiln_batch_iter_t *it, uint64_t epoch) {
  if (!it || !it->order)
    return;
  int64_t n = kiln_dataset_size(it->ds);
  if (it->shuffle) {
    kiln_shuffle_indices(it->order, n,
                         kiln_shuffle_epoch_seed(it->seed, epoch));
  } else {
    for (int64_t i = 0; i < n; ++i)
      it->order[i] = i;
  }
  it->pos = 0;
}

int64_t kiln_batch_iter_num_batches(const kiln_batch_iter_t *it) {
  if (!it || !it->order)
    return 0;
  int64_t n = kiln_dataset_size(it->ds), b = it->batch_size;
  return it->mode == KILN_BATCH_DROP_LAST ? n / b : n / b + (n % b != 0);
}

/// Zero-fills rows [from, shape[0]) of \p t.
static void zeroRows(kiln_tensor_t *t, int64_t from) {
  size_t bytes;
  if (t->rank < 1 || t->shape[0] <= from || rowBytes(t, &bytes) != KILN_OK)
    return;
  memset((char *)t->data + (size_t)from * bytes, 0,
         (size_t)(t->shape[0] - from) * bytes);
}

kiln_status_t kiln_batch_iter_next(kiln_batch_iter_t *it, kiln_tensor_t *x,
                                   kiln_tensor_t *y, int64_t *valid, char *err,
                                   size_t errSize) {
  if (!it || !it->order || !x || !valid)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_batch_iter_next: bad argument");
  *valid = 0;
  int64_t b = it->batch_size;
  if (x->rank < 1 || x->shape[0] != b ||
      (y && (y->rank < 1 || y->shape[0] != b)))
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "kiln_batch_iter_next: batch tensors must have leading "
                     "extent %lld",
                     (long long)b);
  int64_t remaining = kiln_dataset_size(it->ds) - it->pos;
  if (remaining <= 0 || (it->mode == KILN_BATCH_DROP_LAST && remaining < b))
    return KILN_OK;
  int64_t count = remaining < b ? remaining : b;
  kiln_status_t st = kiln_dataset_gather(it->ds, it->order + it->pos, count, x,
                                         y, err, errSize);
  if (st != KILN_OK)
    return st;
  if (count < b) {
    zeroRows(x, count);
    if (y)
      zeroRows(y, count);
  }
  it->pos += count;
  *valid = count;
  return KILN_OK;
}

void kiln_batch_iter_free(kiln_batch_iter_t *it) {
  if (!it)
    return;
  free(it->order);
  memset(it, 0, sizeof(*it));
}
