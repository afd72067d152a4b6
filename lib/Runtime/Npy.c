//===- Npy.c - Kiln runtime .npy reader and writer ------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A defensive reader and a simple writer for the numpy `.npy` format.
///
/// File layout: the 6-byte magic "\x93NUMPY", major and minor version bytes,
/// a little-endian header length (uint16 for 1.0, uint32 for 2.0/3.0), then
/// that many bytes of header text: a Python dict literal such as
///   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
/// padded with spaces and a final newline, then the raw element data.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/// Largest header accepted, far above anything numpy writes for the
/// supported dtypes (numpy itself refuses headers above 10000 bytes).
#define KILN_NPY_MAX_HEADER ((size_t)1 << 20)

static const unsigned char NpyMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/// What the header describes.
typedef struct NpyInfo {
  kiln_dtype_t dtype;
  int32_t rank;
  int64_t shape[KILN_MAX_RANK];
  int64_t numel;
  size_t nbytes;
  /// Offset of the first data byte from the start of the file.
  size_t dataOffset;
} NpyInfo;

//===----------------------------------------------------------------------===//
// Preamble
//===----------------------------------------------------------------------===//

/// Validates magic and version and locates the header text. \p buf holds the
/// first min(fileSize, 12) bytes of the file.
static kiln_status_t parsePreamble(const unsigned char *buf, uint64_t fileSize,
                                   size_t *hdrStart, size_t *hdrLen, char *err,
                                   size_t errSize) {
  if (fileSize < 6 || memcmp(buf, NpyMagic, 6) != 0)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "not a .npy file (bad magic)");
  if (fileSize < 10)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "truncated .npy preamble (%llu bytes)",
                     (unsigned long long)fileSize);
  unsigned major = buf[6], minor = buf[7];
  uint64_t len;
  size_t start;
  if (major == 1 && minor == 0) {
    len = (uint64_t)buf[8] | ((uint64_t)buf[9] << 8);
    start = 10;
  } else if ((major == 2 || major == 3) && minor == 0) {
    if (fileSize < 12)
      return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                       "truncated .npy preamble (%llu bytes)",
                       (unsigned long long)fileSize);
    len = (uint64_t)buf[8] | ((uint64_t)buf[9] << 8) |
          ((uint64_t)buf[10] << 16) | ((uint64_t)buf[11] << 24);
    start = 12;
  } else {
    return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                     "unsupported .npy format version %u.%u (supported: 1.0, "
                     "2.0, 3.0)",
                     major, minor);
  }
  if (len > fileSize - start)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "header length %llu exceeds file size (%llu bytes)",
                     (unsigned long long)len, (unsigned long long)fileSize);
  if (len > KILN_NPY_MAX_HEADER)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "header length %llu is too large (limit %zu)",
                     (unsigned long long)len, KILN_NPY_MAX_HEADER);
  *hdrStart = start;
  *hdrLen = (size_t)len;
  return KILN_OK;
}

//===----------------------------------------------------------------------===//
// Header dict parser
//===----------------------------------------------------------------------===//

typedef struct HeaderParser {
  const char *p;
  const char *end;
  char *err;
  size_t errSize;
} HeaderParser;

static void skipSpace(HeaderParser *hp) {
  while (hp->p < hp->end &&
         (*hp->p == ' ' || *hp->p == '\t' || *hp->p == '\n' || *hp->p == '\r'))
    ++hp->p;
}

static int peek(const HeaderParser *hp) {
  return hp->p < hp->end ? (unsigned char)*hp->p : -1;
}

static kiln_status_t expected(HeaderParser *hp, const char *what) {
  int c = peek(hp);
  if (c < 0)
    return kiln_fail(KILN_ERR_FORMAT, hp->err, hp->errSize,
                     "bad header: expected %s, found end of header", what);
  if (c >= 0x20 && c < 0x7f)
    return kiln_fail(KILN_ERR_FORMAT, hp->err, hp->errSize,
                     "bad header: expected %s, found '%c'", what, c);
  return kiln_fail(KILN_ERR_FORMAT, hp->err, hp->errSize,
                   "bad header: expected %s, found byte 0x%02x", what, c);
}

