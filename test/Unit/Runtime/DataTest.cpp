//===- DataTest.cpp - Tests of the data-set loaders and batching ----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include <cmath>

using namespace kiln_test;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::string be32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i)
    s[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
  return s;
}

/// Builds an IDX image: magic 0x0000TTRR, big-endian extents, then data.
std::string idxImage(unsigned type, const std::vector<uint32_t> &dims,
                     const std::string &data) {
  std::string s = be32((type << 8) | static_cast<uint32_t>(dims.size()));
  for (uint32_t d : dims)
    s += be32(d);
  return s + data;
}

std::string bytesOf(std::initializer_list<int> values) {
  std::string s;
  for (int v : values)
    s += static_cast<char>(v & 0xff);
  return s;
}

std::string beBytes(const void *p, size_t n) {
  std::string s(static_cast<const char *>(p), n);
  return std::string(s.rbegin(), s.rend());
}

bool startsWith(const std::string &s, const std::string &prefix) {
  return s.rfind(prefix, 0) == 0;
}

class DataTest : public ::testing::Test {
protected:
  TempDir dir;
  char err[512] = {0};

  /// Writes \p bytes to \p name and reads it as IDX; also checks the
  /// in-memory reader agrees and that failures leave \p t zeroed with a
  /// message naming the file.
  kiln_status_t readIdx(const std::string &bytes, kiln_dtype_t dtype,
                        unsigned flags, kiln_tensor_t *t,
                        const std::string &name = "x.idx") {
    std::string path = dir.file(name);
    writeBytes(path, bytes);
    kiln_status_t st =
        kiln_idx_read(path.c_str(), dtype, flags, t, err, sizeof(err));
    if (st != KILN_OK) {
      EXPECT_EQ(t->data, nullptr);
      EXPECT_TRUE(startsWith(err, path + ": ")) << err;
    }
    char err2[512];
    kiln_tensor_t t2;
    kiln_status_t st2 =
        kiln_idx_read_buffer(bytes.data(), bytes.size(), name.c_str(), dtype,
                             flags, &t2, err2, sizeof(err2));
    EXPECT_EQ(st, st2);
    if (st != KILN_OK) {
      std::string m1(err), m2(err2);
      EXPECT_EQ(m1.substr(m1.find(": ")), m2.substr(m2.find(": "))) << m2;
    } else {
      EXPECT_EQ(t->numel, t2.numel);
      EXPECT_EQ(0, memcmp(t->data, t2.data, kiln_tensor_nbytes(t)));
    }
    kiln_tensor_free(&t2);
    return st;
  }

  /// Reads \p text as CSV from a file named data.csv.
  kiln_status_t readCsv(const std::string &text, kiln_csv_options_t opts,
                        kiln_tensor_t *x, kiln_tensor_t *y) {
    std::string path = dir.file("data.csv");
    writeBytes(path, text);
    kiln_status_t st =
        kiln_csv_read(path.c_str(), &opts, x, y, err, sizeof(err));
    if (st != KILN_OK) {
      EXPECT_EQ(x->data, nullptr);
      EXPECT_EQ(y->data, nullptr);
    }
    return st;
  }

  /// The message of the last failure without the directory part.
  std::string message() const {
    std::string m(err);
    return startsWith(m, dir.path + "/") ? m.substr(dir.path.size() + 1) : m;
  }

  /// A data set of \p n examples: features [n, 2] with x[i] = (i, 10 i),
  /// labels i % 3.
  kiln_dataset_t makeDataset(int64_t n) {
    kiln_dataset_t ds;
    memset(&ds, 0, sizeof(ds));
    ds.features = makeTensor(KILN_F32, {n, 2});
    ds.labels = makeTensor(KILN_I64, {n});
    for (int64_t i = 0; i < n; ++i) {
      static_cast<float *>(ds.features.data)[2 * i] = static_cast<float>(i);
      static_cast<float *>(ds.features.data)[2 * i + 1] =
          static_cast<float>(10 * i);
      static_cast<int64_t *>(ds.labels.data)[i] = i % 3;
    }
    return ds;
  }
};

float f32At(const kiln_tensor_t &t, int64_t i) {
  return static_cast<const float *>(t.data)[i];
}
int64_t i64At(const kiln_tensor_t &t, int64_t i) {
  return static_cast<const int64_t *>(t.data)[i];
}

//===----------------------------------------------------------------------===//
// IDX
//===----------------------------------------------------------------------===//

