//===- CodeGen.cpp - Native code generation for compiled modules ----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Creates target machines for the host architecture (any CPU), runs LLVM's
// optimization pipeline and emits objects or assembly.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CodeGen.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

void kiln::initializeNativeTarget() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::InitializeNativeTargetAsmParser();
}

/// Returns the host's CPU features as "+avx2,-avx512f,...".
static std::string getHostFeatureString() {
  llvm::SmallVector<std::string> features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    features.push_back((feature.second ? "+" : "-") + feature.first().str());
  llvm::sort(features);
  return llvm::join(features, ",");
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
kiln::createTargetMachine(llvm::StringRef cpu) {
  initializeNativeTarget();
  std::string triple = llvm::sys::getDefaultTargetTriple();
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no code generator for target '%s': %s",
                                   triple.c_str(), error.c_str());

  std::string cpuName, features;
  if (cpu.empty() || cpu == "host") {
    cpuName = llvm::sys::getHostCPUName().str();
    features = getHostFeatureString();
  } else {
    cpuName = cpu.str();
    std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
        target->createMCSubtargetInfo(triple, "", ""));
    if (!subtarget || !subtarget->isCPUStringValid(cpuName))
      return llvm::createStringError(
          "unknown target CPU '%s' for %s; use 'host', a generic CPU such as "
          "'x86-64' or 'x86-64-v3', or an LLVM CPU name such as 'znver4' "
          "(llc -mcpu=help lists them)",
          cpuName.c_str(), triple.c_str());
  }

  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError(
        "cannot create a target machine for %s (cpu '%s')", triple.c_str(),
        cpuName.c_str());
  return machine;
}

llvm::Error kiln::optimizeModule(llvm::Module &module,
                                 llvm::TargetMachine &machine,
                                 unsigned optLevel) {
  module.setTargetTriple(machine.getTargetTriple().str());
  module.setDataLayout(machine.createDataLayout());
  if (optLevel > 3)
    return llvm::createStringError("optimization level %u is not 0-3",
                                   optLevel);
  // Keep the transformer alive while it runs: it is a std::function.
  std::function<llvm::Error(llvm::Module *)> optimize =
      mlir::makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, &machine);
  return optimize(&module);
}

/// Runs the code generator of `machine` on `module` and writes `type`.
static llvm::Error emit(llvm::Module &module, llvm::TargetMachine &machine,
                        llvm::raw_pwrite_stream &os,
                        llvm::CodeGenFileType type) {
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, /*DwoOut=*/nullptr, type))
    return llvm::createStringError(
        "the target machine cannot emit this file type");
  pm.run(module);
  os.flush();
  return llvm::Error::success();
}

llvm::Error kiln::emitObjectFile(llvm::Module &module,
                                 llvm::TargetMachine &machine,
                                 llvm::raw_pwrite_stream &os) {
  return emit(module, machine, os, llvm::CodeGenFileType::ObjectFile);
}

llvm::Error kiln::emitAssembly(llvm::Module &module,
                               llvm::TargetMachine &machine,
                               llvm::raw_pwrite_stream &os) {
  return emit(module, machine, os, llvm::CodeGenFileType::AssemblyFile);
}
