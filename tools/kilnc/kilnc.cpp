//===- kilnc.cpp - The Kiln compiler driver -------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// kilnc model.mlir [options]
//
//   --emit=STAGE    print one stage: nn, linalg, llvm-mlir, llvm-ir, asm,
//                   obj (-o only)
//   -o prog         build a standalone executable (object file linked with
//                   the Kiln runtime and libm by the system C compiler)
//   --run ARGS...   compile in-process and run with the executable's
//                   command line (ARGS are the program's arguments)
//
// --run and the executables' main() (lib/Runtime/Main.c) share one
// implementation of the program's command line, kiln_run_main() in the C
// runtime (kiln/Runtime/RunMain.h): kilnc hands it the JIT-compiled module's
// signature and entry table. Its errors read "kilnc: error: ..." here and
// "prog: error: ..." in an executable; `kilnc model.mlir --run --help` lists
// the program's options and the module's entry points.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Runtime/RunMain.h"
#include "kiln/Target/CodeGen.h"
#include "kiln/Target/JIT.h"
#include "kiln/Target/LLVMIR.h"
#include "kiln/Target/Link.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
/// The stage after which `--emit` stops.
enum class Stage { None, NN, Linalg, LLVMMLIR, LLVMIR, Asm, Obj };
} // namespace

static cl::OptionCategory kilncCategory("kilnc options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.mlir>"),
                                          cl::init("-"),
                                          cl::cat(kilncCategory));

static cl::opt<std::string> outputFilename(
    "o",
    cl::desc("Output file: the executable to build, or where --emit writes "
             "(default: stdout)"),
    cl::value_desc("file"), cl::init(""), cl::cat(kilncCategory));

static cl::opt<Stage> emitStage(
    "emit", cl::desc("Stop after a stage and print its output:"),
    cl::values(clEnumValN(Stage::NN, "nn",
                          "parsed, verified, canonicalized nn IR"),
               clEnumValN(Stage::Linalg, "linalg",
                          "after kiln-nn-to-linalg (linalg on tensors)"),
               clEnumValN(Stage::LLVMMLIR, "llvm-mlir",
                          "after kiln-linalg-to-llvm (LLVM dialect)"),
               clEnumValN(Stage::LLVMIR, "llvm-ir",
                          "optimized LLVM IR with the entry ABI symbols"),
               clEnumValN(Stage::Asm, "asm", "native assembly"),
               clEnumValN(Stage::Obj, "obj", "native object file (needs -o)")),
    cl::init(Stage::None), cl::cat(kilncCategory));

static cl::opt<bool> runFlag(
    "run",
    cl::desc("Compile in-process and run. Every argument after --run goes "
             "to the program: [--entry NAME] [-o OUT.npy]... [--print] "
             "[--full] INPUT.npy... (--run --help lists the entries)"),
    cl::cat(kilncCategory));

static cl::opt<std::string> targetCPU(
    "target-cpu",
    cl::desc("CPU to generate code for: 'host' (default), 'x86-64' "
             "(generic) or any LLVM CPU name (not with --run: the JIT "
             "compiles for the host)"),
    cl::value_desc("name"), cl::init("host"), cl::cat(kilncCategory));

static cl::opt<unsigned> optLevel("opt-level",
                                  cl::desc("LLVM optimization level, 0-3"),
                                  cl::value_desc("N"), cl::init(3),
                                  cl::cat(kilncCategory));

static cl::opt<std::string> runtimeDir(
    "runtime-dir",
    cl::desc("Directory with libkiln_runtime.a and libkiln_runtime_main.a "
             "(default: ../lib next to kilnc, else the build tree's)"),
    cl::value_desc("dir"), cl::init(""), cl::cat(kilncCategory));

static cl::opt<std::string> linkerDriver(
    "cc",
    cl::desc("C compiler driver that links executables (default: clang-19 "
             "if on PATH, else cc)"),
    cl::value_desc("program"), cl::init(""), cl::cat(kilncCategory));

/// Prints "kilnc: error: <message>" and returns 1.
static int reportError(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kilnc") << message << "\n";
  return 1;
}

/// Reports `err` (if any) and returns 1, or returns 0 for success.
static int reportError(llvm::Error err) {
  int rc = 0;
  llvm::handleAllErrors(std::move(err), [&](const llvm::ErrorInfoBase &info) {
    rc = reportError(info.message());
  });
  return rc;
}

