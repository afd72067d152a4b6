//===- kilnc.cpp - The Kiln compiler driver -------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// kilnc model.mlir [options]
//
//   --emit=STAGE    print one stage: nn, linalg, llvm-mlir, llvm-ir, asm,
//                   obj (-o only), dot (the nn stage as a Graphviz graph) or
//                   fusion-dot (the fused groups as clusters)
//   -o prog         build a standalone executable (object file linked with
//                   the Kiln runtime and libm by the system C compiler)
//   --run ARGS...   compile in-process and run with the executable's
//                   command line (ARGS are the program's arguments)
//
// Inspecting the compilation:
//   --print-pipeline        print the pass pipeline kilnc runs (up to the
//                           --emit stage, else nn -> LLVM dialect) in the
//                           form `kiln-opt --pass-pipeline=...` accepts
//   --dump-after=PASS|all --dump-dir=DIR
//                           write the module after each run of the pass
//                           with argument PASS (or of every pass) to
//                           DIR/NN-PASS.mlir, NN being the pass's 1-based
//                           position in the pipeline; a pass nested on
//                           functions writes DIR/NN-PASS@FUNC.mlir per run
//
// Extending the pipeline with plugins (docs/WritingAPass.md):
//   --load-pass-plugin=LIB.so     load passes (mlirGetPassPluginInfo)
//   --load-dialect-plugin=LIB.so  load dialects (mlirGetDialectPluginInfo)
//   --run-pass-after=PASS:PIPELINE, --run-pass-before=PASS:PIPELINE
//                           run PIPELINE (as kiln-opt --pass-pipeline takes
//                           it, with or without `builtin.module(...)`) after
//                           or before each run of the pass PASS of kilnc's
//                           pipeline, e.g.
//                           kiln-train-step:func.func(kiln-example-simplify)
//
// --run and the executables' main() (lib/Runtime/Main.c) share one
// implementation of the program's command line, kiln_run_main() in the C
// runtime (kiln/Runtime/RunMain.h): kilnc hands it the JIT-compiled module's
// signature and entry table. Its errors read "kilnc: error: ..." here and
// "prog: error: ..." in an executable; `kilnc model.mlir --run --help` lists
// the program's options and the module's entry points.
//
//===----------------------------------------------------------------------===//

#include "FusionGraph.h"
#include "PipelineText.h"

#include "kiln/InitAll.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Support/Nesting.h"
#include "kiln/Runtime/RunMain.h"
#include "kiln/Target/CodeGen.h"
#include "kiln/Target/JIT.h"
#include "kiln/Target/LLVMIR.h"
#include "kiln/Target/Link.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Transforms/ViewOpGraph.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
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

#include <optional>
#include <tuple>
#include <variant>

using namespace mlir;
namespace cl = llvm::cl;
using namespace kilnc;

namespace {
/// The stage after which `--emit` stops.
enum class Stage { None, NN, Dot, FusionDot, Linalg, LLVMMLIR, LLVMIR, Asm, Obj };
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
                          "nn IR with gradient functions and training "
                          "steps added, canonicalized"),
               clEnumValN(Stage::Dot, "dot",
                          "the parsed model as a Graphviz graph of its ops"),
               clEnumValN(Stage::FusionDot, "fusion-dot",
                          "the lowered program's nn ops as a Graphviz graph, "
                          "fused groups as clusters (docs/Fusion.md)"),
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

static cl::opt<bool> fusionReport(
    "kiln-fusion-report",
    cl::desc("Report every fusion candidate on stderr, as a remark at the "
             "model line it comes from: fused or not, and why "
             "(docs/Fusion.md); needs a stage after fusion (llvm-mlir or "
             "later, or an executable)"),
    cl::cat(kilncCategory));

static cl::opt<bool> memoryReport(
    "kiln-memory-report",
    cl::desc("Report each entry point's memory plan on stderr: the bytes of "
             "its arguments, its workspace (every temporary, planned at "
             "compile time) and its peak (docs/Codegen.md); needs the "
             "llvm-mlir stage or later, or an executable"),
    cl::cat(kilncCategory));

