//===- Train.h - The training loop of compiled Kiln programs ----*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The trainer: the command line of a compiled module that contains a
/// training step (an entry with `train=EVAL` in its signature). It loads a
/// data set (IDX, `.npy` or CSV files), runs the training step over seeded
/// shuffled batches for a number of epochs, evaluates the held-out set with
/// the evaluation entry EVAL after each epoch, and reports progress and
/// metrics; it writes atomic checkpoints and resumes from them bit-exactly:
///
///   PROG --data PATH [--epochs N] [--batch B] [--seed N] [--metrics FILE]
///        [--checkpoint FILE] [--resume FILE] [--save-params DIR] ...
///
/// kiln_run_main() (RunMain.h) calls it for every module with a training
/// step unless `--entry NAME` asks to run an entry on `.npy` inputs, so AOT
/// executables and `kilnc model.mlir --run` train the same way.
/// docs/Runtime.md describes every flag, the data layouts and the metrics.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_TRAIN_H
#define KILN_RUNTIME_TRAIN_H

#include "kiln/Runtime/ABI.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Runs the trainer on the options in `argv[1] .. argv[argc - 1]` for the
/// module described by \p sig (parsed `kiln_module_signature`) and \p table
/// (its NULL-terminated `kiln_entry_table`). `--help` prints the options and
/// the model's entries, batch size and params to stdout.
///
/// Every error is printed to stderr as "<prog_name>: error: <message>" and
/// makes the function return 1, before anything is written when the error
/// is in the command line, the data, the checkpoint or the params; it
/// returns 0 on success. Progress goes to stderr (in place on a terminal),
/// one summary line per epoch to stdout. It does not exit and does not
/// modify \p argv.
///
/// \p prog_name prefixes error messages (NULL: "prog"); \p usage is the
/// command shown by `--help` (NULL: \p prog_name).
int kiln_train_main(int argc, char **argv, const char *prog_name,
                    const char *usage, const kiln_signature_t *sig,
                    const kiln_entry_t *table);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_TRAIN_H
