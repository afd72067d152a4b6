//===- Link.h - Link compiled modules into executables ----------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Turns an object file that exports the Kiln entry ABI into a standalone
/// executable: the system C compiler driver links it with the runtime's
/// `main` (libkiln_runtime_main.a), the runtime (libkiln_runtime.a) and libm.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_LINK_H
#define KILN_TARGET_LINK_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace kiln {

/// Returns the first directory of `candidates` that holds both
/// libkiln_runtime.a and libkiln_runtime_main.a, or an error naming every
/// candidate that was searched.
llvm::Expected<std::string>
findRuntimeDir(llvm::ArrayRef<std::string> candidates);

/// Returns the path of the C compiler driver used for linking: `name`
/// (a path, or a program on PATH) if given, else `clang-19` if it is on
/// PATH, else `cc`.
llvm::Expected<std::string> findLinkerDriver(llvm::StringRef name = "");

/// Links `objectPath` with the runtime archives in `runtimeDir` and libm
/// into the executable `outputPath` with the C compiler driver `driver`
/// (see findLinkerDriver()). On failure the error carries the linker's own
/// message.
llvm::Error linkExecutable(llvm::StringRef objectPath,
                           llvm::StringRef outputPath,
                           llvm::StringRef runtimeDir,
                           llvm::StringRef driver = "");

} // namespace kiln

#endif // KILN_TARGET_LINK_H
