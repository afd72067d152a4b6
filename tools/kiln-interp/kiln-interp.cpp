//===- kiln-interp.cpp - run an nn model with the reference interpreter ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Runs a function of an `nn` model in f64 with Kiln's reference interpreter.
// The command line mirrors the executables that `kilnc` produces, so the
// same inputs can be fed to both and the outputs compared:
//
//   kiln-interp model.mlir [--entry NAME] [-o OUT.npy]... [--print] [--full]
//               [--f64] INPUT.npy...
//   kiln-interp model.mlir --rand-inputs SEED [--rand-range LO,HI]
//               [--label-range LO,HI] [--save-inputs PREFIX] ...
//
// Inputs are the entry's non-parameter arguments in order. Parameters
// (`nn.param` ops, or arguments promoted by kiln-promote-params) get the
// runtime's deterministic initializer, exactly as compiled programs do.
// Outputs are written as .npy in their element type (f32 rounded from the
// f64 result; i1 as i32 0/1), or as f64 with --f64.
//
// Random inputs: input k is filled with kiln_random_fill(seed = SEED + k):
// floats uniformly in [LO, HI) (--rand-range, default -1,1); integer inputs
// as integers in [LO, HI) from --label-range, or, without it, in [0, C) when
// the input is the labels operand of an nn.cross_entropy with C classes.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"
#include "kiln/Reference/Interpreter.h"
#include "kiln/Reference/RuntimeBridge.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

using namespace mlir;
using namespace kiln::reference;
namespace cl = llvm::cl;

static cl::OptionCategory interpCategory("kiln-interp options");

static cl::opt<std::string> modelFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(interpCategory));
static cl::list<std::string> inputFiles(cl::Positional,
                                        cl::desc("<INPUT.npy>..."),
                                        cl::cat(interpCategory));
static cl::opt<std::string>
    entryName("entry", cl::value_desc("NAME"),
              cl::desc("Function to run (default: the first public function "
                       "with a body)"),
              cl::cat(interpCategory));
static cl::list<std::string>
    outputFiles("o", cl::value_desc("OUT.npy"),
                cl::desc("Write the next output to this .npy file; repeat "
                         "for further outputs, in order"),
                cl::cat(interpCategory));
static cl::opt<bool>
    printOutputs("print",
                 cl::desc("Print every output (the default without -o)"),
                 cl::cat(interpCategory));
static cl::opt<bool>
    printFull("full",
              cl::desc("Print all elements (default: summarize outputs with "
                       "more than 1000 elements)"),
              cl::cat(interpCategory));
static cl::opt<bool>
    wideOutputs("f64",
                cl::desc("Write and print f32 outputs as f64 instead of "
                         "rounding them to f32"),
                cl::cat(interpCategory));
static cl::opt<uint64_t>
    randSeed("rand-inputs", cl::value_desc("SEED"),
             cl::desc("Generate the inputs with kiln_random_fill (input k "
                      "uses seed SEED + k) instead of reading files"),
             cl::cat(interpCategory));
static cl::opt<std::string>
    randRange("rand-range", cl::value_desc("LO,HI"), cl::init("-1,1"),
              cl::desc("Range of generated float inputs (default -1,1)"),
              cl::cat(interpCategory));
static cl::opt<std::string> labelRange(
    "label-range", cl::value_desc("LO,HI"),
    cl::desc("Range [LO, HI) of generated integer inputs (default: [0, C) for "
             "the labels of an nn.cross_entropy with C classes)"),
    cl::cat(interpCategory));
static cl::opt<std::string>
    saveInputs("save-inputs", cl::value_desc("PREFIX"),
               cl::desc("Write the inputs used as PREFIX0.npy, PREFIX1.npy, "
                        "..."),
               cl::cat(interpCategory));

/// Outputs larger than this are summarized with "..." unless --full.
static constexpr int64_t kPrintThreshold = 1000;

/// Reports "kiln-interp: error: <message>" and returns the exit code 1.
static int error(const llvm::Twine &message) {
  fflush(stdout);
  llvm::errs() << "kiln-interp: error: " << message << '\n';
  return 1;
}

/// Owns a kiln_tensor_t.
struct RuntimeTensor {
  kiln_tensor_t t{};
  RuntimeTensor() = default;
  RuntimeTensor(const RuntimeTensor &) = delete;
  RuntimeTensor &operator=(const RuntimeTensor &) = delete;
  ~RuntimeTensor() { kiln_tensor_free(&t); }
};

/// Parses "LO,HI" with LO < HI.
static bool parseRange(StringRef text, double &lo, double &hi) {
  auto [first, second] = text.split(',');
  return !first.trim().getAsDouble(lo) && !second.trim().getAsDouble(hi) &&
         lo < hi;
}

