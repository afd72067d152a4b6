//===- TrainCli.c - The command line of the Kiln trainer ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// kiln_train_main(): parses the trainer's options, prints its help, and
/// checks the command line, the model and the data, in that order, before
/// handing over to the training loop (Train.c). Nothing is written until
/// all of these checks have passed.
///
//===----------------------------------------------------------------------===//

#include "TrainInternal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/// Prints "<prog>: error: <message>" to stderr and returns 1.
static int error(const char *prog, const char *fmt, ...)
    KILN_PRINTF_FORMAT(2, 3);

static int error(const char *prog, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout);
  fprintf(stderr, "%s: error: ", prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return 1;
}

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

/// Options that take a value, and where it goes.
typedef enum ValueKind { PathValue, PositiveValue, SeedValue } ValueKind;

typedef struct ValueOption {
  const char *name;
  ValueKind kind;
  size_t offset;
} ValueOption;

#define KILN_OPT(name, kind, field)                                            \
  { name, kind, offsetof(kiln_train_options_t, field) }

static const ValueOption ValueOptions[] = {
    KILN_OPT("--data", PathValue, data),
    KILN_OPT("--eval-data", PathValue, eval_data),
    KILN_OPT("--train-entry", PathValue, train_entry),
    KILN_OPT("--metrics", PathValue, metrics),
    KILN_OPT("--step-log", PathValue, step_log),
    KILN_OPT("--checkpoint", PathValue, checkpoint),
    KILN_OPT("--resume", PathValue, resume),
    KILN_OPT("--init-params", PathValue, init_params),
    KILN_OPT("--save-params", PathValue, save_params),
    KILN_OPT("--image-dir", PathValue, image_dir),
    KILN_OPT("--holdout", PositiveValue, holdout),
    KILN_OPT("--epochs", PositiveValue, epochs),
    KILN_OPT("--batch", PositiveValue, batch),
    KILN_OPT("--max-steps", PositiveValue, max_steps),
    KILN_OPT("--checkpoint-every", PositiveValue, checkpoint_every),
    KILN_OPT("--seed", SeedValue, seed),
};

/// Parses a decimal integer without sign into \p out (at most \p max).
static int parseCount(const char *s, uint64_t max, uint64_t *out) {
  if (*s < '0' || *s > '9')
    return 0;
  uint64_t v = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9' || __builtin_mul_overflow(v, 10, &v) ||
        __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
      return 0;
  }
  if (v > max)
    return 0;
  *out = v;
  return 1;
}

/// Stores the value of option \p opt. Returns 0 or 1 after an error.
static int setValue(const char *prog, const ValueOption *opt, const char *v,
                    kiln_train_options_t *o) {
  char *field = (char *)o + opt->offset;
  uint64_t n;
  switch (opt->kind) {
  case PathValue:
    if (!*v)
      return error(prog, "option '%s' requires a non-empty value", opt->name);
    memcpy(field, &v, sizeof(v));
    return 0;
  case PositiveValue:
    if (!parseCount(v, INT64_MAX, &n) || n == 0)
      return error(prog, "option '%s' expects a positive integer, got '%s'",
                   opt->name, v);
    {
      int64_t i = (int64_t)n;
      memcpy(field, &i, sizeof(i));
    }
    return 0;
  case SeedValue:
    if (!parseCount(v, UINT64_MAX, &n))
      return error(prog, "option '%s' expects a non-negative integer, got '%s'",
                   opt->name, v);
    memcpy(field, &n, sizeof(n));
    o->have_seed = 1;
    return 0;
  }
  return 1;
}

