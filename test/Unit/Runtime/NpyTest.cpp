//===- NpyTest.cpp - Tests of the .npy reader and writer ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

using namespace kiln_test;

namespace {

const char *const F4Dict = "{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2, 3), }";

std::string floatBytes(size_t n, float base = 0.0f) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    float v = base + static_cast<float>(i);
    s.append(reinterpret_cast<const char *>(&v), sizeof(v));
  }
  return s;
}

class NpyTest : public ::testing::Test {
protected:
  TempDir dir;
  char err[512] = {0};

  /// Writes \p bytes to a file and reads it back; returns the status and
  /// leaves the message in err. Also checks the in-memory reader agrees.
  kiln_status_t readImage(const std::string &bytes,
                          const std::string &name = "x.npy") {
    std::string path = dir.file(name);
    writeBytes(path, bytes);
    kiln_tensor_t t;
    kiln_status_t st = kiln_npy_read(path.c_str(), &t, err, sizeof(err));
    if (st == KILN_OK) {
      EXPECT_NE(t.data, nullptr);
    } else {
      EXPECT_EQ(t.data, nullptr);
      // Every message names the file.
      EXPECT_EQ(std::string(err).rfind(path + ": ", 0), 0u) << err;
    }
    kiln_tensor_free(&t);

    char err2[512];
    kiln_tensor_t t2;
    kiln_status_t st2 = kiln_npy_read_buffer(
        bytes.data(), bytes.size(), name.c_str(), &t2, err2, sizeof(err2));
    EXPECT_EQ(st, st2);
    if (st != KILN_OK) {
      // Same message modulo the path prefix.
      std::string m1(err), m2(err2);
      EXPECT_EQ(m1.substr(m1.find(": ")), m2.substr(m2.find(": "))) << m2;
    }
    kiln_tensor_free(&t2);
    return st;
  }

  void expectError(const std::string &bytes, kiln_status_t status,
                   const std::string &needle) {
    SCOPED_TRACE(needle);
    EXPECT_EQ(readImage(bytes), status) << err;
    EXPECT_NE(std::string(err).find(needle), std::string::npos) << err;
  }
};

TEST_F(NpyTest, RoundTripAllDtypesAndRanks) {
  const std::vector<std::vector<int64_t>> shapes = {
      {}, {5}, {2, 3}, {2, 3, 4}, {1, 2, 3, 2}, {3, 0, 2}};
  for (kiln_dtype_t dtype : {KILN_F32, KILN_F64, KILN_I32, KILN_I64}) {
    for (const auto &shape : shapes) {
      SCOPED_TRACE(std::string(kiln_dtype_name(dtype)) + " rank " +
                   std::to_string(shape.size()));
      kiln_tensor_t t = makeTensor(dtype, shape);
      ASSERT_EQ(kiln_random_fill(&t, 17, -100, 100), KILN_OK);
      std::string path = dir.file("rt.npy");
      ASSERT_EQ(kiln_npy_write(path.c_str(), &t, err, sizeof(err)), KILN_OK)
          << err;
      // Header is padded to 64 bytes and ends with a newline.
      std::string bytes = readBytes(path);
      ASSERT_GE(bytes.size(), 64u);
      size_t hlen = static_cast<unsigned char>(bytes[8]) |
                    (static_cast<unsigned char>(bytes[9]) << 8);
      EXPECT_EQ((10 + hlen) % 64, 0u);
      EXPECT_EQ(bytes[10 + hlen - 1], '\n');
      EXPECT_EQ(bytes.size(), 10 + hlen + kiln_tensor_nbytes(&t));
      // No temporary file is left behind.
      EXPECT_NE(access((path + ".tmp").c_str(), F_OK), 0);

      kiln_tensor_t r;
      ASSERT_EQ(kiln_npy_read(path.c_str(), &r, err, sizeof(err)), KILN_OK)
          << err;
      EXPECT_EQ(r.dtype, dtype);
      EXPECT_EQ(r.rank, static_cast<int32_t>(shape.size()));
      for (size_t i = 0; i < shape.size(); ++i)
        EXPECT_EQ(r.shape[i], shape[i]);
      EXPECT_EQ(r.numel, t.numel);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(r.data) % 64, 0u);
      EXPECT_EQ(memcmp(r.data, t.data, kiln_tensor_nbytes(&t)), 0);

      kiln_tensor_t h;
      ASSERT_EQ(kiln_npy_read_header(path.c_str(), &h, err, sizeof(err)),
                KILN_OK);
      EXPECT_EQ(h.data, nullptr);
      EXPECT_EQ(h.numel, t.numel);
      EXPECT_EQ(h.rank, t.rank);
      kiln_tensor_free(&r);
      kiln_tensor_free(&t);
    }
  }
}

