//===- Signature.c - Kiln module signature parser -------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Parses the `kiln_module_signature` text that every compiled module
/// exports (format in docs/Runtime.md) and implements the argument helpers
/// built on it.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"

#include "kiln/Runtime/Png.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/// Maximum number of space-separated fields on one signature line.
enum { KILN_SIG_MAX_FIELDS = 64 };

static char *dupRange(const char *s, size_t n) {
  char *r = (char *)malloc(n + 1);
  if (r) {
    memcpy(r, s, n);
    r[n] = '\0';
  }
  return r;
}

const char *kiln_arg_kind_name(kiln_arg_kind_t kind) {
  switch (kind) {
  case KILN_ARG_PARAM:
    return "param";
  case KILN_ARG_INPUT:
    return "input";
  case KILN_ARG_OUTPUT:
    return "output";
  case KILN_ARG_STATE:
    return "state";
  }
  return "argument";
}

//===----------------------------------------------------------------------===//
// Freeing and lookup
//===----------------------------------------------------------------------===//

/// Frees the strings a parsed record owns besides its name.
static void freeArgKeys(kiln_sig_arg_t *arg) {
  free(arg->of);
  free(arg->out_name);
  free(arg->image);
  arg->of = arg->out_name = arg->image = NULL;
}

static void freeArgs(kiln_sig_arg_t *args, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    free(args[i].name);
    freeArgKeys(&args[i]);
  }
  free(args);
}

void kiln_signature_free(kiln_signature_t *sig) {
  if (!sig)
    return;
  for (size_t i = 0; i < sig->num_entries; ++i) {
    kiln_sig_entry_t *e = &sig->entries[i];
    free(e->name);
    free(e->train_of);
    free(e->phase);
    freeArgs(e->params, e->num_params);
    freeArgs(e->states, e->num_states);
    freeArgs(e->inputs, e->num_inputs);
    freeArgs(e->outputs, e->num_outputs);
  }
  free(sig->entries);
  memset(sig, 0, sizeof(*sig));
}

const kiln_sig_entry_t *kiln_signature_find_entry(const kiln_signature_t *sig,
                                                  const char *name) {
  if (!sig || sig->num_entries == 0)
    return NULL;
  if (!name)
    return &sig->entries[0];
  for (size_t i = 0; i < sig->num_entries; ++i)
    if (strcmp(sig->entries[i].name, name) == 0)
      return &sig->entries[i];
  return NULL;
}

const kiln_sig_entry_t *
kiln_signature_find_train_entry(const kiln_signature_t *sig) {
  if (!sig)
    return NULL;
  for (size_t i = 0; i < sig->num_entries; ++i)
    if (sig->entries[i].train_of)
      return &sig->entries[i];
  return NULL;
}

size_t kiln_signature_phases(const kiln_signature_t *sig, const char *eval,
                             const kiln_sig_entry_t **out, size_t max) {
  if (!sig || !eval)
    return 0;
  size_t n = 0;
  for (size_t i = 0; i < sig->num_entries; ++i) {
    const kiln_sig_entry_t *e = &sig->entries[i];
    if (!e->train_of || strcmp(e->train_of, eval) != 0)
      continue;
    if (out && n < max)
      out[n] = e;
    ++n;
  }
  return n;
}

kiln_entry_fn_t kiln_entry_table_find(const kiln_entry_t *table,
                                      const char *name) {
  if (!table || !name)
    return NULL;
  for (const kiln_entry_t *e = table; e->name; ++e)
    if (strcmp(e->name, name) == 0)
      return e->fn;
  return NULL;
}

//===----------------------------------------------------------------------===//
// Parser
//===----------------------------------------------------------------------===//

typedef struct SigParser {
  kiln_signature_t *sig;
  /// Capacities of the current entry's arrays.
  size_t capParams, capStates, capInputs, capOutputs, capEntries;
  /// Line of each entry record (capacity capEntries), for errors found
  /// after parsing.
  unsigned *entryLines;
  unsigned line;
  char *err;
  size_t errSize;
} SigParser;

