//===- Train.c - The training loop of compiled Kiln programs --------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// kiln_train_run(): the trainer once its command line, model and data have
/// been checked (TrainCli.c). Initializes or loads the params and optimizer
/// states, resumes from a checkpoint, then for each epoch calls the
/// training step (each of its phases, in order) on every full batch of the
/// epoch's seeded shuffled order, evaluates the held-out set, saves the
/// image outputs, prints progress and a summary line, appends the metrics
/// and writes the checkpoint.
///
/// The whole training state is: params, states, the update count, the
/// position (epoch, batch within the epoch) and the seed. Shuffles are a
/// pure function of (seed, epoch), so a run resumed from a checkpoint visits
/// exactly the batches the uninterrupted run would have, in the same order,
/// and ends with bit-identical params.
///
//===----------------------------------------------------------------------===//

#include "TrainInternal.h"

#include "kiln/Runtime/Memory.h"
#include "kiln/Runtime/Png.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/// Seconds between two updates of the progress bar on a terminal.
#define KILN_PROGRESS_INTERVAL 0.1

/// Width of the progress bar, in characters.
enum { KILN_PROGRESS_WIDTH = 24 };

/// The tensors of one phase of the training step.
typedef struct PhaseRun {
  /// The phase's outputs, and argument lists for kiln_call_entry() (states
  /// and inputs point into the Trainer's shared tensors).
  kiln_tensor_t *outputs;
  kiln_tensor_t **outputPtrs, **statePtrs, **inputPtrs;
  /// Sum of the epoch's losses of this phase.
  double lossSum;
} PhaseRun;

typedef struct Trainer {
  const char *prog;
  const kiln_train_options_t *o;
  const kiln_train_model_t *m;
  const kiln_train_data_t *d;

  /// The params (E's, in signature order), the union of the phases'
  /// states, the data inputs and the step counter shared by the phases.
  kiln_tensor_t *params, *states;
  kiln_tensor_t x, y, stepInput;
  kiln_tensor_t **paramPtrs;
  PhaseRun *runs;
  /// The evaluation entry's outputs, step counter and argument lists.
  kiln_tensor_t *evalOutputs;
  kiln_tensor_t evalStep;
  kiln_tensor_t **evalInputPtrs, **evalOutputPtrs;
  /// Running sums of the training metrics (the first numTrainMetrics of
  /// m->metrics), and the last epoch's metric values (all of m->metrics).
  size_t numTrainMetrics;
  double *metricSums, *metricValues;
  /// The checkpoint's running-sum records (f64 scalars): the losses of
  /// phases 1.. ("loss_PHASE"), then the training metrics.
  size_t numSums;
  char **sumNames;
  kiln_tensor_t *sumTensors;
  /// The params, states and running sums as checkpoint records (borrowed).
  size_t numCkpt;
  kiln_ckpt_tensor_t *ckptTensors;
  uint64_t fingerprint;

  /// Training position: updates done, epoch in progress, batches of it
  /// done, and the running sums of that epoch (besides the phases' and
  /// metrics' sums).
  uint64_t step, epoch, batch;
  uint64_t correct, counted;
  uint64_t seed;

  kiln_batch_iter_t iter;
  FILE *metrics, *stepLog;
  /// Progress display: 0 none, 1 one line per epoch, 2 in place.
  int progress;
  double lastProgress;
  int progressWidth;
  char err[KILN_TRAIN_ERR_SIZE];
} Trainer;

static int fail(Trainer *tr, const char *fmt, ...) KILN_PRINTF_FORMAT(2, 3);

