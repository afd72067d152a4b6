//===- DataCsv.c - Kiln runtime numeric CSV reader ------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A reader for numeric CSV files: ',' separated decimal numbers, one
/// example per line, optionally a header line and a label column.
///
/// The text is scanned twice: the first pass validates every field and
/// counts the rows, the second stores the values into tensors allocated
/// with the exact size, so no growing buffers are needed.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/// Longest field accepted (longer ones are reported as not a number).
#define KILN_CSV_MAX_FIELD 255

/// State of one scan over the text.
typedef struct CsvScan {
  const char *text;
  size_t size;
  const kiln_csv_options_t *opts;
  char *err;
  size_t errSize;
  /// Fields per row, fixed by the first data row (0 before it).
  int64_t numFields;
  /// Data rows seen so far.
  int64_t rows;
  /// Output, NULL in the counting pass.
  float *features;
  int64_t *labels;
  /// "line:column" (or "line") of the first error, empty if none.
  char where[64];
} CsvScan;

static int isBlank(char c) { return c == ' ' || c == '\t'; }

/// Records the position of an error whose message is already in s->err:
/// \p line and \p column (the 1-based field number, 0 for none).
static kiln_status_t atPosition(CsvScan *s, kiln_status_t status, int64_t line,
                                int64_t column) {
  if (column > 0)
    snprintf(s->where, sizeof(s->where), "%lld:%lld", (long long)line,
             (long long)column);
  else
    snprintf(s->where, sizeof(s->where), "%lld", (long long)line);
  return status;
}

/// Fails with a printf-formatted message at \p line, \p column.
#define CSV_FAIL(s, status, line, column, ...)                                 \
  ((void)kiln_fail((status), (s)->err, (s)->errSize, __VA_ARGS__),             \
   atPosition((s), (status), (line), (column)))

/// Parses one trimmed field [b, e) into \p value. \p isLabel selects the
/// integer check instead of the finiteness check.
static kiln_status_t parseField(CsvScan *s, const char *b, const char *e,
                                int64_t line, int64_t column, int isLabel,
                                double *value) {
  size_t len = (size_t)(e - b);
  char buf[KILN_CSV_MAX_FIELD + 1];
  int shown = len > 40 ? 40 : (int)len;
  const char *dots = len > 40 ? "..." : "";
  if (len == 0)
    return CSV_FAIL(s, KILN_ERR_FORMAT, line, column,
                    "expected a number, got an empty field");
  int ok = len <= KILN_CSV_MAX_FIELD, rangeErr = 0;
  if (ok) {
    memcpy(buf, b, len);
    buf[len] = '\0';
    // Hexadecimal floats are not decimal numbers.
    ok = !memchr(buf, 'x', len) && !memchr(buf, 'X', len);
  }
  if (ok) {
    char *end;
    errno = 0;
    *value = strtod(buf, &end);
    rangeErr = errno;
    ok = end == buf + len;
  }
  if (!ok)
    return CSV_FAIL(s, KILN_ERR_FORMAT, line, column,
                    "expected a number, got '%.*s%s'", shown, b, dots);
  if (isLabel) {
    if (!isfinite(*value) || floor(*value) != *value ||
        fabs(*value) > 9007199254740992.0)
      return CSV_FAIL(s, KILN_ERR_FORMAT, line, column,
                      "label '%.*s%s' is not an integer", shown, b, dots);
    return KILN_OK;
  }
  if (!s->opts->allow_nonfinite) {
    // strtod reports a literal "inf" without ERANGE, an overflowing
    // "1e999" with it.
    if (isnan(*value) || (isinf(*value) && rangeErr != ERANGE))
      return CSV_FAIL(s, KILN_ERR_FORMAT, line, column,
                      "non-finite value '%.*s%s'", shown, b, dots);
    if (isinf((float)*value))
      return CSV_FAIL(s, KILN_ERR_FORMAT, line, column,
                      "value '%.*s%s' overflows f32", shown, b, dots);
  }
  return KILN_OK;
}

/// Handles one non-blank line [b, e) (without the newline and '\r').
static kiln_status_t scanRow(CsvScan *s, const char *b, const char *e,
                             int64_t line) {
  int64_t found = 1;
  for (const char *p = b; p < e; ++p)
    found += *p == ',';
  int32_t labelCol = s->opts->label_column;
  if (s->numFields == 0) {
    if (labelCol >= 0 && labelCol >= found)
      return CSV_FAIL(s, KILN_ERR_FORMAT, line, 0,
                      "label column %d is out of range (the row has %lld "
                      "fields)",
                      labelCol, (long long)found);
    s->numFields = found;
  }
  if (found != s->numFields)
    return CSV_FAIL(s, KILN_ERR_FORMAT, line,
                    (found < s->numFields ? found : s->numFields) + 1,
                    "expected %lld fields, found %lld", (long long)s->numFields,
                    (long long)found);
  int64_t numFeatures = s->numFields - (labelCol >= 0 ? 1 : 0);
  int64_t col = 0, feat = 0;
  const char *p = b;
  for (;;) {
    const char *fe = p;
    while (fe < e && *fe != ',')
      ++fe;
    const char *tb = p, *te = fe;
    while (tb < te && isBlank(*tb))
      ++tb;
    while (te > tb && isBlank(te[-1]))
      --te;
    int isLabel = col == labelCol;
    double v;
    kiln_status_t st = parseField(s, tb, te, line, col + 1, isLabel, &v);
    if (st != KILN_OK)
      return st;
    if (isLabel) {
      if (s->labels)
        s->labels[s->rows] = (int64_t)v;
    } else {
      if (s->features)
        s->features[s->rows * numFeatures + feat] = (float)v;
      ++feat;
    }
    ++col;
    if (fe >= e)
      break;
    p = fe + 1;
  }
  ++s->rows;
  return KILN_OK;
}

