//===- Call.c - Kiln memref descriptors and entry calls -------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Builds MLIR ranked memref descriptors for runtime tensors and calls
/// compiled entry functions after checking their arguments against the
/// module signature.
///
//===----------------------------------------------------------------------===//

#include "RuntimeInternal.h"
#include "kiln/Runtime/Memory.h"
#include "kiln/Runtime/Numerics.h"

#include <stdlib.h>
#include <string.h>

size_t kiln_memref_desc_size(int32_t rank) {
  if (rank < 0)
    rank = 0;
  return sizeof(int64_t) * (3 + 2 * (size_t)rank);
}

void kiln_memref_desc_fill(void *desc, const kiln_tensor_t *t) {
  // Write through memcpy so the buffer needs no particular C type.
  unsigned char *d = (unsigned char *)desc;
  void *data = t->data;
  int64_t offset = 0;
  memcpy(d, &data, sizeof(void *));
  memcpy(d + 8, &data, sizeof(void *));
  memcpy(d + 16, &offset, sizeof(int64_t));
  int32_t rank = t->rank;
  int64_t stride = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    int64_t size = t->shape[i];
    memcpy(d + 24 + 8 * (size_t)i, &size, sizeof(int64_t));
    memcpy(d + 24 + 8 * ((size_t)rank + (size_t)i), &stride, sizeof(int64_t));
    // Strides of dimensions left of a zero extent are irrelevant; keep them
    // well-defined (and overflow-free) by treating the extent as 1.
    stride *= size > 0 ? size : 1;
  }
}

void kiln_arg_pack_free(kiln_arg_pack_t *pack) {
  if (!pack)
    return;
  free(pack->args);
  free(pack->buffer);
  memset(pack, 0, sizeof(*pack));
}

/// Checks that \p tensors can be passed and returns the bytes of their
/// descriptors in \p total.
static kiln_status_t checkTensors(kiln_tensor_t *const *tensors, size_t count,
                                  size_t *total, char *err, size_t errSize) {
  *total = 0;
  if (count && !tensors)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_arg_pack_build: null tensor list");
  for (size_t i = 0; i < count; ++i) {
    const kiln_tensor_t *t = tensors[i];
    if (!t || !t->data)
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "argument %zu: missing tensor", i);
    if (t->rank < 0 || t->rank > KILN_MAX_RANK)
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "argument %zu: invalid rank %d", i, (int)t->rank);
    *total += kiln_memref_desc_size(t->rank);
  }
  return KILN_OK;
}

/// Writes the descriptors of \p tensors into \p buffer and points
/// \p args at them.
static void fillPack(void **args, unsigned char *buffer,
                     kiln_tensor_t *const *tensors, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    kiln_memref_desc_fill(buffer, tensors[i]);
    args[i] = buffer;
    buffer += kiln_memref_desc_size(tensors[i]->rank);
  }
}

kiln_status_t kiln_arg_pack_build(kiln_arg_pack_t *pack,
                                  kiln_tensor_t *const *tensors, size_t count,
                                  char *err, size_t errSize) {
  if (!pack)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_arg_pack_build: null pack");
  memset(pack, 0, sizeof(*pack));
  size_t total;
  kiln_status_t st = checkTensors(tensors, count, &total, err, errSize);
  if (st != KILN_OK)
    return st;
  pack->args = (void **)calloc(count ? count : 1, sizeof(void *));
  pack->buffer = calloc(total ? total : 1, 1);
  if (!pack->args || !pack->buffer) {
    kiln_arg_pack_free(pack);
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  }
  fillPack(pack->args, (unsigned char *)pack->buffer, tensors, count);
  pack->count = count;
  pack->buffer_size = total;
  return KILN_OK;
}

/// Checks one argument group (params, inputs or outputs) of a call.
static kiln_status_t checkGroup(const kiln_sig_entry_t *entry,
                                const kiln_sig_arg_t *args, size_t expected,
                                kiln_tensor_t *const *tensors, size_t given,
                                const char *plural, char *err, size_t errSize) {
  if (given > expected)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "too many %s: entry '%s' takes %zu, got %zu", plural,
                     entry->name, expected, given);
  for (size_t i = 0; i < expected; ++i) {
    const kiln_tensor_t *t = i < given && tensors ? tensors[i] : NULL;
    kiln_status_t st = kiln_sig_arg_check(&args[i], t, err, errSize);
    if (st != KILN_OK)
      return st;
  }
  return KILN_OK;
}

kiln_status_t kiln_call_entry(const kiln_sig_entry_t *entry, kiln_entry_fn_t fn,
                              kiln_tensor_t *const *params, size_t numParams,
                              kiln_tensor_t *const *states, size_t numStates,
                              kiln_tensor_t *const *inputs, size_t numInputs,
                              kiln_tensor_t *const *outputs, size_t numOutputs,
                              char *err, size_t errSize) {
  if (!entry)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_call_entry: null entry");
  if (!fn)
    return kiln_fail(KILN_ERR_NOT_FOUND, err, errSize,
                     "entry '%s' has no function", entry->name);
  kiln_status_t st;
  if ((st = checkGroup(entry, entry->params, entry->num_params, params,
                       numParams, "params", err, errSize)) != KILN_OK ||
      (st = checkGroup(entry, entry->states, entry->num_states, states,
                       numStates, "states", err, errSize)) != KILN_OK ||
      (st = checkGroup(entry, entry->inputs, entry->num_inputs, inputs,
                       numInputs, "inputs", err, errSize)) != KILN_OK ||
      (st = checkGroup(entry, entry->outputs, entry->num_outputs, outputs,
                       numOutputs, "outputs", err, errSize)) != KILN_OK)
    return st;

  // The checks above guarantee that each count equals the entry's.
  kiln_tensor_t workspace;
  if (entry->workspace &&
      (st = kiln_workspace_get(entry->workspace, &workspace, err, errSize)) !=
          KILN_OK)
    return st;
  kiln_tensor_t *const *groups[4] = {params, states, inputs, outputs};
  size_t counts[4] = {numParams, numStates, numInputs, numOutputs};
  size_t total = numParams + numStates + numInputs + numOutputs +
                 (entry->workspace ? 1 : 0);
  // Up to kStackArgs arguments (every model so far), the call allocates
  // nothing: the argument list and the descriptors are on the stack.
  enum { kStackArgs = 64 };
  kiln_tensor_t *allStack[kStackArgs];
  void *argsStack[kStackArgs];
  int64_t descStack[kStackArgs * (3 + 2 * KILN_MAX_RANK)];
  kiln_tensor_t **all = allStack;
  void **args = argsStack;
  unsigned char *desc = (unsigned char *)descStack;
  void *heap = NULL;
  if (total > kStackArgs) {
    size_t bytes = total * (sizeof(kiln_tensor_t *) + sizeof(void *) +
                            kiln_memref_desc_size(KILN_MAX_RANK));
    if (!(heap = malloc(bytes)))
      return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
    all = (kiln_tensor_t **)heap;
    args = (void **)(all + total);
    desc = (unsigned char *)(args + total);
  }
  size_t k = 0;
  for (int g = 0; g < 4; ++g)
    for (size_t i = 0; i < counts[g]; ++i)
      all[k++] = groups[g][i];
  if (entry->workspace)
    all[k++] = &workspace;
  size_t descBytes;
  st = checkTensors(all, total, &descBytes, err, errSize);
  if (st == KILN_OK) {
    fillPack(args, desc, all, total);
    kiln_numerics_reset();
    fn(args);
    st = kiln_numerics_status(err, errSize);
  }
  free(heap);
  return st;
}
