//===- Data.h - Kiln runtime data-set loaders and batching ------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Data sets for training executables: readers for IDX (the MNIST format)
/// and numeric CSV files, a data set of features and labels built from IDX,
/// CSV or `.npy` files, label validation, deterministic seeded shuffling,
/// an epoch iterator that copies rows into caller-provided batch tensors,
/// and deterministic splits by index range.
///
/// Like the `.npy` reader, every loader validates sizes against the file
/// before allocating, never reads out of bounds, and reports errors with a
/// message that starts with the file name. docs/Runtime.md specifies the
/// accepted formats and the exact shuffle order.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_DATA_H
#define KILN_RUNTIME_DATA_H

#include "kiln/Runtime/Tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

//===----------------------------------------------------------------------===//
// IDX files
//===----------------------------------------------------------------------===//

/// Flag of kiln_idx_read(): multiply unsigned-byte data by 1/255 (images
/// become values in [0, 1]). Requires ubyte data and a float \p dtype.
#define KILN_IDX_SCALE_U8 1u

/// Reads the IDX file at \p path (magic 0x0000TTRR: type code TT in 0x08
/// ubyte, 0x09 byte, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64, all
/// big-endian; rank RR from 0 to KILN_MAX_RANK) into a new tensor of
/// \p dtype. Integer data converts to any dtype; float data only to f32/f64.
/// Trailing bytes after the data are an error. On failure \p out is zeroed
/// and \p err starts with the path, e.g. "t10k.idx: truncated data:
/// expected 7840000 bytes, found 100".
kiln_status_t kiln_idx_read(const char *path, kiln_dtype_t dtype,
                            unsigned flags, kiln_tensor_t *out, char *err,
                            size_t err_size);

/// Same as kiln_idx_read() on an in-memory image of \p size bytes; \p name
/// prefixes error messages (may be NULL, then "<buffer>").
kiln_status_t kiln_idx_read_buffer(const void *buf, size_t size,
                                   const char *name, kiln_dtype_t dtype,
                                   unsigned flags, kiln_tensor_t *out,
                                   char *err, size_t err_size);

//===----------------------------------------------------------------------===//
// CSV files
//===----------------------------------------------------------------------===//

/// Options of kiln_csv_read(). Note that a zero-initialized struct makes
/// column 0 the label column; set label_column to -1 for no labels.
typedef struct kiln_csv_options {
  /// Nonzero: the first non-blank line is a header and is skipped.
  int has_header;
  /// 0-based index of the label column, or -1 for no labels.
  int32_t label_column;
  /// Nonzero: accept nan/inf feature values; zero: reject them (and values
  /// that overflow f32).
  int allow_nonfinite;
} kiln_csv_options_t;

/// Reads a numeric CSV file: fields separated by ',', surrounding spaces and
/// tabs trimmed, blank lines skipped, every row with the same field count.
/// Produces \p features [N, F] f32 (F = fields minus the label column) and,
/// if opts->label_column >= 0, \p labels [N] i64 (values must be integers);
/// otherwise \p labels is zeroed. Errors name "file:line:column", the column
/// being the 1-based field number, e.g. "data.csv:17:3: expected a number,
/// got 'abc'".
kiln_status_t kiln_csv_read(const char *path, const kiln_csv_options_t *opts,
                            kiln_tensor_t *features, kiln_tensor_t *labels,
                            char *err, size_t err_size);

/// Same as kiln_csv_read() on \p size bytes of text in memory; \p name
/// prefixes error messages (may be NULL, then "<buffer>").
kiln_status_t
kiln_csv_read_buffer(const char *text, size_t size, const char *name,
                     const kiln_csv_options_t *opts, kiln_tensor_t *features,
                     kiln_tensor_t *labels, char *err, size_t err_size);

//===----------------------------------------------------------------------===//
// Data sets
//===----------------------------------------------------------------------===//

/// N examples: features [N, ...] f32 and labels [N] i64 (class indices) or
/// [N, ...] f32 (regression targets). A data set without labels has a
/// zeroed `labels` (dtype KILN_DTYPE_INVALID). A zero-initialized struct is
/// a valid empty data set for kiln_dataset_free().
typedef struct kiln_dataset {
  kiln_tensor_t features;
  kiln_tensor_t labels;
  /// Where the labels came from (a path), used in error messages.
  char labels_name[256];
} kiln_dataset_t;

/// Frees both tensors and zeroes \p ds. Accepts NULL.
void kiln_dataset_free(kiln_dataset_t *ds);

/// Returns the number of examples (the leading extent of the features).
int64_t kiln_dataset_size(const kiln_dataset_t *ds);

/// Builds a data set from an IDX image file (any integer or float type,
/// rank >= 1, converted to f32; \p flags as for kiln_idx_read(), e.g.
/// KILN_IDX_SCALE_U8) and an IDX label file (integer type, rank 1, read as
/// i64). Fails with KILN_ERR_MISMATCH if the example counts differ.
kiln_status_t kiln_dataset_from_idx(const char *images_path,
                                    const char *labels_path, unsigned flags,
                                    kiln_dataset_t *ds, char *err,
                                    size_t err_size);

/// Builds a data set from a CSV file (see kiln_csv_read()).
kiln_status_t kiln_dataset_from_csv(const char *path,
                                    const kiln_csv_options_t *opts,
                                    kiln_dataset_t *ds, char *err,
                                    size_t err_size);

