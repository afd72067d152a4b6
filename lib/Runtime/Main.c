//===- Main.c - main() of ahead-of-time compiled Kiln programs ------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `main` linked into every executable that `kilnc model.mlir -o prog`
/// produces (library `kiln_runtime_main`). It runs the compiled module with
/// kiln_run_main() (RunMain.h), the command line that `kilnc --run` shares:
///
///   prog [--entry NAME] [-o OUT.npy]... [--print] [--full] [--help]
///        [--] INPUT.npy...
///
/// or, for a module with a training step, the trainer's command line
/// (Train.h): `prog --data DIR --epochs N ...`.
///
/// Every error is reported as "prog: error: ..." (the basename of argv[0])
/// with exit code 1.
///
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/RunMain.h"

#include <stddef.h>

/// Exported by the compiled module.
extern const char kiln_module_signature[];
extern const kiln_entry_t kiln_entry_table[];

int main(int argc, char **argv) {
  return kiln_run_main(argc, argv, /*prog_name=*/NULL, /*usage=*/NULL,
                       kiln_module_signature, kiln_entry_table);
}
