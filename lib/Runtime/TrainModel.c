//===- TrainModel.c - The arguments of a Kiln training step ---------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Finds the training step T and its evaluation entry E in a module's
/// signature and works out what each of their arguments is: the features
/// and labels among the inputs, the step counter, the loss and the logits
/// among the outputs. Everything the trainer relies on is checked here,
/// once, with messages that name the entry and the argument.
///
//===----------------------------------------------------------------------===//

#include "TrainInternal.h"

#include <string.h>

/// Formats "128x784 f32" for an argument.
static const char *fmt(char *buf, size_t size, const kiln_sig_arg_t *a) {
  return kiln_sig_arg_format(buf, size, a);
}

/// Finds the data inputs (those without role=step) and the step input of
/// \p e. Returns the number of data inputs.
static int dataInputs(const kiln_sig_entry_t *e, int idx[2], int *step) {
  int n = 0;
  *step = -1;
  idx[0] = idx[1] = -1;
  for (size_t i = 0; i < e->num_inputs; ++i) {
    if (e->inputs[i].is_step)
      *step = (int)i;
    else if (n++ < 2)
      idx[n - 1] = (int)i;
  }
  return n;
}

static int sameType(const kiln_sig_arg_t *a, const kiln_sig_arg_t *b) {
  if (a->dtype != b->dtype || a->rank != b->rank)
    return 0;
  for (int32_t d = 0; d < a->rank; ++d)
    if (a->shape[d] != b->shape[d])
      return 0;
  return 1;
}

/// Returns C if \p out is [B, C] logits (float, rank 2, leading extent B,
/// C >= 1), else 0.
static int64_t logitsClasses(const kiln_sig_arg_t *out, int64_t batch) {
  if (!kiln_dtype_is_float(out->dtype) || out->rank != 2 ||
      out->shape[0] != batch || out->shape[1] < 1)
    return 0;
  return out->shape[1];
}

/// Checks that output 0 of \p e is the f32 scalar loss.
static kiln_status_t checkLoss(const kiln_sig_entry_t *e, const char *what,
                               char *err, size_t errSize) {
  char t[128];
  if (e->num_outputs == 0)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "%s entry '%s' has no outputs: output 0 must be the loss, "
                     "an f32 scalar",
                     what, e->name);
  const kiln_sig_arg_t *loss = &e->outputs[0];
  if (loss->dtype != KILN_F32 || loss->rank != 0)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "%s entry '%s': output 0 must be the loss, an f32 "
                     "scalar; found %s",
                     what, e->name, fmt(t, sizeof(t), loss));
  return KILN_OK;
}

/// Checks that E takes the same params as T (same names, types and order),
/// no states, and the same data inputs.
static kiln_status_t checkEval(const kiln_train_model_t *m, char *err,
                               size_t errSize) {
  const kiln_sig_entry_t *t = m->train, *e = m->eval;
  char a[128], b[128];
  if (e->num_params != t->num_params)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "evaluation entry '%s' does not match training entry "
                     "'%s': %zu params vs %zu",
                     e->name, t->name, e->num_params, t->num_params);
  for (size_t i = 0; i < t->num_params; ++i)
    if (strcmp(e->params[i].name, t->params[i].name) != 0 ||
        !sameType(&e->params[i], &t->params[i]))
      return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                       "evaluation entry '%s' does not match training entry "
                       "'%s': param %zu is '%s' %s there, '%s' %s here",
                       e->name, t->name, i, e->params[i].name,
                       fmt(a, sizeof(a), &e->params[i]), t->params[i].name,
                       fmt(b, sizeof(b), &t->params[i]));
  if (e->num_states)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "evaluation entry '%s' has optimizer states; only "
                     "training steps may",
                     e->name);
  int tIdx[2], eIdx[2], eStep;
  int nt = dataInputs(t, tIdx, &eStep);
  int ne = dataInputs(e, eIdx, &eStep);
  if (nt != ne)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "evaluation entry '%s' does not match training entry "
                     "'%s': %d data inputs vs %d",
                     e->name, t->name, ne, nt);
  for (int k = 0; k < nt; ++k) {
    const kiln_sig_arg_t *ti = &t->inputs[tIdx[k]], *ei = &e->inputs[eIdx[k]];
    if (!sameType(ti, ei))
      return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                       "evaluation entry '%s' does not match training entry "
                       "'%s': input '%s' is %s there, input '%s' is %s here",
                       e->name, t->name, ei->name, fmt(a, sizeof(a), ei),
                       ti->name, fmt(b, sizeof(b), ti));
  }
  return checkLoss(e, "evaluation", err, errSize);
}

