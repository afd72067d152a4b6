//===- Init.c - Kiln deterministic RNG and parameter initializers ---------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Counter-based RNG (SplitMix64 finalizer) and the parameter initializers.
/// The formulas are specified in docs/Runtime.md; keep the two in sync, as
/// other implementations (e.g. Python reference models) reproduce them
/// bit-for-bit.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

#include <math.h>
#include <string.h>

/// 2*pi rounded to double (= 2 * M_PI exactly).
static const double KilnTwoPi = 6.283185307179586;

static const char *const InitNames[] = {
    "zeros",          "ones",          "uniform",    "normal",
    "xavier_uniform", "xavier_normal", "he_uniform", "he_normal"};

const char *kiln_init_kind_name(kiln_init_kind_t kind) {
  if ((int)kind < 0 || (size_t)kind >= sizeof(InitNames) / sizeof(InitNames[0]))
    return "invalid";
  return InitNames[kind];
}

kiln_init_kind_t kiln_init_kind_from_name(const char *name) {
  if (!name)
    return KILN_INIT_INVALID;
  for (size_t i = 0; i < sizeof(InitNames) / sizeof(InitNames[0]); ++i)
    if (strcmp(name, InitNames[i]) == 0)
      return (kiln_init_kind_t)i;
  return KILN_INIT_INVALID;
}

uint64_t kiln_rng_mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t kiln_rng_draw(uint64_t seed, uint64_t i) {
  return kiln_rng_mix(kiln_rng_mix(seed) ^ i);
}

double kiln_rng_uniform01(uint64_t seed, uint64_t i) {
  // 2^-53 is exact in double, and so is the product.
  return (double)(kiln_rng_draw(seed, i) >> 11) * 0x1.0p-53;
}

double kiln_rng_normal(uint64_t seed, uint64_t i) {
  double u1 = kiln_rng_uniform01(seed, 2 * i);
  double u2 = kiln_rng_uniform01(seed, 2 * i + 1);
  return sqrt(-2.0 * log(1.0 - u1)) * cos(KilnTwoPi * u2);
}

/// Converts a double to an integer by floor, saturating at the type's range
/// (NaN becomes 0).
static int64_t floorSaturate(double v, int64_t lo, int64_t hi) {
  if (isnan(v))
    return 0;
  v = floor(v);
  if (v <= (double)lo)
    return lo;
  if (v >= (double)hi)
    return hi;
  return (int64_t)v;
}

/// Stores the double \p v as element \p i of \p t using the dtype's
/// conversion rule.
static void storeValue(kiln_tensor_t *t, int64_t i, double v) {
  switch (t->dtype) {
  case KILN_F32:
    ((float *)t->data)[i] = (float)v;
    return;
  case KILN_F64:
    ((double *)t->data)[i] = v;
    return;
  case KILN_I32:
    ((int32_t *)t->data)[i] = (int32_t)floorSaturate(v, INT32_MIN, INT32_MAX);
    return;
  case KILN_I64:
    ((int64_t *)t->data)[i] = floorSaturate(v, INT64_MIN, INT64_MAX);
    return;
  case KILN_DTYPE_INVALID:
    return;
  }
}

static int validTensor(const kiln_tensor_t *t) {
  return t && (t->data || t->numel == 0) && kiln_dtype_size(t->dtype) != 0 &&
         t->numel >= 0;
}

static void fillUniform(kiln_tensor_t *t, uint64_t seed, double lo, double hi) {
  for (int64_t i = 0; i < t->numel; ++i)
    storeValue(t, i, lo + (hi - lo) * kiln_rng_uniform01(seed, (uint64_t)i));
}

static void fillNormal(kiln_tensor_t *t, uint64_t seed, double mean,
                       double std) {
  for (int64_t i = 0; i < t->numel; ++i)
    storeValue(t, i, mean + std * kiln_rng_normal(seed, (uint64_t)i));
}

static void fillConstant(kiln_tensor_t *t, double v) {
  for (int64_t i = 0; i < t->numel; ++i)
    storeValue(t, i, v);
}

kiln_status_t kiln_init_param(kiln_tensor_t *t, kiln_init_kind_t kind,
                              uint64_t seed, double a, double b, int64_t fan_in,
                              int64_t fan_out) {
  if (!validTensor(t))
    return KILN_ERR_INVALID_ARG;
  switch (kind) {
  case KILN_INIT_ZEROS:
    fillConstant(t, 0.0);
    return KILN_OK;
  case KILN_INIT_ONES:
    fillConstant(t, 1.0);
    return KILN_OK;
  case KILN_INIT_UNIFORM:
    fillUniform(t, seed, a, b);
    return KILN_OK;
  case KILN_INIT_NORMAL:
    fillNormal(t, seed, a, b);
    return KILN_OK;
  case KILN_INIT_XAVIER_UNIFORM:
  case KILN_INIT_XAVIER_NORMAL: {
    int64_t fans;
    if (__builtin_add_overflow(fan_in, fan_out, &fans) || fan_in < 0 ||
        fan_out < 0 || fans <= 0)
      return KILN_ERR_INVALID_ARG;
    if (kind == KILN_INIT_XAVIER_UNIFORM) {
      double l = sqrt(6.0 / (double)fans);
      fillUniform(t, seed, -l, l);
    } else {
      fillNormal(t, seed, 0.0, sqrt(2.0 / (double)fans));
    }
    return KILN_OK;
  }
  case KILN_INIT_HE_UNIFORM:
  case KILN_INIT_HE_NORMAL:
    if (fan_in <= 0)
      return KILN_ERR_INVALID_ARG;
    if (kind == KILN_INIT_HE_UNIFORM) {
      double l = sqrt(6.0 / (double)fan_in);
      fillUniform(t, seed, -l, l);
    } else {
      fillNormal(t, seed, 0.0, sqrt(2.0 / (double)fan_in));
    }
    return KILN_OK;
  case KILN_INIT_INVALID:
    break;
  }
  return KILN_ERR_INVALID_ARG;
}

kiln_status_t kiln_random_fill(kiln_tensor_t *t, uint64_t seed, double lo,
                               double hi) {
  if (!validTensor(t) || isnan(lo) || isnan(hi))
    return KILN_ERR_INVALID_ARG;
  if (kiln_dtype_is_float(t->dtype)) {
    fillUniform(t, seed, lo, hi);
    return KILN_OK;
  }
  for (int64_t i = 0; i < t->numel; ++i) {
    double v = floor(lo + (hi - lo) * kiln_rng_uniform01(seed, (uint64_t)i));
    if (v > hi - 1)
      v = hi - 1;
    if (v < lo)
      v = lo;
    storeValue(t, i, v);
  }
  return KILN_OK;
}