static cl::opt<bool> checkNumerics(
    "check-numerics",
    cl::desc("Check every f32 tensor the model computes (forward, backward, "
             "updates) and the data inputs for NaN and infinity; the "
             "program stops at the first one and names the op, its line in "
             "the model and the step (docs/Training.md). Slower code"),
    cl::cat(kilncCategory));

static cl::opt<bool> lineTables(
    "g",
    cl::desc("Line tables naming the model's lines: a profiler or debugger "
             "shows each instruction at the line of the nn op it comes "
             "from, e.g. perf report --sort srcline (docs/Performance.md)"),
    cl::cat(kilncCategory));

static cl::opt<bool> printPipeline(
    "print-pipeline",
    cl::desc("Print the pass pipeline up to the --emit stage (default: nn "
             "to LLVM dialect) as kiln-opt --pass-pipeline accepts it, and "
             "stop"),
    cl::cat(kilncCategory));

static cl::opt<std::string> dumpAfter(
    "dump-after",
    cl::desc("Write the module after each run of the pass with this "
             "argument (e.g. kiln-convert-nn-to-linalg), or after every "
             "pass with 'all', into --dump-dir"),
    cl::value_desc("pass|all"), cl::init(""), cl::cat(kilncCategory));

static cl::opt<std::string> dumpDir(
    "dump-dir",
    cl::desc("Directory for --dump-after's files NN-PASS.mlir (created if "
             "missing)"),
    cl::value_desc("dir"), cl::init(""), cl::cat(kilncCategory));

static cl::list<std::string> passPlugins(
    "load-pass-plugin",
    cl::desc("Load passes from a plugin library (its mlirGetPassPluginInfo) "
             "to name them in --run-pass-after/--run-pass-before"),
    cl::value_desc("path"), cl::cat(kilncCategory));

static cl::list<std::string> dialectPlugins(
    "load-dialect-plugin",
    cl::desc("Load dialects from a plugin library (its "
             "mlirGetDialectPluginInfo) before the model is parsed"),
    cl::value_desc("path"), cl::cat(kilncCategory));

static cl::list<std::string> runPassAfter(
    "run-pass-after",
    cl::desc("Run PIPELINE after each run of the pass PASS of kilnc's "
             "pipeline (see --print-pipeline). PIPELINE is what kiln-opt "
             "--pass-pipeline takes, with or without builtin.module(...), "
             "e.g. kiln-train-step:func.func(kiln-example-simplify); "
             "repeatable"),
    cl::value_desc("pass:pipeline"), cl::cat(kilncCategory));

static cl::list<std::string> runPassBefore(
    "run-pass-before",
    cl::desc("Run PIPELINE before each run of the pass PASS of kilnc's "
             "pipeline, like --run-pass-after"),
    cl::value_desc("pass:pipeline"), cl::cat(kilncCategory));

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