/// Formats "4x3 f32" (or "scalar f32").
static std::string describe(ArrayRef<int64_t> shape, StringRef dtype) {
  std::string s =
      shape.empty()
          ? "scalar"
          : llvm::join(llvm::map_range(
                           shape, [](int64_t d) { return std::to_string(d); }),
                       "x");
  return s + " " + dtype.str();
}

/// Selects the function to run: `--entry`, or the first public function
/// with a body.
static func::FuncOp findEntry(ModuleOp module, std::string &message) {
  SmallVector<StringRef> names;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() ||
        func.getSymName().starts_with(kiln::nn::kEntryPrefix))
      continue;
    if (entryName.getNumOccurrences() ? func.getSymName() == entryName
                                      : func.isPublic())
      return func;
    names.push_back(func.getSymName());
  }
  if (!entryName.getNumOccurrences())
    message = "the module has no public function with a body to run";
  else
    message = "unknown entry '" + entryName +
              "' (available: " + llvm::join(names, ", ") + ")";
  return nullptr;
}

/// One non-parameter argument of the entry.
struct InputArg {
  std::string name;
  RankedTensorType type;
  BlockArgument value;
};

/// Returns the [0, C) label range implied by uses of `arg` as the labels of
/// an nn.cross_entropy or nn.focal_loss, if any.
static std::optional<std::pair<double, double>>
inferLabelRange(BlockArgument arg) {
  std::optional<int64_t> classes = kiln::nn::getLabelClassCount(arg);
  if (!classes || *classes <= 0)
    return std::nullopt;
  return std::make_pair(0.0, static_cast<double>(*classes));
}

/// Produces the runtime tensor of input `index`: read from its file, or
/// generated. Returns false after reporting an error.
static bool loadInput(const InputArg &input, size_t index, RuntimeTensor &out) {
  char err[1024];
  FailureOr<ElementKind> kind = getElementKind(input.type.getElementType());
  if (failed(kind) || *kind == ElementKind::I1) {
    std::string typeText;
    llvm::raw_string_ostream(typeText) << input.type;
    error("input '" + input.name + "' has type " + typeText +
          ", which has no .npy representation");
    return false;
  }
  if (randSeed.getNumOccurrences()) {
    double lo = 0, hi = 0;
    if (*kind == ElementKind::F32) {
      if (!parseRange(randRange, lo, hi)) {
        error("invalid --rand-range '" + randRange +
              "': expected LO,HI with LO < HI");
        return false;
      }
    } else if (labelRange.getNumOccurrences()) {
      if (!parseRange(labelRange, lo, hi)) {
        error("invalid --label-range '" + labelRange +
              "': expected LO,HI with LO < HI");
        return false;
      }
    } else if (auto range = inferLabelRange(input.value)) {
      std::tie(lo, hi) = *range;
    } else {
      error("integer input '" + input.name +
            "' is not the labels of an nn.cross_entropy or nn.focal_loss; "
            "give its range with --label-range LO,HI");
      return false;
    }
    kiln_dtype_t dtype = getRuntimeDType(*kind, /*wideFloats=*/false);
    if (kiln_tensor_alloc(&out.t, dtype, input.type.getRank(),
                          input.type.getShape().data(), err,
                          sizeof(err)) != KILN_OK ||
        kiln_random_fill(&out.t, randSeed + index, lo, hi) != KILN_OK) {
      error("cannot generate input '" + input.name + "': " + err);
      return false;
    }
    return true;
  }
  const std::string &file = inputFiles[index];
  if (kiln_npy_read(file.c_str(), &out.t, err, sizeof(err)) != KILN_OK) {
    error(err);
    return false;
  }
  ArrayRef<int64_t> shape(out.t.shape, out.t.rank);
  StringRef dtype = kiln_dtype_name(out.t.dtype);
  bool dtypeOk = out.t.dtype == getRuntimeDType(*kind, false) ||
                 (*kind == ElementKind::F32 && out.t.dtype == KILN_F64);
  if (!dtypeOk || shape != input.type.getShape()) {
    error(file + ": input '" + input.name + "': expected shape " +
          describe(input.type.getShape(), getElementKindName(*kind)) +
          ", got " + describe(shape, dtype));
    return false;
  }
  return true;
}

