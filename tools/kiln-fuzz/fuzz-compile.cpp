//===- fuzz-compile.cpp - libFuzzer harness of the compiler ---------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The input is the text of a model. It goes the way of
/// `kilnc --emit=llvm-ir`: parse (with every dialect kilnc registers),
/// verify, the kiln-nn-to-linalg and kiln-linalg-to-llvm pipelines,
/// translation to LLVM IR with the entry ABI, and kiln::optimizeModule, in
/// process; object emission and linking are not fuzzed. The LLVM
/// optimization level is 0 unless $KILN_FUZZ_OPT_LEVEL says otherwise:
/// LLVM's -O3 is upstream code and takes 3 to 5 times as long as all of the
/// rest (seconds for a small pooling gradient under ASan), which would cut
/// the executions per second by as much.
/// A diagnostic is a normal outcome; only a crash, a sanitizer report, a
/// leak, a timeout or an out-of-memory is a finding.
///
/// Inputs that nest brackets deeper than KILN_FUZZ_MAX_NESTING are skipped:
/// MLIR's recursive-descent parser overflows the stack on them (a known
/// crash of kilnc and kiln-opt, docs/Reliability.md; the drivers need a
/// depth limit before parsing), which would otherwise stop every run.
///
/// Modules with ops of dialects other than builtin, func, nn, arith, tensor
/// and math are skipped after parsing: models are written in those, and the
/// rest of MLIR's upstream dialects are not Kiln's to fuzz.
///
//===----------------------------------------------------------------------===//

#define KILN_FUZZ_CXX_ONLY
#include "FuzzHarness.h"

#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Target/CodeGen.h"
#include "kiln/Target/LLVMIR.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <memory>

using namespace mlir;

namespace {
/// What stays alive across inputs: the dialect registry and the target.
struct CompileFuzzer {
  DialectRegistry registry;
  std::unique_ptr<llvm::TargetMachine> machine;
  unsigned optLevel = 0;

  CompileFuzzer() {
    if (const char *level = getenv("KILN_FUZZ_OPT_LEVEL"))
      optLevel = std::min(3, std::max(0, atoi(level)));
    registerAllDialects(registry);
    registerAllExtensions(registry);
    kiln::registerAllDialects(registry);
    kiln::initializeNativeTarget();
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> tm =
        kiln::createTargetMachine("x86-64");
    if (!tm) {
      llvm::consumeError(tm.takeError());
      return;
    }
    machine = std::move(*tm);
  }
};
} // namespace

/// Deepest bracket nesting fuzzed (models nest less than 10 deep).
#define KILN_FUZZ_MAX_NESTING 256

/// Returns the deepest nesting of (), [], {} and <> in \p text, outside
/// string literals and // comments (an over-estimate elsewhere is fine).
static size_t nestingDepth(llvm::StringRef text) {
  size_t depth = 0, deepest = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n')
        ++i;
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ')' || c == ']' || c == '}' || c == '>') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

/// The dialects a model may use; anything else is not fuzzed further.
static bool isModelDialect(llvm::StringRef ns) {
  return ns == "builtin" || ns == "func" || ns == "nn" || ns == "arith" ||
         ns == "tensor" || ns == "math";
}

KILN_FUZZ_HARNESS(compile) {
  if (size > KILN_FUZZ_MAX_INPUT)
    return 0;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  if (nestingDepth(text) > KILN_FUZZ_MAX_NESTING)
    return 0;
  static CompileFuzzer *fuzzer = new CompileFuzzer();
  KILN_FUZZ_CHECK(fuzzer->machine != nullptr);

  // A fresh context per input: uniqued types and attributes of one input
  // must not pile up over millions of runs.
  MLIRContext context(fuzzer->registry, MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  context.allowUnregisteredDialects(false);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "input.mlir"),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 0;
  bool foreign = false;
  module->walk([&](Operation *op) {
    if (!isModelDialect(op->getName().getDialectNamespace()))
      foreign = true;
  });
  if (foreign)
    return 0;

  PassManager pm(&context, ModuleOp::getOperationName());
  kiln::PipelineOptions options;
  kiln::buildNNToLinalgPipeline(pm, options);
  kiln::buildLinalgToLLVMPipeline(pm, options);
  if (failed(pm.run(*module)))
    return 0;

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      kiln::translateToLLVMIR(*module, llvmContext);
  if (!llvmModule)
    return 0;
  if (llvm::Error error =
          kiln::optimizeModule(*llvmModule, *fuzzer->machine, fuzzer->optLevel))
    llvm::consumeError(std::move(error));
  return 0;
}