/// Reports that the `kind` ("pass" or "dialect") plugin `path` cannot be
/// loaded because of `err`, and returns 1.
static int reportPluginError(llvm::StringRef kind, llvm::StringRef path,
                             llvm::Error err) {
  std::string message = llvm::toString(std::move(err));
  // MLIR's message for a library without the entry point is cut short.
  if (llvm::StringRef(message).starts_with("Plugin entry point not found")) {
    bool isPass = kind == "pass";
    message =
        (llvm::Twine("it does not define ") +
         (isPass ? "mlirGetPassPluginInfo()" : "mlirGetDialectPluginInfo()") +
         " (a " + (isPass ? "dialect" : "pass") + " plugin goes to --load-" +
         (isPass ? "dialect" : "pass") + "-plugin)")
            .str();
  }
  return reportError("cannot load " + kind + " plugin '" + path +
                     "': " + message);
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

/// Adds the MLIR part of the compilation up to `stage` to `pm`:
/// canonicalization (nn, dot), kiln-nn-to-linalg (linalg), kiln-nn-to-linalg
/// and kiln-linalg-to-llvm (every later stage).
static void buildPipeline(OpPassManager &pm, Stage stage) {
  kiln::PipelineOptions options;
  options.fusionReport = fusionReport.getValue();
  options.memoryReport = memoryReport.getValue();
  options.checkNumerics = checkNumerics.getValue();
  options.lineTables = lineTables.getValue();
  if (stage == Stage::Dot) {
    pm.addPass(createCanonicalizerPass());
    return;
  }
  if (stage == Stage::NN) {
    kiln::buildNNTrainingPipeline(pm);
    if (checkNumerics)
      pm.addPass(kiln::nn::createKilnCheckNumerics());
    pm.addPass(createCanonicalizerPass());
    return;
  }
  if (stage == Stage::FusionDot) {
    // The rest runs on a tagged copy (emitFusionGraph).
    kiln::buildNNPreparePipeline(pm, options);
    return;
  }
  kiln::buildNNToLinalgPipeline(pm, options);
  if (stage != Stage::Linalg)
    kiln::buildLinalgToLLVMPipeline(pm, options);
}

/// Parses one --run-pass-after/--run-pass-before value, PASS:PIPELINE, into
/// `insertion`. `passArguments` are the passes of kilnc's pipeline. Returns
/// 0, or reports the error and returns 1.
static int parseInsertion(llvm::StringRef flag, llvm::StringRef spec,
                          bool before,
                          llvm::ArrayRef<std::string> passArguments,
                          Insertion &insertion) {
  auto [point, pipeline] = spec.split(':');
  point = point.trim();
  pipeline = pipeline.trim();
  if (!spec.contains(':') || point.empty() || pipeline.empty())
    return reportError("--" + flag +
                       " expects PASS:PIPELINE, e.g. "
                       "kiln-train-step:func.func(kiln-example-simplify); "
                       "got '" +
                       spec + "'");
  if (!llvm::is_contained(passArguments, point))
    return reportError("--" + flag + ": '" + point +
                       "' is not a pass of the pipeline (see "
                       "--print-pipeline)");
  insertion.point = point.str();
  insertion.before = before;

  // Parse the pipeline as kiln-opt would (a pass on functions is nested in
  // `func.func(...)`), then print it back in the form of kilnc's pipeline.
  llvm::StringRef body = pipeline;
  llvm::StringRef anchor = ModuleOp::getOperationName();
  if (body.consume_front(anchor) && body.ltrim().starts_with("(") &&
      body.ends_with(")"))
    body = body.ltrim().drop_front().drop_back();
  else
    body = pipeline;
  OpPassManager parsed(anchor);
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  if (failed(parsePassPipeline(body, parsed, errorStream))) {
    std::string message = llvm::StringRef(errors).trim().str();
    std::string hint;
    if (llvm::StringRef(errors).contains("does not refer to a registered pass"))
      hint = "\n(a plugin's passes need --load-pass-plugin=LIB.so)";
    else if (llvm::StringRef(errors).contains("did you intend to nest?"))
      hint = "\n(a pass on functions runs as func.func(PASS))";
    return reportError("--" + flag + "=" + spec + ": invalid pipeline:\n" +
                       message + hint);
  }
  std::optional<PipelineElement> root =
      parseAnchoredPipeline(getTextualPipeline(parsed));
  if (!root)
    return reportError("--" + flag + "=" + spec +
                       ": cannot read back the pipeline '" +
                       getTextualPipeline(parsed) + "'");
  insertion.elements = std::move(root->nested);
  return 0;
}

/// Builds kilnc's pipeline up to `stage` into `pm` with the pipelines of
/// --run-pass-after and --run-pass-before inserted. The pipeline is built,
/// printed, spliced as text and parsed back: the printed pipeline is
/// faithful (kiln-opt replays it to the same IR). Returns 0, or reports the
/// error and returns 1.
static int buildPipelineWithInsertions(OpPassManager &pm, Stage stage) {
  // Every pass that can appear in the printed pipeline must be registered
  // to parse it back.
  registerAllPasses();
  kiln::registerAllPasses();

  OpPassManager base(ModuleOp::getOperationName());
  buildPipeline(base, stage);
  std::string baseText = getTextualPipeline(base);
  std::vector<std::string> passArguments = getPassArguments(baseText);

  std::vector<Insertion> insertions;
  for (auto [flag, specs, before] :
       {std::make_tuple("run-pass-before", &runPassBefore, true),
        std::make_tuple("run-pass-after", &runPassAfter, false)}) {
    for (const std::string &spec : *specs) {
      Insertion insertion;
      if (int rc = parseInsertion(flag, spec, before, passArguments, insertion))
        return rc;
      insertions.push_back(std::move(insertion));
    }
  }

  std::optional<PipelineElement> root = parseAnchoredPipeline(baseText);
  if (!root)
    return reportError("cannot read back kilnc's pipeline '" + baseText + "'");
  std::vector<PipelineElement> spliced;
  for (SplicedItem &item : spliceInsertions(root->nested, insertions)) {
    if (auto *element = std::get_if<PipelineElement>(&item))
      spliced.push_back(std::move(*element));
    else
      llvm::append_range(spliced, insertions[std::get<size_t>(item)].elements);
  }

  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      spliced, os,
      [&](const PipelineElement &element) { printElement(element, os); }, ",");
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  if (failed(parsePassPipeline(text, pm, errorStream)))
    return reportError("cannot parse the extended pipeline '" + text + "':\n" +
                       llvm::StringRef(errors).trim());
  return 0;
}

