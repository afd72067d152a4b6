//===- RunMain.c - The command line of compiled Kiln programs -------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// kiln_run_main(): the command line of AOT-compiled executables (their
/// `main` in Main.c only forwards to it) and of `kilnc --run`. Reads the
/// module's signature, loads inputs from .npy files, initializes params with
/// their recorded initializers, calls the selected entry point and writes or
/// prints the outputs. A module with a training step trains instead
/// (kiln_train_main(), Train.h) unless `--entry NAME` is given.
///
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/RunMain.h"

#include "kiln/Runtime/Memory.h"
#include "kiln/Runtime/Runtime.h"
#include "kiln/Runtime/Train.h"

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// How the program calls itself: in error messages and in --help.
typedef struct Names {
  const char *prog;
  const char *usage;
} Names;

/// Prints "<prog>: error: <message>" to stderr and returns 1.
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static int
error(const Names *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout);
  fprintf(stderr, "%s: error: ", cli->prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return 1;
}

static void printArgList(FILE *out, const char *label,
                         const kiln_sig_arg_t *args, size_t n) {
  char buf[256];
  for (size_t i = 0; i < n; ++i)
    fprintf(out, "    %-7s%s: %s\n", label, args[i].name,
            kiln_sig_arg_format(buf, sizeof(buf), &args[i]));
}

static void printHelp(FILE *out, const Names *cli,
                      const kiln_signature_t *sig) {
  fprintf(out,
          "USAGE: %s [options] INPUT.npy...\n"
          "\n"
          "Runs an entry point of the compiled Kiln module. Inputs are .npy\n"
          "files given in the entry's input order; params are initialized\n"
          "with the initializers recorded at compile time.\n"
          "\n"
          "OPTIONS:\n"
          "  --entry NAME   entry point to run (default: the first one)\n"
          "  -o FILE        write the next output to FILE as .npy; repeat\n"
          "                 for further outputs, in order\n"
          "  --print        print every output to stdout (this is the\n"
          "                 default when no -o is given)\n"
          "  --full         print all elements (default: summarize outputs\n"
          "                 with more than %d elements)\n"
          "  --help, -h     show this help and exit\n"
          "  --             treat all following arguments as input files\n"
          "\n"
          "ENTRY POINTS:\n",
          cli->usage, KILN_PRINT_THRESHOLD);
  if (!sig)
    return;
  for (size_t i = 0; i < sig->num_entries; ++i) {
    const kiln_sig_entry_t *e = &sig->entries[i];
    fprintf(out, "  %s%s\n", e->name, i == 0 ? " (default)" : "");
    printArgList(out, "input", e->inputs, e->num_inputs);
    printArgList(out, "output", e->outputs, e->num_outputs);
    if (e->num_params)
      fprintf(out, "    (%zu param%s, initialized automatically)\n",
              e->num_params, e->num_params == 1 ? "" : "s");
    if (e->num_states)
      fprintf(out, "    (%zu state%s, zero-initialized)\n", e->num_states,
              e->num_states == 1 ? "" : "s");
  }
}

static void joinNames(char *buf, size_t size, const kiln_sig_arg_t *args,
                      size_t n) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && used < size; ++i) {
    int w =
        snprintf(buf + used, size - used, "%s%s", i ? " " : "", args[i].name);
    if (w < 0)
      break;
    used += (size_t)w;
  }
}

/// Frees an array of \p n tensors allocated with calloc.
static void freeTensors(kiln_tensor_t *ts, size_t n) {
  if (!ts)
    return;
  for (size_t i = 0; i < n; ++i)
    kiln_tensor_free(&ts[i]);
  free(ts);
}

typedef struct Options {
  const char *entry;
  const char **outFiles;
  size_t numOutFiles;
  const char **inFiles;
  size_t numInFiles;
  int print;
  int full;
  int help;
} Options;