TEST_F(NpyTest, HeaderTextMatchesNumpy) {
  kiln_tensor_t t = makeTensor(KILN_F32, {7});
  std::string path = dir.file("h.npy");
  ASSERT_EQ(kiln_npy_write(path.c_str(), &t, err, sizeof(err)), KILN_OK);
  std::string bytes = readBytes(path);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  std::string want =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (7,), } ";
  EXPECT_EQ(bytes.substr(10, want.size()), want);
  kiln_tensor_free(&t);

  t = makeTensor(KILN_I64, {});
  ASSERT_EQ(kiln_npy_write(path.c_str(), &t, err, sizeof(err)), KILN_OK);
  want = "{'descr': '<i8', 'fortran_order': False, 'shape': (), } ";
  EXPECT_EQ(readBytes(path).substr(10, want.size()), want);
  kiln_tensor_free(&t);
}

TEST_F(NpyTest, ReadsNumpyVariants) {
  // Version 2.0 and 3.0 preambles.
  EXPECT_EQ(readImage(npyImage(F4Dict, floatBytes(6), 2)), KILN_OK) << err;
  EXPECT_EQ(readImage(npyImage(F4Dict, floatBytes(6), 3)), KILN_OK) << err;
  // Double quotes, no trailing comma, different key order, no padding,
  // Python 2 long suffixes, native byte order, trailing data.
  std::string noPad("\x93NUMPY\x01\x00", 8);
  std::string dict = "{\"shape\":(2L,3L),\"fortran_order\":False,"
                     "\"descr\":\"=f4\"}";
  noPad += static_cast<char>(dict.size());
  noPad += '\0';
  noPad += dict + floatBytes(7);
  std::string path = dir.file("v.npy");
  writeBytes(path, noPad);
  kiln_tensor_t t;
  ASSERT_EQ(kiln_npy_read(path.c_str(), &t, err, sizeof(err)), KILN_OK) << err;
  EXPECT_EQ(t.dtype, KILN_F32);
  EXPECT_EQ(t.rank, 2);
  EXPECT_EQ(static_cast<float *>(t.data)[5], 5.0f);
  kiln_tensor_free(&t);
  // A one-element tuple without a trailing comma.
  EXPECT_EQ(readImage(npyImage("{'descr': '<i8', 'fortran_order': False, "
                               "'shape': (3)}",
                               std::string(24, '\0'))),
            KILN_OK)
      << err;
}

TEST_F(NpyTest, BadMagic) {
  expectError("", KILN_ERR_FORMAT, "not a .npy file (bad magic)");
  expectError("\x93NUM", KILN_ERR_FORMAT, "bad magic");
  expectError(std::string("\x93NUMPX\x01\x00\x10\x00", 10) + F4Dict,
              KILN_ERR_FORMAT, "bad magic");
  expectError("hello world, this is text", KILN_ERR_FORMAT, "bad magic");
}

