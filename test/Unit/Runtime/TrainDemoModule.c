//===- TrainDemoModule.c - Hand-written stand-in for a training module ----===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A "compiled module" with training steps, written by hand in C: it exports
/// kiln_module_signature and kiln_entry_table exactly as kilnc's generated
/// code does. Linked with kiln_runtime_main into `kiln-train-demo`, it lets
/// the unit and lit tests exercise the trainer without the compiler. Every
/// entry checks the descriptors it receives and abort()s on any deviation
/// from the ABI (and on labels outside [0, C), which the trainer promises
/// never to pass). Three models, each an evaluation entry plus its training
/// step:
///
///   model / model_train_step: softmax regression, x f32 8x4, labels i64 8,
///     params w 4x3 and b 3, SGD with momentum 0.9 (states w.velocity and
///     b.velocity) and learning rate 0.5 / (1 + 0.01 * step); outputs the
///     mean cross-entropy and the 8x3 logits (before the update).
///   linreg / linreg_train_step: linear regression, x f32 8x4, targets f32
///     8x2, params w 4x2 and b 2, plain SGD (lr 0.05, no states, no step
///     input); outputs the mean squared error.
///   center / center_train_step: x f32 8x2x2 alone, param mu f32 2x2, SGD
///     (lr 0.1) on the mean squared distance to mu.
///
/// If the environment variable KILN_TRAIN_DEMO_CRASH_AT_STEP is N,
/// model_train_step ends the process with _Exit(70) (no cleanup, like a
/// crash) when it is called with step N, so tests can resume from the
/// checkpoints a "crashed" run left behind.
///
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/ABI.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kiln_module_signature[] =
    "kiln-abi 1\n"
    "entry model\n"
    "param w f32 4x3 init=uniform seed=7 a=-0.1 b=0.1 fan_in=4 fan_out=3\n"
    "param b f32 3 init=zeros seed=8 a=0 b=0 fan_in=3 fan_out=3\n"
    "input x f32 8x4\n"
    "input y i64 8\n"
    "output 0 f32 scalar\n"
    "output 1 f32 8x3\n"
    "entry model_train_step train=model\n"
    "param w f32 4x3 init=uniform seed=7 a=-0.1 b=0.1 fan_in=4 fan_out=3 "
    "inout=1\n"
    "param b f32 3 init=zeros seed=8 a=0 b=0 fan_in=3 fan_out=3 inout=1\n"
    "state w.velocity f32 4x3 of=w\n"
    "state b.velocity f32 3 of=b\n"
    "input step i64 scalar role=step\n"
    "input x f32 8x4\n"
    "input y i64 8\n"
    "output 0 f32 scalar\n"
    "output 1 f32 8x3\n"
    "entry linreg\n"
    "param w f32 4x2 init=uniform seed=3 a=-0.5 b=0.5 fan_in=4 fan_out=2\n"
    "param b f32 2 init=zeros seed=4 a=0 b=0 fan_in=2 fan_out=2\n"
    "input x f32 8x4\n"
    "input t f32 8x2\n"
    "output 0 f32 scalar\n"
    "entry linreg_train_step train=linreg\n"
    "param w f32 4x2 init=uniform seed=3 a=-0.5 b=0.5 fan_in=4 fan_out=2 "
    "inout=1\n"
    "param b f32 2 init=zeros seed=4 a=0 b=0 fan_in=2 fan_out=2 inout=1\n"
    "input x f32 8x4\n"
    "input t f32 8x2\n"
    "output 0 f32 scalar\n"
    "entry center\n"
    "param mu f32 2x2 init=zeros seed=5\n"
    "input x f32 8x2x2\n"
    "output 0 f32 scalar\n"
    "entry center_train_step train=center\n"
    "param mu f32 2x2 init=zeros seed=5 inout=1\n"
    "input x f32 8x2x2\n"
    "output 0 f32 scalar\n";

enum { B = 8, F = 4, C = 3, T = 2 };

typedef struct Desc3 {
  void *allocated, *aligned;
  int64_t offset, sizes[3], strides[3];
} Desc3;
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
    fprintf(stderr, "kiln-train-demo: ABI violation: %s\n", what);
    abort();
  }
}

static void checkBase(const void *allocated, const void *aligned,
                      int64_t offset, const char *what) {
  check(allocated == aligned && offset == 0, what);
  check(((uintptr_t)aligned % 64) == 0, what);
}