static kiln_status_t sigFail(SigParser *sp, kiln_status_t st, const char *fmt,
                             ...) KILN_PRINTF_FORMAT(3, 4);

/// Formats "signature line N: <message>" into the error buffer.
static kiln_status_t sigFail(SigParser *sp, kiln_status_t st, const char *fmt,
                             ...) {
  if (sp->err && sp->errSize) {
    int n = snprintf(sp->err, sp->errSize, "signature line %u: ", sp->line);
    if (n >= 0 && (size_t)n < sp->errSize) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(sp->err + n, sp->errSize - (size_t)n, fmt, ap);
      va_end(ap);
    }
  }
  return st;
}

/// Parses a complete decimal unsigned 64-bit integer.
static int parseU64(const char *s, uint64_t *out) {
  if (*s < '0' || *s > '9')
    return 0;
  uint64_t v = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9')
      return 0;
    if (__builtin_mul_overflow(v, (uint64_t)10, &v) ||
        __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
      return 0;
  }
  *out = v;
  return 1;
}

/// Parses a complete decimal signed 64-bit integer.
static int parseI64(const char *s, int64_t *out) {
  int neg = *s == '-';
  uint64_t mag;
  if (!parseU64(s + neg, &mag))
    return 0;
  if (neg ? mag > (uint64_t)INT64_MAX + 1 : mag > (uint64_t)INT64_MAX)
    return 0;
  *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
  return 1;
}

/// Parses a complete finite floating-point number.
static int parseF64(const char *s, double *out) {
  if (!*s)
    return 0;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (*end != '\0' || errno == ERANGE || v != v || v - v != 0)
    return 0;
  *out = v;
  return 1;
}

static kiln_status_t growArray(void **array, size_t *cap, size_t need,
                               size_t elemSize) {
  if (need <= *cap)
    return KILN_OK;
  size_t ncap = *cap ? *cap * 2 : 4;
  while (ncap < need)
    ncap *= 2;
  void *p = realloc(*array, ncap * elemSize);
  if (!p)
    return KILN_ERR_NOMEM;
  *array = p;
  *cap = ncap;
  return KILN_OK;
}

static int argNameTaken(const kiln_sig_arg_t *args, size_t n,
                        const char *name) {
  for (size_t i = 0; i < n; ++i)
    if (strcmp(args[i].name, name) == 0)
      return 1;
  return 0;
}

/// Parses a complete 0 or 1.
static int parseFlag(const char *s, int *out) {
  if ((s[0] != '0' && s[0] != '1') || s[1] != '\0')
    return 0;
  *out = s[0] == '1';
  return 1;
}

/// Replaces \p *field by a copy of \p val. Returns 0 when out of memory.
static int setString(char **field, const char *val) {
  free(*field);
  *field = dupRange(val, strlen(val));
  return *field != NULL;
}