/// Parses the command line into \p opts. Returns 0 on success, 1 after
/// reporting an error.
static int parseArgs(const Names *cli, int argc, char **argv, Options *opts) {
  memset(opts, 0, sizeof(*opts));
  size_t cap = argc > 0 ? (size_t)argc : 1;
  opts->outFiles = (const char **)calloc(cap, sizeof(char *));
  opts->inFiles = (const char **)calloc(cap, sizeof(char *));
  if (!opts->outFiles || !opts->inFiles)
    return error(cli, "out of memory");
  int onlyFiles = 0;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    if (onlyFiles || a[0] != '-' || a[1] == '\0') {
      opts->inFiles[opts->numInFiles++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      onlyFiles = 1;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      opts->help = 1;
    } else if (strcmp(a, "--print") == 0) {
      opts->print = 1;
    } else if (strcmp(a, "--full") == 0) {
      opts->full = 1;
    } else if (strcmp(a, "--entry") == 0 || strcmp(a, "-o") == 0 ||
               strcmp(a, "--output") == 0) {
      if (i + 1 >= argc)
        return error(cli, "option '%s' requires an argument", a);
      const char *v = argv[++i];
      if (strcmp(a, "--entry") == 0)
        opts->entry = v;
      else
        opts->outFiles[opts->numOutFiles++] = v;
    } else if (strncmp(a, "--entry=", 8) == 0) {
      opts->entry = a + 8;
    } else if (strncmp(a, "--output=", 9) == 0) {
      opts->outFiles[opts->numOutFiles++] = a + 9;
    } else {
      return error(cli, "unknown option '%s' (see --help)", a);
    }
  }
  if (opts->entry && !*opts->entry)
    return error(cli, "option '--entry' requires a non-empty name");
  for (size_t i = 0; i < opts->numOutFiles; ++i)
    if (!*opts->outFiles[i])
      return error(cli, "option '-o' requires a non-empty file name");
  return 0;
}

