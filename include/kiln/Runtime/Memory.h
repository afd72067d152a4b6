/*===- Memory.h - workspaces and the memory a model needs ---------*- C -*-===*\
|*                                                                            *|
|* Part of the Kiln project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * kilnc plans every temporary buffer of an entry point at compile time
 * (kiln-plan-buffers, docs/Codegen.md) into one workspace: the signature's
 * `entry NAME ... workspace=BYTES` and a last argument of the entry
 * function. The runtime keeps one workspace per process, allocated once and
 * grown to the largest entry called, so that a call allocates nothing.
 * Calls into compiled code must not overlap (they never do: the runtime is
 * single-threaded, like the compiled code).
 *
 * Before it allocates anything, the trainer adds up what the model needs
 * (params, optimizer states, batch inputs, outputs, workspace) and stops
 * with a clear error when that is more than the machine can give
 * (docs/Reliability.md, "Resource limits").
 */

#ifndef KILN_RUNTIME_MEMORY_H
#define KILN_RUNTIME_MEMORY_H

#include "kiln/Runtime/ABI.h"
#include "kiln/Runtime/Tensor.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Makes \p t a rank-1 view of at least \p bytes bytes of the process's
/// workspace (KILN_TENSOR_ALIGNMENT-aligned; dtype KILN_DTYPE_INVALID, only
/// its data, rank and shape mean anything), allocating or growing the
/// workspace if needed. The view is valid until the next call that grows
/// it. KILN_ERR_NOMEM with a message naming the size on failure.
kiln_status_t kiln_workspace_get(uint64_t bytes, kiln_tensor_t *t, char *err,
                                 size_t errSize);

/// Frees the process's workspace (the next kiln_workspace_get() allocates
/// it again).
void kiln_workspace_release(void);

/// \p a + \p b, or UINT64_MAX if that overflows: byte counts saturate.
uint64_t kiln_bytes_add(uint64_t a, uint64_t b);

/// Bytes of the tensor \p arg describes (saturated at UINT64_MAX).
uint64_t kiln_sig_arg_bytes(const kiln_sig_arg_t *arg);

/// Bytes of the memref arguments of \p entry (params, states, inputs and
/// outputs), without its workspace.
uint64_t kiln_sig_entry_arg_bytes(const kiln_sig_entry_t *entry);

/// Sets \p bytes to the memory this process can still get: the smallest of
/// the kernel's MemAvailable (/proc/meminfo), the room left under the
/// cgroup's memory.max, and RLIMIT_AS and RLIMIT_DATA. Returns 0 and leaves
/// \p bytes alone when none of them is known.
int kiln_memory_available(uint64_t *bytes);

/// KILN_OK if \p need bytes fit in what kiln_memory_available() reports (or
/// if it knows nothing); otherwise KILN_ERR_NOMEM with "WHAT needs N of
/// memory (DETAIL), but only M is available; ..." in \p err.
kiln_status_t kiln_memory_check(const char *what, uint64_t need,
                                const char *detail, char *err, size_t errSize);

/// Formats \p bytes as "123 bytes", "12.3 MiB", "1.5 GiB", ... into \p buf.
const char *kiln_format_bytes(char *buf, size_t size, uint64_t bytes);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MEMORY_H */