TEST_F(NpyTest, BadPreamble) {
  expectError(std::string("\x93NUMPY\x01\x00", 8), KILN_ERR_FORMAT,
              "truncated .npy preamble");
  expectError(std::string("\x93NUMPY\x02\x00\x10\x00", 10), KILN_ERR_FORMAT,
              "truncated .npy preamble");
  expectError(std::string("\x93NUMPY\x04\x00\x10\x00", 10) + F4Dict,
              KILN_ERR_UNSUPPORTED, "unsupported .npy format version 4.0");
  expectError(std::string("\x93NUMPY\x01\x01\x10\x00", 10) + F4Dict,
              KILN_ERR_UNSUPPORTED, "version 1.1");
}

TEST_F(NpyTest, HeaderLengthBeyondFile) {
  std::string img = npyImage(F4Dict, floatBytes(6));
  img[8] = '\xff';
  img[9] = '\xff';
  expectError(img, KILN_ERR_FORMAT,
              "header length 65535 exceeds file size (152 bytes)");
  std::string v2 = npyImage(F4Dict, "", 2);
  v2[8] = v2[9] = v2[10] = v2[11] = '\xff';
  expectError(v2, KILN_ERR_FORMAT, "header length 4294967295 exceeds file");
}

TEST_F(NpyTest, BadHeaderDict) {
  std::string data = floatBytes(6);
  expectError(npyImage("['descr', '<f4']", data), KILN_ERR_FORMAT,
              "bad header: expected '{'");
  expectError(npyImage("", data), KILN_ERR_FORMAT, "found end of header");
  expectError(npyImage("{'descr': '<f4', 'fortran_order': False}", data),
              KILN_ERR_FORMAT, "missing key 'shape'");
  expectError(npyImage("{'fortran_order': False, 'shape': (2, 3)}", data),
              KILN_ERR_FORMAT, "missing key 'descr'");
  expectError(npyImage("{'descr': '<f4', 'shape': (2, 3)}", data),
              KILN_ERR_FORMAT, "missing key 'fortran_order'");
  expectError(npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(2, 3), 'extra': 1}",
                       data),
              KILN_ERR_FORMAT, "unexpected key 'extra'");
  expectError(npyImage("{'descr': '<f4', 'descr': '<f4', 'fortran_order': "
                       "False, 'shape': (2, 3)}",
                       data),
              KILN_ERR_FORMAT, "duplicate key 'descr'");
  expectError(npyImage("{'descr: '<f4'}", data), KILN_ERR_FORMAT,
              "expected ':' after key, found '<'");
  expectError(npyImage("{'descr' '<f4'}", data), KILN_ERR_FORMAT,
              "expected ':' after key");
  expectError(npyImage("{'descr': '<f4", data, 1, /*pad=*/false),
              KILN_ERR_FORMAT, "unterminated string");
  expectError(npyImage("{'de\nscr': '<f4'}", data), KILN_ERR_FORMAT,
              "unsupported character in string");
  expectError(npyImage(std::string(F4Dict) + " junk", data), KILN_ERR_FORMAT,
              "expected end of header after '}'");
  expectError(npyImage("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, "
                       "3)}",
                       data),
              KILN_ERR_FORMAT, "True or False");
  expectError(npyImage("{'descr': '<f4', 'fortran_order': Falsey, 'shape': "
                       "(2, 3)}",
                       data),
              KILN_ERR_FORMAT, "True or False");
  expectError(npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "[2, 3]}",
                       data),
              KILN_ERR_FORMAT, "expected a tuple for 'shape'");
  expectError(npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(2 3)}",
                       data),
              KILN_ERR_FORMAT, "expected ',' or ')'");
  expectError(npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(2, 3)",
                       data),
              KILN_ERR_FORMAT, "expected ',' or '}'");
  const char rawNul[] = "{'descr': '<f4',\0 'fortran_order': False, "
                        "'shape': (2, 3)}";
  std::string withNul(rawNul, sizeof(rawNul) - 1);
  expectError(npyImage(withNul, data), KILN_ERR_FORMAT, "byte 0x00");
  expectError(npyImage("{'de\\scr': '<f4'}", data), KILN_ERR_FORMAT,
              "unsupported character in string");
  expectError(npyImage("{'" + std::string(100, 'k') + "': 1}", data),
              KILN_ERR_FORMAT, "string too long");
}

