//===- GanDemoModule.c - Hand-written stand-in for a two-phase module -----===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A "compiled module" whose training step has two phases, written by hand
/// in C like TrainDemoModule.c: a tiny GAN on 4x4 images (x f32 8x16, no
/// labels). Linked with kiln_runtime_main into `kiln-gan-demo`.
///
///   gan: the evaluation entry. Outputs: 0 the discriminator loss, 1
///     `d_real` (mean D(x)), 2 `d_fake` (mean D(G(z)), named metrics), 3 the
///     generated images 8x16 (`image=samples`, 4x4 each), 4 the running mean
///     of the real images 1x1x4x4 (`image=running_mean`).
///   gan_train_d (phase=discriminator): logistic regression D(v) =
///     sigmoid(d.w . v + d.b) trained to tell x from G(z), SGD with momentum
///     (states of d.w and d.b); also updates the buffer d.mean (buffer=1),
///     the running mean of the real images (0.9 / 0.1). Outputs the loss,
///     d_real and d_fake.
///   gan_train_g (phase=generator): G(z)_k = sigmoid(g.w_k + g.b + z_k / 2)
///     trained to make D(G(z)) large, SGD with momentum (states of g.w and
///     g.b). Outputs the loss and `fake_mean`, the mean generated pixel.
///
/// The noise z in [-1, 1) is a pure function of (step, row, pixel), so the
/// generator phase sees the same fakes as the discriminator phase of the
/// same batch. Every entry checks the descriptors it receives and abort()s
/// on any deviation from the ABI, and checks that every phase of a batch
/// gets the same step and the same features.
///
/// If KILN_GAN_DEMO_CRASH_AT_STEP is N, gan_train_g ends the process with
/// _Exit(70) when called with step N: after the discriminator phase of that
/// batch has updated its params in place, like a crash between the phases.
///
/// Built with KILN_GAN_DEMO_VARIANTS defined (`kiln-gan-demo-variants`), the
/// file has its own main(), which runs kiln_run_main() on the signature
/// edited as the environment variable KILN_GAN_DEMO_VARIANT says (see
/// Variants below): the broken modules of test/Runtime/gan-demo-errors.test.
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
    "entry gan\n"
    "param d.w f32 16 init=uniform seed=11 a=-0.1 b=0.1 fan_in=16 fan_out=1\n"
    "param d.b f32 scalar init=zeros seed=12 a=0 b=0 fan_in=1 fan_out=1\n"
    "param g.w f32 16 init=uniform seed=13 a=-0.5 b=0.5 fan_in=16 "
    "fan_out=16\n"
    "param g.b f32 scalar init=zeros seed=14 a=0 b=0 fan_in=1 fan_out=1\n"
    "param d.mean f32 16 init=zeros seed=15 a=0 b=0 fan_in=16 fan_out=16 "
    "buffer=1\n"
    "input step i64 scalar role=step\n"
    "input x f32 8x16\n"
    "output 0 f32 scalar\n"
    "output 1 f32 scalar name=d_real\n"
    "output 2 f32 scalar name=d_fake\n"
    "output 3 f32 8x16 image=samples\n"
    "output 4 f32 1x1x4x4 image=running_mean\n"
    "entry gan_train_d train=gan phase=discriminator\n"
    "param d.w f32 16 init=uniform seed=11 a=-0.1 b=0.1 fan_in=16 fan_out=1 "
    "inout=1\n"
    "param d.b f32 scalar init=zeros seed=12 a=0 b=0 fan_in=1 fan_out=1 "
    "inout=1\n"
    "param g.w f32 16 init=uniform seed=13 a=-0.5 b=0.5 fan_in=16 "
    "fan_out=16\n"
    "param g.b f32 scalar init=zeros seed=14 a=0 b=0 fan_in=1 fan_out=1\n"
    "param d.mean f32 16 init=zeros seed=15 a=0 b=0 fan_in=16 fan_out=16 "
    "buffer=1 inout=1\n"
    "state d.w.velocity f32 16 of=d.w\n"
    "state d.b.velocity f32 scalar of=d.b\n"
    "input step i64 scalar role=step\n"
    "input x f32 8x16\n"
    "output 0 f32 scalar\n"
    "output 1 f32 scalar name=d_real\n"
    "output 2 f32 scalar name=d_fake\n"
    "entry gan_train_g train=gan phase=generator\n"
    "param d.w f32 16 init=uniform seed=11 a=-0.1 b=0.1 fan_in=16 fan_out=1\n"
    "param d.b f32 scalar init=zeros seed=12 a=0 b=0 fan_in=1 fan_out=1\n"
    "param g.w f32 16 init=uniform seed=13 a=-0.5 b=0.5 fan_in=16 "
    "fan_out=16 inout=1\n"
    "param g.b f32 scalar init=zeros seed=14 a=0 b=0 fan_in=1 fan_out=1 "
    "inout=1\n"
    "param d.mean f32 16 init=zeros seed=15 a=0 b=0 fan_in=16 fan_out=16 "
    "buffer=1\n"
    "state g.w.velocity f32 16 of=g.w\n"
    "state g.b.velocity f32 scalar of=g.b\n"
    "input step i64 scalar role=step\n"
    "input x f32 8x16\n"
    "output 0 f32 scalar\n"
    "output 1 f32 scalar name=fake_mean\n";

