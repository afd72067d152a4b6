//===- TrainData.c - Training and held-out data for the Kiln trainer ------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Finds and loads the trainer's data sets (`--data`, `--eval-data`,
/// `--holdout`) and fits them to the training step: each example's features
/// must have as many values as the features input takes per example (28x28
/// images feed a 784 input, row-major), labels must be of the kind the
/// labels input takes, class labels must be in range. Every message names
/// the file it is about.
///
//===----------------------------------------------------------------------===//

#include "TrainInternal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/// The file names looked up in a data directory, in order, for the prefix
/// "train" or "test".
typedef enum Format { FormatIdx, FormatNpy, FormatCsv } Format;

static int isRegularFile(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int isDirectory(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int endsWith(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/// Joins "DIR/NAME" into \p buf; returns 0 if it does not fit.
static int joinPath(char *buf, size_t size, const char *dir, const char *name) {
  int n =
      snprintf(buf, size, "%s%s%s", dir, endsWith(dir, "/") ? "" : "/", name);
  return n > 0 && (size_t)n < size;
}

/// KILN_IDX_SCALE_U8 for an IDX file of unsigned bytes, else 0 (the reader
/// reports any problem with the file itself).
static unsigned idxFlags(const char *path) {
  unsigned char head[4];
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  size_t n = fread(head, 1, sizeof(head), f);
  fclose(f);
  return n == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08
             ? KILN_IDX_SCALE_U8
             : 0;
}

/// Whether the first non-blank line of a CSV file is a header: its first
/// field is not a number.
static int csvHasHeader(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  char buf[512];
  int header = 0, c;
  for (;;) {
    // Skip blank lines and leading blanks.
    while ((c = fgetc(f)) == ' ' || c == '\t' || c == '\r' || c == '\n')
      ;
    if (c == EOF)
      break;
    size_t n = 0;
    while (c != EOF && c != ',' && c != '\n' && c != '\r' &&
           n + 1 < sizeof(buf)) {
      buf[n++] = (char)c;
      c = fgetc(f);
    }
    while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
      --n;
    buf[n] = '\0';
    char *end;
    (void)strtod(buf, &end);
    header = n == 0 || *end != '\0';
    break;
  }
  fclose(f);
  return header;
}

/// Converts \p t to f32 in place (a `.npy` feature file of another dtype).
static kiln_status_t toF32(kiln_tensor_t *t, char *err, size_t errSize) {
  if (t->dtype == KILN_F32)
    return KILN_OK;
  kiln_tensor_t out;
  kiln_status_t st =
      kiln_tensor_alloc(&out, KILN_F32, t->rank, t->shape, err, errSize);
  if (st != KILN_OK)
    return st;
  for (int64_t i = 0; i < t->numel; ++i)
    ((float *)out.data)[i] = (float)kiln_tensor_get_f64(t, i);
  kiln_tensor_free(t);
  *t = out;
  return KILN_OK;
}

/// Loads one data set from its files. \p labels is NULL for a model without
/// a labels input (then only the features are read).
static kiln_status_t loadFiles(Format format, const char *features,
                               const char *labels, kiln_dataset_t *ds,
                               char *err, size_t errSize) {
  memset(ds, 0, sizeof(*ds));
  kiln_status_t st;
  switch (format) {
  case FormatIdx:
    if (labels)
      return kiln_dataset_from_idx(features, labels, idxFlags(features), ds,
                                   err, errSize);
    st = kiln_idx_read(features, KILN_F32, idxFlags(features), &ds->features,
                       err, errSize);
    break;
  case FormatNpy:
    if (labels)
      return kiln_dataset_from_npy(features, labels, ds, err, errSize);
    st = kiln_npy_read(features, &ds->features, err, errSize);
    if (st == KILN_OK)
      st = toF32(&ds->features, err, errSize);
    break;
  default: {
    kiln_csv_options_t opts;
    memset(&opts, 0, sizeof(opts));
    opts.has_header = csvHasHeader(features);
    opts.label_column = labels ? 0 : -1;
    return kiln_dataset_from_csv(features, &opts, ds, err, errSize);
  }
  }
  if (st == KILN_OK && ds->features.rank < 1)
    st = kiln_fail(KILN_ERR_FORMAT, err, errSize,
                   "%s: features must have rank >= 1 (one row per example), "
                   "found a scalar",
                   features);
  if (st != KILN_OK)
    kiln_dataset_free(ds);
  return st;
}

/// Looks for the "PREFIX" data set (PREFIX = "train" or "test") in \p dir:
/// IDX, then `.npy`, then CSV files. Sets \p *found to 0 (and succeeds) if
/// there is none; fails if only one file of a pair exists.
static kiln_status_t loadFromDir(const char *dir, const char *prefix,
                                 int needLabels, kiln_dataset_t *ds, char *name,
                                 size_t nameSize, int *found, char *err,
                                 size_t errSize) {
  static const char *const Pairs[2][2] = {
      {"-images-idx3-ubyte", "-labels-idx1-ubyte"}, {"-x.npy", "-y.npy"}};
  *found = 0;
  char a[1024], b[1024], fa[64], fb[64];
  for (int f = 0; f < 2; ++f) {
    snprintf(fa, sizeof(fa), "%s%s", prefix, Pairs[f][0]);
    snprintf(fb, sizeof(fb), "%s%s", prefix, Pairs[f][1]);
    if (!joinPath(a, sizeof(a), dir, fa) || !joinPath(b, sizeof(b), dir, fb))
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize, "%s: path too long",
                       dir);
    int haveA = isRegularFile(a), haveB = isRegularFile(b);
    if (!haveA && !haveB)
      continue;
    if (!haveA || (needLabels && !haveB))
      return kiln_fail(KILN_ERR_IO, err, errSize, "%s: found %s but not %s",
                       dir, haveA ? fa : fb, haveA ? fb : fa);
    *found = 1;
    snprintf(name, nameSize, "%s", a);
    return loadFiles((Format)f, a, needLabels ? b : NULL, ds, err, errSize);
  }
  snprintf(fa, sizeof(fa), "%s.csv", prefix);
  if (!joinPath(a, sizeof(a), dir, fa))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize, "%s: path too long",
                     dir);
  if (!isRegularFile(a))
    return KILN_OK;
  *found = 1;
  snprintf(name, nameSize, "%s", a);
  return loadFiles(FormatCsv, a, needLabels ? a : NULL, ds, err, errSize);
}

/// Loads the data set \p path names: a directory (the PREFIX files in it)
/// or a CSV file. \p flag is the option that named it, for messages.
static kiln_status_t loadPath(const char *path, const char *prefix,
                              const char *flag, int needLabels,
                              kiln_dataset_t *ds, char *name, size_t nameSize,
                              char *err, size_t errSize) {
  memset(ds, 0, sizeof(*ds));
  if (isDirectory(path)) {
    int found;
    kiln_status_t st = loadFromDir(path, prefix, needLabels, ds, name, nameSize,
                                   &found, err, errSize);
    if (st == KILN_OK && !found)
      st = kiln_fail(KILN_ERR_IO, err, errSize,
                     "%s: no %s data found (expected %s-images-idx3-ubyte + "
                     "%s-labels-idx1-ubyte, %s-x.npy + %s-y.npy, or %s.csv)",
                     path, strcmp(prefix, "train") ? "held-out" : "training",
                     prefix, prefix, prefix, prefix, prefix);
    return st;
  }
  struct stat sb;
  if (stat(path, &sb) != 0)
    return kiln_fail(KILN_ERR_IO, err, errSize, "%s: cannot open: %s", path,
                     strerror(errno));
  if (!S_ISREG(sb.st_mode) || !endsWith(path, ".csv"))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "%s: %s takes a directory or a .csv file", path, flag);
  snprintf(name, nameSize, "%s", path);
  return loadFiles(FormatCsv, path, needLabels ? path : NULL, ds, err, errSize);
}