TEST_F(NpyTest, BadShape) {
  auto img = [](const std::string &shape) {
    return npyImage(
        "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }",
        floatBytes(12));
  };
  expectError(img("(-3, 4)"), KILN_ERR_FORMAT, "negative dimension");
  expectError(img("(3, -4)"), KILN_ERR_FORMAT, "negative dimension");
  expectError(img("(3.5,)"), KILN_ERR_FORMAT, "non-integer dimension");
  expectError(img("(3e2,)"), KILN_ERR_FORMAT, "non-integer dimension");
  expectError(img("('a',)"), KILN_ERR_FORMAT,
              "expected a non-negative integer dimension");
  expectError(img("(None,)"), KILN_ERR_FORMAT,
              "expected a non-negative integer dimension");
  expectError(img("(1, 1, 1, 1, 1, 1, 1, 1, 1)"), KILN_ERR_UNSUPPORTED,
              "more than 8 dimensions");
  expectError(img("(99999999999999999999,)"), KILN_ERR_OVERFLOW,
              "dimension in shape overflows int64");
}

TEST_F(NpyTest, ShapeOverflow) {
  auto img = [](const std::string &descr, const std::string &shape) {
    return npyImage("{'descr': '" + descr +
                        "', 'fortran_order': False, 'shape': " + shape + "}",
                    floatBytes(4));
  };
  // Element count overflows int64.
  expectError(img("<f4", "(9223372036854775807, 2)"), KILN_ERR_OVERFLOW,
              "size overflows");
  expectError(img("<f4", "(4294967296, 4294967296)"), KILN_ERR_OVERFLOW,
              "shape 4294967296x4294967296 is too large");
  // Element count fits but the byte count does not.
  expectError(img("<f8", "(1152921504606846976,)"), KILN_ERR_OVERFLOW,
              "size overflows");
  // Fits in size_t but absurdly large: rejected by the size check, without
  // trying to allocate 80 GB.
  expectError(img("<f8", "(100000, 100000)"), KILN_ERR_FORMAT,
              "truncated data: expected 80000000000 bytes, found 16");
}

TEST_F(NpyTest, TruncatedData) {
  std::string img = npyImage("{'descr': '<f4', 'fortran_order': False, "
                             "'shape': (28, 28), }",
                             std::string(100, '\0'));
  std::string path = dir.file("x.npy");
  writeBytes(path, img);
  kiln_tensor_t t;
  ASSERT_EQ(kiln_npy_read(path.c_str(), &t, err, sizeof(err)), KILN_ERR_FORMAT);
  EXPECT_EQ(std::string(err),
            path + ": truncated data: expected 3136 bytes, found 100");
  expectError(npyImage(F4Dict, floatBytes(5)), KILN_ERR_FORMAT,
              "truncated data: expected 24 bytes, found 20");
  expectError(npyImage(F4Dict, ""), KILN_ERR_FORMAT,
              "expected 24 bytes, found 0");
}

TEST_F(NpyTest, UnsupportedDtypes) {
  auto img = [](const std::string &descr) {
    return npyImage("{'descr': " + descr +
                        ", 'fortran_order': False, 'shape': (2, 3), }",
                    std::string(48, '\0'));
  };
  expectError(img("'<f2'"), KILN_ERR_UNSUPPORTED,
              "unsupported dtype '<f2' (supported: <f4, <f8, <i4, <i8)");
  expectError(img("'|b1'"), KILN_ERR_UNSUPPORTED, "unsupported dtype '|b1'");
  expectError(img("'<u4'"), KILN_ERR_UNSUPPORTED, "unsupported dtype '<u4'");
  expectError(img("'>f4'"), KILN_ERR_UNSUPPORTED,
              "unsupported dtype '>f4': big-endian");
  expectError(img("'<c16'"), KILN_ERR_UNSUPPORTED, "unsupported dtype");
  expectError(img("[('a', '<f4')]"), KILN_ERR_UNSUPPORTED,
              "structured dtypes are not supported");
  expectError(img("3"), KILN_ERR_FORMAT, "expected a quoted string");
}