/// Parses a quoted string without escapes into \p out (capacity \p cap).
static kiln_status_t parseString(HeaderParser *hp, char *out, size_t cap) {
  int q = peek(hp);
  if (q != '\'' && q != '"')
    return expected(hp, "a quoted string");
  ++hp->p;
  size_t n = 0;
  while (hp->p < hp->end && *hp->p != q) {
    unsigned char c = (unsigned char)*hp->p;
    if (c == '\\' || c < 0x20 || c >= 0x7f)
      return kiln_fail(KILN_ERR_FORMAT, hp->err, hp->errSize,
                       "bad header: unsupported character in string");
    if (n + 1 >= cap)
      return kiln_fail(KILN_ERR_FORMAT, hp->err, hp->errSize,
                       "bad header: string too long");
    out[n++] = (char)c;
    ++hp->p;
  }
  if (hp->p >= hp->end)
    return kiln_fail(KILN_ERR_FORMAT, hp->err, hp->errSize,
                     "bad header: unterminated string");
  ++hp->p;
  out[n] = '\0';
  return KILN_OK;
}

static int matchWord(HeaderParser *hp, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(hp->end - hp->p) < n || memcmp(hp->p, word, n) != 0)
    return 0;
  // Must not be a prefix of a longer identifier.
  if ((size_t)(hp->end - hp->p) > n) {
    char c = hp->p[n];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '_')
      return 0;
  }
  hp->p += n;
  return 1;
}

static kiln_status_t parseBool(HeaderParser *hp, int *value) {
  if (matchWord(hp, "True")) {
    *value = 1;
    return KILN_OK;
  }
  if (matchWord(hp, "False")) {
    *value = 0;
    return KILN_OK;
  }
  return expected(hp, "True or False for 'fortran_order'");
}

/// Parses a tuple of non-negative integers, e.g. "()", "(3,)", "(3, 4)".
static kiln_status_t parseShape(HeaderParser *hp, int32_t *rank,
                                int64_t shape[KILN_MAX_RANK]) {
  if (peek(hp) != '(')
    return expected(hp, "a tuple for 'shape'");
  ++hp->p;
  int32_t r = 0;
  for (;;) {
    skipSpace(hp);
    int c = peek(hp);
    if (c == ')')
      break;
    if (c == '-')
      return kiln_fail(KILN_ERR_FORMAT, hp->err, hp->errSize,
                       "bad header: negative dimension in shape");
    if (c < '0' || c > '9')
      return expected(hp, "a non-negative integer dimension in 'shape'");
    int64_t v = 0;
    while (peek(hp) >= '0' && peek(hp) <= '9') {
      if (__builtin_mul_overflow(v, (int64_t)10, &v) ||
          __builtin_add_overflow(v, (int64_t)(*hp->p - '0'), &v))
        return kiln_fail(KILN_ERR_OVERFLOW, hp->err, hp->errSize,
                         "bad header: dimension in shape overflows int64");
      ++hp->p;
    }
    if (peek(hp) == 'L') // Python 2 long suffix.
      ++hp->p;
    c = peek(hp);
    if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == '_' ||
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      return kiln_fail(KILN_ERR_FORMAT, hp->err, hp->errSize,
                       "bad header: non-integer dimension in shape");
    if (r == KILN_MAX_RANK)
      return kiln_fail(KILN_ERR_UNSUPPORTED, hp->err, hp->errSize,
                       "shape has more than %d dimensions", KILN_MAX_RANK);
    shape[r++] = v;
    skipSpace(hp);
    if (peek(hp) == ',') {
      ++hp->p;
      continue;
    }
    if (peek(hp) == ')')
      break;
    return expected(hp, "',' or ')' in 'shape'");
  }
  ++hp->p; // ')'
  *rank = r;
  return KILN_OK;
}

static kiln_status_t dtypeFromDescr(const char *descr, kiln_dtype_t *dtype,
                                    char *err, size_t errSize) {
  static const struct {
    const char *code;
    kiln_dtype_t dtype;
  } Known[] = {
      {"f4", KILN_F32}, {"f8", KILN_F64}, {"i4", KILN_I32}, {"i8", KILN_I64}};
  if (descr[0] == '<' || descr[0] == '=') {
    for (size_t i = 0; i < sizeof(Known) / sizeof(Known[0]); ++i) {
      if (strcmp(descr + 1, Known[i].code) == 0) {
        *dtype = Known[i].dtype;
        return KILN_OK;
      }
    }
  }
  if (descr[0] == '>')
    return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                     "unsupported dtype '%s': big-endian data is not "
                     "supported",
                     descr);
  return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                   "unsupported dtype '%s' (supported: <f4, <f8, <i4, <i8)",
                   descr);
}

