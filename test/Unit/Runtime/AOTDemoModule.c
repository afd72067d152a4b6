//===- AOTDemoModule.c - Hand-written stand-in for a compiled module ------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Exports kiln_module_signature and kiln_entry_table exactly as kilnc's
/// generated code does, with entry functions written by hand in C. Linked
/// with kiln_runtime_main and kiln_runtime into `kiln-aot-demo`, which the
/// unit and lit tests use to exercise the AOT main's command line without
/// needing the compiler. The entry functions verify the descriptors they
/// receive and abort() on any deviation from the ABI.
///
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/ABI.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

const char kiln_module_signature[] =
    "kiln-abi 1\n"
    "entry forward\n"
    "param w f32 4x3 init=uniform seed=7 a=-1 b=1 fan_in=4 fan_out=3 "
    "future_key=42\n"
    "param bias f32 3 init=ones seed=8 a=0 b=0 fan_in=3 fan_out=3\n"
    "input x f32 2x4\n"
    "output 0 f32 2x3\n"
    "entry stats\n"
    "input a i64 4\n"
    "input b i64 4\n"
    "output 0 i64 4\n"
    "output 1 f64 scalar\n";

typedef struct Desc2 {
  void *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} Desc2;
typedef struct Desc1 {
  void *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} Desc1;
typedef struct Desc0 {
  void *allocated, *aligned;
  int64_t offset;
} Desc0;

static void check(int cond, const char *what) {
  if (!cond) {
    fprintf(stderr, "kiln-aot-demo: ABI violation: %s\n", what);
    abort();
  }
}

static void checkDesc2(const Desc2 *d, int64_t n0, int64_t n1) {
  check(d->allocated == d->aligned && d->offset == 0, "rank-2 base");
  check(((uintptr_t)d->aligned % 64) == 0, "rank-2 alignment");
  check(d->sizes[0] == n0 && d->sizes[1] == n1, "rank-2 sizes");
  check(d->strides[0] == n1 && d->strides[1] == 1, "rank-2 strides");
}

static void checkDesc1(const Desc1 *d, int64_t n0) {
  check(d->allocated == d->aligned && d->offset == 0, "rank-1 base");
  check(d->sizes[0] == n0 && d->strides[0] == 1, "rank-1 sizes/strides");
}

/// out = x @ w + bias.
static void forward(void **args) {
  const Desc2 *w = (const Desc2 *)args[0];
  const Desc1 *bias = (const Desc1 *)args[1];
  const Desc2 *x = (const Desc2 *)args[2];
  const Desc2 *out = (const Desc2 *)args[3];
  checkDesc2(w, 4, 3);
  checkDesc1(bias, 3);
  checkDesc2(x, 2, 4);
  checkDesc2(out, 2, 3);
  const float *W = (const float *)w->aligned, *B = (const float *)bias->aligned,
              *X = (const float *)x->aligned;
  float *O = (float *)out->aligned;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      float acc = B[j];
      for (int k = 0; k < 4; ++k)
        acc += X[i * 4 + k] * W[k * 3 + j];
      O[i * 3 + j] = acc;
    }
}

/// out0 = a + b; out1 = sum(a) as f64.
static void stats(void **args) {
  const Desc1 *a = (const Desc1 *)args[0];
  const Desc1 *b = (const Desc1 *)args[1];
  const Desc1 *out0 = (const Desc1 *)args[2];
  const Desc0 *out1 = (const Desc0 *)args[3];
  checkDesc1(a, 4);
  checkDesc1(b, 4);
  checkDesc1(out0, 4);
  check(out1->allocated == out1->aligned && out1->offset == 0, "rank-0 base");
  const int64_t *A = (const int64_t *)a->aligned,
                *B = (const int64_t *)b->aligned;
  int64_t *O = (int64_t *)out0->aligned;
  double sum = 0;
  for (int i = 0; i < 4; ++i) {
    O[i] = A[i] + B[i];
    sum += (double)A[i];
  }
  *(double *)out1->aligned = sum;
}

const kiln_entry_t kiln_entry_table[] = {
    {"forward", forward}, {"stats", stats}, {NULL, NULL}};
