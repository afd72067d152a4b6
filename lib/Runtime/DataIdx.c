//===- DataIdx.c - Kiln runtime IDX (MNIST format) reader -----------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A defensive reader for IDX files, the format of the MNIST data set.
///
/// File layout: a big-endian 32-bit magic 0x0000TTRR (two zero bytes, the
/// element type code TT, the rank RR), RR big-endian uint32 extents, then
/// the elements in row-major order, multi-byte types big-endian.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/// Longest header the runtime can accept: magic plus KILN_MAX_RANK extents.
#define KILN_IDX_MAX_HEADER (4 + 4 * KILN_MAX_RANK)

/// What the header describes.
typedef struct IdxInfo {
  unsigned type;
  size_t elemSize;
  int32_t rank;
  int64_t shape[KILN_MAX_RANK];
  size_t dataBytes;
  size_t dataOffset;
} IdxInfo;

static const char *idxTypeName(unsigned type) {
  switch (type) {
  case 0x08:
    return "ubyte";
  case 0x09:
    return "byte";
  case 0x0B:
    return "i16";
  case 0x0C:
    return "i32";
  case 0x0D:
    return "f32";
  case 0x0E:
    return "f64";
  default:
    return NULL;
  }
}

static size_t idxTypeSize(unsigned type) {
  switch (type) {
  case 0x08:
  case 0x09:
    return 1;
  case 0x0B:
    return 2;
  case 0x0C:
  case 0x0D:
    return 4;
  case 0x0E:
    return 8;
  default:
    return 0;
  }
}

static uint32_t loadBE32(const unsigned char *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
         ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/// Parses the header from \p buf (the first min(fileSize,
/// KILN_IDX_MAX_HEADER) bytes) and checks the data length against
/// \p fileSize, before anything is allocated.
static kiln_status_t parseHeader(const unsigned char *buf, uint64_t fileSize,
                                 IdxInfo *info, char *err, size_t errSize) {
  memset(info, 0, sizeof(*info));
  if (fileSize < 4)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "truncated header: %llu bytes, need at least 4",
                     (unsigned long long)fileSize);
  if (buf[0] != 0 || buf[1] != 0)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "not an IDX file (bad magic 0x%08x)", loadBE32(buf));
  info->type = buf[2];
  info->elemSize = idxTypeSize(info->type);
  if (!info->elemSize)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "bad IDX type code 0x%02x (expected 0x08, 0x09, 0x0B, "
                     "0x0C, 0x0D or 0x0E)",
                     info->type);
  unsigned rank = buf[3];
  if (rank > KILN_MAX_RANK)
    return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                     "rank %u exceeds the maximum of %d", rank, KILN_MAX_RANK);
  info->rank = (int32_t)rank;
  info->dataOffset = 4 + 4 * (size_t)rank;
  if (fileSize < info->dataOffset)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "truncated header: expected %zu bytes, found %llu",
                     info->dataOffset, (unsigned long long)fileSize);
  int64_t numel = 1;
  for (unsigned i = 0; i < rank; ++i) {
    info->shape[i] = loadBE32(buf + 4 + 4 * i);
    if (__builtin_mul_overflow(numel, info->shape[i], &numel))
      return kiln_fail(KILN_ERR_OVERFLOW, err, errSize,
                       "element count overflows int64");
  }
  if (__builtin_mul_overflow((uint64_t)numel, (uint64_t)info->elemSize,
                             &info->dataBytes))
    return kiln_fail(KILN_ERR_OVERFLOW, err, errSize,
                     "data size overflows size_t");
  // The result may be wider than the file's elements (u8 -> f32 / i64).
  if (__builtin_mul_overflow((uint64_t)numel, (uint64_t)8, &(size_t){0}))
    return kiln_fail(KILN_ERR_OVERFLOW, err, errSize,
                     "tensor size overflows size_t");
  uint64_t avail = fileSize - info->dataOffset;
  if (avail < info->dataBytes)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "truncated data: expected %zu bytes, found %llu",
                     info->dataBytes, (unsigned long long)avail);
  if (avail > info->dataBytes)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%llu trailing bytes after the data (expected %zu data "
                     "bytes)",
                     (unsigned long long)(avail - info->dataBytes),
                     info->dataBytes);
  return KILN_OK;
}

/// Checks that IDX data of \p info can become a tensor of \p dtype.
static kiln_status_t checkConversion(const IdxInfo *info, kiln_dtype_t dtype,
                                     unsigned flags, char *err,
                                     size_t errSize) {
  int isFloatData = info->type == 0x0D || info->type == 0x0E;
  if (isFloatData && !kiln_dtype_is_float(dtype))
    return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                     "cannot read %s data as %s", idxTypeName(info->type),
                     kiln_dtype_name(dtype));
  if ((flags & KILN_IDX_SCALE_U8) && info->type != 0x08)
    return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                     "scaling by 1/255 needs ubyte data, found %s",
                     idxTypeName(info->type));
  return KILN_OK;
}

