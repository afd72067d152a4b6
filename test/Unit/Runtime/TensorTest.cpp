//===- TensorTest.cpp - Tests of tensors, dtypes and shapes ---------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include <climits>
#include <cmath>

using namespace kiln_test;

namespace {

TEST(DtypeTest, NamesAndSizes) {
  EXPECT_STREQ(kiln_dtype_name(KILN_F32), "f32");
  EXPECT_STREQ(kiln_dtype_name(KILN_F64), "f64");
  EXPECT_STREQ(kiln_dtype_name(KILN_I32), "i32");
  EXPECT_STREQ(kiln_dtype_name(KILN_I64), "i64");
  EXPECT_STREQ(kiln_dtype_name(KILN_DTYPE_INVALID), "invalid");
  EXPECT_EQ(kiln_dtype_size(KILN_F32), 4u);
  EXPECT_EQ(kiln_dtype_size(KILN_F64), 8u);
  EXPECT_EQ(kiln_dtype_size(KILN_I32), 4u);
  EXPECT_EQ(kiln_dtype_size(KILN_I64), 8u);
  EXPECT_EQ(kiln_dtype_size(KILN_DTYPE_INVALID), 0u);
  for (kiln_dtype_t d : {KILN_F32, KILN_F64, KILN_I32, KILN_I64})
    EXPECT_EQ(kiln_dtype_from_name(kiln_dtype_name(d)), d);
  EXPECT_EQ(kiln_dtype_from_name("f16"), KILN_DTYPE_INVALID);
  EXPECT_EQ(kiln_dtype_from_name(nullptr), KILN_DTYPE_INVALID);
  EXPECT_TRUE(kiln_dtype_is_float(KILN_F64));
  EXPECT_FALSE(kiln_dtype_is_float(KILN_I32));
  EXPECT_STREQ(kiln_status_string(KILN_OK), "ok");
  EXPECT_STREQ(kiln_status_string(KILN_ERR_MISMATCH),
               "dtype or shape mismatch");
}

TEST(ShapeTest, ParseAndFormat) {
  int32_t rank = -1;
  int64_t shape[KILN_MAX_RANK];
  char err[256], buf[256];
  ASSERT_EQ(kiln_shape_parse("784x512", &rank, shape, err, sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(rank, 2);
  EXPECT_EQ(shape[0], 784);
  EXPECT_EQ(shape[1], 512);
  EXPECT_STREQ(kiln_shape_format(buf, sizeof(buf), rank, shape), "784x512");

  ASSERT_EQ(kiln_shape_parse("scalar", &rank, shape, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(rank, 0);
  EXPECT_STREQ(kiln_shape_format(buf, sizeof(buf), 0, shape), "scalar");

  ASSERT_EQ(kiln_shape_parse("0x3", &rank, shape, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(rank, 2);
  EXPECT_EQ(shape[0], 0);

  ASSERT_EQ(kiln_shape_parse("1x2x3x4x5x6x7x8", &rank, shape, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(rank, 8);
  EXPECT_STREQ(kiln_shape_format(buf, sizeof(buf), rank, shape),
               "1x2x3x4x5x6x7x8");
}

TEST(ShapeTest, ParseErrors) {
  int32_t rank;
  int64_t shape[KILN_MAX_RANK];
  char err[256];
  for (const char *bad : {"", "x", "4x", "x4", "4xx5", "-4", "4x-5", "4.5",
                          "4X5", "4 x5", "abc", "1x2x3x4x5x6x7x8x9"}) {
    EXPECT_NE(kiln_shape_parse(bad, &rank, shape, err, sizeof(err)), KILN_OK)
        << "'" << bad << "'";
    EXPECT_NE(std::string(err).find("invalid shape"), std::string::npos) << err;
  }
  // Extent overflowing int64, and element count overflowing int64.
  EXPECT_EQ(
      kiln_shape_parse("99999999999999999999", &rank, shape, err, sizeof(err)),
      KILN_ERR_OVERFLOW);
  EXPECT_EQ(
      kiln_shape_parse("4294967296x4294967296", &rank, shape, err, sizeof(err)),
      KILN_ERR_OVERFLOW);
}

TEST(ShapeTest, NumelOverflow) {
  int64_t numel;
  size_t nbytes;
  int64_t ok[] = {2, 3, 4};
  ASSERT_EQ(kiln_shape_numel(3, ok, KILN_F64, &numel, &nbytes), KILN_OK);
  EXPECT_EQ(numel, 24);
  EXPECT_EQ(nbytes, 192u);
  // numel fits in int64 but bytes do not.
  int64_t big[] = {INT64_C(1) << 61, 2};
  EXPECT_EQ(kiln_shape_numel(2, big, KILN_F32, &numel, &nbytes),
            KILN_ERR_OVERFLOW);
  EXPECT_EQ(kiln_shape_numel(1, big, KILN_F32, &numel, &nbytes),
            KILN_ERR_OVERFLOW); // 2^61 * 4 bytes = 2^63
  int64_t huge[] = {INT64_MAX, 2};
  EXPECT_EQ(kiln_shape_numel(2, huge, KILN_F32, &numel, &nbytes),
            KILN_ERR_OVERFLOW);
  int64_t neg[] = {3, -1};
  EXPECT_EQ(kiln_shape_numel(2, neg, KILN_F32, &numel, &nbytes),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_shape_numel(9, ok, KILN_F32, &numel, &nbytes),
            KILN_ERR_INVALID_ARG);
}

TEST(TensorAllocTest, AlignedZeroedAndFreed) {
  for (int32_t rank = 0; rank <= 4; ++rank) {
    std::vector<int64_t> shape(static_cast<size_t>(rank), 3);
    kiln_tensor_t t = makeTensor(KILN_F64, shape);
    ASSERT_NE(t.data, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data) % KILN_TENSOR_ALIGNMENT, 0u);
    int64_t expect = 1;
    for (int32_t i = 0; i < rank; ++i)
      expect *= 3;
    EXPECT_EQ(t.numel, expect);
    EXPECT_EQ(kiln_tensor_nbytes(&t), static_cast<size_t>(expect) * 8);
    for (int64_t i = 0; i < t.numel; ++i)
      EXPECT_EQ(static_cast<double *>(t.data)[i], 0.0);
    kiln_tensor_free(&t);
    EXPECT_EQ(t.data, nullptr);
    EXPECT_EQ(t.numel, 0);
  }
  // Zero-size tensors still get a valid buffer.
  kiln_tensor_t e = makeTensor(KILN_I32, {4, 0});
  EXPECT_NE(e.data, nullptr);
  EXPECT_EQ(e.numel, 0);
  kiln_tensor_free(&e);
  kiln_tensor_free(nullptr);
}

TEST(TensorAllocTest, Errors) {
  kiln_tensor_t t;
  char err[256];
  int64_t shape[] = {INT64_MAX, INT64_MAX};
  EXPECT_EQ(kiln_tensor_alloc(&t, KILN_F32, 2, shape, err, sizeof(err)),
            KILN_ERR_OVERFLOW);
  EXPECT_EQ(t.data, nullptr);
  EXPECT_NE(std::string(err).find("overflow"), std::string::npos) << err;
  int64_t neg[] = {-1};
  EXPECT_EQ(kiln_tensor_alloc(&t, KILN_F32, 1, neg, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(
      kiln_tensor_alloc(&t, KILN_DTYPE_INVALID, 1, shape, err, sizeof(err)),
      KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_tensor_alloc(&t, KILN_F32, 9, shape, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  // A null or tiny error buffer is fine.
  EXPECT_EQ(kiln_tensor_alloc(&t, KILN_F32, 9, shape, nullptr, 0),
            KILN_ERR_INVALID_ARG);
  char tiny[4];
  EXPECT_EQ(kiln_tensor_alloc(&t, KILN_F32, 9, shape, tiny, sizeof(tiny)),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(strlen(tiny), 3u);
}

std::string printToString(const kiln_tensor_t &t, int64_t threshold) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  kiln_tensor_print(f, &t, threshold);
  fclose(f);
  std::string s(buf, len);
  free(buf);
  return s;
}

TEST(TensorPrintTest, Format) {
  kiln_tensor_t t = makeTensor(KILN_I32, {2, 3});
  for (int i = 0; i < 6; ++i)
    static_cast<int32_t *>(t.data)[i] = i - 2;
  EXPECT_EQ(printToString(t, 0), "[[-2, -1, 0],\n [1, 2, 3]]\n");
  kiln_tensor_free(&t);

  t = makeTensor(KILN_F32, {2, 1, 2});
  float vals[] = {1.0f, 0.5f, -0.0f, 1e10f};
  memcpy(t.data, vals, sizeof(vals));
  EXPECT_EQ(printToString(t, 0), "[[[1., 0.5]],\n\n [[-0., 1e+10]]]\n");
  kiln_tensor_free(&t);

  t = makeTensor(KILN_F64, {});
  *static_cast<double *>(t.data) = NAN;
  EXPECT_EQ(printToString(t, 0), "nan\n");
  kiln_tensor_free(&t);

  t = makeTensor(KILN_I64, {10});
  for (int i = 0; i < 10; ++i)
    static_cast<int64_t *>(t.data)[i] = i;
  EXPECT_EQ(printToString(t, 5), "[0, 1, 2, ..., 7, 8, 9]\n");
  EXPECT_EQ(printToString(t, 0), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n");
  kiln_tensor_free(&t);

  t = makeTensor(KILN_F32, {3, 0});
  EXPECT_EQ(printToString(t, 0), "[]\n");
  kiln_tensor_free(&t);
}

} // namespace

namespace {

kiln_tensor_t vec(kiln_dtype_t dtype, std::vector<double> values) {
  kiln_tensor_t t = makeTensor(dtype, {static_cast<int64_t>(values.size())});
  for (size_t i = 0; i < values.size(); ++i) {
    if (dtype == KILN_F32)
      static_cast<float *>(t.data)[i] = static_cast<float>(values[i]);
    else if (dtype == KILN_F64)
      static_cast<double *>(t.data)[i] = values[i];
    else
      static_cast<int32_t *>(t.data)[i] = static_cast<int32_t>(values[i]);
  }
  return t;
}

TEST(TensorCompareTest, Tolerances) {
  kiln_tensor_t a = vec(KILN_F64, {1.0, 2.0, 100.0, 0.0});
  kiln_tensor_t b = vec(KILN_F64, {1.0, 2.001, 100.05, 0.0});
  kiln_compare_result_t r;
  char err[256];
  ASSERT_EQ(kiln_tensor_compare(&a, &b, 1e-3, 0, &r, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(r.count, 4);
  EXPECT_EQ(r.mismatches, 0);
  EXPECT_EQ(r.first_mismatch, -1);
  EXPECT_NEAR(r.max_abs_err, 0.05, 1e-12);
  EXPECT_NEAR(r.max_rel_err, 0.001 / 2.001, 1e-12);
  ASSERT_EQ(kiln_tensor_compare(&a, &b, 1e-5, 1e-6, &r, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(r.mismatches, 2);
  EXPECT_EQ(r.first_mismatch, 1);
  // atol alone.
  ASSERT_EQ(kiln_tensor_compare(&a, &b, 0, 0.06, &r, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(r.mismatches, 0);
  kiln_tensor_free(&a);
  kiln_tensor_free(&b);
}

TEST(TensorCompareTest, NanInfAndZero) {
  kiln_tensor_t a = vec(KILN_F64, {NAN, NAN, 1.0, INFINITY, INFINITY, 1.0});
  kiln_tensor_t b = vec(KILN_F64, {NAN, 1.0, NAN, INFINITY, -INFINITY, 0.0});
  kiln_compare_result_t r;
  char err[256];
  ASSERT_EQ(kiln_tensor_compare(&a, &b, 1e-5, 1e-6, &r, err, sizeof(err)),
            KILN_OK);
  // Matches: NaN/NaN, inf/inf. Mismatches: NaN/1, 1/NaN, inf/-inf, 1/0.
  EXPECT_EQ(r.mismatches, 4);
  EXPECT_EQ(r.first_mismatch, 1);
  EXPECT_EQ(r.max_abs_err, INFINITY);
  EXPECT_EQ(r.max_rel_err, INFINITY);

  // A finite value never matches an infinite reference, however loose the
  // tolerance.
  kiln_tensor_t c = vec(KILN_F64, {1e308}), d = vec(KILN_F64, {INFINITY});
  ASSERT_EQ(kiln_tensor_compare(&c, &d, 1e9, 1e9, &r, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(r.mismatches, 1);
  kiln_tensor_free(&a);
  kiln_tensor_free(&b);
  kiln_tensor_free(&c);
  kiln_tensor_free(&d);
}

TEST(TensorCompareTest, MixedDtypesAndShapes) {
  kiln_tensor_t a = vec(KILN_F32, {0.1, 3.0});
  kiln_tensor_t b = vec(KILN_F64, {0.1, 3.0});
  kiln_tensor_t n = vec(KILN_I32, {0, 3});
  kiln_compare_result_t r;
  char err[256];
  ASSERT_EQ(kiln_tensor_compare(&a, &b, 1e-6, 0, &r, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(r.mismatches, 0); // f32 rounding of 0.1 is within 1e-6.
  ASSERT_EQ(kiln_tensor_compare(&a, &b, 0, 0, &r, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(r.mismatches, 1);
  ASSERT_EQ(kiln_tensor_compare(&n, &b, 0, 0.2, &r, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(r.mismatches, 0);

  kiln_tensor_t m = makeTensor(KILN_F32, {1, 2});
  EXPECT_EQ(kiln_tensor_compare(&a, &m, 0, 0, &r, err, sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "shape mismatch: 2 f32 vs 1x2 f32");
  kiln_tensor_free(&a);
  kiln_tensor_free(&b);
  kiln_tensor_free(&n);
  kiln_tensor_free(&m);
}

} // namespace