static kiln_status_t parseHeader(const char *text, size_t len, NpyInfo *info,
                                 char *err, size_t errSize) {
  HeaderParser hp = {text, text + len, err, errSize};
  int haveDescr = 0, haveOrder = 0, haveShape = 0;
  int fortran = 0;
  kiln_status_t st;
  skipSpace(&hp);
  if (peek(&hp) != '{')
    return expected(&hp, "'{' at start of header dict");
  ++hp.p;
  for (;;) {
    skipSpace(&hp);
    if (peek(&hp) == '}')
      break;
    char key[32];
    if ((st = parseString(&hp, key, sizeof(key))) != KILN_OK)
      return st;
    skipSpace(&hp);
    if (peek(&hp) != ':')
      return expected(&hp, "':' after key");
    ++hp.p;
    skipSpace(&hp);
    if (strcmp(key, "descr") == 0) {
      if (haveDescr)
        return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                         "bad header: duplicate key 'descr'");
      haveDescr = 1;
      if (peek(&hp) == '[')
        return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                         "unsupported dtype: structured dtypes are not "
                         "supported");
      char descr[32];
      if ((st = parseString(&hp, descr, sizeof(descr))) != KILN_OK)
        return st;
      if ((st = dtypeFromDescr(descr, &info->dtype, err, errSize)) != KILN_OK)
        return st;
    } else if (strcmp(key, "fortran_order") == 0) {
      if (haveOrder)
        return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                         "bad header: duplicate key 'fortran_order'");
      haveOrder = 1;
      if ((st = parseBool(&hp, &fortran)) != KILN_OK)
        return st;
    } else if (strcmp(key, "shape") == 0) {
      if (haveShape)
        return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                         "bad header: duplicate key 'shape'");
      haveShape = 1;
      if ((st = parseShape(&hp, &info->rank, info->shape)) != KILN_OK)
        return st;
    } else {
      return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                       "bad header: unexpected key '%s'", key);
    }
    skipSpace(&hp);
    if (peek(&hp) == ',') {
      ++hp.p;
      continue;
    }
    if (peek(&hp) == '}')
      break;
    return expected(&hp, "',' or '}' in header dict");
  }
  ++hp.p; // '}'
  skipSpace(&hp);
  if (hp.p != hp.end)
    return expected(&hp, "end of header after '}'");
  if (!haveDescr || !haveOrder || !haveShape)
    return kiln_fail(
        KILN_ERR_FORMAT, err, errSize, "bad header: missing key '%s'",
        !haveDescr ? "descr" : (!haveOrder ? "fortran_order" : "shape"));
  if (fortran)
    return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                     "fortran_order=True is not supported; save the array in "
                     "C order (np.save(path, np.ascontiguousarray(a)))");
  st = kiln_shape_numel(info->rank, info->shape, info->dtype, &info->numel,
                        &info->nbytes);
  if (st != KILN_OK) {
    char shapeText[KILN_MAX_RANK * 21 + 8];
    kiln_shape_format(shapeText, sizeof(shapeText), info->rank, info->shape);
    return kiln_fail(KILN_ERR_OVERFLOW, err, errSize,
                     "shape %s is too large: size overflows", shapeText);
  }
  return KILN_OK;
}

/// Checks that the data section holds at least info->nbytes bytes.
static kiln_status_t checkDataSize(const NpyInfo *info, uint64_t fileSize,
                                   char *err, size_t errSize) {
  uint64_t avail = fileSize - info->dataOffset;
  if ((uint64_t)info->nbytes > avail)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "truncated data: expected %zu bytes, found %llu",
                     info->nbytes, (unsigned long long)avail);
  return KILN_OK;
}

static void fillTensorShape(kiln_tensor_t *out, const NpyInfo *info) {
  memset(out, 0, sizeof(*out));
  out->dtype = info->dtype;
  out->rank = info->rank;
  for (int32_t i = 0; i < info->rank; ++i)
    out->shape[i] = info->shape[i];
  out->numel = info->numel;
}

