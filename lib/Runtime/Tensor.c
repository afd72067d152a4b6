//===- Tensor.c - Kiln runtime tensors, dtypes and errors -----------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Status and dtype helpers, shape parsing/formatting, tensor allocation and
/// printing.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

kiln_status_t kiln_fail(kiln_status_t status, char *err, size_t err_size,
                        const char *fmt, ...) {
  if (err && err_size > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
  }
  return status;
}

kiln_status_t kiln_open_regular_file(const char *path, FILE **file,
                                     uint64_t *size, char *err,
                                     size_t err_size) {
  *file = NULL;
  *size = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return kiln_fail(KILN_ERR_IO, err, err_size, "cannot open: %s",
                     strerror(errno));
  struct stat sb;
  if (fstat(fileno(f), &sb) != 0) {
    int e = errno;
    fclose(f);
    return kiln_fail(KILN_ERR_IO, err, err_size, "cannot stat: %s",
                     strerror(e));
  }
  if (!S_ISREG(sb.st_mode)) {
    fclose(f);
    return kiln_fail(KILN_ERR_IO, err, err_size, "not a regular file");
  }
  *file = f;
  *size = (uint64_t)sb.st_size;
  return KILN_OK;
}

void kiln_err_prefix(char *err, size_t err_size, const char *prefix) {
  if (!err || err_size == 0 || !prefix)
    return;
  size_t plen = strlen(prefix) + 2; // "prefix: "
  size_t mlen = strnlen(err, err_size - 1);
  if (plen >= err_size) {
    snprintf(err, err_size, "%s", prefix);
    return;
  }
  // Keep as much of the old message as fits after the prefix.
  if (mlen > err_size - 1 - plen)
    mlen = err_size - 1 - plen;
  memmove(err + plen, err, mlen);
  memcpy(err, prefix, plen - 2);
  err[plen - 2] = ':';
  err[plen - 1] = ' ';
  err[plen + mlen] = '\0';
}

const char *kiln_status_string(kiln_status_t status) {
  switch (status) {
  case KILN_OK:
    return "ok";
  case KILN_ERR_IO:
    return "I/O error";
  case KILN_ERR_FORMAT:
    return "malformed input";
  case KILN_ERR_UNSUPPORTED:
    return "unsupported input";
  case KILN_ERR_OVERFLOW:
    return "size overflow";
  case KILN_ERR_NOMEM:
    return "out of memory";
  case KILN_ERR_INVALID_ARG:
    return "invalid argument";
  case KILN_ERR_MISMATCH:
    return "dtype or shape mismatch";
  case KILN_ERR_NOT_FOUND:
    return "not found";
  case KILN_ERR_NUMERICS:
    return "non-finite value";
  }
  return "unknown status";
}

//===----------------------------------------------------------------------===//
// Dtypes
//===----------------------------------------------------------------------===//

const char *kiln_dtype_name(kiln_dtype_t dtype) {
  switch (dtype) {
  case KILN_F32:
    return "f32";
  case KILN_F64:
    return "f64";
  case KILN_I32:
    return "i32";
  case KILN_I64:
    return "i64";
  case KILN_DTYPE_INVALID:
    break;
  }
  return "invalid";
}

size_t kiln_dtype_size(kiln_dtype_t dtype) {
  switch (dtype) {
  case KILN_F32:
  case KILN_I32:
    return 4;
  case KILN_F64:
  case KILN_I64:
    return 8;
  case KILN_DTYPE_INVALID:
    break;
  }
  return 0;
}

kiln_dtype_t kiln_dtype_from_name(const char *name) {
  if (!name)
    return KILN_DTYPE_INVALID;
  if (strcmp(name, "f32") == 0)
    return KILN_F32;
  if (strcmp(name, "f64") == 0)
    return KILN_F64;
  if (strcmp(name, "i32") == 0)
    return KILN_I32;
  if (strcmp(name, "i64") == 0)
    return KILN_I64;
  return KILN_DTYPE_INVALID;
}

