//===- JIT.h - In-process compilation of Kiln modules -----------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Compiles a module lowered to the LLVM dialect with mlir::ExecutionEngine,
/// through kiln::translateToLLVMIR, so the JIT-compiled code exports the
/// same `kiln_module_signature` and `kiln_entry_table` as an executable.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_JIT_H
#define KILN_TARGET_JIT_H

#include "kiln/Runtime/ABI.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace kiln {

/// A JIT-compiled module: the engine that owns the code and the two ABI
/// symbols resolved in it.
class JITModule {
public:
  ~JITModule();
  JITModule(JITModule &&) noexcept;

  /// Compiles `module` (LLVM dialect) at LLVM optimization level `optLevel`
  /// (0-3) for the host CPU.
  static llvm::Expected<JITModule> create(mlir::ModuleOp module,
                                          unsigned optLevel);

  /// The NUL-terminated signature text.
  const char *getSignature() const { return signature; }
  /// The entry table, terminated by a row whose name is null.
  const kiln_entry_t *getEntryTable() const { return entryTable; }

private:
  JITModule() = default;

  std::unique_ptr<mlir::ExecutionEngine> engine;
  const char *signature = nullptr;
  const kiln_entry_t *entryTable = nullptr;
};

} // namespace kiln

#endif // KILN_TARGET_JIT_H