/// Parses the key=value fields of a param, state, input or output record
/// into \p arg. Each kind has its own keys; unknown keys are ignored.
static kiln_status_t parseKeys(SigParser *sp, char **fields, size_t nfields,
                               kiln_sig_arg_t *arg) {
  const char *kindName = kiln_arg_kind_name(arg->kind);
  int haveInit = 0;
  for (size_t i = 4; i < nfields; ++i) {
    char *eq = strchr(fields[i], '=');
    if (!eq || eq == fields[i])
      return sigFail(sp, KILN_ERR_FORMAT, "expected key=value, found '%s'",
                     fields[i]);
    *eq = '\0';
    const char *key = fields[i], *val = eq + 1;
    int ok = 1;
    if (arg->kind == KILN_ARG_PARAM) {
      if (strcmp(key, "init") == 0) {
        arg->init = kiln_init_kind_from_name(val);
        if (arg->init == KILN_INIT_INVALID)
          return sigFail(sp, KILN_ERR_FORMAT,
                         "param '%s': unknown initializer '%s'", arg->name,
                         val);
        haveInit = 1;
      } else if (strcmp(key, "seed") == 0) {
        ok = parseU64(val, &arg->seed);
      } else if (strcmp(key, "a") == 0) {
        ok = parseF64(val, &arg->a);
      } else if (strcmp(key, "b") == 0) {
        ok = parseF64(val, &arg->b);
      } else if (strcmp(key, "fan_in") == 0) {
        ok = parseI64(val, &arg->fan_in);
      } else if (strcmp(key, "fan_out") == 0) {
        ok = parseI64(val, &arg->fan_out);
      } else if (strcmp(key, "inout") == 0) {
        ok = parseFlag(val, &arg->inout);
      } else if (strcmp(key, "buffer") == 0) {
        ok = parseFlag(val, &arg->is_buffer);
      }
    } else if (arg->kind == KILN_ARG_STATE) {
      if (strcmp(key, "of") == 0) {
        ok = *val != '\0';
        if (ok && !setString(&arg->of, val))
          return sigFail(sp, KILN_ERR_NOMEM, "out of memory");
      } else if (strcmp(key, "inout") == 0) {
        // States are always updated in place: only inout=1 is valid.
        ok = strcmp(val, "1") == 0;
      }
    } else if (arg->kind == KILN_ARG_INPUT) {
      if (strcmp(key, "role") == 0) {
        if (strcmp(val, "step") != 0)
          return sigFail(sp, KILN_ERR_FORMAT, "input '%s': unknown role '%s'",
                         arg->name, val);
        arg->is_step = 1;
      }
    } else if (arg->kind == KILN_ARG_OUTPUT) {
      int isName = strcmp(key, "name") == 0;
      if (isName || strcmp(key, "image") == 0) {
        // Image names become file names: no '/'.
        if (!isName && strchr(val, '/'))
          return sigFail(sp, KILN_ERR_FORMAT,
                         "output '%s': image=%s cannot be used as a file "
                         "name (it contains '/')",
                         arg->name, val);
        ok = *val != '\0';
        if (ok && !setString(isName ? &arg->out_name : &arg->image, val))
          return sigFail(sp, KILN_ERR_NOMEM, "out of memory");
      }
    }
    // Unknown keys are ignored: forward compatibility.
    if (!ok)
      return sigFail(sp, KILN_ERR_FORMAT,
                     "%s '%s': invalid value '%s' for key '%s'", kindName,
                     arg->name, val, key);
  }
  if (arg->kind == KILN_ARG_PARAM && !haveInit)
    return sigFail(sp, KILN_ERR_FORMAT, "param '%s': missing init=KIND",
                   arg->name);
  if (arg->kind == KILN_ARG_STATE)
    arg->inout = 1;
  return KILN_OK;
}

/// Checks the kind-specific rules of a parsed record against the entry it
/// belongs to: a state's `of=` names a param of the entry; an entry has at
/// most one `role=step` input, an i64 scalar; output names and image names
/// are unique within the entry, and an image output is f32 with a shape
/// kiln_image_shape() accepts.
static kiln_status_t checkRecord(SigParser *sp, const kiln_sig_entry_t *e,
                                 const kiln_sig_arg_t *arg) {
  char type[KILN_MAX_RANK * 21 + 16];
  if (arg->kind == KILN_ARG_OUTPUT) {
    for (size_t i = 0; i < e->num_outputs; ++i) {
      const kiln_sig_arg_t *o = &e->outputs[i];
      if (arg->out_name && o->out_name &&
          strcmp(arg->out_name, o->out_name) == 0)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "output '%s': name=%s is already the name of output "
                       "'%s' of entry '%s'",
                       arg->name, arg->out_name, o->name, e->name);
      if (arg->image && o->image && strcmp(arg->image, o->image) == 0)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "output '%s': image=%s is already the image of output "
                       "'%s' of entry '%s'",
                       arg->name, arg->image, o->name, e->name);
    }
    if (arg->image && (arg->dtype != KILN_F32 ||
                       !kiln_image_shape(arg->rank, arg->shape, NULL, NULL,
                                         NULL)))
      return sigFail(sp, KILN_ERR_FORMAT,
                     "output '%s': image=%s needs an f32 output of shape "
                     "NxHxW, Nx1xHxW or NxP with P a perfect square; got %s",
                     arg->name, arg->image,
                     kiln_sig_arg_format(type, sizeof(type), arg));
  }
  if (arg->kind == KILN_ARG_STATE && arg->of &&
      !argNameTaken(e->params, e->num_params, arg->of))
    return sigFail(sp, KILN_ERR_FORMAT,
                   "state '%s': of=%s is not a param of entry '%s'", arg->name,
                   arg->of, e->name);
  if (arg->is_step) {
    if (arg->dtype != KILN_I64 || arg->rank != 0) {
      return sigFail(sp, KILN_ERR_FORMAT,
                     "input '%s': role=step needs an i64 scalar, got %s",
                     arg->name, kiln_sig_arg_format(type, sizeof(type), arg));
    }
    for (size_t i = 0; i < e->num_inputs; ++i)
      if (e->inputs[i].is_step)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "input '%s': entry '%s' already has a role=step input "
                       "'%s'",
                       arg->name, e->name, e->inputs[i].name);
  }
  return KILN_OK;
}