/// Prints "<prog>: error: <message>" to stderr and returns 1.
static int fail(Trainer *tr, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout);
  if (tr->progressWidth) {
    fprintf(stderr, "\n");
    tr->progressWidth = 0;
  }
  fprintf(stderr, "%s: error: ", tr->prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return 1;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

//===----------------------------------------------------------------------===//
// Setup
//===----------------------------------------------------------------------===//

static kiln_tensor_t *allocArray(size_t n) {
  return (kiln_tensor_t *)calloc(n ? n : 1, sizeof(kiln_tensor_t));
}

static kiln_tensor_t **allocPtrs(size_t n) {
  return (kiln_tensor_t **)calloc(n ? n : 1, sizeof(kiln_tensor_t *));
}

static void freeArray(kiln_tensor_t *ts, size_t n) {
  if (!ts)
    return;
  for (size_t i = 0; i < n; ++i)
    kiln_tensor_free(&ts[i]);
  free(ts);
}

static void freeTrainer(Trainer *tr) {
  const kiln_train_model_t *m = tr->m;
  const kiln_sig_entry_t *t = m->train, *e = m->eval;
  freeArray(tr->params, t->num_params);
  freeArray(tr->states, m->num_states);
  kiln_tensor_free(&tr->x);
  kiln_tensor_free(&tr->y);
  kiln_tensor_free(&tr->stepInput);
  free(tr->paramPtrs);
  if (tr->runs)
    for (size_t p = 0; p < m->num_phases; ++p) {
      PhaseRun *r = &tr->runs[p];
      freeArray(r->outputs, m->phases[p].entry->num_outputs);
      free(r->outputPtrs);
      free(r->statePtrs);
      free(r->inputPtrs);
    }
  free(tr->runs);
  freeArray(tr->evalOutputs, e->num_outputs);
  kiln_tensor_free(&tr->evalStep);
  free(tr->evalInputPtrs);
  free(tr->evalOutputPtrs);
  free(tr->metricSums);
  free(tr->metricValues);
  if (tr->sumNames)
    for (size_t i = 0; i < tr->numSums; ++i)
      free(tr->sumNames[i]);
  free(tr->sumNames);
  freeArray(tr->sumTensors, tr->numSums);
  free(tr->ckptTensors);
  kiln_batch_iter_free(&tr->iter);
  if (tr->metrics)
    fclose(tr->metrics);
  if (tr->stepLog)
    fclose(tr->stepLog);
}

/// Allocates \p n tensors shaped like \p args into \p ts and points \p ptrs
/// at them.
static int allocGroup(Trainer *tr, const kiln_sig_arg_t *args, size_t n,
                      kiln_tensor_t *ts, kiln_tensor_t **ptrs) {
  for (size_t i = 0; i < n; ++i) {
    if (kiln_sig_arg_alloc(&args[i], &ts[i], tr->err, sizeof(tr->err)) !=
        KILN_OK)
      return fail(tr, "%s", tr->err);
    if (ptrs)
      ptrs[i] = &ts[i];
  }
  return 0;
}

static int allocScalar(Trainer *tr, kiln_tensor_t *t, kiln_dtype_t dtype) {
  int64_t none[1] = {0};
  if (kiln_tensor_alloc(t, dtype, 0, none, tr->err, sizeof(tr->err)) !=
      KILN_OK)
    return fail(tr, "%s", tr->err);
  return 0;
}

/// Allocates the tensors and argument lists of phase \p p.
static int allocPhase(Trainer *tr, size_t p) {
  const kiln_train_phase_t *ph = &tr->m->phases[p];
  const kiln_sig_entry_t *t = ph->entry;
  PhaseRun *r = &tr->runs[p];
  r->outputs = allocArray(t->num_outputs);
  r->outputPtrs = allocPtrs(t->num_outputs);
  r->statePtrs = allocPtrs(t->num_states);
  r->inputPtrs = allocPtrs(t->num_inputs);
  if (!r->outputs || !r->outputPtrs || !r->statePtrs || !r->inputPtrs)
    return fail(tr, "out of memory");
  if (allocGroup(tr, t->outputs, t->num_outputs, r->outputs, r->outputPtrs))
    return 1;
  for (size_t i = 0; i < t->num_states; ++i)
    r->statePtrs[i] = &tr->states[ph->first_state + i];
  for (size_t i = 0; i < t->num_inputs; ++i)
    r->inputPtrs[i] = (int)i == ph->step ? &tr->stepInput
                      : (int)i == ph->x  ? &tr->x
                                         : &tr->y;
  return 0;
}

/// Allocates every tensor the entries take, and the running sums.
static int allocate(Trainer *tr) {
  const kiln_train_model_t *m = tr->m;
  const kiln_sig_entry_t *t = m->train, *e = m->eval;
  size_t np = m->num_phases;
  for (size_t i = 0; i < m->num_metrics; ++i)
    tr->numTrainMetrics += m->metrics[i].phase >= 0;
  tr->numSums = (np > 1 ? np - 1 : 0) + tr->numTrainMetrics;
  tr->numCkpt = t->num_params + m->num_states + tr->numSums;
  tr->params = allocArray(t->num_params);
  tr->states = allocArray(m->num_states);
  tr->paramPtrs = allocPtrs(t->num_params);
  tr->runs = (PhaseRun *)calloc(np, sizeof(PhaseRun));
  tr->evalOutputs = allocArray(e->num_outputs);
  tr->evalInputPtrs = allocPtrs(e->num_inputs);
  tr->evalOutputPtrs = allocPtrs(e->num_outputs);
  tr->metricSums = (double *)calloc(m->num_metrics + 1, sizeof(double));
  tr->metricValues = (double *)calloc(m->num_metrics + 1, sizeof(double));
  tr->sumNames = (char **)calloc(tr->numSums + 1, sizeof(char *));
  tr->sumTensors = allocArray(tr->numSums);
  tr->ckptTensors = (kiln_ckpt_tensor_t *)calloc(
      tr->numCkpt ? tr->numCkpt : 1, sizeof(kiln_ckpt_tensor_t));
  if (!tr->params || !tr->states || !tr->paramPtrs || !tr->runs ||
      !tr->evalOutputs || !tr->evalInputPtrs || !tr->evalOutputPtrs ||
      !tr->metricSums || !tr->metricValues || !tr->sumNames ||
      !tr->sumTensors || !tr->ckptTensors)
    return fail(tr, "out of memory");
  if (allocGroup(tr, t->params, t->num_params, tr->params, tr->paramPtrs) ||
      allocGroup(tr, &t->inputs[m->x], 1, &tr->x, NULL) ||
      (m->y >= 0 && allocGroup(tr, &t->inputs[m->y], 1, &tr->y, NULL)))
    return 1;
  for (size_t i = 0; i < m->num_states; ++i)
    if (kiln_sig_arg_alloc(m->states[i], &tr->states[i], tr->err,
                           sizeof(tr->err)) != KILN_OK)
      return fail(tr, "%s", tr->err);
  if (allocScalar(tr, &tr->stepInput, KILN_I64) ||
      allocScalar(tr, &tr->evalStep, KILN_I64))
    return 1;
  for (size_t p = 0; p < np; ++p)
    if (allocPhase(tr, p))
      return 1;
  if (allocGroup(tr, e->outputs, e->num_outputs, tr->evalOutputs,
                 tr->evalOutputPtrs))
    return 1;
  // E shares the data tensors of the phases; its step counter (if any) is
  // its own.
  for (size_t i = 0; i < e->num_inputs; ++i)
    tr->evalInputPtrs[i] = (int)i == m->eval_step ? &tr->evalStep
                           : (int)i == m->eval_x  ? &tr->x
                                                  : &tr->y;
  // Running sums: "loss_PHASE" for phases 1.., then the training metrics.
  for (size_t i = 0; i < tr->numSums; ++i) {
    const char *name = i + 1 < np ? m->phases[i + 1].name
                                  : m->metrics[i - (np > 1 ? np - 1 : 0)].name;
    size_t len = strlen(name) + 6;
    if (!(tr->sumNames[i] = (char *)malloc(len)))
      return fail(tr, "out of memory");
    snprintf(tr->sumNames[i], len, "%s%s", i + 1 < np ? "loss_" : "", name);
    if (allocScalar(tr, &tr->sumTensors[i], KILN_F64))
      return 1;
  }
  size_t k = 0;
  for (size_t i = 0; i < t->num_params; ++i, ++k) {
    tr->ckptTensors[k].kind = KILN_CKPT_PARAM;
    tr->ckptTensors[k].name = t->params[i].name;
    tr->ckptTensors[k].tensor = tr->params[i];
  }
  for (size_t i = 0; i < m->num_states; ++i, ++k) {
    tr->ckptTensors[k].kind = KILN_CKPT_STATE;
    tr->ckptTensors[k].name = m->states[i]->name;
    tr->ckptTensors[k].tensor = tr->states[i];
  }
  for (size_t i = 0; i < tr->numSums; ++i, ++k) {
    tr->ckptTensors[k].kind = KILN_CKPT_SUM;
    tr->ckptTensors[k].name = tr->sumNames[i];
    tr->ckptTensors[k].tensor = tr->sumTensors[i];
  }
  tr->fingerprint =
      kiln_checkpoint_fingerprint_phases(m->phase_entries, m->num_phases);
  // The workspace of the largest entry now, so that no step allocates.
  kiln_tensor_t workspace;
  uint64_t workspaceBytes = kiln_train_model_workspace(m);
  if (workspaceBytes && kiln_workspace_get(workspaceBytes, &workspace, tr->err,
                                           sizeof(tr->err)) != KILN_OK)
    return fail(tr, "%s", tr->err);
  return 0;
}

/// Checks that a param name can be used as a file name DIR/<name>.npy.
static int checkParamFileNames(Trainer *tr, const char *flag) {
  const kiln_sig_entry_t *t = tr->m->train;
  for (size_t i = 0; i < t->num_params; ++i)
    if (strchr(t->params[i].name, '/'))
      return fail(tr, "%s: param '%s' cannot be used as a file name", flag,
                  t->params[i].name);
  return 0;
}

/// Builds DIR/<name>.npy.
static int paramPath(char *buf, size_t size, const char *dir,
                     const char *name) {
  size_t n = strlen(dir);
  int w = snprintf(buf, size, "%s%s%s.npy", dir,
                   n && dir[n - 1] == '/' ? "" : "/", name);
  return w > 0 && (size_t)w < size;
}

/// Fills the params with their recorded initializers or from
/// --init-params DIR.
static int initParams(Trainer *tr) {
  const kiln_sig_entry_t *t = tr->m->train;
  const char *dir = tr->o->init_params;
  if (dir && checkParamFileNames(tr, "--init-params"))
    return 1;
  for (size_t i = 0; i < t->num_params; ++i) {
    const kiln_sig_arg_t *a = &t->params[i];
    if (!dir) {
      if (kiln_sig_arg_init(a, &tr->params[i], tr->err, sizeof(tr->err)) !=
          KILN_OK)
        return fail(tr, "%s", tr->err);
      continue;
    }
    char path[4096];
    if (!paramPath(path, sizeof(path), dir, a->name))
      return fail(tr, "%s: path too long", dir);
    kiln_tensor_t loaded;
    if (kiln_npy_read(path, &loaded, tr->err, sizeof(tr->err)) != KILN_OK)
      return fail(tr, "%s", tr->err);
    kiln_status_t st = kiln_sig_arg_check(a, &loaded, tr->err, sizeof(tr->err));
    if (st == KILN_OK)
      memcpy(tr->params[i].data, loaded.data, kiln_tensor_nbytes(&loaded));
    kiln_tensor_free(&loaded);
    if (st != KILN_OK)
      return fail(tr, "%s: %s", path, tr->err);
  }
  return 0;
}

/// Sets the epoch's running sums of the phases' losses (\p first for phase
/// 0, then \p sums as in the checkpoint's running-sum records) and of the
/// training metrics.
static void setSums(Trainer *tr, double first, const double *sums) {
  size_t np = tr->m->num_phases, k = 0;
  tr->runs[0].lossSum = first;
  for (size_t p = 1; p < np; ++p)
    tr->runs[p].lossSum = sums[k++];
  for (size_t i = 0; i < tr->numTrainMetrics; ++i)
    tr->metricSums[i] = sums[k++];
}

/// Checks that the checkpoint has exactly the running sums of this model,
/// each an f64 scalar.
static int checkSums(Trainer *tr, const kiln_checkpoint_t *ck) {
  const char *path = tr->o->resume;
  for (size_t i = 0; i < tr->numSums; ++i) {
    const kiln_ckpt_tensor_t *t =
        kiln_checkpoint_find(ck, KILN_CKPT_SUM, tr->sumNames[i]);
    if (!t)
      return fail(tr,
                  "%s: checkpoint is for a different model: running sum '%s' "
                  "is missing from the checkpoint",
                  path, tr->sumNames[i]);
    if (t->tensor.dtype != KILN_F64 || t->tensor.rank != 0)
      return fail(tr,
                  "%s: corrupt checkpoint: running sum '%s' is not an f64 "
                  "scalar",
                  path, tr->sumNames[i]);
  }
  for (size_t i = 0; i < ck->num_tensors; ++i) {
    const kiln_ckpt_tensor_t *t = &ck->tensors[i];
    int found = t->kind != KILN_CKPT_SUM;
    for (size_t j = 0; j < tr->numSums && !found; ++j)
      found = strcmp(tr->sumNames[j], t->name) == 0;
    if (!found)
      return fail(tr,
                  "%s: checkpoint is for a different model: the checkpoint "
                  "has a running sum '%s' that this model does not have",
                  path, t->name);
  }
  return 0;
}

/// Loads --resume FILE: checks that it belongs to this model, seed, data and
/// batch size, then restores the tensors and the position.
static int resume(Trainer *tr) {
  const char *path = tr->o->resume;
  const kiln_train_model_t *m = tr->m;
  const kiln_sig_entry_t *t = m->train;
  kiln_checkpoint_t ck;
  if (kiln_checkpoint_read(path, &ck, tr->err, sizeof(tr->err)) != KILN_OK)
    return fail(tr, "%s", tr->err);
  int rc = 0;
  int shuffled = (ck.flags & KILN_CKPT_SHUFFLE) != 0;
  uint64_t n = (uint64_t)kiln_dataset_size(&tr->d->train);
  uint64_t nb = n / (uint64_t)m->batch;
  if (kiln_checkpoint_check_phases(&ck, m->phase_entries, m->num_phases,
                                   tr->err, sizeof(tr->err)) != KILN_OK)
    rc = fail(tr, "%s: %s", path, tr->err);
  else if (checkSums(tr, &ck))
    rc = 1;
  else if (ck.batch_size != (uint64_t)m->batch)
    rc = fail(tr,
              "%s: the checkpoint was written with batch size %llu, the "
              "model's is %lld",
              path, (unsigned long long)ck.batch_size, (long long)m->batch);
  else if (tr->o->have_seed && tr->o->seed != ck.seed)
    rc = fail(tr,
              "--seed %llu does not match the checkpoint's seed %llu (%s); "
              "omit --seed to continue with it",
              (unsigned long long)tr->o->seed, (unsigned long long)ck.seed,
              path);
  else if (shuffled == tr->o->no_shuffle)
    rc = fail(tr, "%s: the checkpoint was written %s --no-shuffle; %s", path,
              shuffled ? "without" : "with",
              shuffled ? "drop --no-shuffle to resume"
                       : "pass --no-shuffle to resume");
  else if (ck.train_examples != n)
    rc = fail(tr,
              "%s: the checkpoint was written for a training set of %llu "
              "examples, %s has %llu",
              path, (unsigned long long)ck.train_examples, tr->d->train_name,
              (unsigned long long)n);
  else if (ck.batch > nb || ck.step < ck.batch)
    rc = fail(tr,
              "%s: corrupt checkpoint: position (epoch %llu, batch %llu, step "
              "%llu) is impossible with %llu batches per epoch",
              path, (unsigned long long)ck.epoch, (unsigned long long)ck.batch,
              (unsigned long long)ck.step, (unsigned long long)nb);
  if (rc == 0) {
    for (size_t i = 0; i < t->num_params; ++i)
      memcpy(tr->params[i].data,
             kiln_checkpoint_find(&ck, KILN_CKPT_PARAM, t->params[i].name)
                 ->tensor.data,
             kiln_tensor_nbytes(&tr->params[i]));
    for (size_t i = 0; i < m->num_states; ++i)
      memcpy(tr->states[i].data,
             kiln_checkpoint_find(&ck, KILN_CKPT_STATE, m->states[i]->name)
                 ->tensor.data,
             kiln_tensor_nbytes(&tr->states[i]));
    double *sums = (double *)calloc(tr->numSums + 1, sizeof(double));
    if (!sums) {
      kiln_checkpoint_free(&ck);
      return fail(tr, "out of memory");
    }
    for (size_t i = 0; i < tr->numSums; ++i)
      memcpy(&sums[i],
             kiln_checkpoint_find(&ck, KILN_CKPT_SUM, tr->sumNames[i])
                 ->tensor.data,
             sizeof(double));
    setSums(tr, ck.loss_sum, sums);
    free(sums);
    tr->seed = ck.seed;
    tr->step = ck.step;
    tr->epoch = ck.epoch;
    tr->batch = ck.batch;
    tr->correct = ck.correct;
    tr->counted = ck.counted;
  }
  kiln_checkpoint_free(&ck);
  return rc;
}

/// Opens --metrics and --step-log: appending when resuming, else
/// truncated, but only once both could be opened, so that a failure leaves
/// existing files as they were (and removes files it created).
static int openLogs(Trainer *tr) {
  const char *paths[2] = {tr->o->metrics, tr->o->step_log};
  FILE **files[2] = {&tr->metrics, &tr->stepLog};
  int existed[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    if (!paths[i])
      continue;
    struct stat st;
    existed[i] = stat(paths[i], &st) == 0;
    if ((*files[i] = fopen(paths[i], "a")))
      continue;
    int e = errno;
    for (int k = 0; k < i; ++k) {
      if (!*files[k])
        continue;
      fclose(*files[k]);
      *files[k] = NULL;
      if (!existed[k])
        remove(paths[k]);
    }
    return fail(tr, "%s: cannot open for writing: %s", paths[i], strerror(e));
  }
  // Only regular files are truncated (not /dev/null, a pipe, ...).
  for (int i = 0; i < 2 && !tr->o->resume; ++i) {
    struct stat st;
    if (*files[i] && fstat(fileno(*files[i]), &st) == 0 &&
        S_ISREG(st.st_mode) && ftruncate(fileno(*files[i]), 0) != 0)
      return fail(tr, "%s: cannot truncate: %s", paths[i], strerror(errno));
  }
  return 0;
}

/// Checks that the directory of \p path exists (so that writing it later
/// cannot fail for that reason after training has started).
static int checkParentDir(Trainer *tr, const char *flag, const char *path) {
  char dir[4096];
  const char *slash = strrchr(path, '/');
  if (!slash)
    return 0;
  size_t n = slash == path ? 1 : (size_t)(slash - path);
  if (n >= sizeof(dir))
    return fail(tr, "%s: path too long", path);
  memcpy(dir, path, n);
  dir[n] = '\0';
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return fail(tr, "%s %s: directory '%s' does not exist", flag, path, dir);
  return 0;
}

/// Creates \p dir and its missing parents.
static int makeDirs(Trainer *tr, const char *dir) {
  char buf[4096];
  size_t n = strlen(dir);
  if (n >= sizeof(buf))
    return fail(tr, "%s: path too long", dir);
  memcpy(buf, dir, n + 1);
  for (size_t i = 1; i <= n; ++i) {
    if (buf[i] != '/' && buf[i] != '\0')
      continue;
    char c = buf[i];
    buf[i] = '\0';
    struct stat st;
    if (stat(buf, &st) != 0) {
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return fail(tr, "%s: cannot create directory: %s", buf,
                    strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
      return fail(tr, "%s: not a directory", buf);
    }
    buf[i] = c;
  }
  return 0;
}

/// Checks that \p dir (given with \p flag) is a directory or can be created
/// (no existing component of it is a file).
static int checkDirPath(Trainer *tr, const char *flag, const char *dir) {
  char buf[4096];
  size_t n = strlen(dir);
  if (n >= sizeof(buf))
    return fail(tr, "%s: path too long", dir);
  memcpy(buf, dir, n + 1);
  for (size_t i = 1; i <= n; ++i) {
    if (buf[i] != '/' && buf[i] != '\0')
      continue;
    char c = buf[i];
    buf[i] = '\0';
    struct stat st;
    if (stat(buf, &st) == 0 && !S_ISDIR(st.st_mode))
      return fail(tr, "%s %s: '%s' is not a directory", flag, dir, buf);
    buf[i] = c;
  }
  return 0;
}

/// Checks that --save-params DIR is a directory or can be created.
static int checkSaveDir(Trainer *tr) {
  return checkDirPath(tr, "--save-params", tr->o->save_params) ||
         checkParamFileNames(tr, "--save-params");
}

/// The directory of the image files (--image-dir, default ".").
static const char *imageDir(const Trainer *tr) {
  return tr->o->image_dir ? tr->o->image_dir : ".";
}

/// Checks that the image directory is a directory or can be created, when
/// the model has image outputs.
static int checkImageDir(Trainer *tr) {
  if (tr->m->num_images == 0)
    return 0;
  if (checkDirPath(tr, "--image-dir", imageDir(tr)))
    return 1;
  // The longest file name must fit.
  char path[4096];
  for (size_t i = 0; i < tr->m->num_images; ++i) {
    int w = snprintf(path, sizeof(path), "%s/%s_epoch%llu.png.tmp",
                     imageDir(tr), tr->m->images[i].name,
                     (unsigned long long)tr->o->epochs);
    if (w < 0 || (size_t)w >= sizeof(path))
      return fail(tr, "--image-dir %s: path too long", imageDir(tr));
  }
  return 0;
}

static int saveParams(Trainer *tr) {
  const char *dir = tr->o->save_params;
  const kiln_sig_entry_t *t = tr->m->train;
  if (makeDirs(tr, dir))
    return 1;
  for (size_t i = 0; i < t->num_params; ++i) {
    char path[4096];
    if (!paramPath(path, sizeof(path), dir, t->params[i].name))
      return fail(tr, "%s: path too long", dir);
    if (kiln_npy_write(path, &tr->params[i], tr->err, sizeof(tr->err)) !=
        KILN_OK)
      return fail(tr, "%s", tr->err);
  }
  return 0;
}

static int writeCheckpoint(Trainer *tr) {
  // The step log then covers at least the steps of the checkpoint.
  if (tr->stepLog && fflush(tr->stepLog) != 0)
    return fail(tr, "%s: write error: %s", tr->o->step_log, strerror(errno));
  kiln_checkpoint_t ck;
  memset(&ck, 0, sizeof(ck));
  ck.flags = tr->o->no_shuffle ? 0 : KILN_CKPT_SHUFFLE;
  ck.fingerprint = tr->fingerprint;
  ck.seed = tr->seed;
  ck.step = tr->step;
  ck.epoch = tr->epoch;
  ck.batch = tr->batch;
  ck.train_examples = (uint64_t)kiln_dataset_size(&tr->d->train);
  ck.batch_size = (uint64_t)tr->m->batch;
  ck.loss_sum = tr->runs[0].lossSum;
  ck.correct = tr->correct;
  ck.counted = tr->counted;
  size_t np = tr->m->num_phases, k = 0;
  for (size_t p = 1; p < np; ++p)
    *(double *)tr->sumTensors[k++].data = tr->runs[p].lossSum;
  for (size_t i = 0; i < tr->numTrainMetrics; ++i)
    *(double *)tr->sumTensors[k++].data = tr->metricSums[i];
  ck.num_tensors = tr->numCkpt;
  ck.tensors = tr->ckptTensors;
  if (kiln_checkpoint_write(tr->o->checkpoint, &ck, tr->err, sizeof(tr->err)) !=
      KILN_OK)
    return fail(tr, "%s", tr->err);
  return 0;
}

//===----------------------------------------------------------------------===//
// Steps and evaluation
//===----------------------------------------------------------------------===//

/// Counts rows [begin, end) of \p logits ([B, C]) whose argmax (the first
/// maximum) equals the label in \p labels (i64 [B]).
static uint64_t countCorrect(const kiln_tensor_t *logits,
                             const kiln_tensor_t *labels, int64_t begin,
                             int64_t end) {
  int64_t c = logits->shape[1];
  const int64_t *lab = (const int64_t *)labels->data;
  uint64_t correct = 0;
  for (int64_t r = begin; r < end; ++r) {
    int64_t best = 0;
    double bestV = kiln_tensor_get_f64(logits, r * c);
    for (int64_t k = 1; k < c; ++k) {
      double v = kiln_tensor_get_f64(logits, r * c + k);
      if (v > bestV || (bestV != bestV && v == v)) {
        best = k;
        bestV = v;
      }
    }
    correct += best == lab[r];
  }
  return correct;
}

static void setI64(kiln_tensor_t *t, uint64_t v) {
  *(int64_t *)t->data = (int64_t)v;
}

/// Saves every image output of E, computed by the last call of E, as
/// DIR/NAME_epochK.png.
static int writeImages(Trainer *tr, uint64_t epoch) {
  const kiln_train_model_t *m = tr->m;
  const char *dir = imageDir(tr);
  if (m->num_images && makeDirs(tr, dir))
    return 1;
  for (size_t i = 0; i < m->num_images; ++i) {
    const kiln_train_image_t *img = &m->images[i];
    char path[4096];
    size_t n = strlen(dir);
    snprintf(path, sizeof(path), "%s%s%s_epoch%llu.png", dir,
             n && dir[n - 1] == '/' ? "" : "/", img->name,
             (unsigned long long)epoch);
    uint8_t *pixels;
    int64_t w, h;
    if (kiln_image_grid((const float *)tr->evalOutputs[img->output].data,
                        img->n, img->h, img->w, &pixels, &w, &h, tr->err,
                        sizeof(tr->err)) != KILN_OK)
      return fail(tr, "%s: %s", path, tr->err);
    kiln_status_t st =
        kiln_png_write_gray(path, pixels, w, h, tr->err, sizeof(tr->err));
    free(pixels);
    if (st != KILN_OK)
      return fail(tr, "%s", tr->err);
  }
  return 0;
}

/// Calls E on the batch in the shared data tensors.
static int callEval(Trainer *tr) {
  const kiln_train_model_t *m = tr->m;
  const kiln_sig_entry_t *e = m->eval;
  if (kiln_call_entry(e, m->eval_fn, tr->paramPtrs, e->num_params, NULL, 0,
                      tr->evalInputPtrs, e->num_inputs, tr->evalOutputPtrs,
                      e->num_outputs, tr->err, sizeof(tr->err)) != KILN_OK)
    return fail(tr, "evaluation after step %llu: %s",
                (unsigned long long)tr->step, tr->err);
  return 0;
}

/// Without a held-out set, computes the image outputs on the first B
/// training examples (file order) and saves them.
static int trainImages(Trainer *tr, uint64_t epoch) {
  const kiln_train_model_t *m = tr->m;
  int64_t b = m->batch;
  int64_t *idx = (int64_t *)malloc((size_t)b * sizeof(int64_t));
  if (!idx)
    return fail(tr, "out of memory");
  for (int64_t i = 0; i < b; ++i)
    idx[i] = i;
  setI64(&tr->evalStep, tr->step);
  int rc = 0;
  if (kiln_dataset_gather(&tr->d->train, idx, b, &tr->x,
                          m->y >= 0 ? &tr->y : NULL, tr->err,
                          sizeof(tr->err)) != KILN_OK)
    rc = fail(tr, "%s", tr->err);
  free(idx);
  return rc || callEval(tr) || writeImages(tr, epoch);
}

/// Evaluates the held-out set with E: full batches in order, then the last
/// B examples for a partial remainder (only its new rows count), or the set
/// repeated cyclically if it is smaller than one batch. The loss and the
/// evaluation metrics are means weighted by the new rows; the image outputs
/// of the first batch are saved for epoch \p epoch (1-based).
static int evaluate(Trainer *tr, uint64_t epoch, double *loss,
                    double *accuracy) {
  const kiln_train_model_t *m = tr->m;
  const kiln_dataset_t *held = &tr->d->held;
  int64_t b = m->batch, n = kiln_dataset_size(held);
  int64_t *idx = (int64_t *)malloc((size_t)b * sizeof(int64_t));
  if (!idx)
    return fail(tr, "out of memory");
  kiln_tensor_t *y = m->y >= 0 ? &tr->y : NULL;
  setI64(&tr->evalStep, tr->step);
  double lossSum = 0;
  uint64_t correct = 0;
  for (size_t i = tr->numTrainMetrics; i < m->num_metrics; ++i)
    tr->metricValues[i] = 0;
  int rc = 0;
  for (int64_t start = 0; start < n && rc == 0; start += b) {
    // Rows [lo, hi) of this call are examples not evaluated before.
    int64_t lo = 0, hi = b;
    if (n < b) {
      for (int64_t i = 0; i < b; ++i)
        idx[i] = i % n;
      hi = n;
    } else {
      int64_t from = start + b <= n ? start : n - b;
      lo = start - from;
      for (int64_t i = 0; i < b; ++i)
        idx[i] = from + i;
    }
    if (kiln_dataset_gather(held, idx, b, &tr->x, y, tr->err,
                            sizeof(tr->err)) != KILN_OK) {
      rc = fail(tr, "%s", tr->err);
      break;
    }
    if ((rc = callEval(tr)) != 0)
      break;
    if (start == 0 && (rc = writeImages(tr, epoch)) != 0)
      break;
    double rows = (double)(hi - lo);
    lossSum += (double)*(const float *)tr->evalOutputs[0].data * rows;
    for (size_t i = tr->numTrainMetrics; i < m->num_metrics; ++i)
      tr->metricValues[i] +=
          kiln_tensor_get_f64(&tr->evalOutputs[m->metrics[i].output], 0) *
          rows;
    if (m->eval_accuracy)
      correct += countCorrect(&tr->evalOutputs[1], y, lo, hi);
  }
  free(idx);
  *loss = lossSum / (double)n;
  for (size_t i = tr->numTrainMetrics; i < m->num_metrics; ++i)
    tr->metricValues[i] /= (double)n;
  *accuracy = m->eval_accuracy ? (double)correct / (double)n : NAN;
  return rc;
}

/// Writes "KEY": V for JSON: %.9g, or null if it is not finite. The key is
/// PREFIX then NAME, escaped.
static void jsonNumber2(FILE *f, const char *prefix, const char *name,
                        double v) {
  fprintf(f, ", \"%s", prefix);
  for (const char *c = name; *c; ++c) {
    if (*c == '"' || *c == '\\')
      fputc('\\', f);
    fputc(*c, f);
  }
  if (isfinite(v))
    fprintf(f, "\": %.9g", v);
  else
    fprintf(f, "\": null");
}

/// Writes a number for JSON: %.9g, or null if it is not finite.
static void jsonNumber(FILE *f, const char *key, double v) {
  jsonNumber2(f, "", key, v);
}

/// Runs every phase of the training step on the next batch of the
/// iterator, then counts the update.
static int trainStep(Trainer *tr) {
  const kiln_train_model_t *m = tr->m;
  kiln_tensor_t *y = m->y >= 0 ? &tr->y : NULL;
  int64_t valid;
  if (kiln_batch_iter_next(&tr->iter, &tr->x, y, &valid, tr->err,
                           sizeof(tr->err)) != KILN_OK)
    return fail(tr, "%s", tr->err);
  if (valid != m->batch)
    return fail(tr, "internal error: short batch %lld", (long long)valid);
  setI64(&tr->stepInput, tr->step);
  size_t metric = 0;
  for (size_t p = 0; p < m->num_phases; ++p) {
    const kiln_sig_entry_t *t = m->phases[p].entry;
    PhaseRun *r = &tr->runs[p];
    if (kiln_call_entry(t, m->phases[p].fn, tr->paramPtrs, t->num_params,
                        r->statePtrs, t->num_states, r->inputPtrs,
                        t->num_inputs, r->outputPtrs, t->num_outputs, tr->err,
                        sizeof(tr->err)) != KILN_OK)
      return fail(tr, "step %llu: %s", (unsigned long long)tr->step + 1,
                  tr->err);
    float loss = *(const float *)r->outputs[0].data;
    if (tr->o->check_numerics && !isfinite(loss))
      return fail(tr,
                  "step %llu: --check-numerics: the %s%s%sloss is %s; build "
                  "with kilnc --check-numerics to find the op that makes it",
                  (unsigned long long)tr->step + 1,
                  m->num_phases > 1 ? "'" : "",
                  m->num_phases > 1 ? m->phases[p].name : "",
                  m->num_phases > 1 ? "' " : "", isnan(loss) ? "NaN" : "infinite");
    r->lossSum += loss;
    for (; metric < tr->numTrainMetrics && m->metrics[metric].phase == (int)p;
         ++metric)
      tr->metricSums[metric] +=
          kiln_tensor_get_f64(&r->outputs[m->metrics[metric].output], 0);
  }
  if (m->num_classes > 0) {
    tr->correct += countCorrect(&tr->runs[0].outputs[1], y, 0, m->batch);
    tr->counted += (uint64_t)m->batch;
  }
  ++tr->step;
  ++tr->batch;
  if (tr->stepLog) {
    fprintf(tr->stepLog, "{\"step\": %llu", (unsigned long long)tr->step);
    for (size_t p = 0; p < m->num_phases; ++p)
      jsonNumber2(tr->stepLog, m->num_phases > 1 ? "loss_" : "",
                  m->num_phases > 1 ? m->phases[p].name : "loss",
                  *(const float *)tr->runs[p].outputs[0].data);
    fprintf(tr->stepLog, "}\n");
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// Reporting
//===----------------------------------------------------------------------===//

/// Updates the in-place progress bar (at most every
/// KILN_PROGRESS_INTERVAL seconds unless \p force).
static void showProgress(Trainer *tr, int64_t numBatches, double start,
                         uint64_t stepsRun, int force) {
  if (tr->progress != 2)
    return;
  double t = now();
  if (!force && t - tr->lastProgress < KILN_PROGRESS_INTERVAL)
    return;
  tr->lastProgress = t;
  char bar[KILN_PROGRESS_WIDTH + 1];
  int64_t filled =
      numBatches ? (int64_t)tr->batch * KILN_PROGRESS_WIDTH / numBatches : 0;
  for (int i = 0; i < KILN_PROGRESS_WIDTH; ++i)
    bar[i] = i < filled ? '#' : '.';
  bar[KILN_PROGRESS_WIDTH] = '\0';
  double rate =
      t > start ? (double)stepsRun * (double)tr->m->batch / (t - start) : 0;
  // The running loss of each phase, separated by '/'.
  char losses[256];
  size_t used = 0;
  losses[0] = '\0';
  for (size_t p = 0; p < tr->m->num_phases && used < sizeof(losses); ++p) {
    int w = snprintf(losses + used, sizeof(losses) - used, "%s%.4f",
                     p ? "/" : "",
                     tr->batch ? tr->runs[p].lossSum / (double)tr->batch : 0.0);
    if (w < 0)
      break;
    used += (size_t)w;
  }
  int w = fprintf(stderr,
                  "\repoch %llu/%lld [%s] %llu/%lld  loss %s  %.0f "
                  "samples/s",
                  (unsigned long long)tr->epoch + 1, (long long)tr->o->epochs,
                  bar, (unsigned long long)tr->batch, (long long)numBatches,
                  losses, rate);
  if (w > 0 && w - 1 < tr->progressWidth)
    fprintf(stderr, "%*s", tr->progressWidth - (w - 1), "");
  if (w > 0 && w - 1 > tr->progressWidth)
    tr->progressWidth = w - 1;
  fflush(stderr);
}

/// Erases the progress bar.
static void clearProgress(Trainer *tr) {
  if (tr->progress != 2 || !tr->progressWidth)
    return;
  fprintf(stderr, "\r%*s\r", tr->progressWidth, "");
  fflush(stderr);
  tr->progressWidth = 0;
}

/// One epoch's results (the metrics' values are in tr->metricValues).
typedef struct EpochReport {
  uint64_t epoch; // 1-based
  uint64_t batches;
  double trainAcc, evalLoss, evalAcc;
  double samplesPerSec, seconds;
  int haveEval;
} EpochReport;

static double meanLoss(const Trainer *tr, size_t p, const EpochReport *r) {
  return r->batches ? tr->runs[p].lossSum / (double)r->batches : NAN;
}

static int report(Trainer *tr, const EpochReport *r) {
  const kiln_train_model_t *m = tr->m;
  size_t np = m->num_phases;
  if (tr->progress == 1)
    fprintf(stderr,
            "%s: epoch %llu/%lld: trained on %llu batches of %lld (step "
            "%llu)\n",
            tr->prog, (unsigned long long)r->epoch, (long long)tr->o->epochs,
            (unsigned long long)r->batches, (long long)m->batch,
            (unsigned long long)tr->step);
  printf("epoch %llu/%lld", (unsigned long long)r->epoch,
         (long long)tr->o->epochs);
  if (np == 1)
    printf("  loss %.4f", meanLoss(tr, 0, r));
  else
    for (size_t p = 0; p < np; ++p)
      printf("  loss_%s %.4f", m->phases[p].name, meanLoss(tr, p, r));
  if (m->num_classes > 0)
    printf("  acc %.4f", r->trainAcc);
  for (size_t i = 0; i < tr->numTrainMetrics; ++i)
    printf("  %s %.4f", m->metrics[i].name, tr->metricValues[i]);
  if (r->haveEval) {
    printf("  eval_loss %.4f", r->evalLoss);
    if (m->eval_accuracy)
      printf("  eval_acc %.4f", r->evalAcc);
    for (size_t i = tr->numTrainMetrics; i < m->num_metrics; ++i)
      printf("  eval_%s %.4f", m->metrics[i].name, tr->metricValues[i]);
  }
  printf("  %.0f samples/s  %.2f s\n", r->samplesPerSec, r->seconds);
  if (fflush(stdout) != 0)
    return fail(tr, "cannot write to standard output");
  if (!tr->metrics)
    return 0;
  FILE *f = tr->metrics;
  fprintf(f, "{\"epoch\": %llu, \"step\": %llu, \"batches\": %llu",
          (unsigned long long)r->epoch, (unsigned long long)tr->step,
          (unsigned long long)r->batches);
  if (np == 1)
    jsonNumber(f, "train_loss", meanLoss(tr, 0, r));
  else
    for (size_t p = 0; p < np; ++p)
      jsonNumber2(f, "train_loss_", m->phases[p].name, meanLoss(tr, p, r));
  jsonNumber(f, "train_accuracy", m->num_classes > 0 ? r->trainAcc : NAN);
  for (size_t i = 0; i < tr->numTrainMetrics; ++i)
    jsonNumber2(f, "train_", m->metrics[i].name, tr->metricValues[i]);
  jsonNumber(f, "eval_loss", r->haveEval ? r->evalLoss : NAN);
  jsonNumber(f, "eval_accuracy",
             r->haveEval && m->eval_accuracy ? r->evalAcc : NAN);
  for (size_t i = tr->numTrainMetrics; i < m->num_metrics; ++i)
    jsonNumber2(f, "eval_", m->metrics[i].name,
                r->haveEval ? tr->metricValues[i] : NAN);
  jsonNumber(f, "samples_per_sec", r->samplesPerSec);
  jsonNumber(f, "seconds", r->seconds);
  fprintf(f, "}\n");
  if (fflush(f) != 0 || ferror(f))
    return fail(tr, "%s: write error: %s", tr->o->metrics, strerror(errno));
  return 0;
}

//===----------------------------------------------------------------------===//
// The loop
//===----------------------------------------------------------------------===//

static int train(Trainer *tr) {
  const kiln_train_options_t *o = tr->o;
  const kiln_train_model_t *m = tr->m;
  if (kiln_batch_iter_init(&tr->iter, &tr->d->train, m->batch,
                           KILN_BATCH_DROP_LAST, !o->no_shuffle, tr->seed,
                           tr->err, sizeof(tr->err)) != KILN_OK)
    return fail(tr, "%s", tr->err);
  uint64_t numBatches = (uint64_t)kiln_batch_iter_num_batches(&tr->iter);
  uint64_t maxSteps = o->max_steps ? (uint64_t)o->max_steps : UINT64_MAX;
  while (tr->epoch < (uint64_t)o->epochs) {
    kiln_batch_iter_start_epoch(&tr->iter, tr->epoch);
    tr->iter.pos = (int64_t)tr->batch * m->batch;
    double start = now();
    uint64_t stepsRun = 0;
    int stopped = 0;
    tr->lastProgress = 0;
    while (tr->batch < numBatches) {
      if (tr->step >= maxSteps) {
        stopped = 1;
        break;
      }
      if (trainStep(tr))
        return 1;
      ++stepsRun;
      showProgress(tr, (int64_t)numBatches, start, stepsRun, 0);
      if (o->checkpoint_every &&
          tr->step % (uint64_t)o->checkpoint_every == 0 &&
          tr->batch < numBatches && writeCheckpoint(tr))
        return 1;
    }
    if (stopped && stepsRun == 0)
      break;
    double trainEnd = now();
    showProgress(tr, (int64_t)numBatches, start, stepsRun, 1);
    clearProgress(tr);

    EpochReport r;
    memset(&r, 0, sizeof(r));
    r.epoch = tr->epoch + 1;
    r.batches = tr->batch;
    r.trainAcc = tr->counted ? (double)tr->correct / (double)tr->counted : NAN;
    for (size_t i = 0; i < tr->numTrainMetrics; ++i)
      tr->metricValues[i] =
          tr->batch ? tr->metricSums[i] / (double)tr->batch : NAN;
    r.samplesPerSec = trainEnd > start ? (double)stepsRun * (double)m->batch /
                                             (trainEnd - start)
                                       : 0;
    r.haveEval = tr->d->have_held;
    if (r.haveEval ? evaluate(tr, r.epoch, &r.evalLoss, &r.evalAcc)
                   : m->num_images > 0 && trainImages(tr, r.epoch))
      return 1;
    r.seconds = now() - start;
    if (tr->stepLog && fflush(tr->stepLog) != 0)
      return fail(tr, "%s: write error: %s", o->step_log, strerror(errno));
    if (report(tr, &r))
      return 1;
    if (tr->batch == numBatches) {
      ++tr->epoch;
      tr->batch = 0;
      for (size_t p = 0; p < m->num_phases; ++p)
        tr->runs[p].lossSum = 0;
      for (size_t i = 0; i < tr->numTrainMetrics; ++i)
        tr->metricSums[i] = 0;
      tr->correct = tr->counted = 0;
    }
    if (o->checkpoint && writeCheckpoint(tr))
      return 1;
    if (stopped || tr->step >= maxSteps)
      break;
  }
  return 0;
}

int kiln_train_run(const char *prog, const kiln_train_options_t *o,
                   const kiln_train_model_t *m, const kiln_train_data_t *d) {
  Trainer tr;
  memset(&tr, 0, sizeof(tr));
  tr.prog = prog;
  tr.o = o;
  tr.m = m;
  tr.d = d;
  tr.seed = o->seed;
  int rc =
      allocate(&tr) || initParams(&tr) || (o->resume && resume(&tr)) ||
      (o->save_params && checkSaveDir(&tr)) || checkImageDir(&tr) ||
      (o->checkpoint && checkParentDir(&tr, "--checkpoint", o->checkpoint));
  if (rc) {
    freeTrainer(&tr);
    return 1;
  }
  if (tr.epoch >= (uint64_t)o->epochs ||
      (o->max_steps && tr.step >= (uint64_t)o->max_steps)) {
    // Nothing left to train: not an error, nothing is rewritten.
    fprintf(stderr,
            "%s: nothing to train: %s is at epoch %llu, step %llu "
            "(--epochs %lld%s)\n",
            prog, o->resume ? o->resume : "the model",
            (unsigned long long)tr.epoch, (unsigned long long)tr.step,
            (long long)o->epochs, o->max_steps ? ", --max-steps reached" : "");
  } else {
    rc = openLogs(&tr);
    if (!rc) {
      tr.progress = o->quiet ? 0 : isatty(fileno(stderr)) ? 2 : 1;
      rc = train(&tr);
    }
  }
  if (!rc && o->save_params)
    rc = saveParams(&tr);
  freeTrainer(&tr);
  return rc;
}
