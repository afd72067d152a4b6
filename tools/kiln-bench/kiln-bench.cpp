//===- kiln-bench.cpp - Time an entry point of a compiled model -----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// kiln-bench model.mlir [--entry NAME] [--warmup N] [--iters N] [--seed S]
//            [--range LO,HI] [--int-range LO,HI] [--opt-level N]
//
// Compiles the model like `kilnc --run` (kiln::buildNNToLLVMPipeline and the
// JIT at the host CPU), initializes the parameters with their recorded
// initializers, zero-fills optimizer states, fills the inputs with seeded
// random numbers (kiln_random_fill: floats uniform in --range, integers in
// --int-range, so labels can be kept in [0, classes)), allocates the
// outputs, checks everything once through kiln_call_entry, then calls the
// entry function --warmup times untimed and --iters times timed, one call
// per measurement, on one thread. It prints one JSON line:
//
//   {"model": "mlp.mlir", "entry": "loss_grad", "warmup": 10, "iters": 50,
//    "compile_ms": 812.5, "median_ms": 1.234, "min_ms": 1.201,
//    "mean_ms": 1.250, "max_ms": 1.512, "argument_bytes": 3405868,
//    "workspace_bytes": 2405440}
//
// (argument_bytes: the entry's params, states, inputs and outputs;
// workspace_bytes: its temporaries, planned at compile time; together the
// memory of a call.)
//
// Training steps update their parameters and states in place, so repeated
// calls keep training; the work per call is the same.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Runtime/Runtime.h"
#include "kiln/Target/JIT.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory benchCategory("kiln-bench options");

static cl::opt<std::string> modelFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(benchCategory));

static cl::opt<std::string>
    entryName("entry", cl::desc("Entry point to time (default: the first one)"),
              cl::value_desc("name"), cl::init(""), cl::cat(benchCategory));

static cl::opt<int> warmup("warmup",
                           cl::desc("Untimed calls before timing (default 10)"),
                           cl::value_desc("N"), cl::init(10),
                           cl::cat(benchCategory));

static cl::opt<int> iters("iters", cl::desc("Timed calls (default 50)"),
                          cl::value_desc("N"), cl::init(50),
                          cl::cat(benchCategory));

static cl::opt<uint64_t>
    seed("seed", cl::desc("Seed of the random inputs (input i uses seed + i)"),
         cl::value_desc("S"), cl::init(1), cl::cat(benchCategory));

static cl::opt<std::string> floatRange(
    "range", cl::desc("Range [LO, HI) of float inputs (default -1,1)"),
    cl::value_desc("LO,HI"), cl::init("-1,1"), cl::cat(benchCategory));

static cl::opt<std::string>
    intRange("int-range",
             cl::desc("Range [LO, HI) of integer inputs (default 0,1)"),
             cl::value_desc("LO,HI"), cl::init("0,1"), cl::cat(benchCategory));

static cl::opt<unsigned> optLevel("opt-level",
                                  cl::desc("LLVM optimization level, 0-3"),
                                  cl::value_desc("N"), cl::init(3),
                                  cl::cat(benchCategory));

static cl::opt<bool>
    planBuffers("plan-buffers",
                cl::desc("Plan the temporaries into one workspace "
                         "(kiln-plan-buffers; default true, =false to "
                         "compare with one allocation per buffer)"),
                cl::init(true), cl::cat(benchCategory));

/// Prints "kiln-bench: error: <message>" and returns 1.
static int error(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kiln-bench") << message << "\n";
  return 1;
}

/// Parses "LO,HI" with finite LO < HI.
static bool parseRange(llvm::StringRef text, double &lo, double &hi) {
  auto [first, second] = text.split(',');
  if (!llvm::to_float(first.trim(), lo) || !llvm::to_float(second.trim(), hi))
    return false;
  return std::isfinite(lo) && std::isfinite(hi) && lo < hi;
}

namespace {
/// The tensors of one entry call, owned here, in ABI order.
struct Arguments {
  std::vector<kiln_tensor_t> params, states, inputs, outputs;

  ~Arguments() {
    for (auto *list : {&params, &states, &inputs, &outputs})
      for (kiln_tensor_t &t : *list)
        kiln_tensor_free(&t);
  }

  static std::vector<kiln_tensor_t *> pointers(std::vector<kiln_tensor_t> &v) {
    std::vector<kiln_tensor_t *> result;
    for (kiln_tensor_t &t : v)
      result.push_back(&t);
    return result;
  }
};
} // namespace