static kiln_status_t parseArgRecord(SigParser *sp, kiln_arg_kind_t kind,
                                    char **fields, size_t nfields) {
  const char *kindName = kiln_arg_kind_name(kind);
  kiln_signature_t *sig = sp->sig;
  if (sig->num_entries == 0)
    return sigFail(sp, KILN_ERR_FORMAT, "'%s' record before any 'entry'",
                   kindName);
  if (nfields < 4)
    return sigFail(sp, KILN_ERR_FORMAT,
                   "'%s' record needs a name, a dtype and a shape", kindName);
  kiln_sig_entry_t *e = &sig->entries[sig->num_entries - 1];
  kiln_sig_arg_t arg;
  memset(&arg, 0, sizeof(arg));
  arg.kind = kind;
  arg.name = fields[1];
  arg.dtype = kiln_dtype_from_name(fields[2]);
  if (arg.dtype == KILN_DTYPE_INVALID)
    return sigFail(sp, KILN_ERR_FORMAT, "%s '%s': unknown dtype '%s'", kindName,
                   arg.name, fields[2]);
  char shapeErr[160];
  if (kiln_shape_parse(fields[3], &arg.rank, arg.shape, shapeErr,
                       sizeof(shapeErr)) != KILN_OK)
    return sigFail(sp, KILN_ERR_FORMAT, "%s '%s': %s", kindName, arg.name,
                   shapeErr);
  // From here on arg.of, arg.out_name and arg.image may own memory.
  kiln_status_t st = parseKeys(sp, fields, nfields, &arg);
  if (st == KILN_OK)
    st = checkRecord(sp, e, &arg);
  if (st != KILN_OK) {
    freeArgKeys(&arg);
    return st;
  }

  kiln_sig_arg_t **list;
  size_t *count, *cap;
  switch (kind) {
  case KILN_ARG_PARAM:
    list = &e->params, count = &e->num_params, cap = &sp->capParams;
    break;
  case KILN_ARG_STATE:
    list = &e->states, count = &e->num_states, cap = &sp->capStates;
    break;
  case KILN_ARG_INPUT:
    list = &e->inputs, count = &e->num_inputs, cap = &sp->capInputs;
    break;
  default:
    list = &e->outputs, count = &e->num_outputs, cap = &sp->capOutputs;
    break;
  }
  // Params, states and inputs share one namespace; outputs have their own.
  int dup = kind == KILN_ARG_OUTPUT
                ? argNameTaken(e->outputs, e->num_outputs, arg.name)
                : argNameTaken(e->params, e->num_params, arg.name) ||
                      argNameTaken(e->states, e->num_states, arg.name) ||
                      argNameTaken(e->inputs, e->num_inputs, arg.name);
  if (dup)
    st = sigFail(sp, KILN_ERR_FORMAT, "duplicate %s name '%s' in entry '%s'",
                 kindName, arg.name, e->name);
  else if (growArray((void **)list, cap, *count + 1, sizeof(kiln_sig_arg_t)) !=
               KILN_OK ||
           !(arg.name = dupRange(arg.name, strlen(arg.name))))
    st = sigFail(sp, KILN_ERR_NOMEM, "out of memory");
  if (st != KILN_OK) {
    freeArgKeys(&arg);
    return st;
  }
  (*list)[(*count)++] = arg;
  return KILN_OK;
}