/// Number of values per example of an argument [B, ...].
static int64_t perExample(const kiln_sig_arg_t *a) {
  int64_t n = 1;
  for (int32_t d = 1; d < a->rank; ++d)
    n *= a->shape[d];
  return n;
}

/// Reshapes \p t ([N, ...]) to [N, per-example shape of \p in] if the
/// per-example value counts agree.
static kiln_status_t fitRows(kiln_tensor_t *t, const kiln_sig_arg_t *in,
                             const char *file, const char *what, char *err,
                             size_t errSize) {
  int64_t have = 1;
  for (int32_t d = 1; d < t->rank; ++d)
    have *= t->shape[d];
  int64_t want = perExample(in);
  if (have != want) {
    char got[KILN_MAX_RANK * 21 + 8], type[KILN_MAX_RANK * 21 + 16];
    kiln_shape_format(got, sizeof(got), t->rank - 1, t->shape + 1);
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "%s: each example has %lld %s value%s (shape %s), but "
                     "input '%s' takes %lld per example (it is %s)",
                     file, (long long)have, what, have == 1 ? "" : "s", got,
                     in->name, (long long)want,
                     kiln_sig_arg_format(type, sizeof(type), in));
  }
  int64_t n = t->shape[0];
  memset(t->shape, 0, sizeof(t->shape));
  t->rank = in->rank;
  t->shape[0] = n;
  for (int32_t d = 1; d < in->rank; ++d)
    t->shape[d] = in->shape[d];
  return KILN_OK;
}