enum { B = 8, P = 16 };

typedef struct Desc4 {
  void *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
} Desc4;
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
    fprintf(stderr, "kiln-gan-demo: ABI violation: %s\n", what);
    abort();
  }
}

static void checkBase(const void *allocated, const void *aligned,
                      int64_t offset, const char *what) {
  check(allocated == aligned && offset == 0, what);
  check(((uintptr_t)aligned % 64) == 0, what);
}

static float *arg0(void *p, const char *what) {
  const Desc0 *d = (const Desc0 *)p;
  checkBase(d->allocated, d->aligned, d->offset, what);
  return (float *)d->aligned;
}

static float *arg1(void *p, const char *what) {
  const Desc1 *d = (const Desc1 *)p;
  checkBase(d->allocated, d->aligned, d->offset, what);
  check(d->sizes[0] == P && d->strides[0] == 1, what);
  return (float *)d->aligned;
}

static float *arg2(void *p, const char *what) {
  const Desc2 *d = (const Desc2 *)p;
  checkBase(d->allocated, d->aligned, d->offset, what);
  check(d->sizes[0] == B && d->sizes[1] == P && d->strides[0] == P &&
            d->strides[1] == 1,
        what);
  return (float *)d->aligned;
}

static float *arg4(void *p, const char *what) {
  const Desc4 *d = (const Desc4 *)p;
  checkBase(d->allocated, d->aligned, d->offset, what);
  check(d->sizes[0] == 1 && d->sizes[1] == 1 && d->sizes[2] == 4 &&
            d->sizes[3] == 4 && d->strides[0] == 16 && d->strides[1] == 16 &&
            d->strides[2] == 4 && d->strides[3] == 1,
        what);
  return (float *)d->aligned;
}

static int64_t stepArg(void *p, const char *what) {
  int64_t step = *(const int64_t *)(const void *)arg0(p, what);
  check(step >= 0, "negative step");
  return step;
}

/// The model's params, in signature order.
typedef struct Params {
  float *dw, *db, *gw, *gb, *mean;
} Params;

static Params params(void **args, const char *what) {
  Params p = {arg1(args[0], what), arg0(args[1], what), arg1(args[2], what),
              arg0(args[3], what), arg1(args[4], what)};
  return p;
}

static float sigmoid(float v) { return 1.0f / (1.0f + expf(-v)); }

/// Noise in [-1, 1): SplitMix64 of (step, row, pixel).
static float noise(int64_t step, int row, int k) {
  uint64_t z = (uint64_t)step * 0x9E3779B97F4A7C15ull +
               (uint64_t)(row * P + k) * 0xD1B54A32D192ED03ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (float)((double)(z >> 40) / (double)(1ull << 23) - 1.0);
}

static void generate(const Params *p, int64_t step, float *fake) {
  for (int i = 0; i < B; ++i)
    for (int k = 0; k < P; ++k)
      fake[i * P + k] = sigmoid(p->gw[k] + *p->gb + 0.5f * noise(step, i, k));
}

static float discriminate(const Params *p, const float *v) {
  float s = *p->db;
  for (int k = 0; k < P; ++k)
    s += p->dw[k] * v[k];
  return sigmoid(s);
}

/// The discriminator loss, d_real and d_fake; if \p gw and \p gb are
/// non-NULL, also the gradients with respect to d.w and d.b.
static float discriminatorLoss(const Params *p, const float *x,
                               const float *fake, float *dReal, float *dFake,
                               float *gw, float *gb) {
  double loss = 0, real = 0, fk = 0;
  if (gw) {
    memset(gw, 0, P * sizeof(float));
    *gb = 0;
  }
  for (int i = 0; i < B; ++i) {
    float dr = discriminate(p, x + i * P), df = discriminate(p, fake + i * P);
    loss -= log((double)dr + 1e-7) + log(1.0 - (double)df + 1e-7);
    real += dr;
    fk += df;
    if (!gw)
      continue;
    for (int k = 0; k < P; ++k)
      gw[k] += ((dr - 1.0f) * x[i * P + k] + df * fake[i * P + k]) / B;
    *gb += ((dr - 1.0f) + df) / B;
  }
  *dReal = (float)(real / B);
  *dFake = (float)(fk / B);
  return (float)(loss / B);
}

