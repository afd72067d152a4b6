//===- JIT.cpp - In-process compilation of Kiln modules -------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Builds an mlir::ExecutionEngine whose LLVM module comes from
// kiln::translateToLLVMIR, optimizes it for the host and resolves the entry
// ABI symbols.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/JIT.h"
#include "kiln/Runtime/MemRef.h"
#include "kiln/Runtime/Numerics.h"
#include "kiln/Target/CodeGen.h"
#include "kiln/Target/LLVMIR.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

kiln::JITModule::~JITModule() = default;
kiln::JITModule::JITModule(JITModule &&) noexcept = default;

llvm::Expected<kiln::JITModule> kiln::JITModule::create(ModuleOp module,
                                                        unsigned optLevel) {
  if (optLevel > 3)
    return llvm::createStringError("optimization level %u is not 0-3",
                                   optLevel);
  initializeNativeTarget();
  // Tunes the optimization pipeline (vectorizer costs) for this CPU; the
  // engine compiles with its own host target machine.
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine("host");
  if (!machine)
    return machine.takeError();

  // ExecutionEngineOptions holds function_refs: the callables must outlive
  // ExecutionEngine::create.
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, machine->get());
  ExecutionEngineOptions options;
  options.llvmModuleBuilder = translateToLLVMIR;
  options.transformer = optimize;
  options.jitCodeGenOptLevel = optLevel == 0
                                   ? llvm::CodeGenOptLevel::None
                                   : llvm::CodeGenOptLevel::Aggressive;
  // Keep JIT frames out of perf/gdb registries: kilnc runs the code once.
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;

  llvm::Expected<std::unique_ptr<ExecutionEngine>> engine =
      ExecutionEngine::create(module, options);
  if (!engine)
    return engine.takeError();

  // Lowered `memref.copy` of non-contiguous memrefs calls `memrefCopy`, and
  // code compiled with --check-numerics calls `kiln_numerics_fail`; an
  // executable gets them from the runtime archive, the JIT from here.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("memrefCopy")] = {
        llvm::orc::ExecutorAddr::fromPtr(&kiln_memref_copy),
        llvm::JITSymbolFlags::Exported};
    symbols[interner("kiln_numerics_fail")] = {
        llvm::orc::ExecutorAddr::fromPtr(&kiln_numerics_fail),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });

  JITModule result;
  llvm::Expected<void *> signature = (*engine)->lookup(kSignatureSymbol);
  if (!signature)
    return signature.takeError();
  llvm::Expected<void *> table = (*engine)->lookup(kEntryTableSymbol);
  if (!table)
    return table.takeError();
  result.signature = static_cast<const char *>(*signature);
  result.entryTable = static_cast<const kiln_entry_t *>(*table);
  result.engine = std::move(*engine);
  return std::move(result);
}
