//===- TrainInternal.h - Kiln trainer private interfaces --------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Shared by the trainer's source files: TrainCli.c (options, help and the
/// order of the checks), TrainModel.c (what each argument of the training
/// step is), TrainData.c (data sets fitted to the model) and Train.c (the
/// loop, evaluation, metrics and checkpoints). Not installed.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_RUNTIME_TRAININTERNAL_H
#define KILN_LIB_RUNTIME_TRAININTERNAL_H

#include "RuntimeInternal.h"

#include "kiln/Runtime/Checkpoint.h"
#include "kiln/Runtime/Train.h"

/// Size of the trainer's error buffers.
enum { KILN_TRAIN_ERR_SIZE = 2048 };

/// The trainer's command line.
typedef struct kiln_train_options {
  const char *data;
  const char *eval_data;
  const char *train_entry;
  const char *metrics;
  const char *step_log;
  const char *checkpoint;
  const char *resume;
  const char *init_params;
  const char *save_params;
  /// --image-dir; NULL when not given (then ".").
  const char *image_dir;
  /// 0 when not given.
  int64_t holdout;
  int64_t epochs;
  int64_t batch;
  int64_t max_steps;
  int64_t checkpoint_every;
  uint64_t seed;
  int have_seed;
  int no_shuffle;
  /// --check-numerics: stop when a step's loss is not finite.
  int check_numerics;
  int quiet;
  int help;
  /// First inference-only option seen (`--entry`, `-o`, ...), or NULL.
  const char *inference_option;
} kiln_train_options_t;

/// One phase of the training step: a training step T of E. Every phase
/// takes E's params (same names, types and order) and the same data
/// inputs; its states are its own.
typedef struct kiln_train_phase {
  const kiln_sig_entry_t *entry;
  kiln_entry_fn_t fn;
  /// Indices in entry->inputs of the features, the labels (or -1) and the
  /// step counter (or -1).
  int x;
  int y;
  int step;
  /// Index of the phase's first state in the model's union of states.
  size_t first_state;
  /// Display name: the entry's phase= (or its entry name without one).
  const char *name;
} kiln_train_phase_t;

/// A metric: a named scalar output (not output 0) of a phase or of E.
typedef struct kiln_train_metric {
  /// Index of the phase, or -1 for the evaluation entry E.
  int phase;
  size_t output;
  /// The output's name= (reported as NAME / "train_NAME", or "eval_NAME").
  const char *name;
} kiln_train_metric_t;

/// An image output of E (`image=NAME`): N images of H x W.
typedef struct kiln_train_image {
  size_t output;
  const char *name;
  int64_t n, h, w;
} kiln_train_image_t;

/// What each argument of the training step T (its phases) and evaluation
/// entry E is. Free with kiln_train_model_free().
typedef struct kiln_train_model {
  /// The first phase's entry and function (the only ones for a
  /// single-phase step).
  const kiln_sig_entry_t *train;
  const kiln_sig_entry_t *eval;
  kiln_entry_fn_t train_fn;
  kiln_entry_fn_t eval_fn;
  /// The compiled batch size: the leading extent of the features input.
  int64_t batch;
  /// Indices in train->inputs of the features, the labels (or -1) and the
  /// step counter (or -1); the same for eval->inputs.
  int x;
  int y;
  int step;
  int eval_x;
  int eval_y;
  int eval_step;
  /// Number of classes C when T's output 1 is [B, C] logits and the labels
  /// are i64 [B] class indices; 0 when there is no accuracy.
  int64_t num_classes;
  /// Nonzero when E's output 1 is [B, C] logits too.
  int eval_accuracy;
  /// The phases, in the order they run on every batch (1 for an ordinary
  /// training step, or with --train-entry).
  size_t num_phases;
  kiln_train_phase_t *phases;
  /// The entries of the phases (for the checkpoint fingerprint).
  const kiln_sig_entry_t **phase_entries;
  /// The union of the phases' states, phase after phase.
  size_t num_states;
  const kiln_sig_arg_t **states;
  /// Training metrics (of the phases, phase after phase), then the
  /// evaluation metrics of E.
  size_t num_metrics;
  kiln_train_metric_t *metrics;
  size_t num_images;
  kiln_train_image_t *images;
} kiln_train_model_t;

/// Training and held-out data fitted to the model: features reshaped to
/// [N, per-example shape of x], labels (if the model takes them) to
/// [N, per-example shape of y].
typedef struct kiln_train_data {
  kiln_dataset_t train;
  kiln_dataset_t held;
  int have_held;
  /// Files the sets came from (features), for messages.
  char train_name[1024];
  char held_name[1024];
} kiln_train_data_t;

/// Resolves T (the entry named \p train_entry, alone, or else every phase
/// of the first training step's evaluation entry), E and the roles of
/// their arguments, checking everything the trainer relies on. Returns
/// KILN_OK or an error message; free \p m with kiln_train_model_free() in
/// both cases.
KILN_INTERNAL kiln_status_t kiln_train_model_resolve(
    const kiln_signature_t *sig, const kiln_entry_t *table,
    const char *train_entry, kiln_train_model_t *m, char *err, size_t err_size);

/// The largest workspace of \p m's phases and evaluation entry.
KILN_INTERNAL uint64_t kiln_train_model_workspace(const kiln_train_model_t *m);

/// Adds up the memory the trainer allocates for \p m (params, optimizer
/// states, the batch, the outputs of every phase and of E, the workspace)
/// and checks it against kiln_memory_available() (docs/Reliability.md).
KILN_INTERNAL kiln_status_t kiln_train_model_check_memory(
    const kiln_train_model_t *m, char *err, size_t err_size);

/// Frees what kiln_train_model_resolve() allocated. Accepts NULL.
KILN_INTERNAL void kiln_train_model_free(kiln_train_model_t *m);

/// Loads the training set and the held-out set (if any) chosen by \p o and
/// fits them to \p m. On failure \p d is freed.
KILN_INTERNAL kiln_status_t kiln_train_data_load(const kiln_train_options_t *o,
                                                 const kiln_train_model_t *m,
                                                 kiln_train_data_t *d,
                                                 char *err, size_t err_size);

/// Frees both data sets. Accepts NULL.
KILN_INTERNAL void kiln_train_data_free(kiln_train_data_t *d);

/// Runs the whole training after the options, model and data have been
/// checked: allocates and initializes the params and states (or loads them
/// from --init-params / --resume), then trains, evaluates, reports and
/// checkpoints. \p prog prefixes error messages. Returns the exit code.
KILN_INTERNAL int kiln_train_run(const char *prog,
                                 const kiln_train_options_t *o,
                                 const kiln_train_model_t *m,
                                 const kiln_train_data_t *d);

#endif // KILN_LIB_RUNTIME_TRAININTERNAL_H
