//===- Png.h - Kiln runtime PNG image writer --------------------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writes 8-bit grayscale PNG files without zlib: the image data is one
/// zlib stream of stored (uncompressed) deflate blocks, with the CRC-32 of
/// every chunk and the Adler-32 of the stream computed here. The trainer
/// uses it to save the image outputs of a model (`image=NAME`) as a grid
/// after every epoch; kiln_image_grid() builds that grid.
///
/// Files are written atomically: to "<path>.tmp", fsync'd, then renamed
/// over \p path, so a crash never leaves a half-written image.
/// docs/Runtime.md describes the format and the grid layout.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_PNG_H
#define KILN_RUNTIME_PNG_H

#include "kiln/Runtime/Tensor.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Largest width or height of a PNG image (the format's limit, 2^31 - 1).
#define KILN_PNG_MAX_DIM 0x7fffffff

/// Width in pixels of the black gutters between the tiles of a grid.
#define KILN_IMAGE_GUTTER 2

/// Continues the CRC-32 (ISO 3309 / PNG: polynomial 0xEDB88320, reflected,
/// pre- and post-inverted) of \p size bytes. Start with 0:
/// kiln_crc32("123456789", 9, 0) == 0xCBF43926.
uint32_t kiln_crc32(const void *data, size_t size, uint32_t crc);

/// Continues the Adler-32 checksum (RFC 1950) of \p size bytes. Start with
/// 1: kiln_adler32("Wikipedia", 9, 1) == 0x11E60398.
uint32_t kiln_adler32(const void *data, size_t size, uint32_t adler);

/// Encodes a \p width x \p height 8-bit grayscale image (\p pixels row-major,
/// width * height bytes) as a complete PNG file in a new malloc'd buffer
/// \p *out of \p *out_size bytes (free it with free()). Chunks: IHDR (bit
/// depth 8, color type 0, no interlace), IDAT (one zlib stream: header
/// 0x78 0x01, stored deflate blocks of at most 65535 bytes, Adler-32; split
/// into IDAT chunks of at most 1 GiB), IEND. Every row has filter type 0.
/// Fails with KILN_ERR_INVALID_ARG for a dimension outside
/// [1, KILN_PNG_MAX_DIM] or NULL pixels, KILN_ERR_OVERFLOW if the file size
/// overflows size_t.
kiln_status_t kiln_png_encode_gray(const uint8_t *pixels, int64_t width,
                                   int64_t height, unsigned char **out,
                                   size_t *out_size, char *err,
                                   size_t err_size);

/// Writes the PNG file of kiln_png_encode_gray() to \p path atomically (via
/// "<path>.tmp", fsync, rename). On failure (KILN_ERR_IO, the message
/// starts with \p path) \p path is left as it was and the temporary file is
/// removed.
kiln_status_t kiln_png_write_gray(const char *path, const uint8_t *pixels,
                                  int64_t width, int64_t height, char *err,
                                  size_t err_size);

/// Interprets the shape of an image output: [N, H, W], [N, 1, H, W], or
/// [N, P] with P a perfect square (H = W = sqrt(P)), every extent >= 1.
/// Stores N, H and W and returns 1; returns 0 for any other shape.
int kiln_image_shape(int32_t rank, const int64_t *shape, int64_t *n,
                     int64_t *h, int64_t *w);

/// Lays out \p n images of \p h x \p w floats (\p data, row-major, image
/// after image) as one grayscale grid: C = ceil(sqrt(n)) columns, ceil(n / C)
/// rows, tiles separated by KILN_IMAGE_GUTTER black pixels (no outer
/// border), empty cells black. Each value is clamped to [0, 1] (NaN gives
/// 0) and stored as floor(v * 255 + 0.5). Returns a malloc'd pixel buffer
/// in \p *pixels (free it with free()) and its dimensions.
kiln_status_t kiln_image_grid(const float *data, int64_t n, int64_t h,
                              int64_t w, uint8_t **pixels, int64_t *width,
                              int64_t *height, char *err, size_t err_size);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_PNG_H
