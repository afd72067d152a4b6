//===- CodeGen.h - Native code generation for compiled modules --*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Target machines, the LLVM optimization pipeline and object/assembly
/// emission for the LLVM modules that kiln::translateToLLVMIR produces.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CODEGEN_H
#define KILN_TARGET_CODEGEN_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace llvm {
class Module;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace kiln {

/// Initializes the native target, its assembly printer and parser. Safe to
/// call more than once.
void initializeNativeTarget();

/// Creates a target machine for the host triple, position-independent code
/// and aggressive code generation. `cpu` is "host" (the CPU this runs on,
/// with its features) or any LLVM CPU name of the host architecture, e.g.
/// "x86-64" (generic), "x86-64-v3", "znver4". Fails with a message listing
/// examples for unknown names.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(llvm::StringRef cpu);

/// Sets `module`'s triple and data layout from `machine` and runs LLVM's
/// optimization pipeline at `optLevel` (0-3) tuned for `machine`.
llvm::Error optimizeModule(llvm::Module &module, llvm::TargetMachine &machine,
                           unsigned optLevel);

/// Writes `module` as an object file to `os`. The module must have been
/// prepared by optimizeModule() with the same machine.
llvm::Error emitObjectFile(llvm::Module &module, llvm::TargetMachine &machine,
                           llvm::raw_pwrite_stream &os);

/// Writes `module` as assembly text to `os`. The module must have been
/// prepared by optimizeModule() with the same machine.
llvm::Error emitAssembly(llvm::Module &module, llvm::TargetMachine &machine,
                         llvm::raw_pwrite_stream &os);

} // namespace kiln

#endif // KILN_TARGET_CODEGEN_H