/// Allocates and fills every argument of `entry`. Returns an error message
/// or an empty string.
static std::string prepareArguments(const kiln_sig_entry_t &entry,
                                    Arguments &args, double floatLo,
                                    double floatHi, double intLo,
                                    double intHi) {
  char err[1024];
  auto allocAll = [&](const kiln_sig_arg_t *list, size_t count,
                      std::vector<kiln_tensor_t> &out) -> bool {
    out.assign(count, kiln_tensor_t{});
    for (size_t i = 0; i < count; ++i)
      if (kiln_sig_arg_alloc(&list[i], &out[i], err, sizeof(err)) != KILN_OK)
        return false;
    return true;
  };
  if (!allocAll(entry.params, entry.num_params, args.params) ||
      !allocAll(entry.states, entry.num_states, args.states) ||
      !allocAll(entry.inputs, entry.num_inputs, args.inputs) ||
      !allocAll(entry.outputs, entry.num_outputs, args.outputs))
    return err;
  for (size_t i = 0; i < entry.num_params; ++i)
    if (kiln_sig_arg_init(&entry.params[i], &args.params[i], err,
                          sizeof(err)) != KILN_OK)
      return err;
  for (size_t i = 0; i < entry.num_inputs; ++i) {
    kiln_tensor_t &t = args.inputs[i];
    bool isFloat = kiln_dtype_is_float(t.dtype);
    if (kiln_random_fill(&t, seed + i, isFloat ? floatLo : intLo,
                         isFloat ? floatHi : intHi) != KILN_OK)
      return "cannot fill input '" + std::string(entry.inputs[i].name) + "'";
  }
  return "";
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(benchCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "Kiln benchmark: times an entry point of a JIT-compiled model and "
      "prints one JSON line\n");
  if (warmup < 0)
    return error("--warmup must be 0 or more");
  if (iters <= 0)
    return error("--iters must be positive");
  if (optLevel > 3)
    return error("--opt-level must be 0, 1, 2 or 3");
  double floatLo, floatHi, intLo, intHi;
  if (!parseRange(floatRange, floatLo, floatHi))
    return error("invalid --range '" + floatRange +
                 "': expected LO,HI with LO < HI");
  if (!parseRange(intRange, intLo, intHi))
    return error("invalid --int-range '" + intRange +
                 "': expected LO,HI with LO < HI");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  kiln::registerAllDialects(registry);
  MLIRContext context(registry);

  auto file = llvm::MemoryBuffer::getFileOrSTDIN(modelFile);
  if (std::error_code ec = file.getError())
    return error("cannot open '" + modelFile + "': " + ec.message());
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  auto compileStart = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return 1;
  PassManager pm(&context, ModuleOp::getOperationName());
  kiln::PipelineOptions options;
  options.planBuffers = planBuffers.getValue();
  kiln::buildNNToLLVMPipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;
  llvm::Expected<kiln::JITModule> jit =
      kiln::JITModule::create(*module, optLevel);
  if (!jit) {
    std::string message = llvm::toString(jit.takeError());
    return error(message);
  }
  double compileMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - compileStart)
                         .count();

  char err[1024];
  kiln_signature_t sig{};
  if (kiln_signature_parse(jit->getSignature(), &sig, err, sizeof(err)) !=
      KILN_OK)
    return error(llvm::Twine("corrupt module: ") + err);
  auto freeSignature =
      llvm::make_scope_exit([&] { kiln_signature_free(&sig); });
  const kiln_sig_entry_t *entry = kiln_signature_find_entry(
      &sig, entryName.empty() ? nullptr : entryName.c_str());
  if (!entry && entryName.empty())
    return error("the model has no entry point");
  if (!entry)
    return error("no entry point named '" + entryName + "'");
  kiln_entry_fn_t fn = kiln_entry_table_find(jit->getEntryTable(), entry->name);
  if (!fn)
    return error(llvm::Twine("corrupt module: no function for entry '") +
                 entry->name + "'");

  Arguments args;
  std::string message =
      prepareArguments(*entry, args, floatLo, floatHi, intLo, intHi);
  if (!message.empty())
    return error(message);

  // One checked call (counts, dtypes and shapes), then calls through a
  // prebuilt argument block so that only the compiled code is timed.
  std::vector<kiln_tensor_t *> params = Arguments::pointers(args.params);
  std::vector<kiln_tensor_t *> states = Arguments::pointers(args.states);
  std::vector<kiln_tensor_t *> inputs = Arguments::pointers(args.inputs);
  std::vector<kiln_tensor_t *> outputs = Arguments::pointers(args.outputs);
  if (kiln_call_entry(entry, fn, params.data(), params.size(), states.data(),
                      states.size(), inputs.data(), inputs.size(),
                      outputs.data(), outputs.size(), err,
                      sizeof(err)) != KILN_OK)
    return error(err);
  std::vector<kiln_tensor_t *> all;
  for (auto *list : {&params, &states, &inputs, &outputs})
    all.insert(all.end(), list->begin(), list->end());
  // The workspace that kiln_call_entry() passed, allocated once already.
  kiln_tensor_t workspace{};
  if (entry->workspace) {
    if (kiln_workspace_get(entry->workspace, &workspace, err, sizeof(err)) !=
        KILN_OK)
      return error(err);
    all.push_back(&workspace);
  }
  kiln_arg_pack_t pack{};
  if (kiln_arg_pack_build(&pack, all.data(), all.size(), err, sizeof(err)) !=
      KILN_OK)
    return error(err);
  auto freePack = llvm::make_scope_exit([&] { kiln_arg_pack_free(&pack); });

  for (int i = 0; i < warmup; ++i)
    fn(pack.args);
  std::vector<double> times;
  times.reserve(iters);
  for (int i = 0; i < iters; ++i) {
    auto start = std::chrono::steady_clock::now();
    fn(pack.args);
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  size_t n = sorted.size();
  double median =
      n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  double mean = 0;
  for (double t : times)
    mean += t / n;

  llvm::json::Object result{
      {"model", modelFile.getValue()}, {"entry", std::string(entry->name)},
      {"warmup", warmup.getValue()},   {"iters", iters.getValue()},
      {"compile_ms", compileMs},       {"median_ms", median},
      {"min_ms", sorted.front()},      {"mean_ms", mean},
      {"max_ms", sorted.back()},
      // The entry's memory: its arguments and its planned workspace.
      {"argument_bytes",
       static_cast<int64_t>(kiln_sig_entry_arg_bytes(entry))},
      {"workspace_bytes", static_cast<int64_t>(entry->workspace)}};
  llvm::outs() << llvm::json::Value(std::move(result)) << "\n";
  return 0;
}