/// Hides LLVM's many backend options from --help (--help-hidden still lists
/// them) and keeps kilnc's own and MLIR's `--mlir-*` options visible.
static void hideUnrelatedOptions() {
  for (auto &entry : cl::getRegisteredOptions()) {
    cl::Option *option = entry.getValue();
    llvm::StringRef name = entry.getKey();
    bool isKilnc = llvm::is_contained(option->Categories, &kilncCategory);
    if (isKilnc || name.starts_with("mlir-") || name == "help" ||
        name == "help-hidden" || name == "version" || name == "color")
      continue;
    if (option->getOptionHiddenFlag() == cl::NotHidden)
      option->setHiddenFlag(cl::Hidden);
  }
}

/// Returns the directories searched for the runtime archives, in order:
/// --runtime-dir alone if given, else ../lib next to the kilnc executable
/// (the build tree's lib/ or an installation's), then the build tree's
/// runtime directory recorded at build time.
static std::vector<std::string> getRuntimeDirCandidates(const char *argv0) {
  if (!runtimeDir.empty())
    return {runtimeDir};
  std::vector<std::string> dirs;
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(argv0, &anchor);
  if (!exe.empty()) {
    llvm::SmallString<256> dir(llvm::sys::path::parent_path(exe));
    llvm::sys::path::append(dir, "..", "lib");
    llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
    dirs.push_back(std::string(dir));
  }
#ifdef KILN_RUNTIME_BUILD_DIR
  dirs.push_back(KILN_RUNTIME_BUILD_DIR);
#endif
  return dirs;
}

/// Opens `outputFilename` (stdout if empty) for writing.
static std::unique_ptr<llvm::ToolOutputFile> openOutput() {
  std::string error;
  auto file = openOutputFile(
      outputFilename.empty() ? std::string("-") : outputFilename, &error);
  if (!file)
    reportError(error);
  return file;
}

/// Runs the MLIR part of the compilation up to `stage`: canonicalization
/// (nn), kiln-nn-to-linalg (linalg), kiln-linalg-to-llvm (every later stage).
static LogicalResult runPipeline(ModuleOp module, Stage stage,
                                 TimingScope &timing) {
  PassManager pm(module.getContext());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  pm.enableTiming(timing);
  kiln::PipelineOptions options;
  if (stage == Stage::NN)
    pm.addPass(createCanonicalizerPass());
  else
    kiln::buildNNToLinalgPipeline(pm, options);
  if (stage != Stage::NN && stage != Stage::Linalg)
    kiln::buildLinalgToLLVMPipeline(pm, options);
  return pm.run(module);
}