static float *arg2(void *p, int64_t n0, int64_t n1, const char *what) {
  const Desc2 *d = (const Desc2 *)p;
  checkBase(d->allocated, d->aligned, d->offset, what);
  check(d->sizes[0] == n0 && d->sizes[1] == n1 && d->strides[0] == n1 &&
            d->strides[1] == 1,
        what);
  return (float *)d->aligned;
}

static void *arg1(void *p, int64_t n0, const char *what) {
  const Desc1 *d = (const Desc1 *)p;
  checkBase(d->allocated, d->aligned, d->offset, what);
  check(d->sizes[0] == n0 && d->strides[0] == 1, what);
  return d->aligned;
}

static void *arg0(void *p, const char *what) {
  const Desc0 *d = (const Desc0 *)p;
  checkBase(d->allocated, d->aligned, d->offset, what);
  return d->aligned;
}

//===----------------------------------------------------------------------===//
// Softmax regression
//===----------------------------------------------------------------------===//

/// Computes logits and the mean cross-entropy; if \p dlogits is non-NULL,
/// also d(loss)/d(logits).
static float softmaxLoss(const float *x, const int64_t *y, const float *w,
                         const float *b, float *logits, float *dlogits) {
  double total = 0;
  for (int i = 0; i < B; ++i) {
    check(y[i] >= 0 && y[i] < C, "label outside [0, C)");
    float *l = logits + i * C;
    float max = -INFINITY;
    for (int c = 0; c < C; ++c) {
      float acc = b[c];
      for (int k = 0; k < F; ++k)
        acc += x[i * F + k] * w[k * C + c];
      l[c] = acc;
      max = acc > max ? acc : max;
    }
    double sum = 0;
    for (int c = 0; c < C; ++c)
      sum += exp((double)(l[c] - max));
    total += log(sum) + max - l[y[i]];
    if (dlogits)
      for (int c = 0; c < C; ++c)
        dlogits[i * C + c] =
            (float)((exp((double)(l[c] - max)) / sum - (c == y[i])) / B);
  }
  return (float)(total / B);
}

/// model(w, b, x, y) -> (loss, logits).
static void model(void **args) {
  const float *w = arg2(args[0], F, C, "model: w");
  const float *b = (const float *)arg1(args[1], C, "model: b");
  const float *x = arg2(args[2], B, F, "model: x");
  const int64_t *y = (const int64_t *)arg1(args[3], B, "model: y");
  float *loss = (float *)arg0(args[4], "model: loss");
  float *logits = arg2(args[5], B, C, "model: logits");
  *loss = softmaxLoss(x, y, w, b, logits, NULL);
}

/// model_train_step(w, b, w.velocity, b.velocity, step, x, y) ->
/// (loss, logits), updating w, b and the velocities in place.
static void modelTrainStep(void **args) {
  float *w = arg2(args[0], F, C, "train: w");
  float *b = (float *)arg1(args[1], C, "train: b");
  float *vw = arg2(args[2], F, C, "train: w.velocity");
  float *vb = (float *)arg1(args[3], C, "train: b.velocity");
  int64_t step = *(const int64_t *)arg0(args[4], "train: step");
  const float *x = arg2(args[5], B, F, "train: x");
  const int64_t *y = (const int64_t *)arg1(args[6], B, "train: y");
  float *loss = (float *)arg0(args[7], "train: loss");
  float *logits = arg2(args[8], B, C, "train: logits");
  check(step >= 0, "negative step");

  const char *crash = getenv("KILN_TRAIN_DEMO_CRASH_AT_STEP");
  if (crash && *crash && strtoll(crash, NULL, 10) == step) {
    fprintf(stderr, "kiln-train-demo: simulated crash at step %lld\n",
            (long long)step);
    _Exit(70);
  }

  float dlogits[B * C];
  *loss = softmaxLoss(x, y, w, b, logits, dlogits);
  float lr = 0.5f / (1.0f + 0.01f * (float)step);
  for (int k = 0; k < F; ++k)
    for (int c = 0; c < C; ++c) {
      float g = 0;
      for (int i = 0; i < B; ++i)
        g += x[i * F + k] * dlogits[i * C + c];
      vw[k * C + c] = 0.9f * vw[k * C + c] + g;
      w[k * C + c] -= lr * vw[k * C + c];
    }
  for (int c = 0; c < C; ++c) {
    float g = 0;
    for (int i = 0; i < B; ++i)
      g += dlogits[i * C + c];
    vb[c] = 0.9f * vb[c] + g;
    b[c] -= lr * vb[c];
  }
}

