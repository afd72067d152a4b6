//===- Png.c - Kiln runtime PNG image writer ------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// 8-bit grayscale PNG files written without zlib (stored deflate blocks),
/// and the image grids the trainer saves. See Png.h and docs/Runtime.md.
///
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Png.h"

#include "RuntimeInternal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/// Largest payload of a stored deflate block.
enum { KILN_DEFLATE_STORED_MAX = 65535 };

/// Largest IDAT chunk this writer produces (the format allows 2^31 - 1).
#define KILN_PNG_MAX_IDAT ((size_t)1 << 30)

static const unsigned char PngSignature[8] = {0x89, 'P', 'N', 'G',
                                              '\r', '\n', 0x1a, '\n'};

//===----------------------------------------------------------------------===//
// Checksums
//===----------------------------------------------------------------------===//

uint32_t kiln_crc32(const void *data, size_t size, uint32_t crc) {
  static uint32_t table[256];
  static int ready;
  if (!ready) {
    // Computing the table twice in racing threads writes the same values.
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k)
        c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[n] = c;
    }
    ready = 1;
  }
  const unsigned char *p = (const unsigned char *)data;
  crc = ~crc;
  for (size_t i = 0; i < size; ++i)
    crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

uint32_t kiln_adler32(const void *data, size_t size, uint32_t adler) {
  const unsigned char *p = (const unsigned char *)data;
  uint32_t a = adler & 0xffff, b = adler >> 16;
  while (size) {
    // 5552 bytes is the most that cannot overflow b before the modulo.
    size_t n = size < 5552 ? size : 5552;
    size -= n;
    for (size_t i = 0; i < n; ++i) {
      a += p[i];
      b += a;
    }
    p += n;
    a %= 65521;
    b %= 65521;
  }
  return (b << 16) | a;
}

//===----------------------------------------------------------------------===//
// Encoder
//===----------------------------------------------------------------------===//

static void putBE32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/// Appends a chunk: length, type, data, CRC-32 of type and data. \p data may
/// already be in place at p + 8 (then it is not copied).
static unsigned char *putChunk(unsigned char *p, const char type[4],
                               const unsigned char *data, size_t size) {
  putBE32(p, (uint32_t)size);
  memcpy(p + 4, type, 4);
  if (size && data != p + 8)
    memcpy(p + 8, data, size);
  putBE32(p + 8 + size, kiln_crc32(p + 4, 4 + size, 0));
  return p + 12 + size;
}