/// The state shared by the phases of one batch, to check that they get the
/// same step and the same features.
static int64_t lastStep = -1;
static float lastX[B * P];

/// gan(params, step, x) -> (loss, d_real, d_fake, samples, running_mean).
static void gan(void **args) {
  Params p = params(args, "gan: params");
  int64_t step = stepArg(args[5], "gan: step");
  const float *x = arg2(args[6], "gan: x");
  float fake[B * P];
  generate(&p, step, fake);
  float *loss = arg0(args[7], "gan: loss");
  *loss = discriminatorLoss(&p, x, fake, arg0(args[8], "gan: d_real"),
                            arg0(args[9], "gan: d_fake"), NULL, NULL);
  memcpy(arg2(args[10], "gan: samples"), fake, sizeof(fake));
  memcpy(arg4(args[11], "gan: running_mean"), p.mean, P * sizeof(float));
}

/// gan_train_d(params, d.w.velocity, d.b.velocity, step, x) -> (loss,
/// d_real, d_fake), updating d.w, d.b, d.mean and the velocities in place.
static void ganTrainD(void **args) {
  Params p = params(args, "gan_train_d: params");
  float *vw = arg1(args[5], "gan_train_d: d.w.velocity");
  float *vb = arg0(args[6], "gan_train_d: d.b.velocity");
  int64_t step = stepArg(args[7], "gan_train_d: step");
  const float *x = arg2(args[8], "gan_train_d: x");
  check(step == lastStep + 1 || lastStep == -1,
        "gan_train_d: the step must grow by one per batch");
  lastStep = step;
  memcpy(lastX, x, sizeof(lastX));
  float fake[B * P], gw[P], gb;
  generate(&p, step, fake);
  *arg0(args[9], "gan_train_d: loss") = discriminatorLoss(
      &p, x, fake, arg0(args[10], "gan_train_d: d_real"),
      arg0(args[11], "gan_train_d: d_fake"), gw, &gb);
  for (int k = 0; k < P; ++k) {
    vw[k] = 0.5f * vw[k] + gw[k];
    p.dw[k] -= 0.05f * vw[k];
  }
  *vb = 0.5f * *vb + gb;
  *p.db -= 0.05f * *vb;
  for (int k = 0; k < P; ++k) {
    float m = 0;
    for (int i = 0; i < B; ++i)
      m += x[i * P + k];
    p.mean[k] = 0.9f * p.mean[k] + 0.1f * m / B;
  }
}

/// gan_train_g(params, g.w.velocity, g.b.velocity, step, x) -> (loss,
/// fake_mean), updating g.w, g.b and the velocities in place.
static void ganTrainG(void **args) {
  Params p = params(args, "gan_train_g: params");
  float *vw = arg1(args[5], "gan_train_g: g.w.velocity");
  float *vb = arg0(args[6], "gan_train_g: g.b.velocity");
  int64_t step = stepArg(args[7], "gan_train_g: step");
  const float *x = arg2(args[8], "gan_train_g: x");
  // With --train-entry gan_train_g the discriminator phase does not run.
  if (lastStep >= 0) {
    check(step == lastStep, "gan_train_g: not the discriminator's step");
    check(memcmp(x, lastX, sizeof(lastX)) == 0,
          "gan_train_g: not the discriminator's batch");
  }
  const char *crash = getenv("KILN_GAN_DEMO_CRASH_AT_STEP");
  if (crash && *crash && strtoll(crash, NULL, 10) == step) {
    fprintf(stderr, "kiln-gan-demo: simulated crash at step %lld\n",
            (long long)step);
    _Exit(70);
  }
  float fake[B * P], gw[P] = {0}, gb = 0;
  generate(&p, step, fake);
  double loss = 0, mean = 0;
  for (int i = 0; i < B; ++i) {
    float d = discriminate(&p, fake + i * P);
    loss -= log((double)d + 1e-7);
    for (int k = 0; k < P; ++k) {
      float f = fake[i * P + k];
      // d(-log D)/ds = D - 1; ds/df_k = d.w_k; df_k/dg.w_k = f (1 - f).
      float g = (d - 1.0f) * p.dw[k] * f * (1.0f - f) / B;
      gw[k] += g;
      gb += g;
      mean += f;
    }
  }
  *arg0(args[9], "gan_train_g: loss") = (float)(loss / B);
  *arg0(args[10], "gan_train_g: fake_mean") = (float)(mean / (B * P));
  for (int k = 0; k < P; ++k) {
    vw[k] = 0.5f * vw[k] + gw[k];
    p.gw[k] -= 0.2f * vw[k];
  }
  *vb = 0.5f * *vb + gb;
  *p.gb -= 0.2f * *vb;
}

