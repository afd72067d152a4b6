//===- TrainModel.c - The arguments of a Kiln training step ---------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Finds the training step T (its phases: every training step of the same
/// evaluation entry) and its evaluation entry E in a module's signature and
/// works out what each of their arguments is: the features and labels among
/// the inputs, the step counter, the loss, the logits, the metrics and the
/// images among the outputs, the union of the phases' states. Everything
/// the trainer relies on is checked here, once, with messages that name the
/// entry and the argument.
///
//===----------------------------------------------------------------------===//

#include "TrainInternal.h"

#include "kiln/Runtime/Memory.h"
#include "kiln/Runtime/Png.h"

#include <stdlib.h>
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

/// Checks that every state of the training step \p t with an `of=` belongs
/// to a param that the step updates.
static kiln_status_t checkStates(const kiln_sig_entry_t *t, char *err,
                                 size_t errSize) {
  for (size_t i = 0; i < t->num_states; ++i) {
    const kiln_sig_arg_t *s = &t->states[i];
    if (!s->of)
      continue;
    for (size_t k = 0; k < t->num_params; ++k)
      if (strcmp(t->params[k].name, s->of) == 0 && !t->params[k].inout)
        return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                         "training entry '%s': state '%s' belongs to param "
                         "'%s', which the entry does not update (no inout=1)",
                         t->name, s->name, s->of);
  }
  return KILN_OK;
}

/// Returns nonzero if \p name is reported by the trainer itself, so a
/// metric may not have it: loss, acc, accuracy and loss_PHASE.
static int reservedName(const kiln_train_model_t *m, const char *name) {
  if (strcmp(name, "loss") == 0 || strcmp(name, "acc") == 0 ||
      strcmp(name, "accuracy") == 0)
    return 1;
  if (m->num_phases < 2 || strncmp(name, "loss_", 5) != 0)
    return 0;
  for (size_t p = 0; p < m->num_phases; ++p)
    if (strcmp(name + 5, m->phases[p].name) == 0)
      return 1;
  return 0;
}

/// Collects the metrics (named scalar outputs other than output 0) of the
/// phases and of E, and E's image outputs.
static kiln_status_t collectOutputs(kiln_train_model_t *m, char *err,
                                    size_t errSize) {
  size_t cap = m->eval->num_outputs;
  for (size_t p = 0; p < m->num_phases; ++p)
    cap += m->phases[p].entry->num_outputs;
  m->metrics =
      (kiln_train_metric_t *)calloc(cap ? cap : 1, sizeof(kiln_train_metric_t));
  m->images = (kiln_train_image_t *)calloc(
      m->eval->num_outputs ? m->eval->num_outputs : 1,
      sizeof(kiln_train_image_t));
  if (!m->metrics || !m->images)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  for (int p = 0; p <= (int)m->num_phases; ++p) {
    int isEval = p == (int)m->num_phases;
    const kiln_sig_entry_t *e = isEval ? m->eval : m->phases[p].entry;
    size_t firstOfEntry = m->num_metrics;
    for (size_t k = 1; k < e->num_outputs; ++k) {
      const kiln_sig_arg_t *o = &e->outputs[k];
      if (!o->out_name || o->rank != 0)
        continue;
      if (reservedName(m, o->out_name))
        return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                         "%s entry '%s': output %s is named '%s', which the "
                         "trainer reports itself; choose another name",
                         isEval ? "evaluation" : "training", e->name, o->name,
                         o->out_name);
      // Training metrics of different phases share the "train_" keys.
      for (size_t j = 0; j < firstOfEntry && !isEval; ++j)
        if (strcmp(m->metrics[j].name, o->out_name) == 0) {
          const kiln_train_phase_t *other = &m->phases[m->metrics[j].phase];
          return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                           "training entries '%s' and '%s' both have an "
                           "output named '%s'; the metrics of the phases "
                           "must have distinct names",
                           other->entry->name, e->name, o->out_name);
        }
      kiln_train_metric_t *mt = &m->metrics[m->num_metrics++];
      mt->phase = isEval ? -1 : p;
      mt->output = k;
      mt->name = o->out_name;
    }
  }
  for (size_t k = 0; k < m->eval->num_outputs; ++k) {
    const kiln_sig_arg_t *o = &m->eval->outputs[k];
    kiln_train_image_t img;
    if (!o->image)
      continue;
    // The signature parser checked the type; stay safe anyway.
    if (o->dtype != KILN_F32 ||
        !kiln_image_shape(o->rank, o->shape, &img.n, &img.h, &img.w))
      return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                       "evaluation entry '%s': output %s (image=%s) is not an "
                       "f32 image batch",
                       m->eval->name, o->name, o->image);
    img.output = k;
    img.name = o->image;
    m->images[m->num_images++] = img;
  }
  return KILN_OK;
}

