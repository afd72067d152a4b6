//===- PngTest.cpp - Tests of the PNG writer and image grids --------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The checksums against published check values, and every file written by
// kiln_png_encode_gray() decoded here by an independent reader: chunk
// layout, CRC-32 of every chunk (bitwise, not table-driven), the zlib
// header, the stored deflate blocks, the Adler-32 and the pixels. The lit
// test gan-demo-images.test also decodes the trainer's files with Python's
// zlib.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include "kiln/Runtime/Png.h"

#include <cmath>
#include <cstring>
#include <sys/stat.h>

using namespace kiln_test;

namespace {

uint32_t be32(const std::string &s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
         (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

/// Bitwise CRC-32, independent of the runtime's table.
uint32_t slowCrc(const std::string &data) {
  uint32_t c = 0xffffffffu;
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

uint32_t slowAdler(const std::string &data) {
  uint64_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return uint32_t(b << 16 | a);
}

struct Decoded {
  uint32_t width = 0, height = 0;
  std::string pixels; // rows without filter bytes
  size_t idatChunks = 0, blocks = 0;
};

/// Decodes a PNG written with stored deflate blocks; fails the test on any
/// deviation from the format.
Decoded decode(const std::string &png) {
  Decoded d;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  size_t pos = 8;
  std::string zlib, types;
  while (pos + 12 <= png.size()) {
    uint32_t len = be32(png, pos);
    std::string type = png.substr(pos + 4, 4);
    EXPECT_LE(pos + 12 + len, png.size());
    std::string body = png.substr(pos + 4, 4 + len);
    EXPECT_EQ(be32(png, pos + 8 + len), slowCrc(body)) << type;
    std::string data = body.substr(4);
    types += type + " ";
    if (type == "IHDR") {
      EXPECT_EQ(len, 13u);
      d.width = be32(data, 0);
      d.height = be32(data, 4);
      EXPECT_EQ(data.substr(8), std::string("\x08\x00\x00\x00\x00", 5));
    } else if (type == "IDAT") {
      zlib += data;
      ++d.idatChunks;
    }
    pos += 12 + len;
    if (type == "IEND")
      break;
  }
  EXPECT_EQ(pos, png.size());
  EXPECT_EQ(types.substr(0, 5), "IHDR ");
  EXPECT_EQ(types.substr(types.size() - 5), "IEND ");
  // zlib: CMF/FLG, stored blocks, Adler-32.
  EXPECT_GE(zlib.size(), 6u);
  EXPECT_EQ(uint8_t(zlib[0]), 0x78);
  EXPECT_EQ((uint8_t(zlib[0]) * 256 + uint8_t(zlib[1])) % 31, 0);
  std::string raw;
  size_t z = 2;
  for (bool final = false; !final && z + 5 <= zlib.size();) {
    uint8_t hdr = uint8_t(zlib[z]);
    EXPECT_EQ(hdr & 6, 0) << "not a stored block";
    final = hdr & 1;
    uint32_t n = uint8_t(zlib[z + 1]) | uint8_t(zlib[z + 2]) << 8;
    uint32_t nn = uint8_t(zlib[z + 3]) | uint8_t(zlib[z + 4]) << 8;
    EXPECT_EQ(n ^ 0xffffu, nn);
    raw += zlib.substr(z + 5, n);
    z += 5 + n;
    ++d.blocks;
  }
  EXPECT_EQ(z + 4, zlib.size());
  EXPECT_EQ(be32(zlib, z), slowAdler(raw));
  EXPECT_EQ(raw.size(), size_t(d.width + 1) * d.height);
  for (uint32_t r = 0; r < d.height && raw.size() >= (d.width + 1) * d.height;
       ++r) {
    EXPECT_EQ(raw[r * (d.width + 1)], 0) << "filter type of row " << r;
    d.pixels += raw.substr(r * (d.width + 1) + 1, d.width);
  }
  return d;
}

std::string encode(const std::vector<uint8_t> &pixels, int64_t w, int64_t h) {
  unsigned char *out = nullptr;
  size_t size = 0;
  char err[256] = "";
  EXPECT_EQ(kiln_png_encode_gray(pixels.data(), w, h, &out, &size, err,
                                 sizeof(err)),
            KILN_OK)
      << err;
  std::string s(reinterpret_cast<char *>(out), size);
  free(out);
  return s;
}

TEST(PngTest, Checksums) {
  EXPECT_EQ(kiln_crc32("123456789", 9, 0), 0xCBF43926u);
  EXPECT_EQ(kiln_crc32("", 0, 0), 0u);
  EXPECT_EQ(kiln_crc32("IEND", 4, 0), 0xAE426082u);
  // Continuation equals one pass.
  EXPECT_EQ(kiln_crc32("6789", 4, kiln_crc32("12345", 5, 0)), 0xCBF43926u);
  EXPECT_EQ(kiln_adler32("Wikipedia", 9, 1), 0x11E60398u);
  EXPECT_EQ(kiln_adler32("", 0, 1), 1u);
  // Long runs of 0xff exercise the deferred modulo.
  std::string ff(100000, '\xff');
  EXPECT_EQ(kiln_adler32(ff.data(), ff.size(), 1), slowAdler(ff));
  EXPECT_EQ(kiln_adler32(ff.data() + 7, 50000, kiln_adler32(ff.data(), 7, 1)),
            slowAdler(ff.substr(0, 50007)));
}

TEST(PngTest, SmallImageRoundTrip) {
  std::vector<uint8_t> px = {0, 1, 2, 253, 254, 255};
  std::string png = encode(px, 3, 2);
  Decoded d = decode(png);
  EXPECT_EQ(d.width, 3u);
  EXPECT_EQ(d.height, 2u);
  EXPECT_EQ(d.pixels, std::string(px.begin(), px.end()));
  EXPECT_EQ(d.idatChunks, 1u);
  EXPECT_EQ(d.blocks, 1u);
  // 8 + IHDR 25 + IDAT (12 + 2 + 5 + 8 + 4) + IEND 12.
  EXPECT_EQ(png.size(), 8u + 25 + 31 + 12);
  // The exact bytes of a 1x1 black image.
  std::string one = encode({0}, 1, 1);
  EXPECT_EQ(one.substr(8, 8), std::string("\0\0\0\x0dIHDR", 8));
  EXPECT_EQ(one.substr(33 + 8, 13),
            std::string("\x78\x01\x01\x02\x00\xfd\xff\x00\x00\x00\x02\x00\x01",
                        13));
}

/// Images of more than 65535 raw bytes need several stored blocks; block
/// boundaries fall inside rows.
TEST(PngTest, ManyBlocks) {
  const int64_t w = 1000, h = 200; // 200200 raw bytes: 4 blocks
  std::vector<uint8_t> px(size_t(w * h));
  for (size_t i = 0; i < px.size(); ++i)
    px[i] = uint8_t(i * 7 + i / 999);
  Decoded d = decode(encode(px, w, h));
  EXPECT_EQ(d.blocks, 4u);
  EXPECT_EQ(d.width, 1000u);
  EXPECT_EQ(d.height, 200u);
  EXPECT_EQ(d.pixels, std::string(px.begin(), px.end()));
  // Exactly one block's worth of raw data: 65535 = 255 * 257 rows.
  std::vector<uint8_t> exact(254 * 257, 9);
  Decoded e = decode(encode(exact, 254, 257));
  EXPECT_EQ(e.blocks, 1u);
  EXPECT_EQ(e.pixels, std::string(exact.begin(), exact.end()));
}

TEST(PngTest, BadArguments) {
  unsigned char *out = nullptr;
  size_t size = 0;
  char err[256] = "";
  uint8_t px = 0;
  EXPECT_EQ(kiln_png_encode_gray(&px, 0, 1, &out, &size, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_STREQ(err, "PNG: bad image 0x1 (each dimension must be in [1, "
                    "2147483647])");
  EXPECT_EQ(kiln_png_encode_gray(&px, 1, int64_t(1) << 31, &out, &size, err,
                                 sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_png_encode_gray(nullptr, 1, 1, &out, &size, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(out, nullptr);
}

TEST(PngTest, AtomicWrite) {
  TempDir dir;
  std::vector<uint8_t> px = {10, 20, 30, 40};
  std::string path = dir.file("a.png");
  char err[256] = "";
  ASSERT_EQ(kiln_png_write_gray(path.c_str(), px.data(), 2, 2, err,
                                sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(readBytes(path), encode(px, 2, 2));
  struct stat st;
  EXPECT_NE(stat((path + ".tmp").c_str(), &st), 0);
  // Overwrites; a failure leaves the old file and no temporary.
  std::string old = readBytes(path);
  std::string bad = dir.file("missing/b.png");
  EXPECT_EQ(kiln_png_write_gray(bad.c_str(), px.data(), 2, 2, err,
                                sizeof(err)),
            KILN_ERR_IO);
  EXPECT_EQ(std::string(err).find(bad + ": cannot open '" + bad + ".tmp'"), 0u)
      << err;
  mkdir(dir.file("dir.png").c_str(), 0777); // rename over a directory fails
  EXPECT_EQ(kiln_png_write_gray(dir.file("dir.png").c_str(), px.data(), 2, 2,
                                err, sizeof(err)),
            KILN_ERR_IO);
  EXPECT_NE(stat(dir.file("dir.png.tmp").c_str(), &st), 0);
  EXPECT_EQ(kiln_png_write_gray(path.c_str(), px.data(), 0, 2, err,
                                sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(std::string(err).rfind(path + ": PNG: bad image", 0), 0u) << err;
  EXPECT_EQ(readBytes(path), old);
}

TEST(PngTest, ImageShapes) {
  int64_t n = 0, h = 0, w = 0;
  const int64_t nhw[] = {5, 3, 4}, n1hw[] = {5, 1, 3, 4}, np[] = {7, 784};
  EXPECT_TRUE(kiln_image_shape(3, nhw, &n, &h, &w));
  EXPECT_EQ(n * 100 + h * 10 + w, 534);
  EXPECT_TRUE(kiln_image_shape(4, n1hw, &n, &h, &w));
  EXPECT_EQ(n * 100 + h * 10 + w, 534);
  EXPECT_TRUE(kiln_image_shape(2, np, &n, &h, &w));
  EXPECT_EQ(n, 7);
  EXPECT_EQ(h, 28);
  EXPECT_EQ(w, 28);
  const int64_t one[] = {1, 1};
  EXPECT_TRUE(kiln_image_shape(2, one, &n, &h, &w));
  EXPECT_EQ(h, 1);
  const int64_t notSquare[] = {7, 783}, n3hw[] = {5, 3, 3, 4}, zero[] = {0, 4},
                zeroH[] = {2, 0, 4}, big[] = {1, INT64_MAX},
                sq[] = {1, int64_t(3037000499) * 3037000499};
  EXPECT_FALSE(kiln_image_shape(2, notSquare, &n, &h, &w));
  EXPECT_FALSE(kiln_image_shape(4, n3hw, &n, &h, &w));
  EXPECT_FALSE(kiln_image_shape(2, zero, &n, &h, &w));
  EXPECT_FALSE(kiln_image_shape(3, zeroH, &n, &h, &w));
  EXPECT_FALSE(kiln_image_shape(2, big, &n, &h, &w));
  EXPECT_TRUE(kiln_image_shape(2, sq, &n, &h, &w));
  EXPECT_EQ(h, 3037000499);
  EXPECT_FALSE(kiln_image_shape(1, np, &n, &h, &w));
  EXPECT_FALSE(kiln_image_shape(0, np, &n, &h, &w));
  EXPECT_FALSE(kiln_image_shape(5, n1hw, &n, &h, &w));
}

/// 5 images of 2x3: 3 columns, 2 rows, 2-pixel gutters, black empty cell;
/// values clamped and rounded.
TEST(PngTest, Grid) {
  std::vector<float> data(5 * 6);
  for (int k = 0; k < 5; ++k)
    for (int i = 0; i < 6; ++i)
      data[k * 6 + i] = float(k) * 0.25f + float(i) * 0.01f;
  data[0] = -1;
  data[1] = NAN;
  data[2] = 2;
  data[3] = 0.5f / 255;
  uint8_t *px = nullptr;
  int64_t w = 0, h = 0;
  char err[256] = "";
  ASSERT_EQ(kiln_image_grid(data.data(), 5, 2, 3, &px, &w, &h, err,
                            sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(w, 3 * 3 + 2 * 2);
  EXPECT_EQ(h, 2 * 2 + 2);
  auto at = [&](int64_t r, int64_t c) { return int(px[r * w + c]); };
  auto expect = [&](float v) {
    double c = std::isnan(v) ? 0 : std::min(1.0, std::max(0.0, double(v)));
    return int(std::floor(c * 255 + 0.5));
  };
  for (int k = 0; k < 5; ++k)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j)
        EXPECT_EQ(at((k / 3) * 4 + i, (k % 3) * 5 + j),
                  expect(data[k * 6 + i * 3 + j]))
            << k << " " << i << " " << j;
  EXPECT_EQ(at(0, 0), 0);
  EXPECT_EQ(at(0, 1), 0);
  EXPECT_EQ(at(0, 2), 255);
  // Gutters and the empty sixth cell are black.
  for (int64_t r = 0; r < h; ++r)
    for (int64_t c = 0; c < w; ++c) {
      bool gutter = c % 5 >= 3 || r % 4 >= 2;
      bool empty = r >= 4 && c >= 10;
      if (gutter || empty)
        EXPECT_EQ(at(r, c), 0) << r << " " << c;
    }
  free(px);
  // One image: no gutter at all; a perfect square count: square grid.
  ASSERT_EQ(kiln_image_grid(data.data(), 1, 2, 3, &px, &w, &h, err,
                            sizeof(err)),
            KILN_OK);
  EXPECT_EQ(w * 10 + h, 32);
  free(px);
  ASSERT_EQ(kiln_image_grid(data.data(), 4, 1, 1, &px, &w, &h, err,
                            sizeof(err)),
            KILN_OK);
  EXPECT_EQ(w * 10 + h, 44);
  free(px);
  EXPECT_EQ(kiln_image_grid(data.data(), 0, 1, 1, &px, &w, &h, err,
                            sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_image_grid(data.data(), int64_t(1) << 40, 1 << 20, 1 << 20,
                            &px, &w, &h, err, sizeof(err)),
            KILN_ERR_OVERFLOW);
  EXPECT_EQ(px, nullptr);
}

} // namespace