//===----------------------------------------------------------------------===//
// Readers
//===----------------------------------------------------------------------===//

kiln_status_t kiln_npy_read_buffer(const void *buf, size_t size,
                                   const char *name, kiln_tensor_t *out,
                                   char *err, size_t errSize) {
  if (!name)
    name = "<buffer>";
  if (!out || (!buf && size))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize, "%s: null argument",
                     name);
  memset(out, 0, sizeof(*out));
  const unsigned char *bytes = (const unsigned char *)buf;
  unsigned char pre[12] = {0};
  if (size)
    memcpy(pre, bytes, size < sizeof(pre) ? size : sizeof(pre));
  size_t hdrStart, hdrLen;
  NpyInfo info;
  memset(&info, 0, sizeof(info));
  kiln_status_t st = parsePreamble(pre, size, &hdrStart, &hdrLen, err, errSize);
  if (st == KILN_OK)
    st = parseHeader((const char *)bytes + hdrStart, hdrLen, &info, err,
                     errSize);
  if (st == KILN_OK) {
    info.dataOffset = hdrStart + hdrLen;
    st = checkDataSize(&info, size, err, errSize);
  }
  if (st == KILN_OK) {
    st =
        kiln_tensor_alloc(out, info.dtype, info.rank, info.shape, err, errSize);
    if (st == KILN_OK && info.nbytes)
      memcpy(out->data, bytes + info.dataOffset, info.nbytes);
  }
  if (st != KILN_OK)
    kiln_err_prefix(err, errSize, name);
  return st;
}

/// Opens \p path, validates it and leaves the stream positioned at the data.
static kiln_status_t openAndParse(const char *path, FILE **fileOut,
                                  NpyInfo *info, char *err, size_t errSize) {
  memset(info, 0, sizeof(*info));
  *fileOut = NULL;
  FILE *f;
  uint64_t fileSize;
  kiln_status_t st = kiln_open_regular_file(path, &f, &fileSize, err, errSize);
  if (st != KILN_OK)
    return st;
  unsigned char pre[12] = {0};
  size_t want = fileSize < sizeof(pre) ? (size_t)fileSize : sizeof(pre);
  if (fread(pre, 1, want, f) != want)
    st = kiln_fail(KILN_ERR_IO, err, errSize, "read error");
  size_t hdrStart = 0, hdrLen = 0;
  if (st == KILN_OK)
    st = parsePreamble(pre, fileSize, &hdrStart, &hdrLen, err, errSize);
  if (st == KILN_OK) {
    char *hdr = (char *)malloc(hdrLen + 1);
    if (!hdr) {
      st = kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
    } else {
      if (fseek(f, (long)hdrStart, SEEK_SET) != 0 ||
          fread(hdr, 1, hdrLen, f) != hdrLen)
        st = kiln_fail(KILN_ERR_IO, err, errSize,
                       "read error in header (file changed while reading?)");
      else
        st = parseHeader(hdr, hdrLen, info, err, errSize);
      free(hdr);
    }
  }
  if (st == KILN_OK) {
    info->dataOffset = hdrStart + hdrLen;
    st = checkDataSize(info, fileSize, err, errSize);
  }
  if (st != KILN_OK) {
    fclose(f);
    return st;
  }
  *fileOut = f;
  return KILN_OK;
}

kiln_status_t kiln_npy_read(const char *path, kiln_tensor_t *out, char *err,
                            size_t errSize) {
  if (!path || !out)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_npy_read: null argument");
  memset(out, 0, sizeof(*out));
  FILE *f;
  NpyInfo info;
  kiln_status_t st = openAndParse(path, &f, &info, err, errSize);
  if (st == KILN_OK) {
    st =
        kiln_tensor_alloc(out, info.dtype, info.rank, info.shape, err, errSize);
    if (st == KILN_OK) {
      size_t got = fread(out->data, 1, info.nbytes, f);
      if (got != info.nbytes) {
        st = kiln_fail(KILN_ERR_FORMAT, err, errSize,
                       "truncated data: expected %zu bytes, found %zu",
                       info.nbytes, got);
        kiln_tensor_free(out);
      }
    }
    fclose(f);
  }
  if (st != KILN_OK)
    kiln_err_prefix(err, errSize, path);
  return st;
}

