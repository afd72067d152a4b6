//===- Checkpoint.h - Kiln training checkpoints -----------------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Training checkpoints: a little-endian binary file ("KILNCKPT", version 1)
/// holding every param and optimizer-state tensor of a training step (all
/// of its phases), the extra running sums of the epoch in progress, the
/// training position (update count, epoch, batch within the epoch), the
/// shuffling seed, the running sums of the epoch in progress, a fingerprint
/// of the model and checksums that detect truncation and corruption.
///
/// Files are written atomically: to "<path>.tmp", fsync'd, then renamed over
/// \p path, so an existing checkpoint is never left half-overwritten.
/// docs/Runtime.md specifies the layout byte by byte.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_CHECKPOINT_H
#define KILN_RUNTIME_CHECKPOINT_H

#include "kiln/Runtime/ABI.h"
#include "kiln/Runtime/Tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The checkpoint format version this runtime writes and reads.
#define KILN_CKPT_VERSION 1

/// Size of the fixed header, including its checksum.
#define KILN_CKPT_HEADER_SIZE 120

/// Flag bit: the training set was visited in shuffled order.
#define KILN_CKPT_SHUFFLE 1u

/// Initial value (offset basis) of FNV-1a 64.
#define KILN_FNV1A64_INIT 0xcbf29ce484222325ull

/// Continues the FNV-1a 64 hash \p hash over \p size bytes: for each byte,
/// hash = (hash ^ byte) * 0x100000001b3. Start with KILN_FNV1A64_INIT.
uint64_t kiln_fnv1a64(const void *data, size_t size, uint64_t hash);

/// What a checkpointed tensor is.
typedef enum kiln_ckpt_kind {
  KILN_CKPT_PARAM = 0,
  KILN_CKPT_STATE = 1,
  /// A running sum of the epoch in progress (an f64 scalar) beyond the
  /// header's: the loss of a training phase other than the first
  /// ("loss_PHASE") or a named training metric (its name).
  KILN_CKPT_SUM = 2
} kiln_ckpt_kind_t;

/// One tensor of a checkpoint.
typedef struct kiln_ckpt_tensor {
  kiln_ckpt_kind_t kind;
  /// Owned by checkpoints produced by kiln_checkpoint_read(); borrowed
  /// (only read) by kiln_checkpoint_write().
  char *name;
  /// Same ownership as `name`.
  kiln_tensor_t tensor;
} kiln_ckpt_tensor_t;

/// The contents of a checkpoint. A zero-initialized struct is valid for
/// kiln_checkpoint_free().
typedef struct kiln_checkpoint {
  /// KILN_CKPT_SHUFFLE or 0.
  uint32_t flags;
  /// kiln_checkpoint_fingerprint() of the training step.
  uint64_t fingerprint;
  /// Shuffling seed (the whole RNG state together with the counters below).
  uint64_t seed;
  /// Number of updates done.
  uint64_t step;
  /// 0-based epoch in progress (the next one after a completed epoch).
  uint64_t epoch;
  /// Batches of that epoch already trained on.
  uint64_t batch;
  /// Number of examples of the training set, and the batch size.
  uint64_t train_examples;
  uint64_t batch_size;
  /// Running sums of the epoch in progress: sum of the step losses, and the
  /// correctly classified and counted training rows (for accuracy).
  double loss_sum;
  uint64_t correct;
  uint64_t counted;
  size_t num_tensors;
  kiln_ckpt_tensor_t *tensors;
} kiln_checkpoint_t;

/// Returns the fingerprint of a training step: FNV-1a 64 over one line
/// "param NAME DTYPE SHAPE\n" per param, then "state NAME DTYPE SHAPE\n" per
/// state, in signature order (SHAPE as in the signature, e.g. "784x512").
uint64_t kiln_checkpoint_fingerprint(const kiln_sig_entry_t *entry);

/// Returns the fingerprint of a training step made of \p num_phases phases
/// (training steps of the same entry, run in this order). For one phase it
/// is kiln_checkpoint_fingerprint(phases[0]); for several, FNV-1a 64 over
/// "phases N\n", then per phase "phase NAME\n" followed by that phase's
/// lines as in kiln_checkpoint_fingerprint() (NAME is the `phase=`, "-" if
/// absent), so no multi-phase model shares a single-phase fingerprint.
uint64_t kiln_checkpoint_fingerprint_phases(
    const kiln_sig_entry_t *const *phases, size_t num_phases);

/// Writes \p ck to \p path atomically (via "<path>.tmp", fsync, rename).
/// Fails with KILN_ERR_INVALID_ARG for a tensor without data, an invalid
/// dtype, or an empty or duplicate (kind, name); with KILN_ERR_IO (the
/// message names the file) if writing fails, in which case \p path is left
/// as it was and the temporary file is removed.
kiln_status_t kiln_checkpoint_write(const char *path,
                                    const kiln_checkpoint_t *ck, char *err,
                                    size_t err_size);

/// Reads the checkpoint at \p path into \p ck (which then owns its names and
/// tensors). Every error message starts with the path: "ck: truncated
/// checkpoint: expected 1234 bytes, found 1000", "ck: corrupt checkpoint
/// (checksum mismatch)", "ck: not a Kiln checkpoint (bad magic)", ... On
/// failure \p ck is zeroed.
kiln_status_t kiln_checkpoint_read(const char *path, kiln_checkpoint_t *ck,
                                   char *err, size_t err_size);

/// Same as kiln_checkpoint_read() on \p size bytes in memory; \p name
/// prefixes error messages (may be NULL, then "<buffer>").
kiln_status_t kiln_checkpoint_read_buffer(const void *buf, size_t size,
                                          const char *name,
                                          kiln_checkpoint_t *ck, char *err,
                                          size_t err_size);

/// Frees the names and tensors of a checkpoint produced by
/// kiln_checkpoint_read() and zeroes it. Accepts NULL.
void kiln_checkpoint_free(kiln_checkpoint_t *ck);

/// Returns the tensor of \p ck with this kind and name, or NULL.
const kiln_ckpt_tensor_t *kiln_checkpoint_find(const kiln_checkpoint_t *ck,
                                               kiln_ckpt_kind_t kind,
                                               const char *name);

/// Checks that \p ck holds exactly the params and states of the training
/// step \p entry with their dtypes and shapes (running sums are ignored),
/// and the entry's fingerprint.
/// On mismatch returns KILN_ERR_MISMATCH with a message like "checkpoint is
/// for a different model: param 'fc1.w' is 784x256 f32 here, 784x512 f32 in
/// the checkpoint" (also "param 'b' is missing from the checkpoint", "the
/// checkpoint has a state 'm' that this model does not have").
kiln_status_t kiln_checkpoint_check_model(const kiln_checkpoint_t *ck,
                                          const kiln_sig_entry_t *entry,
                                          char *err, size_t err_size);

/// The same for a training step of \p num_phases phases: the checkpoint
/// holds the params of phases[0] (every phase has the same), the states of
/// every phase, and kiln_checkpoint_fingerprint_phases(). Running sums
/// (KILN_CKPT_SUM) are not checked here (they depend on the outputs).
kiln_status_t kiln_checkpoint_check_phases(const kiln_checkpoint_t *ck,
                                           const kiln_sig_entry_t *const *phases,
                                           size_t num_phases, char *err,
                                           size_t err_size);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_CHECKPOINT_H