/// Builds a data set from two `.npy` files: features of rank >= 1 with
/// leading extent N (any dtype, converted to f32) and labels, either
/// i32/i64 of shape [N] (read as i64 class indices) or f32/f64 with leading
/// extent N (read as f32 targets). Fails with KILN_ERR_MISMATCH if the
/// leading extents differ.
kiln_status_t kiln_dataset_from_npy(const char *features_path,
                                    const char *labels_path, kiln_dataset_t *ds,
                                    char *err, size_t err_size);

/// Checks that every element of the i32/i64 tensor \p labels lies in
/// [0, num_classes). The message names the first offending element, e.g.
/// "labels.idx: label 12 at index 345 is outside [0, 10)" (\p name may be
/// NULL, then "labels").
kiln_status_t kiln_labels_check(const kiln_tensor_t *labels,
                                int64_t num_classes, const char *name,
                                char *err, size_t err_size);

/// kiln_labels_check() on ds->labels, named ds->labels_name.
kiln_status_t kiln_dataset_check_labels(const kiln_dataset_t *ds,
                                        int64_t num_classes, char *err,
                                        size_t err_size);

/// Copies examples [begin, end) of \p ds into a new data set \p out.
kiln_status_t kiln_dataset_slice(const kiln_dataset_t *ds, int64_t begin,
                                 int64_t end, kiln_dataset_t *out, char *err,
                                 size_t err_size);

/// Deterministic split: \p first gets examples [0, n_first), \p second
/// gets [n_first, N). Shuffle first (kiln_dataset_permute()) for a random
/// split.
kiln_status_t kiln_dataset_split(const kiln_dataset_t *ds, int64_t n_first,
                                 kiln_dataset_t *first, kiln_dataset_t *second,
                                 char *err, size_t err_size);

/// Copies the examples \p indices[0..count) (each in [0, N)) into rows
/// 0..count of \p x (f32, shape [B, feature dims...], B >= count) and, if
/// \p y is non-NULL, of \p y (the labels' dtype, shape [B, label dims...]).
/// Rows count..B are left untouched.
kiln_status_t kiln_dataset_gather(const kiln_dataset_t *ds,
                                  const int64_t *indices, int64_t count,
                                  kiln_tensor_t *x, kiln_tensor_t *y, char *err,
                                  size_t err_size);

//===----------------------------------------------------------------------===//
// Shuffling and batching
//===----------------------------------------------------------------------===//

/// Fills \p perm[0..n) with a permutation of 0..n-1: the identity, then
/// Fisher-Yates from the back: for t = 0, 1, ..., n-2 with i = n-1-t,
/// j = kiln_rng_draw(seed, t) % (i + 1), swap perm[i] and perm[j].
void kiln_shuffle_indices(int64_t *perm, int64_t n, uint64_t seed);

/// Returns the shuffle seed of epoch \p epoch: kiln_rng_draw(seed, epoch).
uint64_t kiln_shuffle_epoch_seed(uint64_t seed, uint64_t epoch);

/// Reorders the examples of \p ds in place by kiln_shuffle_indices(seed):
/// new example k is old example perm[k].
kiln_status_t kiln_dataset_permute(kiln_dataset_t *ds, uint64_t seed, char *err,
                                   size_t err_size);

/// What the epoch iterator does with a last batch of fewer than B examples.
typedef enum kiln_batch_mode {
  /// Skip it: every batch is full.
  KILN_BATCH_DROP_LAST = 0,
  /// Produce it with the valid count; rows valid..B are zero-filled.
  KILN_BATCH_PAD = 1
} kiln_batch_mode_t;

/// Epoch iterator over a data set. Zero-initialized is valid for
/// kiln_batch_iter_free().
typedef struct kiln_batch_iter {
  const kiln_dataset_t *ds;
  int64_t batch_size;
  kiln_batch_mode_t mode;
  int shuffle;
  uint64_t seed;
  /// Example order of the current epoch (owned, kiln_dataset_size() long).
  int64_t *order;
  /// Position of the next batch in `order`.
  int64_t pos;
} kiln_batch_iter_t;

/// Prepares an iterator over \p ds (which must outlive it) yielding batches
/// of \p batch_size; if \p shuffle is nonzero, each epoch e visits the
/// examples in the order kiln_shuffle_indices(kiln_shuffle_epoch_seed(seed,
/// e)), otherwise in index order. Starts epoch 0.
kiln_status_t kiln_batch_iter_init(kiln_batch_iter_t *it,
                                   const kiln_dataset_t *ds, int64_t batch_size,
                                   kiln_batch_mode_t mode, int shuffle,
                                   uint64_t seed, char *err, size_t err_size);

/// Restarts at the beginning of epoch \p epoch (recomputing the order).
void kiln_batch_iter_start_epoch(kiln_batch_iter_t *it, uint64_t epoch);

/// Returns the number of batches per epoch.
int64_t kiln_batch_iter_num_batches(const kiln_batch_iter_t *it);

/// Copies the next batch into \p x and \p y (as kiln_dataset_gather(), with
/// B = batch_size; \p y may be NULL) and sets \p *valid to the number of
/// real examples in it. At the end of the epoch sets \p *valid to 0 and
/// leaves the tensors untouched.
kiln_status_t kiln_batch_iter_next(kiln_batch_iter_t *it, kiln_tensor_t *x,
                                   kiln_tensor_t *y, int64_t *valid, char *err,
                                   size_t err_size);

/// Frees the order buffer and zeroes \p it. Accepts NULL.
void kiln_batch_iter_free(kiln_batch_iter_t *it);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_DATA_H