void kiln_train_model_free(kiln_train_model_t *m) {
  if (!m)
    return;
  free(m->phases);
  free(m->phase_entries);
  free(m->states);
  free(m->metrics);
  free(m->images);
  m->phases = NULL;
  m->phase_entries = NULL;
  m->states = NULL;
  m->metrics = NULL;
  m->images = NULL;
  m->num_phases = m->num_states = m->num_metrics = m->num_images = 0;
}

/// Resolves phase \p p (its entry is already set): function, data inputs,
/// loss, agreement with E, states.
static kiln_status_t resolvePhase(kiln_train_model_t *m,
                                  const kiln_entry_t *table, size_t p,
                                  char *err, size_t errSize) {
  kiln_train_phase_t *ph = &m->phases[p];
  const kiln_sig_entry_t *t = ph->entry;
  ph->name = t->phase ? t->phase : t->name;
  ph->fn = kiln_entry_table_find(table, t->name);
  if (!ph->fn)
    return kiln_fail(KILN_ERR_NOT_FOUND, err, errSize,
                     "entry '%s' is missing from the module's entry table",
                     t->name);
  int idx[2];
  dataInputs(t, idx, &ph->step);
  ph->x = idx[0];
  ph->y = idx[1];
  kiln_status_t st;
  if (p > 0) {
    // Phase 0 defines the data inputs; the others must agree with E (which
    // agrees with phase 0).
    if ((st = checkLoss(t, "training", err, errSize)) != KILN_OK)
      return st;
    kiln_train_model_t view = *m;
    view.train = t;
    if ((st = checkEval(&view, err, errSize)) != KILN_OK)
      return st;
  }
  if ((st = checkStates(t, err, errSize)) != KILN_OK)
    return st;
  for (size_t i = 0; i < t->num_states; ++i) {
    for (size_t j = 0; j < m->num_states; ++j)
      if (strcmp(m->states[j]->name, t->states[i].name) == 0) {
        const kiln_sig_entry_t *other = NULL;
        for (size_t q = 0; q < p && !other; ++q)
          if (j >= m->phases[q].first_state &&
              j < m->phases[q].first_state + m->phases[q].entry->num_states)
            other = m->phases[q].entry;
        return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                         "training entries '%s' and '%s' both have a state "
                         "'%s'; the states of the phases must have distinct "
                         "names",
                         other ? other->name : "?", t->name,
                         t->states[i].name);
      }
    m->states[m->num_states++] = &t->states[i];
  }
  return KILN_OK;
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

  // The phases: T alone with --train-entry, else every training step of E.
  size_t np = trainEntry ? 1 : kiln_signature_phases(sig, m->eval->name, NULL, 0);
  if (np == 0) // Cannot happen: T is one of them.
    np = 1;
  size_t maxStates = 0;
  m->phases = (kiln_train_phase_t *)calloc(np, sizeof(kiln_train_phase_t));
  m->phase_entries =
      (const kiln_sig_entry_t **)calloc(np, sizeof(kiln_sig_entry_t *));
  if (!m->phases || !m->phase_entries)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  if (trainEntry)
    m->phase_entries[0] = t;
  else
    kiln_signature_phases(sig, m->eval->name, m->phase_entries, np);
  m->num_phases = np;
  for (size_t p = 0; p < np; ++p) {
    m->phases[p].entry = m->phase_entries[p];
    maxStates += m->phase_entries[p]->num_states;
  }
  m->train = t = m->phases[0].entry;
  m->states = (const kiln_sig_arg_t **)calloc(maxStates ? maxStates : 1,
                                              sizeof(kiln_sig_arg_t *));
  if (!m->states)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
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
  // Accuracy only for a single phase with class labels and logits.
  int classIdx = m->y >= 0 && t->inputs[m->y].dtype == KILN_I64;
  if (np == 1 && classIdx && t->num_outputs >= 2)
    m->num_classes = logitsClasses(&t->outputs[1], m->batch);

  if ((st = checkEval(m, err, errSize)) != KILN_OK)
    return st;
  for (size_t p = 0; p < np; ++p) {
    m->phases[p].first_state = m->num_states;
    if ((st = resolvePhase(m, table, p, err, errSize)) != KILN_OK)
      return st;
  }
  int eIdx[2];
  dataInputs(m->eval, eIdx, &m->eval_step);
  m->eval_x = eIdx[0];
  m->eval_y = eIdx[1];
  m->eval_accuracy =
      m->num_classes > 0 && m->eval->num_outputs >= 2 &&
      logitsClasses(&m->eval->outputs[1], m->batch) == m->num_classes;
  return collectOutputs(m, err, errSize);
}