/// MNIST-style ubyte images read with 1/255 scaling and as raw integers.
TEST_F(DataTest, IdxUbyteRoundTrip) {
  std::string img =
      idxImage(0x08, {2, 2, 3},
               bytesOf({0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}));
  kiln_tensor_t t;
  ASSERT_EQ(readIdx(img, KILN_F32, KILN_IDX_SCALE_U8, &t), KILN_OK) << err;
  EXPECT_EQ(t.rank, 3);
  EXPECT_EQ(t.shape[0], 2);
  EXPECT_EQ(t.shape[1], 2);
  EXPECT_EQ(t.shape[2], 3);
  EXPECT_EQ(f32At(t, 0), 0.0f);
  EXPECT_EQ(f32At(t, 1), static_cast<float>(1.0 / 255.0));
  EXPECT_EQ(f32At(t, 11), 1.0f);
  kiln_tensor_free(&t);

  ASSERT_EQ(readIdx(img, KILN_I64, 0, &t), KILN_OK) << err;
  EXPECT_EQ(i64At(t, 6), 250);
  EXPECT_EQ(i64At(t, 11), 255);
  kiln_tensor_free(&t);
}

/// Every type code decodes big-endian and with the right signedness.
TEST_F(DataTest, IdxAllTypeCodes) {
  int16_t s = -1234;
  int32_t i = -123456789;
  float f = -2.5f;
  double d = 1.0 / 3.0;
  struct Case {
    unsigned type;
    std::string data;
    double expected;
  } cases[] = {
      {0x08, bytesOf({200}), 200.0},   {0x09, bytesOf({0xfe}), -2.0},
      {0x0B, beBytes(&s, 2), -1234.0}, {0x0C, beBytes(&i, 4), -123456789.0},
      {0x0D, beBytes(&f, 4), -2.5},    {0x0E, beBytes(&d, 8), 1.0 / 3.0}};
  for (const Case &c : cases) {
    kiln_tensor_t t;
    ASSERT_EQ(readIdx(idxImage(c.type, {1}, c.data), KILN_F64, 0, &t), KILN_OK)
        << err;
    EXPECT_EQ(static_cast<const double *>(t.data)[0], c.expected)
        << "type 0x" << std::hex << c.type;
    kiln_tensor_free(&t);
  }
}

/// Rank 0 is a scalar; rank 8 and zero extents are fine.
TEST_F(DataTest, IdxRanks) {
  kiln_tensor_t t;
  ASSERT_EQ(readIdx(idxImage(0x08, {}, bytesOf({7})), KILN_I32, 0, &t), KILN_OK)
      << err;
  EXPECT_EQ(t.rank, 0);
  EXPECT_EQ(static_cast<const int32_t *>(t.data)[0], 7);
  kiln_tensor_free(&t);
  ASSERT_EQ(readIdx(idxImage(0x08, {1, 1, 1, 1, 1, 1, 1, 2}, bytesOf({1, 2})),
                    KILN_F32, 0, &t),
            KILN_OK)
      << err;
  EXPECT_EQ(t.rank, 8);
  EXPECT_EQ(f32At(t, 1), 2.0f);
  kiln_tensor_free(&t);
  ASSERT_EQ(readIdx(idxImage(0x0C, {0, 5}, ""), KILN_F32, 0, &t), KILN_OK)
      << err;
  EXPECT_EQ(t.numel, 0);
  kiln_tensor_free(&t);
}

/// Each malformed file fails with the documented status and message.
TEST_F(DataTest, IdxMalformed) {
  struct Case {
    const char *what;
    std::string bytes;
    kiln_dtype_t dtype;
    unsigned flags;
    kiln_status_t status;
    const char *message;
  } cases[] = {
      {"empty", "", KILN_F32, 0, KILN_ERR_FORMAT,
       "x.idx: truncated header: 0 bytes, need at least 4"},
      {"short magic", bytesOf({0, 0, 8}), KILN_F32, 0, KILN_ERR_FORMAT,
       "x.idx: truncated header: 3 bytes, need at least 4"},
      {"bad magic", "\x93NUMPY", KILN_F32, 0, KILN_ERR_FORMAT,
       "x.idx: not an IDX file (bad magic 0x934e554d)"},
      {"bad type", idxImage(0x0A, {1}, "x"), KILN_F32, 0, KILN_ERR_FORMAT,
       "x.idx: bad IDX type code 0x0a (expected 0x08, 0x09, 0x0B, 0x0C, "
       "0x0D or 0x0E)"},
      {"rank 9", idxImage(0x08, {1, 1, 1, 1, 1, 1, 1, 1, 1}, "x"), KILN_F32, 0,
       KILN_ERR_UNSUPPORTED, "x.idx: rank 9 exceeds the maximum of 8"},
      {"missing dims", idxImage(0x08, {3, 4}, "").substr(0, 10), KILN_F32, 0,
       KILN_ERR_FORMAT, "x.idx: truncated header: expected 12 bytes, found 10"},
      {"truncated data", idxImage(0x0C, {2, 3}, std::string(20, '\0')),
       KILN_F32, 0, KILN_ERR_FORMAT,
       "x.idx: truncated data: expected 24 bytes, found 20"},
      {"huge dims", idxImage(0x08, {60000, 60000, 60000}, "abc"), KILN_F32, 0,
       KILN_ERR_FORMAT,
       "x.idx: truncated data: expected 216000000000000 bytes, found 3"},
      {"trailing garbage", idxImage(0x08, {2}, "abcd"), KILN_F32, 0,
       KILN_ERR_FORMAT,
       "x.idx: 2 trailing bytes after the data (expected 2 data bytes)"},
      {"overflow", idxImage(0x08, {0xffffffffu, 0xffffffffu, 0xffffffffu}, ""),
       KILN_F32, 0, KILN_ERR_OVERFLOW, "x.idx: element count overflows int64"},
      {"tensor overflow", idxImage(0x08, {0xffffffffu, 0x7fffffffu}, ""),
       KILN_F32, 0, KILN_ERR_OVERFLOW, "x.idx: tensor size overflows size_t"},
      {"float as int", idxImage(0x0D, {1}, std::string(4, '\0')), KILN_I64, 0,
       KILN_ERR_UNSUPPORTED, "x.idx: cannot read f32 data as i64"},
      {"scale non-ubyte", idxImage(0x09, {1}, "x"), KILN_F32, KILN_IDX_SCALE_U8,
       KILN_ERR_UNSUPPORTED,
       "x.idx: scaling by 1/255 needs ubyte data, found byte"},
  };
  for (const Case &c : cases) {
    kiln_tensor_t t;
    EXPECT_EQ(readIdx(c.bytes, c.dtype, c.flags, &t), c.status) << c.what;
    EXPECT_EQ(message(), c.message) << c.what;
    kiln_tensor_free(&t);
  }
}