kiln_status_t kiln_png_encode_gray(const uint8_t *pixels, int64_t width,
                                   int64_t height, unsigned char **out,
                                   size_t *outSize, char *err,
                                   size_t errSize) {
  if (!out || !outSize)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_png_encode_gray: null output");
  *out = NULL;
  *outSize = 0;
  if (!pixels || width < 1 || height < 1 || width > KILN_PNG_MAX_DIM ||
      height > KILN_PNG_MAX_DIM)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "PNG: bad image %lldx%lld (each dimension must be in "
                     "[1, %d])",
                     (long long)width, (long long)height, KILN_PNG_MAX_DIM);
  // Raw data: one filter byte then the row, per row.
  size_t raw, blocks, zlib, idatChunks, total;
  if (__builtin_mul_overflow((size_t)width + 1, (size_t)height, &raw))
    return kiln_fail(KILN_ERR_OVERFLOW, err, errSize, "PNG: image too large");
  blocks = (raw + KILN_DEFLATE_STORED_MAX - 1) / KILN_DEFLATE_STORED_MAX;
  // zlib header 2, per block 5, Adler-32 4.
  if (__builtin_mul_overflow(blocks, (size_t)5, &zlib) ||
      __builtin_add_overflow(zlib, raw + 6, &zlib))
    return kiln_fail(KILN_ERR_OVERFLOW, err, errSize, "PNG: image too large");
  idatChunks = (zlib + KILN_PNG_MAX_IDAT - 1) / KILN_PNG_MAX_IDAT;
  // Signature 8, IHDR 25, IEND 12, 12 per IDAT chunk.
  if (__builtin_mul_overflow(idatChunks, (size_t)12, &total) ||
      __builtin_add_overflow(total, zlib + 45, &total))
    return kiln_fail(KILN_ERR_OVERFLOW, err, errSize, "PNG: image too large");

  unsigned char *buf = (unsigned char *)malloc(total);
  unsigned char *z = (unsigned char *)malloc(zlib);
  if (!buf || !z) {
    free(buf);
    free(z);
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "PNG: out of memory");
  }

  // The zlib stream: CMF 0x78 (deflate, 32 KiB window), FLG 0x01 (no
  // dictionary, fastest; 0x7801 is a multiple of 31), stored blocks, then
  // the Adler-32 of the raw data, big-endian.
  unsigned char *q = z;
  *q++ = 0x78;
  *q++ = 0x01;
  uint32_t adler = 1;
  size_t left = raw, blockLeft = 0;
  unsigned char filter = 0;
  int64_t row = 0, col = -1; // col -1: the row's filter byte comes next
  while (left) {
    if (!blockLeft) {
      size_t n = left < KILN_DEFLATE_STORED_MAX ? left : KILN_DEFLATE_STORED_MAX;
      *q++ = n == left ? 1 : 0; // BFINAL, BTYPE 00 (stored)
      *q++ = (unsigned char)(n & 0xff);
      *q++ = (unsigned char)(n >> 8);
      *q++ = (unsigned char)(~n & 0xff);
      *q++ = (unsigned char)((~n >> 8) & 0xff);
      blockLeft = n;
    }
    // Copy as much of the current row (or its filter byte) as fits.
    size_t n;
    const unsigned char *src;
    if (col < 0) {
      src = &filter;
      n = 1;
    } else {
      src = pixels + (size_t)row * (size_t)width + (size_t)col;
      n = (size_t)(width - col);
      if (n > blockLeft)
        n = blockLeft;
    }
    memcpy(q, src, n);
    adler = kiln_adler32(q, n, adler);
    q += n;
    blockLeft -= n;
    left -= n;
    col += (int64_t)n;
    if (col == width) {
      col = -1;
      ++row;
    }
  }
  putBE32(q, adler);
  q += 4;

  unsigned char *p = buf;
  memcpy(p, PngSignature, 8);
  p += 8;
  unsigned char ihdr[13];
  putBE32(ihdr, (uint32_t)width);
  putBE32(ihdr + 4, (uint32_t)height);
  ihdr[8] = 8;  // bit depth
  ihdr[9] = 0;  // color type: grayscale
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  p = putChunk(p, "IHDR", ihdr, sizeof(ihdr));
  for (size_t off = 0; off < zlib; off += KILN_PNG_MAX_IDAT) {
    size_t n = zlib - off < KILN_PNG_MAX_IDAT ? zlib - off : KILN_PNG_MAX_IDAT;
    p = putChunk(p, "IDAT", z + off, n);
  }
  p = putChunk(p, "IEND", NULL, 0);
  free(z);
  *out = buf;
  *outSize = (size_t)(p - buf);
  return KILN_OK;
}

kiln_status_t kiln_png_write_gray(const char *path, const uint8_t *pixels,
                                  int64_t width, int64_t height, char *err,
                                  size_t errSize) {
  if (!path || !*path)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_png_write_gray: bad path");
  unsigned char *png;
  size_t size;
  kiln_status_t st =
      kiln_png_encode_gray(pixels, width, height, &png, &size, err, errSize);
  if (st != KILN_OK) {
    kiln_err_prefix(err, errSize, path);
    return st;
  }
  size_t plen = strlen(path);
  char *tmp = (char *)malloc(plen + 5);
  if (!tmp) {
    free(png);
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "%s: out of memory", path);
  }
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".tmp", 5);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    st = kiln_fail(KILN_ERR_IO, err, errSize,
                   "%s: cannot open '%s' for writing: %s", path, tmp,
                   strerror(errno));
    free(tmp);
    free(png);
    return st;
  }
  int failed = 0;
  const char *what = "write";
  errno = 0;
  if (fwrite(png, 1, size, f) != size || fflush(f) != 0)
    failed = errno ? errno : EIO;
  if (!failed && fsync(fileno(f)) != 0) {
    failed = errno ? errno : EIO;
    what = "sync";
  }
  if (fclose(f) != 0 && !failed)
    failed = errno ? errno : EIO;
  if (!failed && rename(tmp, path) != 0) {
    failed = errno ? errno : EIO;
    what = "rename";
  }
  free(png);
  if (failed) {
    remove(tmp);
    st = kiln_fail(KILN_ERR_IO, err, errSize, "%s: cannot %s '%s': %s", path,
                   what, tmp, strerror(failed));
    free(tmp);
    return st;
  }
  free(tmp);
  return KILN_OK;
}

