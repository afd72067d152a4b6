//===- kiln-npy.c - Create, inspect and compare .npy files ----------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A small companion tool for Kiln programs, built only on kiln_runtime:
///
///   kiln-npy rand --shape 4x5 [--dtype f32] [--seed 1] [--range LO,HI]
///                 -o x.npy
///   kiln-npy compare A.npy B.npy [--rtol 1e-5] [--atol 1e-6]
///   kiln-npy print A.npy [--full]
///   kiln-npy info A.npy
///
/// Exit codes: 0 success (compare: files match), 1 compare found a
/// difference, 2 usage or file error.
///
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Runtime.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ExitOk = 0, ExitDiffer = 1, ExitError = 2 };

/// Arrays with more elements are summarized by `print` unless --full.
enum { PrintThreshold = 1000 };

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2)))
#endif
static int
error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout);
  fputs("kiln-npy: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return ExitError;
}

static void usage(FILE *out) {
  fputs(
      "USAGE: kiln-npy <command> [options]\n"
      "\n"
      "COMMANDS:\n"
      "  rand --shape SHAPE -o FILE [--dtype f32|f64|i32|i64] [--seed N]\n"
      "       [--range LO,HI]\n"
      "      Write a deterministic random array. SHAPE is AxBxC or 'scalar'.\n"
      "      Defaults: --dtype f32, --seed 0, --range -1,1 for floats and\n"
      "      0,10 for integers. Floats are uniform in [LO,HI); integers are\n"
      "      floor(LO + (HI-LO)*u) clamped to [LO,HI-1]. Same RNG as Kiln's\n"
      "      parameter initializers (docs/Runtime.md).\n"
      "  compare A.npy B.npy [--rtol R] [--atol A]\n"
      "      Check |a-b| <= atol + rtol*|b| elementwise (B is the reference;\n"
      "      defaults rtol=1e-5, atol=1e-6). NaN matches only NaN, an\n"
      "      infinity only the same infinity. Dtypes may differ (values are\n"
      "      compared as f64); shapes must be equal. Exit 0 if all match,\n"
      "      1 otherwise.\n"
      "  print A.npy [--full]\n"
      "      Print the values (arrays with more than 1000 elements are\n"
      "      summarized unless --full).\n"
      "  info A.npy\n"
      "      Print the dtype and shape, e.g. 'f32 4x5'.\n"
      "\n"
      "Exit status: 0 on success, 1 if compare finds a difference, 2 on\n"
      "usage or file errors.\n",
      out);
}

/// Parses a complete finite double.
static int parseDouble(const char *s, double *out) {
  if (!*s)
    return 0;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (*end || errno == ERANGE || !isfinite(v))
    return 0;
  *out = v;
  return 1;
}

/// Parses a complete decimal uint64.
static int parseU64(const char *s, uint64_t *out) {
  if (*s < '0' || *s > '9')
    return 0;
  uint64_t v = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9' || __builtin_mul_overflow(v, (uint64_t)10, &v) ||
        __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
      return 0;
  }
  *out = v;
  return 1;
}

/// Returns the value of option argv[*i] (advancing *i), or NULL after
/// reporting an error.
static const char *optionValue(int argc, char **argv, int *i) {
  if (*i + 1 >= argc) {
    error("option '%s' requires an argument", argv[*i]);
    return NULL;
  }
  return argv[++*i];
}

static char *describe(char *buf, size_t size, const kiln_tensor_t *t) {
  char shape[KILN_MAX_RANK * 21 + 8];
  kiln_shape_format(shape, sizeof(shape), t->rank, t->shape);
  snprintf(buf, size, "%s %s", kiln_dtype_name(t->dtype), shape);
  return buf;
}

//===----------------------------------------------------------------------===//
// rand
//===----------------------------------------------------------------------===//