/// Every truncation of a valid file is rejected without crashing.
TEST_F(DataTest, IdxEveryTruncationFails) {
  std::string img = idxImage(0x0B, {2, 3}, std::string(12, '\x01'));
  for (size_t n = 0; n < img.size(); ++n) {
    kiln_tensor_t t;
    EXPECT_EQ(kiln_idx_read_buffer(img.data(), n, "t", KILN_F32, 0, &t, err,
                                   sizeof(err)),
              KILN_ERR_FORMAT)
        << n;
    EXPECT_EQ(t.data, nullptr);
  }
}

/// Bad arguments and a missing file are reported, not crashed on.
TEST_F(DataTest, IdxBadArguments) {
  kiln_tensor_t t;
  EXPECT_EQ(kiln_idx_read(dir.file("missing.idx").c_str(), KILN_F32, 0, &t, err,
                          sizeof(err)),
            KILN_ERR_IO);
  EXPECT_EQ(message(), "missing.idx: cannot open: No such file or directory");
  EXPECT_EQ(
      kiln_idx_read("x", KILN_I64, KILN_IDX_SCALE_U8, &t, err, sizeof(err)),
      KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_idx_read("x", KILN_DTYPE_INVALID, 0, &t, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_idx_read(nullptr, KILN_F32, 0, &t, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
}

//===----------------------------------------------------------------------===//
// CSV
//===----------------------------------------------------------------------===//

/// Header, label column in the middle, whitespace, CRLF and blank lines.
TEST_F(DataTest, CsvRoundTrip) {
  kiln_tensor_t x, y;
  ASSERT_EQ(readCsv("a, label ,b\r\n"
                    " 1.5 , 2, -3\r\n"
                    "\n"
                    "\t4e1,0 ,+.25\n"
                    "   \n",
                    {1, 1, 0}, &x, &y),
            KILN_OK)
      << err;
  ASSERT_EQ(x.rank, 2);
  EXPECT_EQ(x.shape[0], 2);
  EXPECT_EQ(x.shape[1], 2);
  EXPECT_EQ(f32At(x, 0), 1.5f);
  EXPECT_EQ(f32At(x, 1), -3.0f);
  EXPECT_EQ(f32At(x, 2), 40.0f);
  EXPECT_EQ(f32At(x, 3), 0.25f);
  ASSERT_EQ(y.rank, 1);
  EXPECT_EQ(y.dtype, KILN_I64);
  EXPECT_EQ(i64At(y, 0), 2);
  EXPECT_EQ(i64At(y, 1), 0);
  kiln_tensor_free(&x);
  kiln_tensor_free(&y);
}

/// Without a label column every field is a feature and labels stay empty.
TEST_F(DataTest, CsvNoLabels) {
  kiln_tensor_t x, y;
  ASSERT_EQ(readCsv("1,2,3\n4,5,6", {0, -1, 0}, &x, &y), KILN_OK) << err;
  EXPECT_EQ(x.shape[0], 2);
  EXPECT_EQ(x.shape[1], 3);
  EXPECT_EQ(f32At(x, 5), 6.0f);
  EXPECT_EQ(y.dtype, KILN_DTYPE_INVALID);
  EXPECT_EQ(y.data, nullptr);
  kiln_tensor_free(&x);
}

/// NaN and infinity are rejected by default and accepted on request.
TEST_F(DataTest, CsvNonFinite) {
  kiln_tensor_t x, y;
  EXPECT_EQ(readCsv("1,2\n0,nan\n", {0, 0, 0}, &x, &y), KILN_ERR_FORMAT);
  EXPECT_EQ(message(), "data.csv:2:2: non-finite value 'nan'");
  EXPECT_EQ(readCsv("1,-inf\n", {0, 0, 0}, &x, &y), KILN_ERR_FORMAT);
  EXPECT_EQ(message(), "data.csv:1:2: non-finite value '-inf'");
  EXPECT_EQ(readCsv("1,1e39\n", {0, 0, 0}, &x, &y), KILN_ERR_FORMAT);
  EXPECT_EQ(message(), "data.csv:1:2: value '1e39' overflows f32");
  EXPECT_EQ(readCsv("1,1e999\n", {0, 0, 0}, &x, &y), KILN_ERR_FORMAT);
  EXPECT_EQ(message(), "data.csv:1:2: value '1e999' overflows f32");

  ASSERT_EQ(readCsv("1,nan,-inf,1e39\n", {0, 0, 1}, &x, &y), KILN_OK) << err;
  EXPECT_TRUE(std::isnan(f32At(x, 0)));
  EXPECT_EQ(f32At(x, 1), -INFINITY);
  EXPECT_EQ(f32At(x, 2), INFINITY);
  kiln_tensor_free(&x);
  kiln_tensor_free(&y);
}

/// Each malformed file fails with a file:line:column message.
TEST_F(DataTest, CsvMalformed) {
  struct Case {
    const char *text;
    kiln_csv_options_t opts;
    const char *message;
  } cases[] = {
      {"", {0, 0, 0}, "data.csv: no data rows"},
      {"\n  \n\r\n", {0, 0, 0}, "data.csv: no data rows"},
      {"a,b,c\n", {1, 0, 0}, "data.csv: no data rows"},
      {"1,2,3\n4,5,abc\n",
       {0, 0, 0},
       "data.csv:2:3: expected a number, got 'abc'"},
      {"1,2,3\n4,,6\n",
       {0, 0, 0},
       "data.csv:2:2: expected a number, got an empty field"},
      {"1,2,3\n4,5\n", {0, 0, 0}, "data.csv:2:3: expected 3 fields, found 2"},
      {"1,2\n\n4,5,6\n", {0, 0, 0}, "data.csv:3:3: expected 2 fields, found 3"},
      {"1.5,2\n", {0, 0, 0}, "data.csv:1:1: label '1.5' is not an integer"},
      {"nan,2\n", {0, 0, 1}, "data.csv:1:1: label 'nan' is not an integer"},
      {"1,2\n",
       {0, 2, 0},
       "data.csv:1: label column 2 is out of range (the row has 2 fields)"},
      {"0x10,2\n", {0, -1, 0}, "data.csv:1:1: expected a number, got '0x10'"},
      {"\"1\",2\n", {0, -1, 0}, "data.csv:1:1: expected a number, got '\"1\"'"},
      {"1;2\n", {0, -1, 0}, "data.csv:1:1: expected a number, got '1;2'"},
  };
  for (const Case &c : cases) {
    kiln_tensor_t x, y;
    EXPECT_EQ(readCsv(c.text, c.opts, &x, &y), KILN_ERR_FORMAT) << c.text;
    EXPECT_EQ(message(), c.message) << c.text;
  }
  kiln_tensor_t x, y;
  kiln_csv_options_t bad = {0, -2, 0};
  EXPECT_EQ(kiln_csv_read_buffer("1", 1, "b", &bad, &x, &y, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
}

//===----------------------------------------------------------------------===//
// Data sets
//===----------------------------------------------------------------------===//

/// IDX images and labels become f32 features and i64 labels.
TEST_F(DataTest, DatasetFromIdx) {
  std::string pixels;
  for (int i = 0; i < 3 * 2 * 2; ++i)
    pixels += static_cast<char>(i * 20);
  writeBytes(dir.file("img.idx"), idxImage(0x08, {3, 2, 2}, pixels));
  writeBytes(dir.file("lab.idx"), idxImage(0x08, {3}, bytesOf({7, 0, 9})));
  kiln_dataset_t ds;
  ASSERT_EQ(kiln_dataset_from_idx(dir.file("img.idx").c_str(),
                                  dir.file("lab.idx").c_str(),
                                  KILN_IDX_SCALE_U8, &ds, err, sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(kiln_dataset_size(&ds), 3);
  EXPECT_EQ(ds.features.dtype, KILN_F32);
  EXPECT_EQ(ds.features.rank, 3);
  EXPECT_EQ(f32At(ds.features, 5), static_cast<float>(100 / 255.0));
  EXPECT_EQ(ds.labels.dtype, KILN_I64);
  EXPECT_EQ(i64At(ds.labels, 2), 9);
  EXPECT_EQ(kiln_dataset_check_labels(&ds, 10, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(kiln_dataset_check_labels(&ds, 9, err, sizeof(err)),
            KILN_ERR_FORMAT);
  EXPECT_EQ(message(), "lab.idx: label 9 at index 2 is outside [0, 9)");
  kiln_dataset_free(&ds);

  // Counts differ.
  writeBytes(dir.file("lab2.idx"), idxImage(0x08, {2}, bytesOf({7, 0})));
  EXPECT_EQ(kiln_dataset_from_idx(dir.file("img.idx").c_str(),
                                  dir.file("lab2.idx").c_str(), 0, &ds, err,
                                  sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_NE(std::string(err).find("img.idx has 3 examples but "),
            std::string::npos)
      << err;
  EXPECT_NE(std::string(err).find("lab2.idx has 2 labels"), std::string::npos)
      << err;
  EXPECT_EQ(ds.features.data, nullptr);
  // Labels of rank 2.
  writeBytes(dir.file("lab3.idx"), idxImage(0x08, {3, 1}, bytesOf({7, 0, 9})));
  EXPECT_EQ(kiln_dataset_from_idx(dir.file("img.idx").c_str(),
                                  dir.file("lab3.idx").c_str(), 0, &ds, err,
                                  sizeof(err)),
            KILN_ERR_FORMAT);
  EXPECT_NE(std::string(err).find("labels must have rank 1, found shape 3x1"),
            std::string::npos)
      << err;
  // Float labels cannot be class indices.
  writeBytes(dir.file("lab4.idx"), idxImage(0x0D, {3}, std::string(12, '\0')));
  EXPECT_EQ(kiln_dataset_from_idx(dir.file("img.idx").c_str(),
                                  dir.file("lab4.idx").c_str(), 0, &ds, err,
                                  sizeof(err)),
            KILN_ERR_UNSUPPORTED);
}

/// The label range error names the file, the value and the first index.
TEST_F(DataTest, LabelRangeError) {
  kiln_tensor_t labels = makeTensor(KILN_I64, {400});
  static_cast<int64_t *>(labels.data)[345] = 12;
  static_cast<int64_t *>(labels.data)[399] = -1;
  EXPECT_EQ(kiln_labels_check(&labels, 10, "labels.idx", err, sizeof(err)),
            KILN_ERR_FORMAT);
  EXPECT_STREQ(err, "labels.idx: label 12 at index 345 is outside [0, 10)");
  static_cast<int64_t *>(labels.data)[345] = 0;
  EXPECT_EQ(kiln_labels_check(&labels, 10, nullptr, err, sizeof(err)),
            KILN_ERR_FORMAT);
  EXPECT_STREQ(err, "labels: label -1 at index 399 is outside [0, 10)");
  EXPECT_EQ(kiln_labels_check(&labels, 0, nullptr, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  kiln_tensor_free(&labels);

  kiln_tensor_t i32 = makeTensor(KILN_I32, {3});
  static_cast<int32_t *>(i32.data)[1] = 3;
  EXPECT_EQ(kiln_labels_check(&i32, 3, "y", err, sizeof(err)), KILN_ERR_FORMAT);
  EXPECT_STREQ(err, "y: label 3 at index 1 is outside [0, 3)");
  kiln_tensor_free(&i32);
  kiln_tensor_t f = makeTensor(KILN_F32, {3});
  EXPECT_EQ(kiln_labels_check(&f, 3, "y", err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  kiln_tensor_free(&f);
}

/// A CSV data set keeps the path for label errors.
TEST_F(DataTest, DatasetFromCsv) {
  writeBytes(dir.file("d.csv"), "x,y,label\n1,2,0\n3,4,5\n");
  kiln_csv_options_t opts = {1, 2, 0};
  kiln_dataset_t ds;
  ASSERT_EQ(kiln_dataset_from_csv(dir.file("d.csv").c_str(), &opts, &ds, err,
                                  sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(kiln_dataset_size(&ds), 2);
  EXPECT_EQ(kiln_dataset_check_labels(&ds, 3, err, sizeof(err)),
            KILN_ERR_FORMAT);
  EXPECT_EQ(message(), "d.csv: label 5 at index 1 is outside [0, 3)");
  kiln_dataset_free(&ds);
}

/// .npy features of any dtype become f32; integer labels i64, float
/// labels f32 targets; the leading extents must agree.
TEST_F(DataTest, DatasetFromNpy) {
  kiln_tensor_t x = makeTensor(KILN_F64, {4, 2, 2});
  kiln_tensor_t y = makeTensor(KILN_I32, {4});
  for (int i = 0; i < 16; ++i)
    static_cast<double *>(x.data)[i] = 0.5 * i;
  for (int i = 0; i < 4; ++i)
    static_cast<int32_t *>(y.data)[i] = 3 - i;
  ASSERT_EQ(kiln_npy_write(dir.file("x.npy").c_str(), &x, err, sizeof(err)),
            KILN_OK);
  ASSERT_EQ(kiln_npy_write(dir.file("y.npy").c_str(), &y, err, sizeof(err)),
            KILN_OK);
  kiln_dataset_t ds;
  ASSERT_EQ(kiln_dataset_from_npy(dir.file("x.npy").c_str(),
                                  dir.file("y.npy").c_str(), &ds, err,
                                  sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(ds.features.dtype, KILN_F32);
  EXPECT_EQ(ds.features.rank, 3);
  EXPECT_EQ(f32At(ds.features, 15), 7.5f);
  EXPECT_EQ(ds.labels.dtype, KILN_I64);
  EXPECT_EQ(i64At(ds.labels, 0), 3);
  kiln_dataset_free(&ds);

  kiln_tensor_t t = makeTensor(KILN_F64, {4, 3});
  static_cast<double *>(t.data)[11] = 0.25;
  ASSERT_EQ(kiln_npy_write(dir.file("t.npy").c_str(), &t, err, sizeof(err)),
            KILN_OK);
  ASSERT_EQ(kiln_dataset_from_npy(dir.file("x.npy").c_str(),
                                  dir.file("t.npy").c_str(), &ds, err,
                                  sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(ds.labels.dtype, KILN_F32);
  EXPECT_EQ(ds.labels.shape[1], 3);
  EXPECT_EQ(f32At(ds.labels, 11), 0.25f);
  kiln_dataset_free(&ds);

  kiln_tensor_t y5 = makeTensor(KILN_I64, {5});
  ASSERT_EQ(kiln_npy_write(dir.file("y5.npy").c_str(), &y5, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(kiln_dataset_from_npy(dir.file("x.npy").c_str(),
                                  dir.file("y5.npy").c_str(), &ds, err,
                                  sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_NE(std::string(err).find("x.npy has 4 examples but "),
            std::string::npos)
      << err;
  kiln_tensor_t y2 = makeTensor(KILN_I64, {4, 1});
  ASSERT_EQ(kiln_npy_write(dir.file("y2.npy").c_str(), &y2, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(kiln_dataset_from_npy(dir.file("x.npy").c_str(),
                                  dir.file("y2.npy").c_str(), &ds, err,
                                  sizeof(err)),
            KILN_ERR_FORMAT);
  kiln_tensor_t s = makeTensor(KILN_F32, {});
  ASSERT_EQ(kiln_npy_write(dir.file("s.npy").c_str(), &s, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(kiln_dataset_from_npy(dir.file("s.npy").c_str(),
                                  dir.file("y.npy").c_str(), &ds, err,
                                  sizeof(err)),
            KILN_ERR_FORMAT);
  EXPECT_EQ(ds.features.data, nullptr);
  for (kiln_tensor_t *p : {&x, &y, &t, &y5, &y2, &s})
    kiln_tensor_free(p);
}

//===----------------------------------------------------------------------===//
// Shuffling
//===----------------------------------------------------------------------===//

/// The shuffle matches an independent implementation of the documented
/// algorithm. Computed once with this Python (mix as in docs/Runtime.md):
///   def shuffle(n, seed):
///       p = list(range(n))
///       for t in range(n - 1):
///           i = n - 1 - t; j = mix(mix(seed) ^ t) % (i + 1)
///           p[i], p[j] = p[j], p[i]
///       return p
///   shuffle(10, 42); shuffle(1000, 7)[:8]; shuffle(10, mix(mix(5) ^ 1))
TEST_F(DataTest, ShuffleMatchesReference) {
  std::vector<int64_t> p(10);
  kiln_shuffle_indices(p.data(), 10, 42);
  EXPECT_EQ(p, (std::vector<int64_t>{2, 5, 0, 4, 7, 1, 3, 9, 6, 8}));
  std::vector<int64_t> q(1000);
  kiln_shuffle_indices(q.data(), 1000, 7);
  EXPECT_EQ(std::vector<int64_t>(q.begin(), q.begin() + 8),
            (std::vector<int64_t>{744, 403, 260, 653, 806, 111, 179, 354}));
  // Epoch 1 of seed 5.
  kiln_shuffle_indices(p.data(), 10, kiln_shuffle_epoch_seed(5, 1));
  EXPECT_EQ(p, (std::vector<int64_t>{1, 5, 0, 3, 2, 4, 6, 9, 8, 7}));
}

/// Shuffles are permutations, deterministic, and depend on the seed.
TEST_F(DataTest, ShuffleIsDeterministicPermutation) {
  const int64_t n = 1000;
  std::vector<int64_t> a(n), b(n), c(n);
  kiln_shuffle_indices(a.data(), n, 123);
  kiln_shuffle_indices(b.data(), n, 123);
  kiln_shuffle_indices(c.data(), n, 124);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::vector<int> seen(n, 0);
  int64_t fixed = 0;
  for (int64_t i = 0; i < n; ++i) {
    ASSERT_GE(a[i], 0);
    ASSERT_LT(a[i], n);
    ++seen[a[i]];
    fixed += a[i] == i;
  }
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(seen[i], 1) << i;
  // A uniform permutation has one fixed point on average.
  EXPECT_LT(fixed, 10);
  // n = 0 and 1 are fine.
  int64_t one = -1;
  kiln_shuffle_indices(&one, 1, 5);
  EXPECT_EQ(one, 0);
  kiln_shuffle_indices(nullptr, 0, 5);
}

/// Permuting a data set moves features and labels together.
TEST_F(DataTest, PermuteKeepsRowsTogether) {
  kiln_dataset_t ds = makeDataset(10);
  ASSERT_EQ(kiln_dataset_permute(&ds, 42, err, sizeof(err)), KILN_OK) << err;
  const int64_t perm[10] = {2, 5, 0, 4, 7, 1, 3, 9, 6, 8};
  for (int64_t k = 0; k < 10; ++k) {
    EXPECT_EQ(f32At(ds.features, 2 * k), static_cast<float>(perm[k]));
    EXPECT_EQ(f32At(ds.features, 2 * k + 1), static_cast<float>(10 * perm[k]));
    EXPECT_EQ(i64At(ds.labels, k), perm[k] % 3);
  }
  kiln_dataset_free(&ds);
}

//===----------------------------------------------------------------------===//
// Batching and splits
//===----------------------------------------------------------------------===//

/// drop_last yields only full batches, in index order without shuffling.
TEST_F(DataTest, BatchesDropLast) {
  kiln_dataset_t ds = makeDataset(10);
  kiln_batch_iter_t it;
  ASSERT_EQ(kiln_batch_iter_init(&it, &ds, 4, KILN_BATCH_DROP_LAST, 0, 0, err,
                                 sizeof(err)),
            KILN_OK);
  EXPECT_EQ(kiln_batch_iter_num_batches(&it), 2);
  kiln_tensor_t x = makeTensor(KILN_F32, {4, 2});
  kiln_tensor_t y = makeTensor(KILN_I64, {4});
  int64_t valid = -1, next = 0;
  for (int b = 0; b < 2; ++b) {
    ASSERT_EQ(kiln_batch_iter_next(&it, &x, &y, &valid, err, sizeof(err)),
              KILN_OK)
        << err;
    ASSERT_EQ(valid, 4);
    for (int64_t r = 0; r < 4; ++r, ++next) {
      EXPECT_EQ(f32At(x, 2 * r), static_cast<float>(next));
      EXPECT_EQ(i64At(y, r), next % 3);
    }
  }
  ASSERT_EQ(kiln_batch_iter_next(&it, &x, &y, &valid, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(valid, 0);
  kiln_batch_iter_free(&it);
  kiln_tensor_free(&x);
  kiln_tensor_free(&y);
  kiln_dataset_free(&ds);
}

/// Padded mode reports the valid count of the last batch and zero-fills
/// the rest; with shuffling, each epoch visits every example once in the
/// documented order.
TEST_F(DataTest, BatchesPaddedShuffled) {
  kiln_dataset_t ds = makeDataset(10);
  kiln_batch_iter_t it;
  ASSERT_EQ(
      kiln_batch_iter_init(&it, &ds, 4, KILN_BATCH_PAD, 1, 5, err, sizeof(err)),
      KILN_OK);
  EXPECT_EQ(kiln_batch_iter_num_batches(&it), 3);
  kiln_tensor_t x = makeTensor(KILN_F32, {4, 2});
  kiln_tensor_t y = makeTensor(KILN_I64, {4});
  std::vector<int64_t> firstEpoch;
  for (uint64_t epoch = 0; epoch < 3; ++epoch) {
    kiln_batch_iter_start_epoch(&it, epoch);
    std::vector<int64_t> expected(10), got;
    kiln_shuffle_indices(expected.data(), 10,
                         kiln_shuffle_epoch_seed(5, epoch));
    std::vector<int64_t> sizes;
    int64_t valid;
    for (;;) {
      ASSERT_EQ(kiln_batch_iter_next(&it, &x, &y, &valid, err, sizeof(err)),
                KILN_OK)
          << err;
      if (!valid)
        break;
      sizes.push_back(valid);
      for (int64_t r = 0; r < valid; ++r) {
        int64_t idx = static_cast<int64_t>(f32At(x, 2 * r));
        got.push_back(idx);
        EXPECT_EQ(i64At(y, r), idx % 3);
      }
      for (int64_t r = valid; r < 4; ++r) {
        EXPECT_EQ(f32At(x, 2 * r), 0.0f);
        EXPECT_EQ(f32At(x, 2 * r + 1), 0.0f);
        EXPECT_EQ(i64At(y, r), 0);
      }
    }
    EXPECT_EQ(sizes, (std::vector<int64_t>{4, 4, 2}));
    EXPECT_EQ(got, expected) << "epoch " << epoch;
    if (epoch == 0)
      firstEpoch = got;
    else
      EXPECT_NE(got, firstEpoch);
  }
  // Epoch 1 is the order pinned in ShuffleMatchesReference.
  kiln_batch_iter_start_epoch(&it, 1);
  int64_t valid;
  ASSERT_EQ(kiln_batch_iter_next(&it, &x, nullptr, &valid, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(f32At(x, 0), 1.0f);
  EXPECT_EQ(f32At(x, 2), 5.0f);

  // Wrong batch shapes.
  kiln_tensor_t x3 = makeTensor(KILN_F32, {3, 2});
  kiln_tensor_t x43 = makeTensor(KILN_F32, {4, 3});
  kiln_tensor_t yf = makeTensor(KILN_F32, {4});
  EXPECT_EQ(kiln_batch_iter_next(&it, &x3, &y, &valid, err, sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_EQ(kiln_batch_iter_next(&it, &x43, &y, &valid, err, sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "feature batch is 4x3 f32, expected 4x2 (or more rows) "
                    "f32");
  EXPECT_EQ(kiln_batch_iter_next(&it, &x, &yf, &valid, err, sizeof(err)),
            KILN_ERR_MISMATCH);
  for (kiln_tensor_t *p : {&x, &y, &x3, &x43, &yf})
    kiln_tensor_free(p);
  kiln_batch_iter_free(&it);
  EXPECT_EQ(
      kiln_batch_iter_init(&it, &ds, 0, KILN_BATCH_PAD, 0, 0, err, sizeof(err)),
      KILN_ERR_INVALID_ARG);
  kiln_dataset_free(&ds);
}

/// A split by index range copies the right rows; bad ranges are errors.
TEST_F(DataTest, SplitByIndexRange) {
  kiln_dataset_t ds = makeDataset(10), train, held;
  ASSERT_EQ(kiln_dataset_split(&ds, 7, &train, &held, err, sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(kiln_dataset_size(&train), 7);
  EXPECT_EQ(kiln_dataset_size(&held), 3);
  EXPECT_EQ(f32At(train.features, 13), 60.0f);
  EXPECT_EQ(f32At(held.features, 0), 7.0f);
  EXPECT_EQ(i64At(held.labels, 2), 0);
  kiln_dataset_free(&train);
  kiln_dataset_free(&held);

  kiln_dataset_t s;
  ASSERT_EQ(kiln_dataset_slice(&ds, 10, 10, &s, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(kiln_dataset_size(&s), 0);
  kiln_dataset_free(&s);
  EXPECT_EQ(kiln_dataset_slice(&ds, 3, 11, &s, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_STREQ(err, "kiln_dataset_slice: range [3, 11) is not within [0, 10]");
  EXPECT_EQ(kiln_dataset_split(&ds, -1, &train, &held, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);

  int64_t bad = 10;
  kiln_tensor_t x = makeTensor(KILN_F32, {1, 2});
  EXPECT_EQ(kiln_dataset_gather(&ds, &bad, 1, &x, nullptr, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  kiln_tensor_free(&x);
  kiln_dataset_free(&ds);
}

//===----------------------------------------------------------------------===//
// MNIST
//===----------------------------------------------------------------------===//

/// Loads the real MNIST files written by utils/fetch_mnist.py, when present
/// in $KILN_MNIST_DIR (no network access here).
TEST_F(DataTest, RealMnistIfPresent) {
  const char *d = getenv("KILN_MNIST_DIR");
  if (!d)
    GTEST_SKIP() << "set KILN_MNIST_DIR to a utils/fetch_mnist.py output";
  std::string images = std::string(d) + "/train-images-idx3-ubyte";
  std::string labels = std::string(d) + "/train-labels-idx1-ubyte";
  struct stat sb;
  if (stat(images.c_str(), &sb) != 0 || stat(labels.c_str(), &sb) != 0)
    GTEST_SKIP() << "no MNIST files in " << d;
  kiln_dataset_t ds;
  ASSERT_EQ(kiln_dataset_from_idx(images.c_str(), labels.c_str(),
                                  KILN_IDX_SCALE_U8, &ds, err, sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_GT(kiln_dataset_size(&ds), 0);
  EXPECT_EQ(ds.features.rank, 3);
  EXPECT_EQ(ds.features.shape[1], 28);
  EXPECT_EQ(ds.features.shape[2], 28);
  EXPECT_EQ(kiln_dataset_check_labels(&ds, 10, err, sizeof(err)), KILN_OK)
      << err;
  float lo = 1, hi = 0;
  for (int64_t i = 0; i < ds.features.numel; ++i) {
    lo = std::min(lo, f32At(ds.features, i));
    hi = std::max(hi, f32At(ds.features, i));
  }
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 1.0f);
  kiln_dataset_free(&ds);
}

} // namespace
