//===- LLVMIR.h - LLVM IR export with the Kiln entry ABI --------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Translates a module lowered to the LLVM dialect (by
/// kiln::buildLinalgToLLVMPipeline) to LLVM IR and adds the symbols through
/// which the runtime calls it (include/kiln/Runtime/ABI.h):
///
///   @kiln_module_signature = constant [N x i8] c"kiln-abi 1\0A...\00"
///   define void @kiln_packed_<name>(ptr %args)   ; one per entry
///   @kiln_entry_table = constant [K+1 x { ptr, ptr }]
///       [{ "<name>", @kiln_packed_<name> }, ..., { null, null }]
///
/// `kiln_packed_<name>` loads `args[i]` and passes it as the i-th argument of
/// `_mlir_ciface__kiln_entry_<name>` (each a pointer to a ranked memref
/// descriptor: params, inputs, outputs).
///
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_LLVMIR_H
#define KILN_TARGET_LLVMIR_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace kiln {

/// Name of the exported signature string.
constexpr llvm::StringLiteral kSignatureSymbol = "kiln_module_signature";
/// Name of the exported entry table.
constexpr llvm::StringLiteral kEntryTableSymbol = "kiln_entry_table";
/// Prefix of the packed entry wrappers.
constexpr llvm::StringLiteral kPackedPrefix = "kiln_packed_";

/// Returns the entry names listed in `signature` (its `entry NAME` lines), in
/// order.
llvm::SmallVector<llvm::StringRef>
getSignatureEntryNames(llvm::StringRef signature);

/// Adds `kiln_module_signature`, one `kiln_packed_<name>` wrapper per entry
/// of `signature` and `kiln_entry_table` to `module`, which must define
/// `_mlir_ciface__kiln_entry_<name>` for every entry.
llvm::Error addEntryPointABI(llvm::Module &module, llvm::StringRef signature);

/// Translates `module` (LLVM dialect, with the `kiln.signature` attribute that
/// the `kiln-export-entry-points` pass writes) to LLVM IR in `context` and
/// adds the entry ABI. Registers the LLVM IR translations it needs in the
/// module's context. On failure, reports an error through the module's
/// diagnostic engine and returns null. Usable as
/// `mlir::ExecutionEngineOptions::llvmModuleBuilder`.
std::unique_ptr<llvm::Module> translateToLLVMIR(mlir::Operation *module,
                                                llvm::LLVMContext &context);

} // namespace kiln

#endif // KILN_TARGET_LLVMIR_H