/// Fits one data set to the model (\p file names its features).
static kiln_status_t fitSet(kiln_dataset_t *ds, const kiln_train_model_t *m,
                            const char *file, char *err, size_t errSize) {
  const kiln_sig_entry_t *t = m->train;
  kiln_status_t st =
      fitRows(&ds->features, &t->inputs[m->x], file, "feature", err, errSize);
  if (st != KILN_OK || m->y < 0)
    return st;
  const kiln_sig_arg_t *y = &t->inputs[m->y];
  const char *lfile = ds->labels_name[0] ? ds->labels_name : file;
  if (y->dtype == KILN_I64) {
    if (ds->labels.dtype != KILN_I64)
      return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                       "%s: the labels are f32 targets, but input '%s' takes "
                       "i64 class indices",
                       lfile, y->name);
    if (m->num_classes > 0)
      return kiln_dataset_check_labels(ds, m->num_classes, err, errSize);
    // Without logits the class count is unknown; labels must still be
    // class indices.
    const int64_t *lab = (const int64_t *)ds->labels.data;
    for (int64_t i = 0; i < ds->labels.numel; ++i)
      if (lab[i] < 0)
        return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                         "%s: label %lld at index %lld is negative", lfile,
                         (long long)lab[i], (long long)i);
    return KILN_OK;
  }
  if (ds->labels.dtype != KILN_F32)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "%s: the labels are i64 class indices, but input '%s' "
                     "takes f32 targets",
                     lfile, y->name);
  return fitRows(&ds->labels, y, lfile, "target", err, errSize);
}

void kiln_train_data_free(kiln_train_data_t *d) {
  if (!d)
    return;
  kiln_dataset_free(&d->train);
  kiln_dataset_free(&d->held);
  memset(d, 0, sizeof(*d));
}

static kiln_status_t loadAll(const kiln_train_options_t *o,
                             const kiln_train_model_t *m, kiln_train_data_t *d,
                             char *err, size_t errSize) {
  int needLabels = m->y >= 0;
  kiln_status_t st =
      loadPath(o->data, "train", "--data", needLabels, &d->train, d->train_name,
               sizeof(d->train_name), err, errSize);
  if (st != KILN_OK)
    return st;
  if (o->eval_data) {
    st = loadPath(o->eval_data, "test", "--eval-data", needLabels, &d->held,
                  d->held_name, sizeof(d->held_name), err, errSize);
    d->have_held = st == KILN_OK;
  } else if (o->holdout > 0) {
    int64_t n = kiln_dataset_size(&d->train);
    if (o->holdout >= n)
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "--holdout %lld leaves no training examples (%s has "
                       "%lld)",
                       (long long)o->holdout, d->train_name, (long long)n);
    kiln_dataset_t all = d->train;
    memset(&d->train, 0, sizeof(d->train));
    st = kiln_dataset_split(&all, n - o->holdout, &d->train, &d->held, err,
                            errSize);
    kiln_dataset_free(&all);
    d->have_held = st == KILN_OK;
    snprintf(d->held_name, sizeof(d->held_name), "%s", d->train_name);
  } else if (isDirectory(o->data)) {
    int found;
    st = loadFromDir(o->data, "test", needLabels, &d->held, d->held_name,
                     sizeof(d->held_name), &found, err, errSize);
    d->have_held = st == KILN_OK && found;
  }
  if (st != KILN_OK)
    return st;

  if ((st = fitSet(&d->train, m, d->train_name, err, errSize)) != KILN_OK)
    return st;
  int64_t n = kiln_dataset_size(&d->train);
  if (n < m->batch)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "%s: the training set has %lld example%s, fewer than the "
                     "batch size %lld",
                     d->train_name, (long long)n, n == 1 ? "" : "s",
                     (long long)m->batch);
  if (!d->have_held)
    return KILN_OK;
  if ((st = fitSet(&d->held, m, d->held_name, err, errSize)) != KILN_OK)
    return st;
  if (kiln_dataset_size(&d->held) == 0)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "%s: the held-out set has no examples", d->held_name);
  return KILN_OK;
}

kiln_status_t kiln_train_data_load(const kiln_train_options_t *o,
                                   const kiln_train_model_t *m,
                                   kiln_train_data_t *d, char *err,
                                   size_t errSize) {
  memset(d, 0, sizeof(*d));
  kiln_status_t st = loadAll(o, m, d, err, errSize);
  if (st != KILN_OK)
    kiln_train_data_free(d);
  return st;
}