/// Parses argv into \p o. Returns 0 or 1 after an error.
static int parseOptions(const char *prog, int argc, char **argv,
                        kiln_train_options_t *o) {
  memset(o, 0, sizeof(*o));
  o->epochs = 1;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      if (i + 1 < argc)
        return error(prog,
                     "unexpected argument '%s': this program trains (see "
                     "--help); use --entry NAME to run an entry on .npy "
                     "inputs",
                     argv[i + 1]);
      continue;
    }
    if (a[0] != '-' || a[1] == '\0')
      return error(prog,
                   "unexpected argument '%s': this program trains (see "
                   "--help); use --entry NAME to run an entry on .npy inputs",
                   a);
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      o->help = 1;
      continue;
    }
    if (strcmp(a, "--no-shuffle") == 0) {
      o->no_shuffle = 1;
      continue;
    }
    if (strcmp(a, "--quiet") == 0) {
      o->quiet = 1;
      continue;
    }
    if (strcmp(a, "--check-numerics") == 0) {
      o->check_numerics = 1;
      continue;
    }
    // The inference options of kiln_run_main(): only valid with --entry.
    if (strcmp(a, "--print") == 0 || strcmp(a, "--full") == 0) {
      if (!o->inference_option)
        o->inference_option = a;
      continue;
    }
    if (strcmp(a, "--entry") == 0 || strcmp(a, "-o") == 0 ||
        strcmp(a, "--output") == 0 || strncmp(a, "--entry=", 8) == 0 ||
        strncmp(a, "--output=", 9) == 0) {
      if (!o->inference_option)
        o->inference_option = a;
      if (!strchr(a, '=') && i + 1 < argc)
        ++i;
      continue;
    }
    const ValueOption *opt = NULL;
    const char *value = NULL;
    for (size_t k = 0; k < sizeof(ValueOptions) / sizeof(*ValueOptions); ++k) {
      size_t len = strlen(ValueOptions[k].name);
      if (strncmp(a, ValueOptions[k].name, len) != 0)
        continue;
      if (a[len] == '\0') {
        opt = &ValueOptions[k];
        if (i + 1 >= argc)
          return error(prog, "option '%s' requires an argument", a);
        value = argv[++i];
        break;
      }
      if (a[len] == '=') {
        opt = &ValueOptions[k];
        value = a + len + 1;
        break;
      }
    }
    if (!opt)
      return error(prog, "unknown option '%s' (see --help)", a);
    if (setValue(prog, opt, value, o))
      return 1;
  }
  return 0;
}

/// Checks combinations of options. Returns 0 or 1 after an error.
static int checkOptions(const char *prog, const kiln_train_options_t *o) {
  if (o->inference_option)
    return error(prog,
                 "option '%s' is for running an entry on .npy inputs (with "
                 "--entry NAME), not for training (see --help)",
                 o->inference_option);
  if (!o->data)
    return error(prog, "missing --data PATH: the training data (see --help)");
  if (o->holdout && o->eval_data)
    return error(prog, "--holdout and --eval-data cannot be combined");
  if (o->resume && o->init_params)
    return error(prog, "--init-params and --resume cannot be combined (the "
                       "checkpoint holds the params)");
  if (o->checkpoint_every && !o->checkpoint)
    return error(prog, "--checkpoint-every needs --checkpoint FILE");
  return 0;
}

//===----------------------------------------------------------------------===//
// Help
//===----------------------------------------------------------------------===//

static int64_t argNumel(const kiln_sig_arg_t *a) {
  int64_t n = 1;
  for (int32_t d = 0; d < a->rank; ++d)
    n *= a->shape[d];
  return n;
}

static void printArgs(FILE *out, const char *label, const kiln_sig_arg_t *args,
                      size_t n) {
  char buf[256];
  for (size_t i = 0; i < n; ++i)
    fprintf(out, "    %-7s%s: %s\n", label, args[i].name,
            kiln_sig_arg_format(buf, sizeof(buf), &args[i]));
}

/// The role of output \p k of \p e in the help: loss, logits, a metric
/// (reported as PREFIX NAME), an image.
static void outputRole(char *buf, size_t size, const kiln_sig_entry_t *e,
                       size_t k, int logits, const char *prefix) {
  const kiln_sig_arg_t *o = &e->outputs[k];
  size_t n = 0;
  buf[0] = '\0';
  if (k == 0)
    n = (size_t)snprintf(buf, size, " (loss)");
  else if (k == 1 && logits)
    n = (size_t)snprintf(buf, size, " (logits)");
  else if (o->out_name && o->rank == 0)
    n = (size_t)snprintf(buf, size, " (metric %s%s)", prefix, o->out_name);
  else if (o->out_name)
    n = (size_t)snprintf(buf, size, " (%s)", o->out_name);
  if (o->image && n < size)
    snprintf(buf + n, size - n, " (image %s)", o->image);
}

