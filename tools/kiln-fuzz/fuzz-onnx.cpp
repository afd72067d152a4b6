//===- fuzz-onnx.cpp - libFuzzer harness of the ONNX importer -------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The input is a serialized onnx::ModelProto. It goes the way of
/// `kiln-import-onnx model.onnx | kilnc --emit=nn`: kiln::importONNX (the
/// in-memory entry point that importONNXFile also calls), then, if the
/// import succeeded, the module is verified and put through
/// buildNNPreparePipeline (autodiff, training step, canonicalization,
/// parameter promotion, entry points), so that importer output which the
/// verifier accepts but the compiler chokes on is found too. A successful
/// inference import whose first output is a float tensor is imported a
/// second time for training, the way `kiln-import-onnx --params-dir DIR
/// --train-loss mse|cross_entropy --optimizer NAME` does it (loss and
/// optimizer chosen by the input's size): float initializers become
/// nn.param, written as .npy files to a per-process scratch directory (in
/// /dev/shm when it exists) that is emptied after every input, and the
/// pipeline differentiates the model (the VJP rules of every imported op).
///
/// An importer diagnostic, and a pipeline failure, are normal outcomes; only
/// a crash, a sanitizer report, a leak, a timeout, an out-of-memory or a
/// failed KILN_FUZZ_CHECK is a finding. The checks: the importer's module
/// verifies and holds the function it names, with one argument per listed
/// input. With $KILN_FUZZ_ONNX_STRICT set, a pipeline failure on a module
/// the importer produced (for training: one with parameters) is a finding
/// as well, and every diagnostic is printed (for replaying a corpus).
///
/// Inputs above KILN_FUZZ_MAX_ONNX_INPUT (256 KiB) are skipped.
///
//===----------------------------------------------------------------------===//

#define KILN_FUZZ_CXX_ONLY
#include "FuzzHarness.h"

#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Target/ONNX/ImportONNX.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <unistd.h>

using namespace mlir;

/// Largest input fuzzed (seeds are below 16 KiB).
#define KILN_FUZZ_MAX_ONNX_INPUT ((size_t)256 * 1024)

namespace {
/// What stays alive across inputs: the dialect registry and the scratch
/// directory of the parameter files.
struct ONNXFuzzer {
  DialectRegistry registry;
  bool strict = getenv("KILN_FUZZ_ONNX_STRICT") != nullptr;
  std::string paramsDir;

  ONNXFuzzer() {
    kiln::registerAllDialects(registry);
    registry.insert<func::FuncDialect>();
    const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm"
                      : getenv("TMPDIR")             ? getenv("TMPDIR")
                                                     : "/tmp";
    std::string templ = std::string(tmp) + "/kiln-fuzz-onnx.XXXXXX";
    if (mkdtemp(templ.data()))
      paramsDir = templ;
  }

  /// Removes every file of paramsDir (the importer writes flat names).
  void clearParams() const {
    if (DIR *dir = opendir(paramsDir.c_str())) {
      while (struct dirent *e = readdir(dir))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
          unlink((paramsDir + "/" + e->d_name).c_str());
      closedir(dir);
    }
  }
};

ONNXFuzzer *theFuzzer;

void removeParamsDir() {
  theFuzzer->clearParams();
  rmdir(theFuzzer->paramsDir.c_str());
}
} // namespace

/// Imports `bytes` with `options` in a fresh context, checks the result and
/// runs the nn preparation pipeline on it. Returns whether the import
/// succeeded and its first result is a float tensor (worth training).
static bool importAndPrepare(const ONNXFuzzer &fuzzer, llvm::StringRef bytes,
                             const kiln::ONNXImportOptions &options) {
  // A fresh context per import: uniqued types and attributes (constants of
  // the model) must not pile up over millions of runs.
  MLIRContext context(fuzzer.registry, MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler quiet(&context, [&](Diagnostic &diag) {
    if (fuzzer.strict)
      llvm::errs() << diag.getLocation() << ": " << diag << "\n";
    return success();
  });

  kiln::ONNXImportResult result =
      kiln::importONNX(bytes, "fuzz.onnx", &context, options);
  if (!result.module)
    return false;

  ModuleOp module = *result.module;
  KILN_FUZZ_CHECK(succeeded(verify(module)));
  auto func = module.lookupSymbol<func::FuncOp>(result.functionName);
  KILN_FUZZ_CHECK(func != nullptr);
  // The training import adds the labels/target argument after the inputs.
  bool training = !options.trainLoss.empty();
  KILN_FUZZ_CHECK(func.getNumArguments() ==
                  result.argumentInputs.size() + (training ? 1 : 0));
  bool trainable =
      func.getNumResults() > 0 &&
      isa<FloatType>(getElementTypeOrSelf(func.getResultTypes()[0]));

  PassManager pm(&context, ModuleOp::getOperationName());
  kiln::PipelineOptions pipelineOptions;
  kiln::buildNNPreparePipeline(pm, pipelineOptions);
  if (failed(pm.run(module)))
    KILN_FUZZ_CHECK(!fuzzer.strict || (training && result.params.empty()));
  return trainable;
}

KILN_FUZZ_HARNESS(onnx) {
  if (size > KILN_FUZZ_MAX_ONNX_INPUT)
    return 0;
  if (!theFuzzer) {
    theFuzzer = new ONNXFuzzer();
    atexit(removeParamsDir);
  }
  KILN_FUZZ_CHECK(!theFuzzer->paramsDir.empty());
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);

  kiln::ONNXImportOptions options;
  if (!importAndPrepare(*theFuzzer, bytes, options))
    return 0;

  static const char *const optimizers[] = {"sgd", "momentum", "adam", "adamw",
                                           "rmsprop"};
  options.paramsDir = theFuzzer->paramsDir;
  options.trainLoss = size % 2 ? "mse" : "cross_entropy";
  options.optimizer = optimizers[size % 5];
  importAndPrepare(*theFuzzer, bytes, options);
  theFuzzer->clearParams();
  return 0;
}