int kiln_dtype_is_float(kiln_dtype_t dtype) {
  return dtype == KILN_F32 || dtype == KILN_F64;
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

kiln_status_t kiln_shape_numel(int32_t rank, const int64_t *shape,
                               kiln_dtype_t dtype, int64_t *numel,
                               size_t *nbytes) {
  if (rank < 0 || rank > KILN_MAX_RANK || (rank > 0 && !shape))
    return KILN_ERR_INVALID_ARG;
  int64_t n = 1;
  for (int32_t i = 0; i < rank; ++i) {
    if (shape[i] < 0)
      return KILN_ERR_INVALID_ARG;
    if (__builtin_mul_overflow(n, shape[i], &n))
      return KILN_ERR_OVERFLOW;
  }
  size_t esize = kiln_dtype_size(dtype);
  if (esize == 0)
    esize = 1; // Element count only; callers check the dtype separately.
  int64_t bytes64;
  if (__builtin_mul_overflow(n, (int64_t)esize, &bytes64))
    return KILN_ERR_OVERFLOW;
  size_t bytes;
  if (__builtin_mul_overflow((uint64_t)n, esize, &bytes))
    return KILN_ERR_OVERFLOW;
  if (numel)
    *numel = n;
  if (nbytes)
    *nbytes = bytes;
  return KILN_OK;
}

kiln_status_t kiln_shape_parse(const char *text, int32_t *rank,
                               int64_t shape[KILN_MAX_RANK], char *err,
                               size_t err_size) {
  if (!text || !rank || !shape)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, err_size,
                     "invalid shape: null argument");
  int64_t dims[KILN_MAX_RANK] = {0};
  int32_t r = 0;
  if (strcmp(text, "scalar") == 0) {
    *rank = 0;
    memset(shape, 0, sizeof(int64_t) * KILN_MAX_RANK);
    return KILN_OK;
  }
  const char *p = text;
  for (;;) {
    if (*p < '0' || *p > '9')
      return kiln_fail(KILN_ERR_FORMAT, err, err_size,
                       "invalid shape '%s': expected a non-negative integer "
                       "extent at position %d (shapes look like 4x5 or "
                       "'scalar')",
                       text, (int)(p - text));
    if (r == KILN_MAX_RANK)
      return kiln_fail(KILN_ERR_FORMAT, err, err_size,
                       "invalid shape '%s': rank exceeds the maximum of %d",
                       text, KILN_MAX_RANK);
    int64_t v = 0;
    while (*p >= '0' && *p <= '9') {
      if (__builtin_mul_overflow(v, (int64_t)10, &v) ||
          __builtin_add_overflow(v, (int64_t)(*p - '0'), &v))
        return kiln_fail(KILN_ERR_OVERFLOW, err, err_size,
                         "invalid shape '%s': extent too large", text);
      ++p;
    }
    dims[r++] = v;
    if (*p == '\0')
      break;
    if (*p != 'x')
      return kiln_fail(KILN_ERR_FORMAT, err, err_size,
                       "invalid shape '%s': unexpected character '%c' at "
                       "position %d",
                       text, *p, (int)(p - text));
    ++p;
  }
  kiln_status_t st = kiln_shape_numel(r, dims, KILN_I64, NULL, NULL);
  if (st != KILN_OK)
    return kiln_fail(st, err, err_size,
                     "invalid shape '%s': element count overflows", text);
  *rank = r;
  memcpy(shape, dims, sizeof(dims));
  return KILN_OK;
}