TEST_F(NpyTest, FortranOrderRejected) {
  expectError(npyImage("{'descr': '<f4', 'fortran_order': True, 'shape': (2, "
                       "3), }",
                       floatBytes(6)),
              KILN_ERR_UNSUPPORTED, "fortran_order=True is not supported");
}

TEST_F(NpyTest, FileErrors) {
  kiln_tensor_t t;
  std::string missing = dir.file("missing.npy");
  EXPECT_EQ(kiln_npy_read(missing.c_str(), &t, err, sizeof(err)), KILN_ERR_IO);
  EXPECT_EQ(std::string(err), missing + ": cannot open: No such file or "
                                        "directory");
  EXPECT_EQ(kiln_npy_read(dir.path.c_str(), &t, err, sizeof(err)), KILN_ERR_IO);
  EXPECT_EQ(std::string(err), dir.path + ": not a regular file");
  EXPECT_EQ(kiln_npy_read_header(missing.c_str(), &t, err, sizeof(err)),
            KILN_ERR_IO);
}

TEST_F(NpyTest, FuzzTruncationsAndBitFlips) {
  // Every prefix and every single-byte corruption of a valid file must be
  // handled without crashing (run under ASan/valgrind for full value).
  kiln_tensor_t t = makeTensor(KILN_I32, {3, 4});
  kiln_random_fill(&t, 1, 0, 100);
  std::string path = dir.file("ok.npy");
  ASSERT_EQ(kiln_npy_write(path.c_str(), &t, err, sizeof(err)), KILN_OK);
  kiln_tensor_free(&t);
  std::string good = readBytes(path);
  for (size_t n = 0; n < good.size(); ++n) {
    kiln_tensor_t r;
    EXPECT_NE(kiln_npy_read_buffer(good.data(), n, "p", &r, err, sizeof(err)),
              KILN_OK)
        << n;
  }
  for (size_t i = 0; i < 128; ++i) {
    for (int v : {0x00, 0x20, 0x27, 0x29, 0x2c, 0x2d, 0x39, 0x7d, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(v);
      kiln_tensor_t r;
      if (kiln_npy_read_buffer(bad.data(), bad.size(), "p", &r, err,
                               sizeof(err)) == KILN_OK) {
        EXPECT_LE(kiln_tensor_nbytes(&r), bad.size());
        kiln_tensor_free(&r);
      }
    }
  }
}

TEST_F(NpyTest, WriteIsAtomic) {
  std::string path = dir.file("out.npy");
  writeBytes(path, "previous contents");
  // Make "<path>.tmp" impossible to create: the write fails and the
  // existing file is untouched.
  ASSERT_EQ(mkdir((path + ".tmp").c_str(), 0755), 0);
  kiln_tensor_t t = makeTensor(KILN_F32, {2});
  EXPECT_EQ(kiln_npy_write(path.c_str(), &t, err, sizeof(err)), KILN_ERR_IO);
  EXPECT_NE(std::string(err).find(path + ": cannot open '" + path +
                                  ".tmp' for writing"),
            std::string::npos)
      << err;
  EXPECT_EQ(readBytes(path), "previous contents");
  rmdir((path + ".tmp").c_str());
  // Now it succeeds and replaces the file.
  EXPECT_EQ(kiln_npy_write(path.c_str(), &t, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(readBytes(path).substr(0, 6), "\x93NUMPY");
  // Invalid tensors are rejected before touching the file system.
  kiln_tensor_t bad = t;
  bad.numel = 3;
  EXPECT_EQ(kiln_npy_write(path.c_str(), &bad, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  kiln_tensor_free(&t);
  EXPECT_EQ(
      kiln_npy_write(dir.file("nodir/x.npy").c_str(), &t, err, sizeof(err)),
      KILN_ERR_INVALID_ARG); // freed tensor: invalid dtype
}

} // namespace