/// Describes the training step: its data, its phases, its params and
/// states, and what is saved.
static void printModel(FILE *out, const kiln_train_model_t *m) {
  const kiln_sig_entry_t *t = m->train;
  char buf[256], role[256];
  if (m->num_phases == 1)
    fprintf(out,
            "MODEL:\n  training step '%s' (evaluation: '%s'), batch size "
            "%lld\n",
            t->name, m->eval->name, (long long)m->batch);
  else
    fprintf(out,
            "MODEL:\n  training step of '%s' in %zu phases run on every "
            "batch, batch size %lld\n",
            m->eval->name, m->num_phases, (long long)m->batch);
  for (size_t i = 0; i < t->num_inputs; ++i) {
    const char *r = (int)i == m->x                   ? "features"
                    : (int)i == m->step              ? "update counter"
                    : t->inputs[i].dtype == KILN_I64 ? "class labels"
                                                     : "targets";
    fprintf(out, "    input  %s: %s (%s)\n", t->inputs[i].name,
            kiln_sig_arg_format(buf, sizeof(buf), &t->inputs[i]), r);
  }
  for (size_t p = 0; p < m->num_phases; ++p) {
    const kiln_sig_entry_t *e = m->phases[p].entry;
    const char *indent = "    ";
    if (m->num_phases > 1) {
      size_t updates = 0;
      for (size_t i = 0; i < e->num_params; ++i)
        updates += e->params[i].inout != 0;
      fprintf(out,
              "    phase %zu '%s' (entry '%s'): updates %zu of the params, "
              "%zu optimizer state%s\n",
              p + 1, m->phases[p].name, e->name, updates, e->num_states,
              e->num_states == 1 ? "" : "s");
      indent = "      ";
    }
    for (size_t k = 0; k < e->num_outputs; ++k) {
      outputRole(role, sizeof(role), e, k, p == 0 && m->num_classes > 0, "");
      fprintf(out, "%soutput %s: %s%s\n", indent, e->outputs[k].name,
              kiln_sig_arg_format(buf, sizeof(buf), &e->outputs[k]), role);
    }
  }
  int64_t values = 0;
  size_t buffers = 0;
  for (size_t i = 0; i < t->num_params; ++i) {
    values += argNumel(&t->params[i]);
    buffers += t->params[i].is_buffer != 0;
  }
  if (buffers)
    fprintf(out, "  params: %zu (%lld values; %zu buffer%s, not trained)\n",
            t->num_params, (long long)values, buffers, buffers == 1 ? "" : "s");
  else
    fprintf(out, "  params: %zu (%lld values)\n", t->num_params,
            (long long)values);
  for (size_t i = 0; i < t->num_params; ++i)
    fprintf(out, "    %s: %s, init %s%s\n", t->params[i].name,
            kiln_sig_arg_format(buf, sizeof(buf), &t->params[i]),
            kiln_init_kind_name(t->params[i].init),
            t->params[i].is_buffer ? ", buffer" : "");
  values = 0;
  for (size_t i = 0; i < m->num_states; ++i)
    values += argNumel(m->states[i]);
  fprintf(out, "  optimizer states: %zu (%lld values, zero-initialized)\n",
          m->num_states, (long long)values);
  int evalExtras = 0;
  for (size_t k = 1; k < m->eval->num_outputs; ++k)
    evalExtras |= m->eval->outputs[k].out_name || m->eval->outputs[k].image;
  if (evalExtras) {
    fprintf(out, "  evaluation '%s':\n", m->eval->name);
    for (size_t k = 1; k < m->eval->num_outputs; ++k) {
      const kiln_sig_arg_t *o = &m->eval->outputs[k];
      if (!o->out_name && !o->image)
        continue;
      outputRole(role, sizeof(role), m->eval, k, m->eval_accuracy, "eval_");
      fprintf(out, "    output %s: %s%s\n", o->name,
              kiln_sig_arg_format(buf, sizeof(buf), o), role);
    }
  }
  for (size_t i = 0; i < m->num_images; ++i)
    fprintf(out,
            "  images: %s (%lld of %lldx%lld) saved as "
            "IMAGE_DIR/%s_epochK.png\n",
            m->images[i].name, (long long)m->images[i].n,
            (long long)m->images[i].h, (long long)m->images[i].w,
            m->images[i].name);
}