//===----------------------------------------------------------------------===//
// Image grids
//===----------------------------------------------------------------------===//

/// Returns the integer square root of \p p (>= 1) if \p p is a perfect
/// square, else -1.
static int64_t exactSqrt(int64_t p) {
  uint64_t v = (uint64_t)p;
  uint64_t r = (uint64_t)sqrt((double)v);
  // Correct the floating-point estimate (no overflow: r <= 2^32).
  while (r > 0 && r * r > v)
    --r;
  while ((r + 1) * (r + 1) <= v)
    ++r;
  return r * r == v ? (int64_t)r : -1;
}

int kiln_image_shape(int32_t rank, const int64_t *shape, int64_t *n,
                     int64_t *h, int64_t *w) {
  if (!shape)
    return 0;
  int64_t nn, hh, ww;
  if (rank == 2) {
    nn = shape[0];
    if (shape[1] < 1)
      return 0;
    hh = ww = exactSqrt(shape[1]);
  } else if (rank == 3) {
    nn = shape[0], hh = shape[1], ww = shape[2];
  } else if (rank == 4 && shape[1] == 1) {
    nn = shape[0], hh = shape[2], ww = shape[3];
  } else {
    return 0;
  }
  if (nn < 1 || hh < 1 || ww < 1)
    return 0;
  if (n)
    *n = nn;
  if (h)
    *h = hh;
  if (w)
    *w = ww;
  return 1;
}

static uint8_t toGray(float v) {
  if (!(v > 0)) // also NaN
    return 0;
  if (v >= 1)
    return 255;
  return (uint8_t)floor((double)v * 255.0 + 0.5);
}

kiln_status_t kiln_image_grid(const float *data, int64_t n, int64_t h,
                              int64_t w, uint8_t **pixels, int64_t *width,
                              int64_t *height, char *err, size_t errSize) {
  if (!pixels || !width || !height)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_image_grid: null output");
  *pixels = NULL;
  *width = *height = 0;
  if (!data || n < 1 || h < 1 || w < 1)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "image grid: bad shape %lld images of %lldx%lld",
                     (long long)n, (long long)h, (long long)w);
  int64_t cols = 1;
  while (cols * cols < n)
    ++cols;
  int64_t rows = (n + cols - 1) / cols;
  int64_t gw, gh;
  size_t bytes;
  if (__builtin_mul_overflow(cols, w + KILN_IMAGE_GUTTER, &gw) ||
      __builtin_mul_overflow(rows, h + KILN_IMAGE_GUTTER, &gh) ||
      (gw -= KILN_IMAGE_GUTTER) > KILN_PNG_MAX_DIM ||
      (gh -= KILN_IMAGE_GUTTER) > KILN_PNG_MAX_DIM ||
      __builtin_mul_overflow((size_t)gw, (size_t)gh, &bytes))
    return kiln_fail(KILN_ERR_OVERFLOW, err, errSize,
                     "image grid of %lld images of %lldx%lld is too large",
                     (long long)n, (long long)h, (long long)w);
  uint8_t *p = (uint8_t *)calloc(bytes, 1);
  if (!p)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "image grid: out of memory");
  for (int64_t k = 0; k < n; ++k) {
    int64_t top = (k / cols) * (h + KILN_IMAGE_GUTTER);
    int64_t left = (k % cols) * (w + KILN_IMAGE_GUTTER);
    const float *img = data + (size_t)k * (size_t)h * (size_t)w;
    for (int64_t i = 0; i < h; ++i)
      for (int64_t j = 0; j < w; ++j)
        p[(size_t)(top + i) * (size_t)gw + (size_t)(left + j)] =
            toGray(img[i * w + j]);
  }
  *pixels = p;
  *width = gw;
  *height = gh;
  return KILN_OK;
}