//===----------------------------------------------------------------------===//
// Linear regression
//===----------------------------------------------------------------------===//

/// Computes the mean squared error; if \p dpred is non-NULL, also its
/// gradient with respect to the predictions.
static float mse(const float *x, const float *t, const float *w, const float *b,
                 float *dpred) {
  double total = 0;
  for (int i = 0; i < B; ++i)
    for (int j = 0; j < T; ++j) {
      float p = b[j];
      for (int k = 0; k < F; ++k)
        p += x[i * F + k] * w[k * T + j];
      float d = p - t[i * T + j];
      total += (double)d * d;
      if (dpred)
        dpred[i * T + j] = 2.0f * d / (B * T);
    }
  return (float)(total / (B * T));
}

static void linreg(void **args) {
  const float *w = arg2(args[0], F, T, "linreg: w");
  const float *b = (const float *)arg1(args[1], T, "linreg: b");
  const float *x = arg2(args[2], B, F, "linreg: x");
  const float *t = arg2(args[3], B, T, "linreg: t");
  *(float *)arg0(args[4], "linreg: loss") = mse(x, t, w, b, NULL);
}

static void linregTrainStep(void **args) {
  float *w = arg2(args[0], F, T, "linreg_train: w");
  float *b = (float *)arg1(args[1], T, "linreg_train: b");
  const float *x = arg2(args[2], B, F, "linreg_train: x");
  const float *t = arg2(args[3], B, T, "linreg_train: t");
  float *loss = (float *)arg0(args[4], "linreg_train: loss");
  float dpred[B * T];
  *loss = mse(x, t, w, b, dpred);
  for (int j = 0; j < T; ++j) {
    float gb = 0;
    for (int i = 0; i < B; ++i)
      gb += dpred[i * T + j];
    for (int k = 0; k < F; ++k) {
      float g = 0;
      for (int i = 0; i < B; ++i)
        g += x[i * F + k] * dpred[i * T + j];
      w[k * T + j] -= 0.05f * g;
    }
    b[j] -= 0.05f * gb;
  }
}

//===----------------------------------------------------------------------===//
// Center
//===----------------------------------------------------------------------===//

static const float *arg3(void *p, const char *what) {
  const Desc3 *d = (const Desc3 *)p;
  checkBase(d->allocated, d->aligned, d->offset, what);
  check(d->sizes[0] == B && d->sizes[1] == 2 && d->sizes[2] == 2 &&
            d->strides[0] == 4 && d->strides[1] == 2 && d->strides[2] == 1,
        what);
  return (const float *)d->aligned;
}

static float centerLoss(const float *x, const float *mu, float *grad) {
  double total = 0;
  if (grad)
    memset(grad, 0, 4 * sizeof(float));
  for (int i = 0; i < B; ++i)
    for (int k = 0; k < 4; ++k) {
      float d = x[i * 4 + k] - mu[k];
      total += (double)d * d;
      if (grad)
        grad[k] -= 2.0f * d / B;
    }
  return (float)(total / B);
}

static void center(void **args) {
  const float *mu = arg2(args[0], 2, 2, "center: mu");
  const float *x = arg3(args[1], "center: x");
  *(float *)arg0(args[2], "center: loss") = centerLoss(x, mu, NULL);
}

static void centerTrainStep(void **args) {
  float *mu = arg2(args[0], 2, 2, "center_train: mu");
  const float *x = arg3(args[1], "center_train: x");
  float grad[4];
  *(float *)arg0(args[2], "center_train: loss") = centerLoss(x, mu, grad);
  for (int k = 0; k < 4; ++k)
    mu[k] -= 0.1f * grad[k];
}

const kiln_entry_t kiln_entry_table[] = {
    {"model", model},   {"model_train_step", modelTrainStep},
    {"linreg", linreg}, {"linreg_train_step", linregTrainStep},
    {"center", center}, {"center_train_step", centerTrainStep},
    {NULL, NULL}};