kiln_status_t kiln_npy_read_header(const char *path, kiln_tensor_t *out,
                                   char *err, size_t errSize) {
  if (!path || !out)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_npy_read_header: null argument");
  memset(out, 0, sizeof(*out));
  FILE *f;
  NpyInfo info;
  kiln_status_t st = openAndParse(path, &f, &info, err, errSize);
  if (st != KILN_OK) {
    kiln_err_prefix(err, errSize, path);
    return st;
  }
  fclose(f);
  fillTensorShape(out, &info);
  return KILN_OK;
}

//===----------------------------------------------------------------------===//
// Writer
//===----------------------------------------------------------------------===//

static const char *descrOf(kiln_dtype_t dtype) {
  switch (dtype) {
  case KILN_F32:
    return "<f4";
  case KILN_F64:
    return "<f8";
  case KILN_I32:
    return "<i4";
  case KILN_I64:
    return "<i8";
  case KILN_DTYPE_INVALID:
    break;
  }
  return NULL;
}

kiln_status_t kiln_npy_write(const char *path, const kiln_tensor_t *t,
                             char *err, size_t errSize) {
  if (!path || !t)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_npy_write: null argument");
  const char *descr = descrOf(t->dtype);
  if (!descr)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "%s: cannot write tensor with invalid dtype", path);
  int64_t numel;
  size_t nbytes;
  if (kiln_shape_numel(t->rank, t->shape, t->dtype, &numel, &nbytes) !=
          KILN_OK ||
      numel != t->numel || !t->data)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "%s: cannot write malformed tensor", path);

  // Header text: dict, padding spaces, newline; total preamble + header is a
  // multiple of 64 bytes as numpy does.
  char hdr[256];
  int n = snprintf(hdr, sizeof(hdr),
                   "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  for (int32_t i = 0; i < t->rank; ++i)
    n += snprintf(hdr + n, sizeof(hdr) - (size_t)n, "%s%lld", i ? ", " : "",
                  (long long)t->shape[i]);
  n += snprintf(hdr + n, sizeof(hdr) - (size_t)n, "%s), }",
                t->rank == 1 ? "," : "");
  size_t total = 10 + (size_t)n + 1;
  size_t padded = (total + 63) & ~(size_t)63;
  size_t hdrLen = padded - 10;
  memset(hdr + n, ' ', hdrLen - 1 - (size_t)n);
  hdr[hdrLen - 1] = '\n';
  unsigned char pre[10];
  memcpy(pre, NpyMagic, 6);
  pre[6] = 1;
  pre[7] = 0;
  pre[8] = (unsigned char)(hdrLen & 0xff);
  pre[9] = (unsigned char)(hdrLen >> 8);

  size_t plen = strlen(path);
  char *tmp = (char *)malloc(plen + 5);
  if (!tmp)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "%s: out of memory", path);
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".tmp", 5);

  FILE *f = fopen(tmp, "wb");
  if (!f) {
    kiln_status_t st = kiln_fail(KILN_ERR_IO, err, errSize,
                                 "%s: cannot open '%s' for writing: %s", path,
                                 tmp, strerror(errno));
    free(tmp);
    return st;
  }
  int ok = fwrite(pre, 1, sizeof(pre), f) == sizeof(pre) &&
           fwrite(hdr, 1, hdrLen, f) == hdrLen &&
           (nbytes == 0 || fwrite(t->data, 1, nbytes, f) == nbytes);
  int saved = errno;
  if (fclose(f) != 0 && ok) {
    ok = 0;
    saved = errno;
  }
  if (!ok) {
    remove(tmp);
    free(tmp);
    return kiln_fail(KILN_ERR_IO, err, errSize, "%s: write error: %s", path,
                     strerror(saved));
  }
  if (rename(tmp, path) != 0) {
    saved = errno;
    remove(tmp);
    free(tmp);
    return kiln_fail(KILN_ERR_IO, err, errSize,
                     "%s: cannot rename '%s.tmp': %s", path, path,
                     strerror(saved));
  }
  free(tmp);
  return KILN_OK;
}
