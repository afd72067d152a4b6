//===- RunMain.h - The command line of compiled Kiln programs ---*- C -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The command line shared by every way of running a compiled Kiln module:
/// the `main` of ahead-of-time compiled executables (lib/Runtime/Main.c,
/// library `kiln_runtime_main`) and `kilnc model.mlir --run` (which calls it
/// with the signature and entry table of the JIT-compiled module):
///
///   PROG [--entry NAME] [-o OUT.npy]... [--print] [--full] [--help] [--]
///        INPUT.npy...
///
/// A module with a training step (an entry with `train=` in its signature)
/// is a trainer instead: unless `--entry NAME` is given, kiln_run_main()
/// hands the command line to kiln_train_main() (Train.h), e.g.
/// `PROG --data DIR --epochs 5 --metrics m.jsonl --checkpoint ck`.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_RUNMAIN_H
#define KILN_RUNTIME_RUNMAIN_H

#include "kiln/Runtime/ABI.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Outputs with more elements than this are summarized with "..." unless
/// `--full` is given.
#define KILN_PRINT_THRESHOLD 1000

/// Runs an entry point of a compiled module with the program command line:
/// parses \p signature (the module's `kiln_module_signature` text) and the
/// options in `argv[1] .. argv[argc - 1]`, reads the input `.npy` files,
/// initializes params with their recorded initializers, calls the entry
/// from \p table (the module's NULL-terminated `kiln_entry_table`) and
/// writes the outputs to the `-o` files or prints them to stdout. `--help`
/// prints the options and every entry point to stdout instead.
///
/// Every error is printed to stderr as "<prog_name>: error: <message>" and
/// makes the function return 1; it returns 0 on success. It does not exit,
/// keeps no state between calls and does not modify \p argv. On glibc it
/// raises malloc's mmap and trim thresholds (mallopt) unless GLIBC_TUNABLES
/// is set, so that the temporaries compiled code allocates in every call
/// reuse the same memory instead of being mapped and unmapped each time.
///
/// \p prog_name prefixes error messages; if NULL, the basename of `argv[0]`
/// is used (or "prog" if there is none). \p usage is the command shown in the
/// "USAGE:" line of `--help`, e.g. "kilnc model.mlir --run"; if NULL,
/// \p prog_name is used.
int kiln_run_main(int argc, char **argv, const char *prog_name,
                  const char *usage, const char *signature,
                  const kiln_entry_t *table);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // KILN_RUNTIME_RUNMAIN_H
