//===- RunEntry.h - kilnc --run: the program's command line -----*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILNC_RUNENTRY_H
#define KILN_TOOLS_KILNC_RUNENTRY_H

#include "kiln/Runtime/ABI.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace kiln {

/// Runs an entry point of a compiled module with the command line of an
/// ahead-of-time compiled Kiln executable
/// (`[--entry NAME] [-o OUT.npy]... [--print] [--full] INPUT.npy...`),
/// through the runtime's C API: parses `signature`, reads the inputs,
/// initializes params, calls the entry from `table` and writes or prints the
/// outputs. Errors are printed as "<progName>: error: ..."; --help shows
/// `usage` as the command. Returns the exit code.
int runEntryMain(llvm::StringRef progName, llvm::StringRef usage,
                 llvm::ArrayRef<const char *> args, const char *signature,
                 const kiln_entry_t *table);

} // namespace kiln

#endif // KILN_TOOLS_KILNC_RUNENTRY_H