static int cmdRand(int argc, char **argv) {
  const char *shapeText = NULL, *out = NULL, *rangeText = NULL;
  kiln_dtype_t dtype = KILN_F32;
  uint64_t seed = 0;
  for (int i = 2; i < argc; ++i) {
    const char *a = argv[i], *v;
    if (strcmp(a, "--shape") == 0) {
      if (!(shapeText = optionValue(argc, argv, &i)))
        return ExitError;
    } else if (strcmp(a, "-o") == 0) {
      if (!(out = optionValue(argc, argv, &i)))
        return ExitError;
    } else if (strcmp(a, "--range") == 0) {
      if (!(rangeText = optionValue(argc, argv, &i)))
        return ExitError;
    } else if (strcmp(a, "--dtype") == 0) {
      if (!(v = optionValue(argc, argv, &i)))
        return ExitError;
      dtype = kiln_dtype_from_name(v);
      if (dtype == KILN_DTYPE_INVALID)
        return error("invalid --dtype '%s' (expected f32, f64, i32 or i64)", v);
    } else if (strcmp(a, "--seed") == 0) {
      if (!(v = optionValue(argc, argv, &i)))
        return ExitError;
      if (!parseU64(v, &seed))
        return error("invalid --seed '%s' (expected a non-negative integer)",
                     v);
    } else {
      return error("rand: unexpected argument '%s' (see --help)", a);
    }
  }
  if (!shapeText)
    return error("rand: missing --shape");
  if (!out)
    return error("rand: missing -o FILE");

  char err[1024];
  int32_t rank;
  int64_t shape[KILN_MAX_RANK];
  if (kiln_shape_parse(shapeText, &rank, shape, err, sizeof(err)) != KILN_OK)
    return error("%s", err);
  double lo = kiln_dtype_is_float(dtype) ? -1.0 : 0.0;
  double hi = kiln_dtype_is_float(dtype) ? 1.0 : 10.0;
  if (rangeText) {
    const char *comma = strchr(rangeText, ',');
    char loText[128];
    size_t n = comma ? (size_t)(comma - rangeText) : 0;
    if (!comma || n >= sizeof(loText))
      return error("invalid --range '%s' (expected LO,HI)", rangeText);
    memcpy(loText, rangeText, n);
    loText[n] = '\0';
    if (!parseDouble(loText, &lo) || !parseDouble(comma + 1, &hi))
      return error("invalid --range '%s' (expected LO,HI)", rangeText);
    if (lo > hi)
      return error("invalid --range '%s': LO is greater than HI", rangeText);
  }
  kiln_tensor_t t;
  if (kiln_tensor_alloc(&t, dtype, rank, shape, err, sizeof(err)) != KILN_OK)
    return error("%s", err);
  int rc = ExitOk;
  if (kiln_random_fill(&t, seed, lo, hi) != KILN_OK)
    rc = error("cannot fill random tensor");
  else if (kiln_npy_write(out, &t, err, sizeof(err)) != KILN_OK)
    rc = error("%s", err);
  kiln_tensor_free(&t);
  return rc;
}

//===----------------------------------------------------------------------===//
// compare
//===----------------------------------------------------------------------===//

static void printIndex(FILE *out, const kiln_tensor_t *t, int64_t linear) {
  int64_t idx[KILN_MAX_RANK];
  for (int32_t d = t->rank - 1; d >= 0; --d) {
    idx[d] = t->shape[d] ? linear % t->shape[d] : 0;
    linear = t->shape[d] ? linear / t->shape[d] : 0;
  }
  fputc('[', out);
  for (int32_t d = 0; d < t->rank; ++d)
    fprintf(out, "%s%lld", d ? ", " : "", (long long)idx[d]);
  fputc(']', out);
}