/// Converts \p count big-endian elements at \p src into \p out starting at
/// element \p first.
static void convert(const unsigned char *src, size_t count, const IdxInfo *info,
                    unsigned flags, kiln_tensor_t *out, size_t first) {
  int scale = (flags & KILN_IDX_SCALE_U8) != 0;
  for (size_t k = 0; k < count; ++k) {
    const unsigned char *p = src + k * info->elemSize;
    int64_t iv = 0;
    double dv = 0;
    switch (info->type) {
    case 0x08:
      iv = p[0];
      break;
    case 0x09:
      iv = (int8_t)p[0];
      break;
    case 0x0B:
      iv = (int16_t)(uint16_t)(((unsigned)p[0] << 8) | p[1]);
      break;
    case 0x0C:
      iv = (int32_t)loadBE32(p);
      break;
    case 0x0D: {
      uint32_t bits = loadBE32(p);
      float f;
      memcpy(&f, &bits, sizeof(f));
      dv = f;
      break;
    }
    case 0x0E: {
      uint64_t bits = ((uint64_t)loadBE32(p) << 32) | loadBE32(p + 4);
      memcpy(&dv, &bits, sizeof(dv));
      break;
    }
    }
    if (info->type != 0x0D && info->type != 0x0E)
      dv = scale ? (double)iv / 255.0 : (double)iv;
    size_t i = first + k;
    switch (out->dtype) {
    case KILN_F32:
      ((float *)out->data)[i] = (float)dv;
      break;
    case KILN_F64:
      ((double *)out->data)[i] = dv;
      break;
    case KILN_I32:
      ((int32_t *)out->data)[i] = (int32_t)iv;
      break;
    case KILN_I64:
      ((int64_t *)out->data)[i] = iv;
      break;
    case KILN_DTYPE_INVALID:
      break;
    }
  }
}

static kiln_status_t checkArgs(kiln_dtype_t dtype, unsigned flags,
                               kiln_tensor_t *out, char *err, size_t errSize) {
  if (!out)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_idx_read: null argument");
  memset(out, 0, sizeof(*out));
  if (!kiln_dtype_size(dtype))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_idx_read: invalid dtype");
  if ((flags & ~KILN_IDX_SCALE_U8) ||
      ((flags & KILN_IDX_SCALE_U8) && !kiln_dtype_is_float(dtype)))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_idx_read: bad flags 0x%x for %s", flags,
                     kiln_dtype_name(dtype));
  return KILN_OK;
}

kiln_status_t kiln_idx_read_buffer(const void *buf, size_t size,
                                   const char *name, kiln_dtype_t dtype,
                                   unsigned flags, kiln_tensor_t *out,
                                   char *err, size_t errSize) {
  if (!name)
    name = "<buffer>";
  kiln_status_t st = checkArgs(dtype, flags, out, err, errSize);
  if (st == KILN_OK && !buf && size)
    st = kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                   "kiln_idx_read_buffer: null buffer");
  IdxInfo info;
  const unsigned char *bytes = (const unsigned char *)buf;
  if (st == KILN_OK)
    st = parseHeader(bytes, size, &info, err, errSize);
  if (st == KILN_OK)
    st = checkConversion(&info, dtype, flags, err, errSize);
  if (st == KILN_OK)
    st = kiln_tensor_alloc(out, dtype, info.rank, info.shape, err, errSize);
  if (st == KILN_OK)
    convert(bytes + info.dataOffset, (size_t)out->numel, &info, flags, out, 0);
  if (st != KILN_OK)
    kiln_err_prefix(err, errSize, name);
  return st;
}

/// Reads the data section of \p f in chunks, converting as it goes.
static kiln_status_t readData(FILE *f, const IdxInfo *info, unsigned flags,
                              kiln_tensor_t *out, char *err, size_t errSize) {
  enum { ChunkBytes = 1 << 16 };
  unsigned char *chunk = (unsigned char *)malloc(ChunkBytes);
  if (!chunk)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  size_t perChunk = ChunkBytes / info->elemSize, done = 0,
         total = (size_t)out->numel;
  kiln_status_t st = KILN_OK;
  while (done < total) {
    size_t n = total - done < perChunk ? total - done : perChunk;
    size_t got = fread(chunk, 1, n * info->elemSize, f);
    if (got != n * info->elemSize) {
      st = kiln_fail(KILN_ERR_IO, err, errSize,
                     "read error in data (file changed while reading?)");
      break;
    }
    convert(chunk, n, info, flags, out, done);
    done += n;
  }
  free(chunk);
  return st;
}

kiln_status_t kiln_idx_read(const char *path, kiln_dtype_t dtype,
                            unsigned flags, kiln_tensor_t *out, char *err,
                            size_t errSize) {
  if (!path)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_idx_read: null argument");
  kiln_status_t st = checkArgs(dtype, flags, out, err, errSize);
  if (st != KILN_OK)
    return st;
  FILE *f;
  uint64_t fileSize;
  st = kiln_open_regular_file(path, &f, &fileSize, err, errSize);
  IdxInfo info;
  if (st == KILN_OK) {
    unsigned char hdr[KILN_IDX_MAX_HEADER] = {0};
    size_t want = fileSize < sizeof(hdr) ? (size_t)fileSize : sizeof(hdr);
    if (fread(hdr, 1, want, f) != want)
      st = kiln_fail(KILN_ERR_IO, err, errSize, "read error");
    else
      st = parseHeader(hdr, fileSize, &info, err, errSize);
  }
  if (st == KILN_OK)
    st = checkConversion(&info, dtype, flags, err, errSize);
  if (st == KILN_OK && fseek(f, (long)info.dataOffset, SEEK_SET) != 0)
    st = kiln_fail(KILN_ERR_IO, err, errSize, "cannot seek: %s",
                   strerror(errno));
  if (st == KILN_OK)
    st = kiln_tensor_alloc(out, dtype, info.rank, info.shape, err, errSize);
  if (st == KILN_OK) {
    st = readData(f, &info, flags, out, err, errSize);
    if (st != KILN_OK)
      kiln_tensor_free(out);
  }
  if (f)
    fclose(f);
  if (st != KILN_OK)
    kiln_err_prefix(err, errSize, path);
  return st;
}