static void printHelp(FILE *out, const char *usage, const kiln_signature_t *sig,
                      const kiln_entry_t *table, const char *trainEntry) {
  fprintf(
      out,
      "USAGE: %s --data PATH [options]\n"
      "       %s --entry NAME [-o OUT.npy]... [--print] [--full] "
      "INPUT.npy...\n"
      "\n"
      "Trains the compiled Kiln model: runs its training step over shuffled\n"
      "batches of the training data, evaluates the held-out data after each\n"
      "epoch, and prints one summary line per epoch.\n"
      "\n"
      "DATA:\n"
      "  --data PATH           training data: a directory with IDX, .npy or\n"
      "                        CSV files (train-*, and test-* for held-out\n"
      "                        data), or a .csv file; required\n"
      "  --eval-data PATH      held-out data (a directory's test-* files or a\n"
      "                        .csv file); default: the test-* files of "
      "--data\n"
      "  --holdout N           hold out the last N training examples instead\n"
      "TRAINING:\n"
      "  --epochs N            total number of epochs, resumed ones included\n"
      "                        (default 1)\n"
      "  --batch B             check that the compiled batch size is B\n"
      "  --seed N              seed of the per-epoch shuffles (default 0)\n"
      "  --no-shuffle          visit the training examples in file order\n"
      "  --max-steps N         stop after N updates in total\n"
      "  --init-params DIR     start from DIR/<param>.npy instead of the\n"
      "                        recorded initializers\n"
      "  --train-entry NAME    training step to run (default: the first)\n"
      "OUTPUT:\n"
      "  --metrics FILE        write one JSON line of metrics per epoch\n"
      "  --step-log FILE       write one JSON line per update\n"
      "  --checkpoint FILE     write a checkpoint after every epoch\n"
      "  --checkpoint-every N  also write it every N updates\n"
      "  --resume FILE         continue from a checkpoint\n"
      "  --save-params DIR     write the trained params to DIR/<param>.npy\n"
      "  --image-dir DIR       where the model's image outputs are saved\n"
      "                        after each epoch (default: .)\n"
      "  --check-numerics      stop at the first step whose loss is NaN or\n"
      "                        infinite (built with kilnc --check-numerics,\n"
      "                        the program always stops at the first op that\n"
      "                        makes one, and names it)\n"
      "  --quiet               no progress display on stderr\n"
      "  --help, -h            show this help and exit\n"
      "INFERENCE:\n"
      "  --entry NAME          run entry NAME on .npy inputs instead of\n"
      "                        training (with -o FILE, --print, --full)\n"
      "\n",
      usage, usage);
  kiln_train_model_t m;
  char err[KILN_TRAIN_ERR_SIZE];
  if (kiln_train_model_resolve(sig, table, trainEntry, &m, err, sizeof(err)) ==
      KILN_OK)
    printModel(out, &m);
  else
    fprintf(out, "MODEL:\n  cannot train: %s\n", err);
  kiln_train_model_free(&m);
  fprintf(out, "\nENTRY POINTS:\n");
  for (size_t i = 0; i < sig->num_entries; ++i) {
    const kiln_sig_entry_t *e = &sig->entries[i];
    if (e->train_of && e->phase)
      fprintf(out,
              "  %s (phase '%s' of the training step of '%s'; run without "
              "--entry)\n",
              e->name, e->phase, e->train_of);
    else if (e->train_of)
      fprintf(out, "  %s (training step of '%s'; run without --entry)\n",
              e->name, e->train_of);
    else
      fprintf(out, "  %s\n", e->name);
    printArgs(out, "input", e->inputs, e->num_inputs);
    printArgs(out, "output", e->outputs, e->num_outputs);
    if (e->num_params)
      fprintf(out, "    (%zu param%s", e->num_params,
              e->num_params == 1 ? "" : "s");
    if (e->num_params && e->num_states)
      fprintf(out, ", %zu optimizer state%s", e->num_states,
              e->num_states == 1 ? "" : "s");
    if (e->num_params)
      fprintf(out, ")\n");
  }
}

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

int kiln_train_main(int argc, char **argv, const char *progName,
                    const char *usage, const kiln_signature_t *sig,
                    const kiln_entry_t *table) {
  const char *prog = progName && *progName ? progName : "prog";
  if (!usage || !*usage)
    usage = prog;
  if (!argv)
    argc = 0;
  if (!sig || !table)
    return error(prog, "corrupt module: no %s",
                 sig ? "entry table" : "signature");
  kiln_train_options_t o;
  if (parseOptions(prog, argc, argv, &o))
    return 1;
  if (o.help) {
    printHelp(stdout, usage, sig, table, o.train_entry);
    return fflush(stdout) == 0 ? 0
                               : error(prog, "cannot write to standard output");
  }
  if (checkOptions(prog, &o))
    return 1;

  char err[KILN_TRAIN_ERR_SIZE];
  kiln_train_model_t m;
  if (kiln_train_model_resolve(sig, table, o.train_entry, &m, err,
                               sizeof(err)) != KILN_OK) {
    kiln_train_model_free(&m);
    return error(prog, "%s", err);
  }
  if (o.batch && o.batch != m.batch) {
    const kiln_sig_arg_t *x = &m.train->inputs[m.x];
    char shape[KILN_MAX_RANK * 21 + 8];
    kiln_shape_format(shape, sizeof(shape), x->rank, x->shape);
    error(prog,
          "--batch %lld does not match the model: input '%s' is %s "
          "(batch %lld); recompile the model to change it",
          (long long)o.batch, x->name, shape, (long long)m.batch);
    kiln_train_model_free(&m);
    return 1;
  }
  // Before the data is read or anything allocated (docs/Reliability.md).
  if (kiln_train_model_check_memory(&m, err, sizeof(err)) != KILN_OK) {
    kiln_train_model_free(&m);
    return error(prog, "%s", err);
  }
  kiln_train_data_t d;
  if (kiln_train_data_load(&o, &m, &d, err, sizeof(err)) != KILN_OK) {
    kiln_train_model_free(&m);
    return error(prog, "%s", err);
  }
  int rc = kiln_train_run(prog, &o, &m, &d);
  kiln_train_data_free(&d);
  kiln_train_model_free(&m);
  return rc;
}