static kiln_status_t parseEntryRecord(SigParser *sp, char **fields,
                                      size_t nfields) {
  kiln_signature_t *sig = sp->sig;
  if (nfields < 2)
    return sigFail(sp, KILN_ERR_FORMAT, "'entry' record needs a name");
  const char *trainOf = NULL, *phase = NULL;
  uint64_t workspace = 0;
  for (size_t i = 2; i < nfields; ++i) {
    const char *eq = strchr(fields[i], '=');
    if (!eq || eq == fields[i])
      return sigFail(sp, KILN_ERR_FORMAT, "unexpected field '%s'", fields[i]);
    if ((size_t)(eq - fields[i]) == 5 && strncmp(fields[i], "train", 5) == 0) {
      trainOf = eq + 1;
      if (!*trainOf)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "entry '%s': train= needs the name of an entry",
                       fields[1]);
      if (strcmp(trainOf, fields[1]) == 0)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "entry '%s': train=%s names the entry itself", fields[1],
                       trainOf);
    } else if ((size_t)(eq - fields[i]) == 9 &&
               strncmp(fields[i], "workspace", 9) == 0) {
      const char *v = eq + 1;
      char *end = NULL;
      unsigned long long bytes = 0;
      if (*v >= '0' && *v <= '9')
        bytes = strtoull(v, &end, 10);
      if (!end || *end || bytes > (unsigned long long)INT64_MAX)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "entry '%s': workspace=%s is not a number of bytes",
                       fields[1], v);
      workspace = (uint64_t)bytes;
    } else if ((size_t)(eq - fields[i]) == 5 &&
               strncmp(fields[i], "phase", 5) == 0) {
      phase = eq + 1;
      if (!*phase)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "entry '%s': phase= needs the name of a phase",
                       fields[1]);
    }
    // Other keys are ignored (forward compatibility).
  }
  if (phase && !trainOf)
    return sigFail(sp, KILN_ERR_FORMAT,
                   "entry '%s': phase=%s needs train=EVAL (only training "
                   "steps have phases)",
                   fields[1], phase);
  if (kiln_signature_find_entry(sig, fields[1]))
    return sigFail(sp, KILN_ERR_FORMAT, "duplicate entry '%s'", fields[1]);
  size_t capEntries = sp->capEntries;
  if (growArray((void **)&sig->entries, &sp->capEntries, sig->num_entries + 1,
                sizeof(kiln_sig_entry_t)) != KILN_OK)
    return sigFail(sp, KILN_ERR_NOMEM, "out of memory");
  if (sp->capEntries != capEntries) {
    unsigned *lines =
        (unsigned *)realloc(sp->entryLines, sp->capEntries * sizeof(unsigned));
    if (!lines)
      return sigFail(sp, KILN_ERR_NOMEM, "out of memory");
    sp->entryLines = lines;
  }
  kiln_sig_entry_t *e = &sig->entries[sig->num_entries];
  memset(e, 0, sizeof(*e));
  e->workspace = workspace;
  e->name = dupRange(fields[1], strlen(fields[1]));
  if (!e->name)
    return sigFail(sp, KILN_ERR_NOMEM, "out of memory");
  // Counted from here on, so kiln_signature_free() releases it.
  ++sig->num_entries;
  if ((trainOf && !(e->train_of = dupRange(trainOf, strlen(trainOf)))) ||
      (phase && !(e->phase = dupRange(phase, strlen(phase)))))
    return sigFail(sp, KILN_ERR_NOMEM, "out of memory");
  sp->entryLines[sig->num_entries - 1] = sp->line;
  sp->capParams = sp->capStates = sp->capInputs = sp->capOutputs = 0;
  return KILN_OK;
}