static int cmdCompare(int argc, char **argv) {
  const char *files[2] = {NULL, NULL};
  int numFiles = 0;
  double rtol = 1e-5, atol = 1e-6;
  for (int i = 2; i < argc; ++i) {
    const char *a = argv[i], *v;
    if (strcmp(a, "--rtol") == 0 || strcmp(a, "--atol") == 0) {
      if (!(v = optionValue(argc, argv, &i)))
        return ExitError;
      double *dst = a[2] == 'r' ? &rtol : &atol;
      if (!parseDouble(v, dst) || *dst < 0)
        return error("invalid %s '%s' (expected a non-negative number)", a, v);
    } else if (a[0] == '-' && a[1] != '\0') {
      return error("compare: unknown option '%s' (see --help)", a);
    } else {
      if (numFiles == 2)
        return error("compare: too many files (expected A.npy B.npy)");
      files[numFiles++] = a;
    }
  }
  if (numFiles != 2)
    return error("compare: expected two files: A.npy B.npy");

  char err[1024];
  kiln_tensor_t ta, tb;
  if (kiln_npy_read(files[0], &ta, err, sizeof(err)) != KILN_OK)
    return error("%s", err);
  if (kiln_npy_read(files[1], &tb, err, sizeof(err)) != KILN_OK) {
    kiln_tensor_free(&ta);
    return error("%s", err);
  }
  int rc = ExitOk;
  kiln_compare_result_t res;
  char da[256], db[256];
  describe(da, sizeof(da), &ta);
  describe(db, sizeof(db), &tb);
  if (kiln_tensor_compare(&ta, &tb, rtol, atol, &res, err, sizeof(err)) !=
      KILN_OK) {
    fprintf(stderr, "kiln-npy: shape mismatch: %s is %s, %s is %s\n", files[0],
            da, files[1], db);
    rc = ExitDiffer;
    goto done;
  }
  printf("compare %s (%s) vs reference %s (%s)\n", files[0], da, files[1], db);
  printf("max abs err: %.6g\n", res.max_abs_err);
  printf("max rel err: %.6g\n", res.max_rel_err);
  printf("mismatches: %lld of %lld (rtol=%g, atol=%g)\n",
         (long long)res.mismatches, (long long)res.count, rtol, atol);
  if (res.mismatches) {
    printf("first mismatch at ");
    printIndex(stdout, &ta, res.first_mismatch);
    printf(": a=%.9g b=%.9g\n", kiln_tensor_get_f64(&ta, res.first_mismatch),
           kiln_tensor_get_f64(&tb, res.first_mismatch));
    fflush(stdout);
    fprintf(stderr,
            "kiln-npy: %s and %s differ: %lld of %lld elements exceed the "
            "tolerance\n",
            files[0], files[1], (long long)res.mismatches,
            (long long)res.count);
    rc = ExitDiffer;
  } else {
    printf("OK\n");
  }

done:
  kiln_tensor_free(&ta);
  kiln_tensor_free(&tb);
  return rc;
}

//===----------------------------------------------------------------------===//
// print, info
//===----------------------------------------------------------------------===//

static int cmdPrintOrInfo(int argc, char **argv, int isPrint) {
  const char *file = NULL;
  int full = 0;
  for (int i = 2; i < argc; ++i) {
    const char *a = argv[i];
    if (isPrint && strcmp(a, "--full") == 0) {
      full = 1;
    } else if (a[0] == '-' && a[1] != '\0') {
      return error("%s: unknown option '%s' (see --help)", argv[1], a);
    } else {
      if (file)
        return error("%s: expected exactly one file", argv[1]);
      file = a;
    }
  }
  if (!file)
    return error("%s: missing file argument", argv[1]);
  char err[1024];
  kiln_tensor_t t;
  if (!isPrint) {
    if (kiln_npy_read_header(file, &t, err, sizeof(err)) != KILN_OK)
      return error("%s", err);
    char d[256];
    printf("%s\n", describe(d, sizeof(d), &t));
    return ExitOk;
  }
  if (kiln_npy_read(file, &t, err, sizeof(err)) != KILN_OK)
    return error("%s", err);
  kiln_tensor_print(stdout, &t, full ? 0 : PrintThreshold);
  kiln_tensor_free(&t);
  return ExitOk;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return ExitError;
  }
  const char *cmd = argv[1];
  int rc;
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
      strcmp(cmd, "help") == 0) {
    usage(stdout);
    rc = ExitOk;
  } else if (strcmp(cmd, "rand") == 0) {
    rc = cmdRand(argc, argv);
  } else if (strcmp(cmd, "compare") == 0) {
    rc = cmdCompare(argc, argv);
  } else if (strcmp(cmd, "print") == 0) {
    rc = cmdPrintOrInfo(argc, argv, 1);
  } else if (strcmp(cmd, "info") == 0) {
    rc = cmdPrintOrInfo(argc, argv, 0);
  } else {
    rc = error("unknown command '%s' (expected rand, compare, print or "
               "info; see --help)",
               cmd);
  }
  if (fflush(stdout) != 0 && rc == ExitOk)
    rc = error("cannot write to standard output");
  return rc;
}