char *kiln_shape_format(char *buf, size_t buf_size, int32_t rank,
                        const int64_t *shape) {
  if (!buf || buf_size == 0)
    return buf;
  buf[0] = '\0';
  if (rank <= 0 || !shape) {
    snprintf(buf, buf_size, "scalar");
    return buf;
  }
  size_t used = 0;
  for (int32_t i = 0; i < rank && i < KILN_MAX_RANK; ++i) {
    int n = snprintf(buf + used, buf_size - used, i ? "x%lld" : "%lld",
                     (long long)shape[i]);
    if (n < 0 || (size_t)n >= buf_size - used)
      break;
    used += (size_t)n;
  }
  return buf;
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

void *kiln_aligned_alloc(size_t nbytes) {
  size_t rounded;
  if (__builtin_add_overflow(nbytes, (size_t)KILN_TENSOR_ALIGNMENT - 1,
                             &rounded))
    return NULL;
  rounded &= ~((size_t)KILN_TENSOR_ALIGNMENT - 1);
  if (rounded == 0)
    rounded = KILN_TENSOR_ALIGNMENT;
  return aligned_alloc(KILN_TENSOR_ALIGNMENT, rounded);
}

kiln_status_t kiln_tensor_alloc(kiln_tensor_t *t, kiln_dtype_t dtype,
                                int32_t rank, const int64_t *shape, char *err,
                                size_t err_size) {
  if (!t)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, err_size,
                     "kiln_tensor_alloc: null tensor");
  memset(t, 0, sizeof(*t));
  if (kiln_dtype_size(dtype) == 0)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, err_size,
                     "cannot allocate tensor: invalid dtype %d", (int)dtype);
  if (rank < 0 || rank > KILN_MAX_RANK)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, err_size,
                     "cannot allocate tensor: rank %d out of range [0, %d]",
                     (int)rank, KILN_MAX_RANK);
  int64_t numel;
  size_t nbytes;
  kiln_status_t st = kiln_shape_numel(rank, shape, dtype, &numel, &nbytes);
  if (st == KILN_ERR_INVALID_ARG)
    return kiln_fail(st, err, err_size,
                     "cannot allocate tensor: negative dimension");
  if (st != KILN_OK)
    return kiln_fail(st, err, err_size,
                     "cannot allocate tensor: size overflows");
  void *data = kiln_aligned_alloc(nbytes);
  if (!data)
    return kiln_fail(KILN_ERR_NOMEM, err, err_size,
                     "cannot allocate tensor: out of memory (%zu bytes)",
                     nbytes);
  memset(data, 0, nbytes);
  t->dtype = dtype;
  t->rank = rank;
  for (int32_t i = 0; i < rank; ++i)
    t->shape[i] = shape[i];
  t->numel = numel;
  t->data = data;
  return KILN_OK;
}

void kiln_tensor_free(kiln_tensor_t *t) {
  if (!t)
    return;
  free(t->data);
  memset(t, 0, sizeof(*t));
}

size_t kiln_tensor_nbytes(const kiln_tensor_t *t) {
  if (!t || t->numel <= 0)
    return 0;
  return (size_t)t->numel * kiln_dtype_size(t->dtype);
}

double kiln_tensor_get_f64(const kiln_tensor_t *t, int64_t index) {
  switch (t->dtype) {
  case KILN_F32:
    return ((const float *)t->data)[index];
  case KILN_F64:
    return ((const double *)t->data)[index];
  case KILN_I32:
    return ((const int32_t *)t->data)[index];
  case KILN_I64:
    return (double)((const int64_t *)t->data)[index];
  case KILN_DTYPE_INVALID:
    break;
  }
  return NAN;
}

kiln_status_t kiln_tensor_compare(const kiln_tensor_t *a,
                                  const kiln_tensor_t *b, double rtol,
                                  double atol, kiln_compare_result_t *result,
                                  char *err, size_t errSize) {
  if (!a || !b || !result || (a->numel && !a->data) || (b->numel && !b->data))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_tensor_compare: null argument");
  memset(result, 0, sizeof(*result));
  result->first_mismatch = -1;
  int same = a->rank == b->rank && a->rank >= 0 && a->rank <= KILN_MAX_RANK;
  for (int32_t d = 0; same && d < a->rank; ++d)
    same = a->shape[d] == b->shape[d];
  if (!same || a->numel != b->numel) {
    char sa[KILN_MAX_RANK * 21 + 8], sb[KILN_MAX_RANK * 21 + 8];
    kiln_shape_format(sa, sizeof(sa), a->rank, a->shape);
    kiln_shape_format(sb, sizeof(sb), b->rank, b->shape);
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "shape mismatch: %s %s vs %s %s", sa,
                     kiln_dtype_name(a->dtype), sb, kiln_dtype_name(b->dtype));
  }
  result->count = a->numel;
  for (int64_t i = 0; i < a->numel; ++i) {
    double x = kiln_tensor_get_f64(a, i), y = kiln_tensor_get_f64(b, i);
    int ok;
    if (isnan(x) || isnan(y)) {
      ok = isnan(x) && isnan(y);
    } else if (isinf(x) || isinf(y)) {
      ok = x == y;
      if (!ok)
        result->max_abs_err = result->max_rel_err = INFINITY;
    } else {
      double diff = fabs(x - y);
      ok = diff <= atol + rtol * fabs(y);
      if (diff > result->max_abs_err)
        result->max_abs_err = diff;
      double rel = y != 0 ? diff / fabs(y) : (diff != 0 ? INFINITY : 0);
      if (rel > result->max_rel_err)
        result->max_rel_err = rel;
    }
    if (!ok) {
      if (result->mismatches++ == 0)
        result->first_mismatch = i;
    }
  }
  return KILN_OK;
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