kiln_status_t kiln_train_model_resolve(const kiln_signature_t *sig,
                                       const kiln_entry_t *table,
                                       const char *trainEntry,
                                       kiln_train_model_t *m, char *err,
                                       size_t errSize) {
  memset(m, 0, sizeof(*m));
  m->x = m->y = m->step = m->eval_x = m->eval_y = m->eval_step = -1;
  const kiln_sig_entry_t *t = trainEntry
                                  ? kiln_signature_find_entry(sig, trainEntry)
                                  : kiln_signature_find_train_entry(sig);
  if (!t && trainEntry)
    return kiln_fail(KILN_ERR_NOT_FOUND, err, errSize,
                     "unknown training entry '%s' (--train-entry)", trainEntry);
  if (!t)
    return kiln_fail(KILN_ERR_NOT_FOUND, err, errSize,
                     "the module has no training step");
  if (!t->train_of)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "entry '%s' is not a training step (it has no train=)",
                     t->name);
  m->train = t;
  m->eval = kiln_signature_find_entry(sig, t->train_of);
  if (!m->eval) // The signature parser rejects this; stay safe anyway.
    return kiln_fail(KILN_ERR_NOT_FOUND, err, errSize,
                     "entry '%s': unknown evaluation entry '%s'", t->name,
                     t->train_of);
  m->train_fn = kiln_entry_table_find(table, t->name);
  m->eval_fn = kiln_entry_table_find(table, m->eval->name);
  if (!m->train_fn || !m->eval_fn)
    return kiln_fail(KILN_ERR_NOT_FOUND, err, errSize,
                     "entry '%s' is missing from the module's entry table",
                     m->train_fn ? m->eval->name : t->name);

  char a[128];
  int idx[2];
  int n = dataInputs(t, idx, &m->step);
  if (n < 1 || n > 2)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "training entry '%s' must have 1 or 2 data inputs "
                     "(features, then optional labels or targets), found %d",
                     t->name, n);
  m->x = idx[0];
  m->y = idx[1];
  const kiln_sig_arg_t *x = &t->inputs[m->x];
  if (x->dtype != KILN_F32 || x->rank < 1 || x->shape[0] < 1)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "training entry '%s': input '%s' (the features) must be "
                     "f32 with a leading batch dimension; found %s",
                     t->name, x->name, fmt(a, sizeof(a), x));
  m->batch = x->shape[0];
  if (m->y >= 0) {
    const kiln_sig_arg_t *y = &t->inputs[m->y];
    int ok = y->rank >= 1 && y->shape[0] == m->batch &&
             (y->dtype == KILN_F32 || (y->dtype == KILN_I64 && y->rank == 1));
    if (!ok)
      return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                       "training entry '%s': input '%s' (the labels) must be "
                       "i64 class indices of shape %lld or f32 targets with "
                       "leading extent %lld; found %s",
                       t->name, y->name, (long long)m->batch,
                       (long long)m->batch, fmt(a, sizeof(a), y));
  }
  kiln_status_t st = checkLoss(t, "training", err, errSize);
  if (st != KILN_OK)
    return st;
  int classIdx = m->y >= 0 && t->inputs[m->y].dtype == KILN_I64;
  if (classIdx && t->num_outputs >= 2)
    m->num_classes = logitsClasses(&t->outputs[1], m->batch);

  if ((st = checkEval(m, err, errSize)) != KILN_OK)
    return st;
  int eIdx[2];
  dataInputs(m->eval, eIdx, &m->eval_step);
  m->eval_x = eIdx[0];
  m->eval_y = eIdx[1];
  m->eval_accuracy =
      m->num_classes > 0 && m->eval->num_outputs >= 2 &&
      logitsClasses(&m->eval->outputs[1], m->batch) == m->num_classes;
  return KILN_OK;
}
