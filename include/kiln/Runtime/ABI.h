//===- ABI.h - Kiln compiled-module ABI -------------------------*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface between a compiled Kiln module and the runtime.
///
/// A compiled module exports two symbols:
///
///   const char kiln_module_signature[];   // signature text, see below
///   const kiln_entry_t kiln_entry_table[]; // {name, fn}..., {NULL, NULL}
///
/// The signature text has one record per line, fields separated by spaces:
///
///   kiln-abi 1
///   entry loss
///   param fc1.w f32 784x10 init=xavier_uniform seed=1 fan_in=784 fan_out=10
///   input x f32 32x784
///   input y i64 32
///   output 0 f32 scalar
///   entry loss_train_step train=loss
///   param fc1.w f32 784x10 init=xavier_uniform seed=1 ... inout=1
///   state fc1.w.momentum f32 784x10 of=fc1.w
///   input step i64 scalar role=step
///   input x f32 32x784
///   input y i64 32
///   output 0 f32 scalar
///
/// Extensions: `entry NAME train=EVAL phase=PHASE` (several training steps
/// of EVAL are the phases of one step, e.g. a GAN's), `output K ... name=N`
/// (a named output; named scalars are metrics), `output K ... image=N` (an
/// image output of the evaluation entry), `param ... buffer=1` (a
/// non-trained persistent buffer), `entry NAME ... workspace=BYTES` (the
/// entry's temporaries, planned at compile time into one buffer of BYTES
/// bytes that the caller passes, see Memory.h).
///
/// Each entry function takes `void **args`: one pointer per argument, all
/// params (signature order), then all states, then all inputs, then all
/// outputs, then the workspace if the entry has `workspace=BYTES` (a rank-1
/// i8 memref of BYTES bytes, KILN_TENSOR_ALIGNMENT-aligned, whose contents
/// need not survive between calls), each pointing at a ranked memref
/// descriptor (see MemRef.h).
/// Outputs are allocated by the caller (destination-passing style); params
/// marked `inout=1` and states are updated in place.
///
/// docs/Runtime.md specifies the format in full.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_ABI_H
#define KILN_RUNTIME_ABI_H

#include "kiln/Runtime/Init.h"
#include "kiln/Runtime/Tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The only signature format version this runtime understands.
#define KILN_ABI_VERSION 1

/// Signature of a compiled entry function.
typedef void (*kiln_entry_fn_t)(void **args);

/// One row of a compiled module's `kiln_entry_table`. The table ends with a
/// row whose name is NULL.
typedef struct kiln_entry {
  const char *name;
  void (*fn)(void **args);
} kiln_entry_t;

/// Role of an argument in an entry point.
typedef enum kiln_arg_kind {
  KILN_ARG_PARAM = 0,
  KILN_ARG_INPUT = 1,
  KILN_ARG_OUTPUT = 2,
  /// Optimizer state of a training step (e.g. Adam's moments): zero-filled
  /// by the runtime, updated in place by the entry, saved in checkpoints.
  KILN_ARG_STATE = 3
} kiln_arg_kind_t;

/// One `param`, `state`, `input` or `output` record of a signature.
typedef struct kiln_sig_arg {
  kiln_arg_kind_t kind;
  /// Argument name (for outputs, the output's index as text, e.g. "0").
  char *name;
  kiln_dtype_t dtype;
  int32_t rank;
  int64_t shape[KILN_MAX_RANK];
  /// Initializer (params only; KILN_INIT_ZEROS and zeros otherwise).
  kiln_init_kind_t init;
  uint64_t seed;
  double a;
  double b;
  int64_t fan_in;
  int64_t fan_out;
  /// Nonzero if the entry overwrites the buffer in place with an updated
  /// value: `inout=1` on a param; always set on a state.
  int inout;
  /// Nonzero for the input marked `role=step` (an i64 scalar that receives
  /// the number of updates already done).
  int is_step;
  /// States only: the param named by `of=PARAM`, or NULL if absent.
  char *of;
  /// Params only: nonzero for `buffer=1`, a persistent non-trained buffer
  /// (e.g. batch norm's running statistics). It is a param in every other
  /// respect (initializer, checkpoints, --init-params, --save-params,
  /// `inout=1` in the training steps that update it).
  int is_buffer;
  /// Outputs only: the output's `name=NAME`, or NULL. Named scalar outputs
  /// (other than output 0, the loss) are the metrics the trainer reports.
  char *out_name;
  /// Outputs only: the `image=NAME` of an f32 output whose rows the trainer
  /// saves as a PNG grid (kiln_image_shape() accepts its shape), or NULL.
  char *image;
} kiln_sig_arg_t;