const kiln_entry_t kiln_entry_table[] = {{"gan", gan},
                                         {"gan_train_d", ganTrainD},
                                         {"gan_train_g", ganTrainG},
                                         {NULL, NULL}};

#ifdef KILN_GAN_DEMO_VARIANTS

#include "kiln/Runtime/RunMain.h"

/// A broken variant of the signature: the first occurrence of `find` after
/// the line starting with `after` (or anywhere if NULL) becomes `replace`.
typedef struct Variant {
  const char *name;
  const char *after;
  const char *find;
  const char *replace;
} Variant;

static const Variant Variants[] = {
    // Signature errors.
    {"dup-phase", "entry gan_train_g", "phase=generator",
     "phase=discriminator"},
    {"no-phase", "entry gan_train_g", " phase=generator", ""},
    {"phase-no-train", "entry gan_train_g", "train=gan phase=generator",
     "phase=generator"},
    {"bad-image", "entry gan\n", "output 3 f32 8x16", "output 3 f32 8x10"},
    {"image-i64", "entry gan\n", "output 4 f32 1x1x4x4",
     "output 4 i64 1x1x4x4"},
    {"image-slash", "entry gan\n", "image=samples", "image=a/samples"},
    {"dup-image", "entry gan\n", "image=running_mean", "image=samples"},
    {"dup-name", "entry gan\n", "name=d_fake", "name=d_real"},
    {"bad-buffer", "entry gan\n", "buffer=1", "buffer=2"},
    // Model errors.
    {"phase-params", "entry gan_train_g",
     "param d.mean f32 16 init=zeros seed=15 a=0 b=0 fan_in=16 fan_out=16 "
     "buffer=1\n",
     ""},
    {"phase-param-type", "entry gan_train_g", "param g.b f32 scalar",
     "param g.b f32 1"},
    {"state-not-updated", "entry gan_train_g", "of=g.w", "of=d.w"},
    {"dup-state", "entry gan_train_g", "state g.b.velocity",
     "state d.b.velocity"},
    {"dup-metric", "entry gan_train_g", "name=fake_mean", "name=d_real"},
    {"reserved-metric", "entry gan_train_g", "name=fake_mean",
     "name=loss_discriminator"},
    {"reserved-eval-metric", "entry gan\n", "name=d_fake", "name=acc"},
    {"phase-inputs", "entry gan_train_g", "input x f32 8x16",
     "input x f32 8x15"},
    {"phase-loss", "entry gan_train_g", "output 0 f32 scalar",
     "output 0 f32 1"},
};

int main(int argc, char **argv) {
  const char *which = getenv("KILN_GAN_DEMO_VARIANT");
  const Variant *v = NULL;
  for (size_t i = 0; which && i < sizeof(Variants) / sizeof(*Variants); ++i)
    if (strcmp(Variants[i].name, which) == 0)
      v = &Variants[i];
  if (!v) {
    fprintf(stderr, "kiln-gan-demo-variants: set KILN_GAN_DEMO_VARIANT to "
                    "one of:");
    for (size_t i = 0; i < sizeof(Variants) / sizeof(*Variants); ++i)
      fprintf(stderr, " %s", Variants[i].name);
    fprintf(stderr, "\n");
    return 2;
  }
  const char *base = kiln_module_signature;
  const char *from = v->after ? strstr(base, v->after) : base;
  const char *at = from ? strstr(from, v->find) : NULL;
  if (!at) {
    fprintf(stderr, "kiln-gan-demo-variants: variant %s does not apply\n",
            v->name);
    return 2;
  }
  size_t head = (size_t)(at - base), flen = strlen(v->find);
  size_t len = strlen(base) - flen + strlen(v->replace);
  char *text = (char *)malloc(len + 1);
  if (!text)
    return 2;
  memcpy(text, base, head);
  strcpy(text + head, v->replace);
  strcat(text, at + flen);
  int rc = kiln_run_main(argc, argv, "kiln-gan-demo", NULL, text,
                         kiln_entry_table);
  free(text);
  return rc;
}

#endif // KILN_GAN_DEMO_VARIANTS