/// Runs the program once the signature has been parsed. Returns the exit
/// code.
static int run(const Names *cli, const kiln_signature_t *sig,
               const kiln_entry_t *table, const Options *opts) {
  char err[1024];
  char names[512];
  if (sig->num_entries == 0)
    return error(cli, "module has no entry points");
  const kiln_sig_entry_t *entry = kiln_signature_find_entry(sig, opts->entry);
  if (!entry) {
    size_t used = 0;
    names[0] = '\0';
    for (size_t i = 0; i < sig->num_entries && used < sizeof(names); ++i) {
      int w = snprintf(names + used, sizeof(names) - used, "%s%s",
                       i ? ", " : "", sig->entries[i].name);
      if (w < 0)
        break;
      used += (size_t)w;
    }
    return error(cli, "unknown entry '%s' (available: %s)", opts->entry, names);
  }
  if (entry->train_of)
    return error(cli,
                 "entry '%s' is a training step: run the program without "
                 "--entry to train (--data PATH --epochs N ...; see --help)",
                 entry->name);
  kiln_entry_fn_t fn = kiln_entry_table_find(table, entry->name);
  if (!fn)
    return error(cli, "entry '%s' is missing from the module's entry table",
                 entry->name);

  joinNames(names, sizeof(names), entry->inputs, entry->num_inputs);
  if (opts->numInFiles < entry->num_inputs)
    return error(cli,
                 "missing input '%s': entry '%s' takes %zu input%s (%s), "
                 "got %zu",
                 entry->inputs[opts->numInFiles].name, entry->name,
                 entry->num_inputs, entry->num_inputs == 1 ? "" : "s", names,
                 opts->numInFiles);
  if (opts->numInFiles > entry->num_inputs)
    return error(cli,
                 "too many inputs: entry '%s' takes %zu input%s%s%s%s, got "
                 "%zu",
                 entry->name, entry->num_inputs,
                 entry->num_inputs == 1 ? "" : "s",
                 entry->num_inputs ? " (" : "", names,
                 entry->num_inputs ? ")" : "", opts->numInFiles);
  if (opts->numOutFiles > entry->num_outputs)
    return error(cli, "too many -o options: entry '%s' has %zu output%s",
                 entry->name, entry->num_outputs,
                 entry->num_outputs == 1 ? "" : "s");
  {
    // Before anything is allocated or read (docs/Reliability.md).
    char what[300], detail[100], args[32], ws[32];
    uint64_t argBytes = kiln_sig_entry_arg_bytes(entry);
    snprintf(what, sizeof(what), "entry '%s'", entry->name);
    snprintf(detail, sizeof(detail), "arguments %s, workspace %s",
             kiln_format_bytes(args, sizeof(args), argBytes),
             kiln_format_bytes(ws, sizeof(ws), entry->workspace));
    uint64_t need = kiln_bytes_add(argBytes, entry->workspace);
    if (kiln_memory_check(what, need, detail, err, sizeof(err)) != KILN_OK)
      return error(cli, "%s", err);
  }

  int rc = 1;
  kiln_tensor_t *params =
      (kiln_tensor_t *)calloc(entry->num_params + 1, sizeof(kiln_tensor_t));
  kiln_tensor_t *states =
      (kiln_tensor_t *)calloc(entry->num_states + 1, sizeof(kiln_tensor_t));
  kiln_tensor_t *inputs =
      (kiln_tensor_t *)calloc(entry->num_inputs + 1, sizeof(kiln_tensor_t));
  kiln_tensor_t *outputs =
      (kiln_tensor_t *)calloc(entry->num_outputs + 1, sizeof(kiln_tensor_t));
  size_t numPtrs = entry->num_params + entry->num_states + entry->num_inputs +
                   entry->num_outputs;
  kiln_tensor_t **ptrs =
      (kiln_tensor_t **)calloc(numPtrs + 1, sizeof(kiln_tensor_t *));
  if (!params || !states || !inputs || !outputs || !ptrs) {
    error(cli, "out of memory");
    goto done;
  }

  for (size_t i = 0; i < entry->num_inputs; ++i) {
    const char *file = opts->inFiles[i];
    if (kiln_npy_read(file, &inputs[i], err, sizeof(err)) != KILN_OK) {
      error(cli, "%s", err);
      goto done;
    }
    if (kiln_sig_arg_check(&entry->inputs[i], &inputs[i], err, sizeof(err)) !=
        KILN_OK) {
      error(cli, "%s: %s", file, err);
      goto done;
    }
  }
  for (size_t i = 0; i < entry->num_params; ++i) {
    if (kiln_sig_arg_alloc(&entry->params[i], &params[i], err, sizeof(err)) !=
            KILN_OK ||
        kiln_sig_arg_init(&entry->params[i], &params[i], err, sizeof(err)) !=
            KILN_OK) {
      error(cli, "%s", err);
      goto done;
    }
  }
  // States (of an entry that is not a training step) start at zero.
  for (size_t i = 0; i < entry->num_states; ++i) {
    if (kiln_sig_arg_alloc(&entry->states[i], &states[i], err, sizeof(err)) !=
        KILN_OK) {
      error(cli, "%s", err);
      goto done;
    }
  }
  for (size_t i = 0; i < entry->num_outputs; ++i) {
    if (kiln_sig_arg_alloc(&entry->outputs[i], &outputs[i], err, sizeof(err)) !=
        KILN_OK) {
      error(cli, "%s", err);
      goto done;
    }
  }

  {
    kiln_tensor_t **p = ptrs, **st = ptrs + entry->num_params,
                  **in = st + entry->num_states, **out = in + entry->num_inputs;
    for (size_t i = 0; i < entry->num_params; ++i)
      p[i] = &params[i];
    for (size_t i = 0; i < entry->num_states; ++i)
      st[i] = &states[i];
    for (size_t i = 0; i < entry->num_inputs; ++i)
      in[i] = &inputs[i];
    for (size_t i = 0; i < entry->num_outputs; ++i)
      out[i] = &outputs[i];
    if (kiln_call_entry(entry, fn, p, entry->num_params, st, entry->num_states,
                        in, entry->num_inputs, out, entry->num_outputs, err,
                        sizeof(err)) != KILN_OK) {
      error(cli, "%s", err);
      goto done;
    }
  }

  for (size_t i = 0; i < opts->numOutFiles; ++i) {
    if (kiln_npy_write(opts->outFiles[i], &outputs[i], err, sizeof(err)) !=
        KILN_OK) {
      error(cli, "%s", err);
      goto done;
    }
  }
  if (opts->print || opts->numOutFiles == 0) {
    for (size_t i = 0; i < entry->num_outputs; ++i) {
      char desc[256];
      printf("output %s: %s\n", entry->outputs[i].name,
             kiln_sig_arg_format(desc, sizeof(desc), &entry->outputs[i]));
      kiln_tensor_print(stdout, &outputs[i],
                        opts->full ? 0 : KILN_PRINT_THRESHOLD);
    }
  }
  if (fflush(stdout) != 0) {
    error(cli, "cannot write to standard output");
    goto done;
  }
  rc = 0;

done:
  freeTensors(params, entry->num_params);
  freeTensors(states, entry->num_states);
  freeTensors(inputs, entry->num_inputs);
  freeTensors(outputs, entry->num_outputs);
  free(ptrs);
  return rc;
}

