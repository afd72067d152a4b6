//===- Init.h - Kiln deterministic RNG and parameter init -------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The counter-based random number generator and the parameter
/// initializers. Every value is a pure function of (seed, element index), so
/// results do not depend on iteration order or threading and can be
/// reproduced bit-for-bit by other implementations; docs/Runtime.md gives
/// the exact formulas.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_INIT_H
#define KILN_RUNTIME_INIT_H

#include "kiln/Runtime/Tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Parameter initializer kinds, as named in the module signature.
typedef enum kiln_init_kind {
  KILN_INIT_ZEROS = 0,
  KILN_INIT_ONES = 1,
  KILN_INIT_UNIFORM = 2,        ///< uniform(a, b)
  KILN_INIT_NORMAL = 3,         ///< normal(mean=a, std=b)
  KILN_INIT_XAVIER_UNIFORM = 4, ///< uniform(-L, L), L = sqrt(6/(in+out))
  KILN_INIT_XAVIER_NORMAL = 5,  ///< normal(0, sqrt(2/(in+out)))
  KILN_INIT_HE_UNIFORM = 6,     ///< uniform(-L, L), L = sqrt(6/in)
  KILN_INIT_HE_NORMAL = 7,      ///< normal(0, sqrt(2/in))
  KILN_INIT_INVALID = -1
} kiln_init_kind_t;

/// Returns the signature name of \p kind ("xavier_uniform", ...), or
/// "invalid".
const char *kiln_init_kind_name(kiln_init_kind_t kind);

/// Parses an initializer name; returns KILN_INIT_INVALID if unknown.
kiln_init_kind_t kiln_init_kind_from_name(const char *name);

/// SplitMix64 finalizer: z += 0x9E3779B97F4A7C15;
/// z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
/// z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31).
uint64_t kiln_rng_mix(uint64_t z);

/// draw(seed, i) = mix(mix(seed) ^ i).
uint64_t kiln_rng_draw(uint64_t seed, uint64_t i);

/// uniform01(seed, i) = (draw(seed, i) >> 11) * 2^-53, a double in [0, 1).
double kiln_rng_uniform01(uint64_t seed, uint64_t i);

/// Standard normal sample for element \p i (Box-Muller on
/// uniform01(seed, 2i) and uniform01(seed, 2i+1)), in double.
double kiln_rng_normal(uint64_t seed, uint64_t i);

/// Fills \p t with initializer \p kind. For uniform, \p a and \p b are the
/// low and high bounds; for normal, the mean and standard deviation; the
/// xavier and he kinds ignore them and use \p fan_in / \p fan_out. Element
/// i of an f32 tensor is the double formula value rounded to float; f64
/// stores the double; i32/i64 store floor(value) saturated to the type.
/// Returns KILN_ERR_INVALID_ARG for an unknown kind, an empty tensor
/// struct, or fans that make the scale undefined (fan_in + fan_out <= 0 for
/// xavier, fan_in <= 0 for he).
kiln_status_t kiln_init_param(kiln_tensor_t *t, kiln_init_kind_t kind,
                              uint64_t seed, double a, double b, int64_t fan_in,
                              int64_t fan_out);

/// Fills \p t with test data: floats get (T)(lo + (hi-lo)*uniform01(seed, i));
/// integers get floor(lo + (hi-lo)*u) clamped to [lo, hi-1] (then to the
/// range of the type).
kiln_status_t kiln_random_fill(kiln_tensor_t *t, uint64_t seed, double lo,
                               double hi);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_INIT_H