/// Writes and prints the results. Returns the exit code.
static int emitOutputs(ArrayRef<RefTensor> results) {
  for (auto [i, result] : llvm::enumerate(results)) {
    bool toFile = i < outputFiles.size();
    bool toStdout = printOutputs || outputFiles.empty();
    if (!toFile && !toStdout)
      continue;
    kiln_dtype_t dtype = getRuntimeDType(result.kind, wideOutputs);
    RuntimeTensor t;
    std::string message;
    if (!toRuntimeTensor(result, dtype, t.t, message))
      return error("output " + std::to_string(i) + ": " + message);
    char err[1024];
    if (toFile && kiln_npy_write(outputFiles[i].c_str(), &t.t, err,
                                 sizeof(err)) != KILN_OK)
      return error(err);
    if (toStdout) {
      StringRef dtypeName = result.kind == ElementKind::I1
                                ? StringRef("i1")
                                : StringRef(kiln_dtype_name(dtype));
      llvm::outs() << "output " << i << ": "
                   << describe(result.shape, dtypeName) << '\n';
      llvm::outs().flush();
      kiln_tensor_print(stdout, &t.t, printFull ? 0 : kPrintThreshold);
      fflush(stdout);
    }
  }
  if (fflush(stdout) != 0)
    return error("cannot write to standard output");
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(interpCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "Kiln reference interpreter: runs an nn model in f64\n\n"
      "Inputs are the entry's non-parameter arguments, in order. Parameters\n"
      "get the runtime's deterministic initializer, like compiled programs.\n");

  DialectRegistry registry;
  registry.insert<kiln::nn::NNDialect, func::FuncDialect>();
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);

  auto file = llvm::MemoryBuffer::getFileOrSTDIN(modelFile);
  if (std::error_code ec = file.getError())
    return error("cannot open '" + modelFile + "': " + ec.message());
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return 1;

  std::string message;
  func::FuncOp entry = findEntry(*module, message);
  if (!entry)
    return error(message);

  SmallVector<InputArg> inputs;
  for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i) {
    if (entry.getArgAttr(i, kiln::nn::kParamAttrName))
      continue;
    InputArg input;
    if (auto name = entry.getArgAttrOfType<StringAttr>(i, "nn.name"))
      input.name = name.str();
    else
      input.name = "arg" + std::to_string(inputs.size());
    input.type = dyn_cast<RankedTensorType>(entry.getArgumentTypes()[i]);
    input.value = entry.getArgument(i);
    if (!input.type || !input.type.hasStaticShape()) {
      std::string typeText;
      llvm::raw_string_ostream(typeText) << entry.getArgumentTypes()[i];
      return error("input '" + input.name + "' has type " + typeText +
                   "; entries take statically shaped tensors");
    }
    inputs.push_back(input);
  }

  std::string entryText = entry.getSymName().str();
  auto inputCount = [&] {
    std::string names = llvm::join(
        llvm::map_range(inputs, [](const InputArg &a) { return a.name; }), " ");
    return std::to_string(inputs.size()) + " input" +
           (inputs.size() == 1 ? "" : "s") +
           (inputs.empty() ? "" : " (" + names + ")");
  };
  if (randSeed.getNumOccurrences()) {
    if (!inputFiles.empty())
      return error("--rand-inputs cannot be combined with input files");
  } else if (inputFiles.size() < inputs.size()) {
    return error("missing input '" + inputs[inputFiles.size()].name +
                 "': entry '" + entryText + "' takes " + inputCount() +
                 ", got " + std::to_string(inputFiles.size()));
  } else if (inputFiles.size() > inputs.size()) {
    return error("too many inputs: entry '" + entryText + "' takes " +
                 inputCount() + ", got " + std::to_string(inputFiles.size()));
  }
  if (outputFiles.size() > entry.getNumResults())
    return error("too many -o options: entry '" + entryText + "' has " +
                 std::to_string(entry.getNumResults()) + " output" +
                 (entry.getNumResults() == 1 ? "" : "s"));

  SmallVector<RefTensor> args;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    RuntimeTensor t;
    if (!loadInput(input, index, t))
      return 1;
    if (saveInputs.getNumOccurrences()) {
      std::string path = saveInputs + std::to_string(index) + ".npy";
      char err[1024];
      if (kiln_npy_write(path.c_str(), &t.t, err, sizeof(err)) != KILN_OK)
        return error(err);
    }
    std::optional<RefTensor> value = fromRuntimeTensor(
        t.t, *getElementKind(input.type.getElementType()), message);
    if (!value)
      return error("input '" + input.name + "': " + message);
    args.push_back(std::move(*value));
  }

  Interpreter interpreter(getRuntimeParamProvider());
  FailureOr<SmallVector<RefTensor>> results = interpreter.run(entry, args);
  if (failed(results))
    return 1;
  return emitOutputs(*results);
}