/// Number of leading and trailing items shown per dimension when printing
/// is summarized.
enum { KILN_PRINT_EDGE_ITEMS = 3 };

static void printFloat(FILE *out, double v, int digits) {
  if (isnan(v)) {
    fputs("nan", out);
    return;
  }
  if (isinf(v)) {
    fputs(v < 0 ? "-inf" : "inf", out);
    return;
  }
  // Like numpy, mark integral floats with a trailing '.' ("1.", "-0.") so
  // they are distinguishable from integers.
  char buf[64];
  snprintf(buf, sizeof(buf), "%.*g", digits, v);
  fputs(buf, out);
  if (!strpbrk(buf, ".en"))
    fputc('.', out);
}

static void printElement(FILE *out, const kiln_tensor_t *t, int64_t index) {
  switch (t->dtype) {
  case KILN_F32:
    printFloat(out, ((const float *)t->data)[index], 8);
    return;
  case KILN_F64:
    printFloat(out, ((const double *)t->data)[index], 16);
    return;
  case KILN_I32:
    fprintf(out, "%ld", (long)((const int32_t *)t->data)[index]);
    return;
  case KILN_I64:
    fprintf(out, "%lld", (long long)((const int64_t *)t->data)[index]);
    return;
  case KILN_DTYPE_INVALID:
    break;
  }
  fputs("?", out);
}

static void printSeparator(FILE *out, int32_t depth, int32_t remaining) {
  if (remaining == 1) {
    fputs(", ", out);
    return;
  }
  fputs(",\n", out);
  for (int32_t i = 2; i < remaining; ++i)
    fputc('\n', out);
  for (int32_t i = 0; i <= depth; ++i)
    fputc(' ', out);
}

static void printLevel(FILE *out, const kiln_tensor_t *t, int32_t depth,
                       int64_t base, const int64_t *strides, int summarize) {
  int32_t remaining = t->rank - depth;
  int64_t n = t->shape[depth];
  fputc('[', out);
  int elide = summarize && n > 2 * KILN_PRINT_EDGE_ITEMS;
  for (int64_t i = 0; i < n; ++i) {
    if (elide && i == KILN_PRINT_EDGE_ITEMS) {
      fputs("...", out);
      printSeparator(out, depth, remaining);
      i = n - KILN_PRINT_EDGE_ITEMS;
    }
    int64_t idx = base + i * strides[depth];
    if (remaining == 1)
      printElement(out, t, idx);
    else
      printLevel(out, t, depth + 1, idx, strides, summarize);
    if (i + 1 < n)
      printSeparator(out, depth, remaining);
  }
  fputc(']', out);
}

void kiln_tensor_print(FILE *out, const kiln_tensor_t *t, int64_t threshold) {
  if (!out || !t || !t->data || t->rank < 0 || t->rank > KILN_MAX_RANK) {
    if (out)
      fputs("<invalid tensor>\n", out);
    return;
  }
  if (t->rank == 0) {
    printElement(out, t, 0);
    fputc('\n', out);
    return;
  }
  if (t->numel == 0) {
    fputs("[]\n", out);
    return;
  }
  int64_t strides[KILN_MAX_RANK];
  int64_t s = 1;
  for (int32_t i = t->rank - 1; i >= 0; --i) {
    strides[i] = s;
    s *= t->shape[i] > 0 ? t->shape[i] : 1;
  }
  printLevel(out, t, 0, 0, strides, threshold > 0 && t->numel > threshold);
  fputc('\n', out);
}