uint64_t kiln_train_model_workspace(const kiln_train_model_t *m) {
  uint64_t bytes = m->eval->workspace;
  for (size_t p = 0; p < m->num_phases; ++p)
    if (m->phases[p].entry->workspace > bytes)
      bytes = m->phases[p].entry->workspace;
  return bytes;
}

kiln_status_t kiln_train_model_check_memory(const kiln_train_model_t *m,
                                            char *err, size_t err_size) {
  const kiln_sig_entry_t *t = m->train, *e = m->eval;
  uint64_t params = 0, states = 0, batch = 0, outputs = 0;
  for (size_t i = 0; i < t->num_params; ++i)
    params = kiln_bytes_add(params, kiln_sig_arg_bytes(&t->params[i]));
  for (size_t i = 0; i < m->num_states; ++i)
    states = kiln_bytes_add(states, kiln_sig_arg_bytes(m->states[i]));
  batch = kiln_bytes_add(batch, kiln_sig_arg_bytes(&t->inputs[m->x]));
  if (m->y >= 0)
    batch = kiln_bytes_add(batch, kiln_sig_arg_bytes(&t->inputs[m->y]));
  for (size_t p = 0; p < m->num_phases; ++p) {
    const kiln_sig_entry_t *ph = m->phases[p].entry;
    for (size_t i = 0; i < ph->num_outputs; ++i)
      outputs = kiln_bytes_add(outputs, kiln_sig_arg_bytes(&ph->outputs[i]));
  }
  for (size_t i = 0; i < e->num_outputs; ++i)
    outputs = kiln_bytes_add(outputs, kiln_sig_arg_bytes(&e->outputs[i]));
  uint64_t workspace = kiln_train_model_workspace(m), need = 0;
  need = kiln_bytes_add(need, params);
  need = kiln_bytes_add(need, states);
  need = kiln_bytes_add(need, batch);
  need = kiln_bytes_add(need, outputs);
  need = kiln_bytes_add(need, workspace);
  char detail[200], b[5][32];
  snprintf(detail, sizeof(detail),
           "params %s, optimizer state %s, batch %s, outputs %s, "
           "workspace %s",
           kiln_format_bytes(b[0], sizeof(b[0]), params),
           kiln_format_bytes(b[1], sizeof(b[1]), states),
           kiln_format_bytes(b[2], sizeof(b[2]), batch),
           kiln_format_bytes(b[3], sizeof(b[3]), outputs),
           kiln_format_bytes(b[4], sizeof(b[4]), workspace));
  return kiln_memory_check("training", need, detail, err, err_size);
}
