//===- kiln-import-onnx.cpp - ONNX to nn importer -------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// kiln-import-onnx model.onnx -o model.mlir [--params-dir DIR]
//                  [--train-loss cross_entropy|mse --optimizer NAME --lr X]
//
// Imports an ONNX model into an nn module (docs/ONNX.md). Without
// --params-dir the initializers become nn.constant (inference); with it
// they become nn.param and their values DIR/<name>.npy, which the trainer
// loads with --init-params DIR. --train-loss appends a loss and the
// nn.train attribute so that kilnc builds a training executable.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAll.h"
#include "kiln/Target/ONNX/ImportONNX.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("kiln-import-onnx options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.onnx>"),
                                          cl::Required, cl::cat(category));
static cl::opt<std::string> outputFilename("o",
                                           cl::desc("Output .mlir file "
                                                    "(default: stdout)"),
                                           cl::value_desc("file"),
                                           cl::init("-"), cl::cat(category));
static cl::opt<std::string> paramsDir(
    "params-dir",
    cl::desc("Make float initializers nn.param and write their values to "
             "DIR/<name>.npy (for the trainer's --init-params DIR)"),
    cl::value_desc("dir"), cl::init(""), cl::cat(category));
static cl::opt<std::string>
    functionName("function",
                 cl::desc("Name of the function (default: the graph's name)"),
                 cl::value_desc("name"), cl::init(""), cl::cat(category));
static cl::opt<std::string> trainLoss(
    "train-loss",
    cl::desc("Append a loss for training: cross_entropy (an i64 'labels' "
             "input against the first output, logits [N, C]) or mse (a "
             "'target' input); needs --params-dir"),
    cl::value_desc("loss"), cl::init(""), cl::cat(category));
static cl::opt<std::string> optimizer(
    "optimizer",
    cl::desc("With --train-loss: sgd (default), momentum, adam, adamw, "
             "rmsprop"),
    cl::value_desc("name"), cl::init("sgd"), cl::cat(category));
static cl::opt<double> learningRate("lr",
                                    cl::desc("With --train-loss: learning "
                                             "rate (default 0.01)"),
                                    cl::value_desc("x"), cl::init(0.01),
                                    cl::cat(category));

static int reportError(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kiln-import-onnx") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "Kiln ONNX importer: translates an ONNX model "
                              "into an nn module\n");
  if (!trainLoss.empty() && paramsDir.empty())
    return reportError("--train-loss needs --params-dir: the initializers "
                       "must become trainable parameters");
  if (trainLoss.empty() &&
      (optimizer.getNumOccurrences() || learningRate.getNumOccurrences()))
    return reportError("--optimizer and --lr go with --train-loss");
  if (!paramsDir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(paramsDir))
      return reportError("cannot create --params-dir '" + paramsDir +
                         "': " + ec.message());

  DialectRegistry registry;
  kiln::registerAllDialects(registry);
  registry.insert<func::FuncDialect>();
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  kiln::ONNXImportOptions options;
  options.paramsDir = paramsDir;
  options.functionName = functionName;
  options.trainLoss = trainLoss;
  options.optimizer = optimizer;
  options.learningRate = learningRate;
  kiln::ONNXImportResult result =
      kiln::importONNXFile(inputFilename, &context, options);
  if (!result.module)
    return 1;

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output)
    return reportError(error);
  result.module->print(output->os());
  output->os() << "\n";
  output->keep();
  return 0;
}