/// Translates the lowered `module`, optimizes it and prints LLVM IR or
/// native code for `stage`, or builds an executable if `stage` is None.
static int generateCode(ModuleOp module, Stage stage,
                        llvm::TargetMachine &machine, const char *argv0,
                        TimingScope &timing) {
  llvm::LLVMContext llvmContext;
  TimingScope translateTiming = timing.nest("Translate to LLVM IR");
  std::unique_ptr<llvm::Module> llvmModule =
      kiln::translateToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return 1;
  translateTiming.stop();

  TimingScope optTiming = timing.nest("LLVM optimization");
  if (int rc =
          reportError(kiln::optimizeModule(*llvmModule, machine, optLevel)))
    return rc;
  optTiming.stop();

  TimingScope codegenTiming = timing.nest("Code generation");
  if (stage == Stage::LLVMIR || stage == Stage::Asm || stage == Stage::Obj) {
    std::unique_ptr<llvm::ToolOutputFile> output = openOutput();
    if (!output)
      return 1;
    if (stage == Stage::LLVMIR)
      llvmModule->print(output->os(), /*AAW=*/nullptr);
    else if (int rc = reportError(
                 stage == Stage::Asm
                     ? kiln::emitAssembly(*llvmModule, machine, output->os())
                     : kiln::emitObjectFile(*llvmModule, machine,
                                            output->os())))
      return rc;
    output->keep();
    return 0;
  }

  // An executable: object file in a temporary, then the system linker.
  llvm::Expected<std::string> rtDir =
      kiln::findRuntimeDir(getRuntimeDirCandidates(argv0));
  if (!rtDir)
    return reportError(rtDir.takeError());
  llvm::SmallString<128> objectPath;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("kilnc", "o", fd, objectPath))
    return reportError("cannot create a temporary object file: " +
                       ec.message());
  llvm::FileRemover removeObject(objectPath);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    if (int rc = reportError(kiln::emitObjectFile(*llvmModule, machine, os)))
      return rc;
    os.close();
    if (os.has_error())
      return reportError("cannot write '" + objectPath +
                         "': " + os.error().message());
  }
  codegenTiming.stop();
  TimingScope linkTiming = timing.nest("Link");
  return reportError(
      kiln::linkExecutable(objectPath, outputFilename, *rtDir, linkerDriver));
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);

  // Everything after --run belongs to the program being run.
  int kilncArgc = argc;
  for (int i = 1; i < argc; ++i)
    if (llvm::StringRef(argv[i]) == "--run" ||
        llvm::StringRef(argv[i]) == "-run") {
      kilncArgc = i + 1;
      break;
    }
  llvm::ArrayRef<char *> programArgs(argv + kilncArgc, argv + argc);

  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  hideUnrelatedOptions();
  cl::ParseCommandLineOptions(
      kilncArgc, argv,
      "Kiln compiler: compiles an nn model (.mlir) to an executable, runs "
      "it in-process, or prints a stage of the compilation\n");

  // Check the command line before doing any work.
  if (runFlag && emitStage != Stage::None)
    return reportError("--run and --emit cannot be combined");
  if (runFlag && !outputFilename.empty())
    return reportError("-o before --run is a kilnc option; to write the "
                       "program's outputs, put -o OUT.npy after --run");
  if (!runFlag && emitStage == Stage::None && outputFilename.empty())
    return reportError("nothing to do: give -o FILE to build an executable, "
                       "--emit=STAGE to print a stage, or --run to run the "
                       "model (see --help)");
  if (emitStage == Stage::Obj &&
      (outputFilename.empty() || outputFilename == "-"))
    return reportError("--emit=obj writes binary data; give -o FILE");
  if (emitStage == Stage::None && outputFilename == "-")
    return reportError("an executable cannot be written to stdout; give "
                       "-o FILE");
  if (optLevel > 3)
    return reportError("--opt-level must be 0, 1, 2 or 3");
  if (runFlag && targetCPU.getNumOccurrences())
    return reportError("--target-cpu does not apply to --run, which compiles "
                       "for the host");

  bool needsCodeGen =
      !runFlag && (emitStage == Stage::None || emitStage == Stage::LLVMIR ||
                   emitStage == Stage::Asm || emitStage == Stage::Obj);
  std::unique_ptr<llvm::TargetMachine> machine;
  if (needsCodeGen) {
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> tm =
        kiln::createTargetMachine(targetCPU);
    if (!tm)
      return reportError(tm.takeError());
    machine = std::move(*tm);
  }

  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  kiln::registerAllDialects(registry);
  MLIRContext context(registry);

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &error);
  if (!input)
    return reportError(error);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  TimingScope parseTiming = timing.nest("Parser");
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  parseTiming.stop();

  Stage pipelineStage = emitStage;
  if (runFlag || emitStage == Stage::None)
    pipelineStage = Stage::LLVMMLIR;
  if (failed(runPipeline(*module, pipelineStage, timing)))
    return 1;

  if (emitStage == Stage::NN || emitStage == Stage::Linalg ||
      emitStage == Stage::LLVMMLIR) {
    TimingScope outputTiming = timing.nest("Output");
    std::unique_ptr<llvm::ToolOutputFile> output = openOutput();
    if (!output)
      return 1;
    module->print(output->os());
    output->os() << "\n";
    output->keep();
    return 0;
  }

  if (runFlag) {
    TimingScope jitTiming = timing.nest("JIT compilation");
    llvm::Expected<kiln::JITModule> jit =
        kiln::JITModule::create(*module, optLevel);
    if (!jit)
      return reportError(jit.takeError());
    jitTiming.stop();
    TimingScope runTiming = timing.nest("Run");
    // The executables' command line, run on the JIT's signature and entry
    // table: kiln_run_main() reads the options from argv[1..] like a main()
    // and writes through C stdio, so LLVM's streams are flushed first.
    std::string usage = "kilnc " + inputFilename + " --run";
    llvm::SmallVector<char *> runArgv = {argv[0]};
    runArgv.append(programArgs.begin(), programArgs.end());
    runArgv.push_back(nullptr);
    llvm::outs().flush();
    llvm::errs().flush();
    return kiln_run_main(static_cast<int>(runArgv.size() - 1), runArgv.data(),
                         "kilnc", usage.c_str(), jit->getSignature(),
                         jit->getEntryTable());
  }

  return generateCode(*module, emitStage, *machine, argv[0], timing);
}