/// Checks what can only be checked once every entry is known: each
/// `train=EVAL` names an entry that is not itself a training step, and when
/// several training steps name the same EVAL (the phases of its training
/// step), each has a phase name, distinct from the others'.
static kiln_status_t checkTrainTargets(SigParser *sp) {
  const kiln_signature_t *sig = sp->sig;
  for (size_t i = 0; i < sig->num_entries; ++i) {
    const kiln_sig_entry_t *e = &sig->entries[i];
    if (!e->train_of)
      continue;
    sp->line = sp->entryLines[i];
    const kiln_sig_entry_t *eval = kiln_signature_find_entry(sig, e->train_of);
    if (!eval)
      return sigFail(sp, KILN_ERR_FORMAT,
                     "entry '%s': train=%s is not an entry of the module",
                     e->name, e->train_of);
    if (eval->train_of)
      return sigFail(sp, KILN_ERR_FORMAT,
                     "entry '%s': train=%s names another training step",
                     e->name, e->train_of);
    for (size_t j = 0; j < sig->num_entries; ++j) {
      const kiln_sig_entry_t *o = &sig->entries[j];
      if (j == i || !o->train_of || strcmp(o->train_of, e->train_of) != 0)
        continue;
      if (!e->phase)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "entry '%s': entry '%s' also has train=%s; the "
                       "training steps of one entry are its phases, and each "
                       "needs phase=NAME",
                       e->name, o->name, e->train_of);
      if (j < i && o->phase && strcmp(o->phase, e->phase) == 0)
        return sigFail(sp, KILN_ERR_FORMAT,
                       "entry '%s': phase=%s is already the name of entry "
                       "'%s', a phase of the same training step (train=%s)",
                       e->name, e->phase, o->name, e->train_of);
    }
  }
  return KILN_OK;
}

static kiln_status_t parseLine(SigParser *sp, char *line) {
  char *fields[KILN_SIG_MAX_FIELDS];
  size_t n = 0;
  for (char *p = line; *p;) {
    while (*p == ' ' || *p == '\t')
      *p++ = '\0';
    if (!*p)
      break;
    if (n == KILN_SIG_MAX_FIELDS)
      return sigFail(sp, KILN_ERR_FORMAT, "too many fields");
    fields[n++] = p;
    while (*p && *p != ' ' && *p != '\t')
      ++p;
  }
  if (n == 0 || fields[0][0] == '#')
    return KILN_OK;
  const char *kw = fields[0];
  if (sp->sig->abi_version == 0) {
    if (strcmp(kw, "kiln-abi") != 0)
      return sigFail(sp, KILN_ERR_FORMAT,
                     "expected 'kiln-abi %d' header, found '%s'",
                     KILN_ABI_VERSION, kw);
    uint64_t v;
    if (n < 2 || !parseU64(fields[1], &v) || v == 0)
      return sigFail(sp, KILN_ERR_FORMAT, "malformed 'kiln-abi' record");
    if (v != KILN_ABI_VERSION)
      return sigFail(sp, KILN_ERR_UNSUPPORTED,
                     "unsupported ABI version %llu (this runtime supports "
                     "%d)",
                     (unsigned long long)v, KILN_ABI_VERSION);
    sp->sig->abi_version = (int)v;
    return KILN_OK;
  }
  if (strcmp(kw, "entry") == 0)
    return parseEntryRecord(sp, fields, n);
  if (strcmp(kw, "param") == 0)
    return parseArgRecord(sp, KILN_ARG_PARAM, fields, n);
  if (strcmp(kw, "state") == 0)
    return parseArgRecord(sp, KILN_ARG_STATE, fields, n);
  if (strcmp(kw, "input") == 0)
    return parseArgRecord(sp, KILN_ARG_INPUT, fields, n);
  if (strcmp(kw, "output") == 0)
    return parseArgRecord(sp, KILN_ARG_OUTPUT, fields, n);
  if (strcmp(kw, "kiln-abi") == 0)
    return sigFail(sp, KILN_ERR_FORMAT, "duplicate 'kiln-abi' record");
  return sigFail(sp, KILN_ERR_FORMAT, "unknown record '%s'", kw);
}