/// Scans the whole text once.
static kiln_status_t scan(CsvScan *s) {
  s->rows = 0;
  s->numFields = 0;
  int headerPending = s->opts->has_header != 0;
  int64_t line = 0;
  size_t pos = 0;
  while (pos < s->size) {
    ++line;
    const char *b = s->text + pos;
    const char *nl = (const char *)memchr(b, '\n', s->size - pos);
    const char *e = nl ? nl : s->text + s->size;
    pos = (size_t)(e - s->text) + (nl ? 1 : 0);
    if (e > b && e[-1] == '\r')
      --e;
    const char *q = b;
    while (q < e && isBlank(*q))
      ++q;
    if (q == e)
      continue;
    if (headerPending) {
      headerPending = 0;
      continue;
    }
    kiln_status_t st = scanRow(s, b, e, line);
    if (st != KILN_OK)
      return st;
  }
  return KILN_OK;
}

kiln_status_t
kiln_csv_read_buffer(const char *text, size_t size, const char *name,
                     const kiln_csv_options_t *opts, kiln_tensor_t *features,
                     kiln_tensor_t *labels, char *err, size_t errSize) {
  if (!opts || !features || !labels || (!text && size))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_csv_read: null argument");
  if (!name)
    name = "<buffer>";
  memset(features, 0, sizeof(*features));
  memset(labels, 0, sizeof(*labels));
  if (opts->label_column < -1)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_csv_read: bad label column %d", opts->label_column);
  CsvScan s = {text, size, opts, err, errSize, 0, 0, NULL, NULL, {0}};
  kiln_status_t st = scan(&s);
  if (st == KILN_OK && s.rows == 0)
    st = kiln_fail(KILN_ERR_FORMAT, err, errSize, "no data rows");
  int hasLabels = opts->label_column >= 0;
  if (st == KILN_OK) {
    int64_t shape[2] = {s.rows, s.numFields - (hasLabels ? 1 : 0)};
    st = kiln_tensor_alloc(features, KILN_F32, 2, shape, err, errSize);
    if (st == KILN_OK && hasLabels)
      st = kiln_tensor_alloc(labels, KILN_I64, 1, shape, err, errSize);
  }
  if (st == KILN_OK) {
    s.features = (float *)features->data;
    s.labels = hasLabels ? (int64_t *)labels->data : NULL;
    st = scan(&s);
  }
  if (st != KILN_OK) {
    kiln_tensor_free(features);
    kiln_tensor_free(labels);
    char prefix[1024];
    snprintf(prefix, sizeof(prefix), "%s%s%s", name, s.where[0] ? ":" : "",
             s.where);
    kiln_err_prefix(err, errSize, prefix);
  }
  return st;
}

kiln_status_t kiln_csv_read(const char *path, const kiln_csv_options_t *opts,
                            kiln_tensor_t *features, kiln_tensor_t *labels,
                            char *err, size_t errSize) {
  if (!path || !opts || !features || !labels)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_csv_read: null argument");
  memset(features, 0, sizeof(*features));
  memset(labels, 0, sizeof(*labels));
  FILE *f;
  uint64_t fileSize;
  kiln_status_t st =
      kiln_open_regular_file(path, &f, &fileSize, err, errSize);
  char *text = NULL;
  size_t size = 0;
  if (st == KILN_OK && fileSize > SIZE_MAX - 1)
    st = kiln_fail(KILN_ERR_NOMEM, err, errSize, "file too large");
  if (st == KILN_OK) {
    size = (size_t)fileSize;
    text = (char *)malloc(size ? size : 1);
    if (!text)
      st = kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
    else if (fread(text, 1, size, f) != size)
      st = kiln_fail(KILN_ERR_IO, err, errSize,
                     "read error (file changed while reading?)");
  }
  if (f)
    fclose(f);
  if (st != KILN_OK) {
    free(text);
    kiln_err_prefix(err, errSize, path);
    return st;
  }
  st = kiln_csv_read_buffer(text, size, path, opts, features, labels, err,
                            errSize);
  free(text);
  return st;
}