/// One entry point of a signature and its arguments, each list in
/// signature order.
typedef struct kiln_sig_entry {
  char *name;
  /// For a training step (`entry NAME train=EVAL`), the name of the entry
  /// EVAL that computes the same loss and outputs without updating; NULL
  /// for any other entry.
  char *train_of;
  /// For a training step, its `phase=NAME`, or NULL. The training steps
  /// with the same `train=EVAL` are the phases of one training step, run in
  /// signature order on every batch (e.g. a GAN's discriminator and
  /// generator); when there are several, each has a distinct phase name.
  char *phase;
  /// Bytes of the workspace the entry takes after its outputs
  /// (`workspace=BYTES`), or 0 when it takes none.
  uint64_t workspace;
  size_t num_params;
  size_t num_states;
  size_t num_inputs;
  size_t num_outputs;
  kiln_sig_arg_t *params;
  kiln_sig_arg_t *states;
  kiln_sig_arg_t *inputs;
  kiln_sig_arg_t *outputs;
} kiln_sig_entry_t;

/// A parsed module signature. Free with kiln_signature_free().
typedef struct kiln_signature {
  int abi_version;
  size_t num_entries;
  kiln_sig_entry_t *entries;
} kiln_signature_t;

/// Parses signature text. The first non-empty line must be `kiln-abi 1`.
/// Unknown `key=value` fields are ignored; unknown record kinds, missing or
/// malformed fields, invalid values of known keys (`inout`, `buffer`,
/// `role`, `of`, `train`, `phase`, `name`, `image`, the initializer keys),
/// duplicate names (entries, arguments, output names, image names, phases
/// of one training step), an image output of the wrong type, and records
/// outside an entry are errors reported as "signature line N: ...". On
/// failure \p sig is zeroed.
kiln_status_t kiln_signature_parse(const char *text, kiln_signature_t *sig,
                                   char *err, size_t err_size);

/// Frees everything owned by \p sig and zeroes it. Accepts NULL.
void kiln_signature_free(kiln_signature_t *sig);

/// Returns the entry named \p name, or NULL. If \p name is NULL, returns the
/// first entry (or NULL if there is none).
const kiln_sig_entry_t *kiln_signature_find_entry(const kiln_signature_t *sig,
                                                  const char *name);

/// Returns the first training step (an entry with `train=`) of \p sig, or
/// NULL if there is none.
const kiln_sig_entry_t *
kiln_signature_find_train_entry(const kiln_signature_t *sig);

/// Stores in \p out (if non-NULL, at most \p max of them) the training steps
/// whose `train=` names the entry \p eval, in signature order: the phases of
/// that entry's training step. Returns how many there are.
size_t kiln_signature_phases(const kiln_signature_t *sig, const char *eval,
                             const kiln_sig_entry_t **out, size_t max);

/// Returns the function named \p name in a NULL-terminated entry table, or
/// NULL.
kiln_entry_fn_t kiln_entry_table_find(const kiln_entry_t *table,
                                      const char *name);

/// Returns "param", "state", "input" or "output".
const char *kiln_arg_kind_name(kiln_arg_kind_t kind);

/// Formats "1x784 f32" for \p arg into \p buf. Returns \p buf.
char *kiln_sig_arg_format(char *buf, size_t buf_size,
                          const kiln_sig_arg_t *arg);

/// Checks that \p t has the dtype and shape \p arg declares. On mismatch
/// returns KILN_ERR_MISMATCH with a message like
/// "input 'x': expected shape 1x784 f32, got 2x784 f32".
kiln_status_t kiln_sig_arg_check(const kiln_sig_arg_t *arg,
                                 const kiln_tensor_t *t, char *err,
                                 size_t err_size);

/// Allocates a zero-filled tensor with the dtype and shape of \p arg.
kiln_status_t kiln_sig_arg_alloc(const kiln_sig_arg_t *arg, kiln_tensor_t *t,
                                 char *err, size_t err_size);

/// Fills \p t (already allocated with the shape of \p arg) using the
/// initializer recorded for the param \p arg. Equivalent to
/// kiln_init_param(t, arg->init, arg->seed, arg->a, arg->b, arg->fan_in,
/// arg->fan_out) with an error message naming the param.
kiln_status_t kiln_sig_arg_init(const kiln_sig_arg_t *arg, kiln_tensor_t *t,
                                char *err, size_t err_size);

/// Checks every tensor against \p entry and calls \p fn with descriptors for
/// params, then states, then inputs, then outputs. The counts must equal
/// the entry's (errors: "missing input 'y'", "too many inputs: entry
/// 'forward' takes 1, got 2"); each tensor must match dtype and shape
/// exactly (see kiln_sig_arg_check()). Outputs must be preallocated; \p fn
/// writes into them, and into the `inout` params and the states.
kiln_status_t kiln_call_entry(const kiln_sig_entry_t *entry, kiln_entry_fn_t fn,
                              kiln_tensor_t *const *params, size_t num_params,
                              kiln_tensor_t *const *states, size_t num_states,
                              kiln_tensor_t *const *inputs, size_t num_inputs,
                              kiln_tensor_t *const *outputs, size_t num_outputs,
                              char *err, size_t err_size);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_ABI_H
