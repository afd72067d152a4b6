//===- Memory.c - the workspace and the memory available ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The process's workspace for compiled entry points, and what the machine
/// can still give (include/kiln/Runtime/Memory.h).
///
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Memory.h"

#include "RuntimeInternal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/// The workspace: one block, grown to the largest request.
static void *workspaceData;
static uint64_t workspaceBytes;

kiln_status_t kiln_workspace_get(uint64_t bytes, kiln_tensor_t *t, char *err,
                                 size_t errSize) {
  if (!t)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_workspace_get: null tensor");
  if (bytes > workspaceBytes || !workspaceData) {
    uint64_t rounded = (bytes + KILN_TENSOR_ALIGNMENT - 1) /
                       KILN_TENSOR_ALIGNMENT * KILN_TENSOR_ALIGNMENT;
    if (rounded < bytes || rounded > (uint64_t)INT64_MAX ||
        rounded > (uint64_t)SIZE_MAX)
      rounded = 0;
    void *data =
        rounded ? aligned_alloc(KILN_TENSOR_ALIGNMENT, (size_t)rounded) : NULL;
    if (!data && bytes) {
      char size[32];
      return kiln_fail(KILN_ERR_NOMEM, err, errSize,
                       "out of memory: cannot allocate the %s workspace of "
                       "the compiled model",
                       kiln_format_bytes(size, sizeof(size), bytes));
    }
    free(workspaceData);
    workspaceData = data;
    workspaceBytes = rounded;
  }
  memset(t, 0, sizeof(*t));
  t->rank = 1;
  t->shape[0] = (int64_t)bytes;
  t->numel = (int64_t)bytes;
  t->data = workspaceData;
  return KILN_OK;
}

void kiln_workspace_release(void) {
  free(workspaceData);
  workspaceData = NULL;
  workspaceBytes = 0;
}

uint64_t kiln_bytes_add(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t kiln_sig_arg_bytes(const kiln_sig_arg_t *arg) {
  uint64_t bytes = kiln_dtype_size(arg->dtype);
  for (int32_t d = 0; d < arg->rank; ++d) {
    uint64_t extent = arg->shape[d] > 0 ? (uint64_t)arg->shape[d] : 0;
    bytes = extent && bytes > UINT64_MAX / extent ? UINT64_MAX : bytes * extent;
  }
  return bytes;
}

uint64_t kiln_sig_entry_arg_bytes(const kiln_sig_entry_t *entry) {
  const kiln_sig_arg_t *groups[4] = {entry->params, entry->states,
                                     entry->inputs, entry->outputs};
  size_t counts[4] = {entry->num_params, entry->num_states, entry->num_inputs,
                      entry->num_outputs};
  uint64_t total = 0;
  for (int g = 0; g < 4; ++g)
    for (size_t i = 0; i < counts[g]; ++i)
      total = kiln_bytes_add(total, kiln_sig_arg_bytes(&groups[g][i]));
  return total;
}

/// Reads the first unsigned number in \p path after \p key (NULL: at the
/// start), times \p unit. Returns 0 if the file or the key is missing.
static int readNumber(const char *path, const char *key, uint64_t unit,
                      uint64_t *out) {
  FILE *f = fopen(path, "r");
  if (!f)
    return 0;
  char line[256];
  int found = 0;
  while (!found && fgets(line, sizeof(line), f)) {
    const char *p = line;
    if (key) {
      size_t n = strlen(key);
      if (strncmp(line, key, n) != 0)
        continue;
      p += n;
    }
    char *end;
    unsigned long long v = strtoull(p, &end, 10);
    if (end != p) {
      *out = (uint64_t)v > UINT64_MAX / unit ? UINT64_MAX : (uint64_t)v * unit;
      found = 1;
    }
    if (!key)
      break;
  }
  fclose(f);
  return found;
}

static void lower(uint64_t *best, int *known, uint64_t v) {
  if (!*known || v < *best)
    *best = v;
  *known = 1;
}

int kiln_memory_available(uint64_t *bytes) {
  uint64_t best = 0, v, used;
  int known = 0;
  if (readNumber("/proc/meminfo", "MemAvailable:", 1024, &v))
    lower(&best, &known, v);
  // cgroup v2: "max" (no limit) does not parse as a number.
  if (readNumber("/sys/fs/cgroup/memory.max", NULL, 1, &v) &&
      readNumber("/sys/fs/cgroup/memory.current", NULL, 1, &used))
    lower(&best, &known, v > used ? v - used : 0);
  struct rlimit rl;
  if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    lower(&best, &known, (uint64_t)rl.rlim_cur);
  if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    lower(&best, &known, (uint64_t)rl.rlim_cur);
  if (known)
    *bytes = best;
  return known;
}

const char *kiln_format_bytes(char *buf, size_t size, uint64_t bytes) {
  static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB",
                                      "EiB"};
  if (bytes < 1024) {
    snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
    return buf;
  }
  double v = (double)bytes;
  int u = -1;
  while (v >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  snprintf(buf, size, "%.1f %s", v, units[u]);
  return buf;
}

kiln_status_t kiln_memory_check(const char *what, uint64_t need,
                                const char *detail, char *err,
                                size_t errSize) {
  uint64_t available;
  if (!kiln_memory_available(&available) || need <= available)
    return KILN_OK;
  char needText[32], availableText[32];
  return kiln_fail(
      KILN_ERR_NOMEM, err, errSize,
      "%s needs %s of memory (%s), but only %s is available on this machine; "
      "compile the model with a smaller batch size or smaller layers",
      what, kiln_format_bytes(needText, sizeof(needText), need), detail,
      kiln_format_bytes(availableText, sizeof(availableText), available));
}