namespace {
/// Tracks the passes running, to tell the pipeline's passes from those that
/// a pass runs itself in a dynamic pipeline (the inliner's canonicalize on
/// each function): those start while a pass other than a pass manager
/// adaptor (the only passes without an argument) is running.
class DynamicPassTracker : public PassInstrumentation {
public:
  void runBeforePass(Pass *pass, Operation *) override {
    if (llvm::any_of(running,
                     [](Pass *p) { return !p->getArgument().empty(); }))
      dynamicPasses.insert(pass);
    running.push_back(pass);
  }
  void runAfterPass(Pass *, Operation *) override { running.pop_back(); }
  void runAfterPassFailed(Pass *, Operation *) override { running.pop_back(); }

  /// Whether `pass` ran inside another pass rather than in the pipeline.
  bool isDynamic(Pass *pass) const { return dynamicPasses.contains(pass); }

private:
  llvm::SmallVector<Pass *> running;
  llvm::DenseSet<Pass *> dynamicPasses;
};

/// Writes the whole module after each run of the selected passes to
/// `DIR/NN-PASS.mlir`, NN being the pass's 1-based position in the pipeline
/// (zero-padded to at least 2 digits), or `DIR/NN-PASS@SYMBOL.mlir` for a pass
/// nested on, e.g., functions, which runs once per function. Needs
/// multithreading disabled: it prints at module scope and maps pass instances
/// to positions.
class DumpToFilesConfig : public PassManager::IRPrinterConfig {
public:
  DumpToFilesConfig(llvm::StringRef dir, llvm::StringRef selected,
                    std::vector<std::string> pipeline,
                    const DynamicPassTracker &tracker)
      : IRPrinterConfig(/*printModuleScope=*/true), dir(dir),
        selected(selected), pipeline(std::move(pipeline)), tracker(tracker) {}

  void printAfterIfEnabled(Pass *pass, Operation *op,
                           PrintCallbackFn printCallback) override {
    if (tracker.isDynamic(pass))
      return;
    unsigned position = getPosition(pass);
    if (selected != "all" && pass->getArgument() != selected)
      return;
    std::string index = std::to_string(position);
    size_t width = std::max<size_t>(2, std::to_string(pipeline.size()).size());
    index.insert(0, std::max(width, index.size()) - index.size(), '0');
    std::string name = index + "-" + pass->getArgument().str();
    if (op->getParentOp()) {
      auto symbol = dyn_cast<SymbolOpInterface>(op);
      name += "@" + (symbol ? symbol.getName().str()
                            : std::to_string(++anonymousRuns[pass]));
    }
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name + ".mlir");
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
    if (!ec) {
      printCallback(os);
      os.close();
      if (os.has_error())
        ec = os.error();
    }
    if (ec && error.empty())
      error = "cannot write '" + std::string(path) + "': " + ec.message();
  }