kiln_status_t kiln_signature_parse(const char *text, kiln_signature_t *sig,
                                   char *err, size_t errSize) {
  if (!sig)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_signature_parse: null signature");
  memset(sig, 0, sizeof(*sig));
  if (!text)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_signature_parse: null text");
  SigParser sp;
  memset(&sp, 0, sizeof(sp));
  sp.sig = sig;
  sp.err = err;
  sp.errSize = errSize;
  kiln_status_t st = KILN_OK;
  const char *p = text;
  while (*p && st == KILN_OK) {
    ++sp.line;
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len && p[len - 1] == '\r')
      --len;
    char *line = dupRange(p, len);
    if (!line) {
      st = sigFail(&sp, KILN_ERR_NOMEM, "out of memory");
      break;
    }
    st = parseLine(&sp, line);
    free(line);
    p = nl ? nl + 1 : p + len;
    if (!nl)
      break;
  }
  if (st == KILN_OK && sig->abi_version == 0)
    st = kiln_fail(KILN_ERR_FORMAT, err, errSize,
                   "signature: missing 'kiln-abi %d' header", KILN_ABI_VERSION);
  if (st == KILN_OK)
    st = checkTrainTargets(&sp);
  free(sp.entryLines);
  if (st != KILN_OK)
    kiln_signature_free(sig);
  return st;
}

//===----------------------------------------------------------------------===//
// Argument helpers
//===----------------------------------------------------------------------===//

char *kiln_sig_arg_format(char *buf, size_t bufSize,
                          const kiln_sig_arg_t *arg) {
  char shape[KILN_MAX_RANK * 21 + 8];
  kiln_shape_format(shape, sizeof(shape), arg->rank, arg->shape);
  snprintf(buf, bufSize, "%s %s", shape, kiln_dtype_name(arg->dtype));
  return buf;
}

kiln_status_t kiln_sig_arg_check(const kiln_sig_arg_t *arg,
                                 const kiln_tensor_t *t, char *err,
                                 size_t errSize) {
  const char *kind = kiln_arg_kind_name(arg->kind);
  if (!t || !t->data)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize, "missing %s '%s'", kind,
                     arg->name);
  int same = t->dtype == arg->dtype && t->rank == arg->rank;
  for (int32_t i = 0; same && i < arg->rank; ++i)
    same = t->shape[i] == arg->shape[i];
  if (same)
    return KILN_OK;
  char want[KILN_MAX_RANK * 21 + 16], got[KILN_MAX_RANK * 21 + 16];
  kiln_sig_arg_format(want, sizeof(want), arg);
  char gotShape[KILN_MAX_RANK * 21 + 8];
  kiln_shape_format(gotShape, sizeof(gotShape),
                    t->rank >= 0 && t->rank <= KILN_MAX_RANK ? t->rank : 0,
                    t->shape);
  snprintf(got, sizeof(got), "%s %s", gotShape, kiln_dtype_name(t->dtype));
  return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                   "%s '%s': expected shape %s, got %s", kind, arg->name, want,
                   got);
}

kiln_status_t kiln_sig_arg_alloc(const kiln_sig_arg_t *arg, kiln_tensor_t *t,
                                 char *err, size_t errSize) {
  kiln_status_t st =
      kiln_tensor_alloc(t, arg->dtype, arg->rank, arg->shape, err, errSize);
  if (st != KILN_OK) {
    char prefix[256];
    snprintf(prefix, sizeof(prefix), "%s '%s'", kiln_arg_kind_name(arg->kind),
             arg->name);
    kiln_err_prefix(err, errSize, prefix);
  }
  return st;
}

kiln_status_t kiln_sig_arg_init(const kiln_sig_arg_t *arg, kiln_tensor_t *t,
                                char *err, size_t errSize) {
  kiln_status_t st = kiln_init_param(t, arg->init, arg->seed, arg->a, arg->b,
                                     arg->fan_in, arg->fan_out);
  if (st != KILN_OK)
    return kiln_fail(st, err, errSize,
                     "param '%s': cannot apply initializer %s (fan_in=%lld, "
                     "fan_out=%lld)",
                     arg->name, kiln_init_kind_name(arg->init),
                     (long long)arg->fan_in, (long long)arg->fan_out);
  return KILN_OK;
}
