//===- InitTest.cpp - Tests of the RNG and parameter initializers ---------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Expected values come from two independent sources: constants computed
// with Python's arbitrary-precision integers and math module (the script is
// reproduced in docs/Runtime.md), and a straightforward re-implementation
// of the documented formulas below.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include <cmath>

using namespace kiln_test;

namespace {

// Reference implementation, written directly from docs/Runtime.md.
uint64_t refMix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
double refU01(uint64_t seed, uint64_t i) {
  return std::ldexp(static_cast<double>(refMix(refMix(seed) ^ i) >> 11), -53);
}
double refNormal(uint64_t seed, uint64_t i) {
  double u1 = refU01(seed, 2 * i), u2 = refU01(seed, 2 * i + 1);
  return std::sqrt(-2.0 * std::log(1.0 - u1)) *
         std::cos(2.0 * 3.14159265358979323846 * u2);
}

struct RngCase {
  uint64_t seed, i, mixSeed, draw;
  double u01;
};

// Computed with Python integers (see docs/Runtime.md).
const RngCase RngCases[] = {
    {0ull, 0ull, 0xE220A8397B1DCDAFull, 0xA706DD2F4D197E6Full,
     0x1.4e0dba5e9a32fp-1},
    {1ull, 0ull, 0x910A2DEC89025CC1ull, 0x5E41AB087439611Eull,
     0x1.7906ac21d0e58p-2},
    {1ull, 5ull, 0x910A2DEC89025CC1ull, 0xB1441D254BD86CD7ull,
     0x1.62883a4a97b0dp-1},
    {42ull, 1000ull, 0xBDD732262FEB6E95ull, 0xAA2AE9B7C25B76DFull,
     0x1.5455d36f84b6ep-1},
    {18446744073709551615ull, 7ull, 0xE4D971771B652C20ull,
     0x19F20A9BB46150B6ull, 0x1.9f20a9bb46150p-4},
};

TEST(RngTest, KnownValues) {
  // mix(0) is the first output of the canonical SplitMix64 with state 0.
  EXPECT_EQ(kiln_rng_mix(0), 0xE220A8397B1DCDAFull);
  for (const RngCase &c : RngCases) {
    SCOPED_TRACE(c.seed);
    EXPECT_EQ(kiln_rng_mix(c.seed), c.mixSeed);
    EXPECT_EQ(kiln_rng_draw(c.seed, c.i), c.draw);
    EXPECT_EQ(kiln_rng_uniform01(c.seed, c.i), c.u01);
  }
}

TEST(RngTest, MatchesReferenceImplementation) {
  for (uint64_t seed : {0ull, 1ull, 2ull, 12345ull, 0xFFFFFFFFFFFFFFFFull}) {
    for (uint64_t i = 0; i < 2000; ++i) {
      double u = kiln_rng_uniform01(seed, i);
      ASSERT_EQ(u, refU01(seed, i));
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      ASSERT_EQ(kiln_rng_normal(seed, i), refNormal(seed, i));
    }
  }
}

std::vector<float> floatsOf(const kiln_tensor_t &t) {
  const float *p = static_cast<const float *>(t.data);
  return std::vector<float>(p, p + t.numel);
}

TEST(InitParamTest, ExactValuesFromPython) {
  kiln_tensor_t t = makeTensor(KILN_F32, {4});
  // uniform(-2, 3), seed 9.
  ASSERT_EQ(kiln_init_param(&t, KILN_INIT_UNIFORM, 9, -2, 3, 0, 0), KILN_OK);
  EXPECT_EQ(floatsOf(t), (std::vector<float>{0x1.3de2ecp+1f, -0x1.2fec52p-4f,
                                             0x1.4f875cp-3f, 0x1.140206p-1f}));
  // normal(0.5, 2), seed 11.
  ASSERT_EQ(kiln_init_param(&t, KILN_INIT_NORMAL, 11, 0.5, 2, 0, 0), KILN_OK);
  EXPECT_EQ(floatsOf(t), (std::vector<float>{0x1.7f1b42p+1f, 0x1.74e334p-1f,
                                             -0x1.de2016p+0f, 0x1.b58ff6p-1f}));
  // xavier_uniform, fan_in 784, fan_out 512, seed 1 (a and b are ignored).
  ASSERT_EQ(kiln_init_param(&t, KILN_INIT_XAVIER_UNIFORM, 1, 99, 99, 784, 512),
            KILN_OK);
  EXPECT_EQ(floatsOf(t), (std::vector<float>{-0x1.25e1ccp-6f, 0x1.cd8c5p-5f,
                                             0x1.08fc18p-5f, 0x1.dc8f2cp-9f}));
  // he_normal, fan_in 784, seed 3.
  ASSERT_EQ(kiln_init_param(&t, KILN_INIT_HE_NORMAL, 3, 0, 0, 784, 1), KILN_OK);
  EXPECT_EQ(floatsOf(t), (std::vector<float>{0x1.2b931cp-4f, -0x1.29a832p-9f,
                                             0x1.8059f4p-6f, 0x1.ea7082p-5f}));
  kiln_tensor_free(&t);
}

TEST(InitParamTest, AllKindsMatchFormulas) {
  const int64_t fanIn = 30, fanOut = 20;
  kiln_tensor_t t = makeTensor(KILN_F32, {5, 7});
  struct {
    kiln_init_kind_t kind;
    bool normal;
    double a, b;
  } cases[] = {
      {KILN_INIT_UNIFORM, false, -0.25, 4.0},
      {KILN_INIT_NORMAL, true, 1.5, 0.5},
      {KILN_INIT_XAVIER_UNIFORM, false, -std::sqrt(6.0 / 50),
       std::sqrt(6.0 / 50)},
      {KILN_INIT_XAVIER_NORMAL, true, 0.0, std::sqrt(2.0 / 50)},
      {KILN_INIT_HE_UNIFORM, false, -std::sqrt(6.0 / 30), std::sqrt(6.0 / 30)},
      {KILN_INIT_HE_NORMAL, true, 0.0, std::sqrt(2.0 / 30)},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(kiln_init_kind_name(c.kind));
    const uint64_t seed = 1000 + static_cast<uint64_t>(c.kind);
    double a = c.kind <= KILN_INIT_NORMAL ? c.a : 0;
    double b = c.kind <= KILN_INIT_NORMAL ? c.b : 0;
    ASSERT_EQ(kiln_init_param(&t, c.kind, seed, a, b, fanIn, fanOut), KILN_OK);
    for (int64_t i = 0; i < t.numel; ++i) {
      uint64_t ui = static_cast<uint64_t>(i);
      double expect = c.normal ? c.a + c.b * refNormal(seed, ui)
                               : c.a + (c.b - c.a) * refU01(seed, ui);
      ASSERT_EQ(static_cast<float *>(t.data)[i], static_cast<float>(expect))
          << i;
    }
  }
  kiln_tensor_free(&t);
}

TEST(InitParamTest, ConstantsAndDtypes) {
  for (kiln_dtype_t dtype : {KILN_F32, KILN_F64, KILN_I32, KILN_I64}) {
    kiln_tensor_t t = makeTensor(dtype, {3, 3});
    ASSERT_EQ(kiln_init_param(&t, KILN_INIT_ONES, 0, 0, 0, 0, 0), KILN_OK);
    for (int64_t i = 0; i < t.numel; ++i)
      EXPECT_EQ(kiln_tensor_get_f64(&t, i), 1.0);
    ASSERT_EQ(kiln_init_param(&t, KILN_INIT_ZEROS, 0, 0, 0, 0, 0), KILN_OK);
    for (int64_t i = 0; i < t.numel; ++i)
      EXPECT_EQ(kiln_tensor_get_f64(&t, i), 0.0);
    kiln_tensor_free(&t);
  }
  // f64 keeps the unrounded double; integers floor it.
  kiln_tensor_t d = makeTensor(KILN_F64, {8});
  kiln_tensor_t n = makeTensor(KILN_I32, {8});
  ASSERT_EQ(kiln_init_param(&d, KILN_INIT_UNIFORM, 5, -10, 10, 0, 0), KILN_OK);
  ASSERT_EQ(kiln_init_param(&n, KILN_INIT_UNIFORM, 5, -10, 10, 0, 0), KILN_OK);
  for (int64_t i = 0; i < 8; ++i) {
    double expect = -10 + 20 * refU01(5, static_cast<uint64_t>(i));
    EXPECT_EQ(static_cast<double *>(d.data)[i], expect);
    EXPECT_EQ(static_cast<int32_t *>(n.data)[i],
              static_cast<int32_t>(std::floor(expect)));
  }
  // Saturation to the integer range.
  ASSERT_EQ(kiln_init_param(&n, KILN_INIT_NORMAL, 5, 1e300, 1, 0, 0), KILN_OK);
  EXPECT_EQ(static_cast<int32_t *>(n.data)[0], INT32_MAX);
  kiln_tensor_free(&d);
  kiln_tensor_free(&n);
}

TEST(InitParamTest, Errors) {
  kiln_tensor_t t = makeTensor(KILN_F32, {4});
  EXPECT_EQ(kiln_init_param(&t, KILN_INIT_XAVIER_UNIFORM, 0, 0, 0, 0, 0),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_init_param(&t, KILN_INIT_XAVIER_NORMAL, 0, 0, 0, -5, 3),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_init_param(&t, KILN_INIT_HE_UNIFORM, 0, 0, 0, 0, 10),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_init_param(&t, KILN_INIT_HE_NORMAL, 0, 0, 0, -1, 10),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_init_param(&t, KILN_INIT_INVALID, 0, 0, 0, 1, 1),
            KILN_ERR_INVALID_ARG);
  EXPECT_EQ(
      kiln_init_param(&t, static_cast<kiln_init_kind_t>(99), 0, 0, 0, 1, 1),
      KILN_ERR_INVALID_ARG);
  EXPECT_EQ(kiln_init_param(nullptr, KILN_INIT_ZEROS, 0, 0, 0, 1, 1),
            KILN_ERR_INVALID_ARG);
  kiln_tensor_t empty = {};
  EXPECT_EQ(kiln_init_param(&empty, KILN_INIT_ZEROS, 0, 0, 0, 1, 1),
            KILN_ERR_INVALID_ARG);
  kiln_tensor_free(&t);
}

TEST(InitParamTest, KindNames) {
  const char *names[] = {"zeros",      "ones",           "uniform",
                         "normal",     "xavier_uniform", "xavier_normal",
                         "he_uniform", "he_normal"};
  for (int i = 0; i < 8; ++i) {
    EXPECT_STREQ(kiln_init_kind_name(static_cast<kiln_init_kind_t>(i)),
                 names[i]);
    EXPECT_EQ(kiln_init_kind_from_name(names[i]),
              static_cast<kiln_init_kind_t>(i));
  }
  EXPECT_EQ(kiln_init_kind_from_name("glorot"), KILN_INIT_INVALID);
  EXPECT_STREQ(kiln_init_kind_name(KILN_INIT_INVALID), "invalid");
}

void moments(const kiln_tensor_t &t, double &mean, double &sd, double &lo,
             double &hi) {
  double s = 0, s2 = 0;
  lo = INFINITY;
  hi = -INFINITY;
  for (int64_t i = 0; i < t.numel; ++i) {
    double v = kiln_tensor_get_f64(&t, i);
    s += v;
    s2 += v * v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  mean = s / static_cast<double>(t.numel);
  sd = std::sqrt(s2 / static_cast<double>(t.numel) - mean * mean);
}

TEST(InitParamTest, Statistics) {
  kiln_tensor_t t = makeTensor(KILN_F32, {256, 256});
  const double n = 65536;
  double mean, sd, lo, hi;

  ASSERT_EQ(kiln_init_param(&t, KILN_INIT_XAVIER_NORMAL, 1, 0, 0, 256, 256),
            KILN_OK);
  moments(t, mean, sd, lo, hi);
  double want = std::sqrt(2.0 / 512);
  EXPECT_LT(std::fabs(mean), 5 * want / std::sqrt(n));
  EXPECT_NEAR(sd, want, 0.02 * want);
  // Roughly 68% within one standard deviation.
  int64_t within = 0;
  for (int64_t i = 0; i < t.numel; ++i)
    within += std::fabs(static_cast<float *>(t.data)[i]) < want;
  EXPECT_NEAR(static_cast<double>(within) / n, 0.6827, 0.01);

  ASSERT_EQ(kiln_init_param(&t, KILN_INIT_HE_UNIFORM, 2, 0, 0, 100, 0),
            KILN_OK);
  moments(t, mean, sd, lo, hi);
  double l = std::sqrt(6.0 / 100);
  EXPECT_GE(lo, -l);
  EXPECT_LE(hi, l);
  EXPECT_LT(lo, -0.99 * l);
  EXPECT_GT(hi, 0.99 * l);
  EXPECT_NEAR(sd, l / std::sqrt(3.0), 0.02 * l);

  ASSERT_EQ(kiln_init_param(&t, KILN_INIT_NORMAL, 3, 5, 2, 0, 0), KILN_OK);
  moments(t, mean, sd, lo, hi);
  EXPECT_NEAR(mean, 5, 5 * 2 / std::sqrt(n));
  EXPECT_NEAR(sd, 2, 0.04);
  kiln_tensor_free(&t);
}

TEST(RandomFillTest, FloatsAndIntegers) {
  kiln_tensor_t f = makeTensor(KILN_F32, {1000});
  ASSERT_EQ(kiln_random_fill(&f, 7, 2, 3), KILN_OK);
  for (int64_t i = 0; i < f.numel; ++i) {
    float v = static_cast<float *>(f.data)[i];
    ASSERT_EQ(v, static_cast<float>(2 + refU01(7, static_cast<uint64_t>(i))));
    ASSERT_GE(v, 2.0f);
    ASSERT_LE(v, 3.0f);
  }
  kiln_tensor_free(&f);

  // Python: [max(min(floor(0 + 10*u01(5, i)), 9), 0) for i in range(6)]
  kiln_tensor_t n = makeTensor(KILN_I64, {6});
  ASSERT_EQ(kiln_random_fill(&n, 5, 0, 10), KILN_OK);
  const int64_t expect[] = {9, 8, 1, 4, 8, 8};
  EXPECT_EQ(memcmp(n.data, expect, sizeof(expect)), 0);
  kiln_tensor_free(&n);

  kiln_tensor_t m = makeTensor(KILN_I32, {5000});
  ASSERT_EQ(kiln_random_fill(&m, 9, -3, 4), KILN_OK);
  int counts[7] = {0};
  for (int64_t i = 0; i < m.numel; ++i) {
    int32_t v = static_cast<int32_t *>(m.data)[i];
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    ++counts[v + 3];
  }
  for (int c : counts)
    EXPECT_GT(c, 5000 / 7 * 8 / 10);
  // Empty range clamps to lo.
  ASSERT_EQ(kiln_random_fill(&m, 9, 5, 5), KILN_OK);
  EXPECT_EQ(static_cast<int32_t *>(m.data)[0], 5);
  EXPECT_EQ(kiln_random_fill(&m, 9, NAN, 5), KILN_ERR_INVALID_ARG);
  kiln_tensor_free(&m);
}

} // namespace