  /// The first failure to write a file, or empty.
  const std::string &getError() const { return error; }

private:
  /// Returns the 1-based pipeline position of `pass`: the next entry of
  /// `pipeline` with its argument after the last position handed out
  /// (passes run in pipeline order; one that never runs is skipped).
  unsigned getPosition(Pass *pass) {
    auto it = positions.find(pass);
    if (it != positions.end())
      return it->second;
    unsigned position = 0;
    for (size_t i = nextPosition; i < pipeline.size(); ++i)
      if (pipeline[i] == pass->getArgument()) {
        position = i + 1;
        nextPosition = i + 1;
        break;
      }
    return positions[pass] = position;
  }

  std::string dir;
  std::string selected;
  std::vector<std::string> pipeline;
  const DynamicPassTracker &tracker;
  size_t nextPosition = 0;
  llvm::DenseMap<Pass *, unsigned> positions;
  llvm::DenseMap<Pass *, unsigned> anonymousRuns;
  std::string error;
};
} // namespace

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
  if (printPipeline && (runFlag || !dumpAfter.empty()))
    return reportError("--print-pipeline only prints the pipeline; it "
                       "cannot be combined with --run or --dump-after");
  if (dumpAfter.empty() != dumpDir.empty())
    return reportError("--dump-after=PASS|all and --dump-dir=DIR go "
                       "together");
  if (runFlag && !outputFilename.empty())
    return reportError("-o before --run is a kilnc option; to write the "
                       "program's outputs, put -o OUT.npy after --run");
  if (!runFlag && !printPipeline && emitStage == Stage::None &&
      outputFilename.empty())
    return reportError("nothing to do: give -o FILE to build an executable, "
                       "--emit=STAGE to print a stage, or --run to run the "
                       "model (see --help)");
  if (emitStage == Stage::Obj &&
      (outputFilename.empty() || outputFilename == "-"))
    return reportError("--emit=obj writes binary data; give -o FILE");
  if (!printPipeline && emitStage == Stage::None && outputFilename == "-")
    return reportError("an executable cannot be written to stdout; give "
                       "-o FILE");
  if (optLevel > 3)
    return reportError("--opt-level must be 0, 1, 2 or 3");
  if (fusionReport && (emitStage == Stage::NN || emitStage == Stage::Dot ||
                       emitStage == Stage::Linalg))
    return reportError("--kiln-fusion-report: fusion runs after the '" +
                       std::string(emitStage == Stage::NN       ? "nn"
                                   : emitStage == Stage::Dot    ? "dot"
                                                                : "linalg") +
                       "' stage; use --emit=llvm-mlir or a later stage, or "
                       "build an executable");
  if (memoryReport && (emitStage == Stage::NN || emitStage == Stage::Dot ||
                       emitStage == Stage::Linalg ||
                       emitStage == Stage::FusionDot))
    return reportError("--kiln-memory-report: memory is planned after "
                       "bufferization, past the '" +
                       std::string(emitStage == Stage::NN     ? "nn"
                                   : emitStage == Stage::Dot  ? "dot"
                                   : emitStage == Stage::Linalg ? "linalg"
                                                                : "fusion-dot") +
                       "' stage; use --emit=llvm-mlir or a later stage, or "
                       "build an executable");
  if (runFlag && targetCPU.getNumOccurrences())
    return reportError("--target-cpu does not apply to --run, which compiles "
                       "for the host");

  bool needsCodeGen = !runFlag && !printPipeline &&
                      (emitStage == Stage::None || emitStage == Stage::LLVMIR ||
                       emitStage == Stage::Asm || emitStage == Stage::Obj);
  std::unique_ptr<llvm::TargetMachine> machine;
  if (needsCodeGen) {
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> tm =
        kiln::createTargetMachine(targetCPU);
    if (!tm)
      return reportError(tm.takeError());
    machine = std::move(*tm);
  }

  // Plugins: passes register themselves in the global pass registry, to be
  // named in --run-pass-after/--run-pass-before; dialects go into the
  // registry before the model is parsed. Unlike kiln-opt, which warns and
  // goes on, kilnc stops on a plugin it cannot load.
  for (const std::string &path : passPlugins) {
    llvm::Expected<PassPlugin> plugin = PassPlugin::load(path);
    if (!plugin)
      return reportPluginError("pass", path, plugin.takeError());
    plugin->registerPassRegistryCallbacks();
  }
  if (!passPlugins.empty() && runPassAfter.empty() && runPassBefore.empty())
    llvm::WithColor::warning(llvm::errs(), "kilnc")
        << "--load-pass-plugin: the plugin's passes run only where "
           "--run-pass-after=PASS:PIPELINE or --run-pass-before names them\n";

  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  kiln::registerAllDialects(registry);
  for (const std::string &path : dialectPlugins) {
    llvm::Expected<DialectPlugin> plugin = DialectPlugin::load(path);
    if (!plugin)
      return reportPluginError("dialect", path, plugin.takeError());
    plugin->registerDialectRegistryCallbacks(registry);
  }
  MLIRContext context(registry);
  // Errors name the source location; a dump of the op adds nothing for
  // a model's author.
  context.printOpOnDiagnostic(false);

  Stage pipelineStage = emitStage;
  if (runFlag || emitStage == Stage::None)
    pipelineStage = Stage::LLVMMLIR;
  PassManager pm(&context, ModuleOp::getOperationName());
  if (failed(applyPassManagerCLOptions(pm)))
    return 1;
  if (runPassAfter.empty() && runPassBefore.empty())
    buildPipeline(pm, pipelineStage);
  else if (int rc = buildPipelineWithInsertions(pm, pipelineStage))
    return rc;
  std::string pipeline = getTextualPipeline(pm);

  if (printPipeline) {
    std::unique_ptr<llvm::ToolOutputFile> output = openOutput();
    if (!output)
      return 1;
    output->os() << pipeline << "\n";
    output->keep();
    return 0;
  }

  DumpToFilesConfig *dumpConfig = nullptr;
  if (!dumpAfter.empty()) {
    std::vector<std::string> passArguments = getPassArguments(pipeline);
    if (dumpAfter != "all" && !llvm::is_contained(passArguments, dumpAfter))
      return reportError("--dump-after: '" + dumpAfter +
                         "' is not a pass of the pipeline (see "
                         "--print-pipeline)");
    if (std::error_code ec = llvm::sys::fs::create_directories(dumpDir))
      return reportError("cannot create --dump-dir '" + dumpDir +
                         "': " + ec.message());
    context.disableMultithreading();
    auto tracker = std::make_unique<DynamicPassTracker>();
    auto config = std::make_unique<DumpToFilesConfig>(
        dumpDir, dumpAfter, std::move(passArguments), *tracker);
    pm.addInstrumentation(std::move(tracker));
    dumpConfig = config.get();
    pm.enableIRPrinting(std::move(config));
  }
  pm.enableTiming(timing);

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &error);
  if (!input)
    return reportError(error);
  llvm::SourceMgr sourceMgr;
  const char *text = input->getBufferStart();
  std::optional<size_t> tooDeep = kiln::findExcessiveNesting(input->getBuffer());
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  if (tooDeep) {
    sourceMgr.PrintMessage(llvm::SMLoc::getFromPointer(text + *tooDeep),
                           llvm::SourceMgr::DK_Error,
                           kiln::describeExcessiveNesting());
    return 1;
  }
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  TimingScope parseTiming = timing.nest("Parser");
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  parseTiming.stop();

  LogicalResult result = pm.run(*module);
  if (dumpConfig && !dumpConfig->getError().empty())
    return reportError(dumpConfig->getError());
  if (failed(result))
    return 1;

  if (emitStage == Stage::Dot) {
    TimingScope outputTiming = timing.nest("Output");
    std::unique_ptr<llvm::ToolOutputFile> output = openOutput();
    if (!output)
      return 1;
    PassManager graphPM(&context);
    graphPM.addPass(createPrintOpGraphPass(output->os()));
    if (failed(graphPM.run(*module)))
      return 1;
    output->keep();
    return 0;
  }

  if (emitStage == Stage::FusionDot) {
    TimingScope outputTiming = timing.nest("Output");
    std::unique_ptr<llvm::ToolOutputFile> output = openOutput();
    if (!output)
      return 1;
    kiln::PipelineOptions options;
    options.fusionReport = fusionReport.getValue();
    options.checkNumerics = checkNumerics.getValue();
    if (failed(kiln::emitFusionGraph(*module, options, output->os())))
      return 1;
    output->keep();
    return 0;
  }

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