/// Whether \p name (or "NAME=...") is among the options, before any "--".
static int findOption(int argc, char **argv, const char *name) {
  size_t n = strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--") == 0)
      return 0;
    if (strncmp(argv[i], name, n) == 0 &&
        (argv[i][n] == '\0' || argv[i][n] == '='))
      return 1;
  }
  return 0;
}

static int wantsHelp(int argc, char **argv) {
  return findOption(argc, argv, "--help") || findOption(argc, argv, "-h");
}

/// Keeps freed buffers in the process. Compiled code allocates its
/// temporaries (activations, gradients) with malloc on every call and frees
/// them before returning; with glibc's defaults every block above 128 KiB is
/// a fresh mmap, returned to the system on free, so each training step
/// page-faults its way through all of its temporaries again (7x slower for
/// the MNIST MLP at batch 128). Raising the mmap and trim thresholds makes
/// glibc reuse the same memory step after step. These are the settings
/// ../shared/notes/baselines.md gives PyTorch through GLIBC_TUNABLES;
/// environment tunables set by the user still take precedence.
static void tuneAllocator(void) {
#if defined(__GLIBC__)
  if (getenv("GLIBC_TUNABLES"))
    return;
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
}

int kiln_run_main(int argc, char **argv, const char *prog_name,
                  const char *usage, const char *signature,
                  const kiln_entry_t *table) {
  tuneAllocator();
  Names cli = {"prog", NULL};
  if (prog_name && *prog_name) {
    cli.prog = prog_name;
  } else if (argc > 0 && argv && argv[0] && *argv[0]) {
    const char *slash = strrchr(argv[0], '/');
    cli.prog = slash ? slash + 1 : argv[0];
  }
  cli.usage = usage && *usage ? usage : cli.prog;
  if (!argv)
    argc = 0;

  char err[1024];
  kiln_signature_t sig;
  if (!signature || !table)
    return error(&cli, "corrupt module: no %s",
                 signature ? "entry table" : "signature");
  if (kiln_signature_parse(signature, &sig, err, sizeof(err)) != KILN_OK)
    return error(&cli, "corrupt module signature: %s", err);
  // A module with a training step trains, unless --entry asks to run an
  // entry on .npy inputs; its --help is the trainer's, which lists both.
  if (kiln_signature_find_train_entry(&sig) &&
      (wantsHelp(argc, argv) || !findOption(argc, argv, "--entry"))) {
    int rc = kiln_train_main(argc, argv, cli.prog, cli.usage, &sig, table);
    kiln_signature_free(&sig);
    return rc;
  }
  Options opts;
  int rc = parseArgs(&cli, argc, argv, &opts);
  if (rc == 0) {
    if (opts.help) {
      printHelp(stdout, &cli, &sig);
      if (fflush(stdout) != 0)
        rc = error(&cli, "cannot write to standard output");
    } else {
      rc = run(&cli, &sig, table, &opts);
    }
  }
  free(opts.outFiles);
  free(opts.inFiles);
  kiln_signature_free(&sig);
  return rc;
}
