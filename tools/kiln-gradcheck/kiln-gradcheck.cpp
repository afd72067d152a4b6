//===- kiln-gradcheck.cpp - compiled gradients vs. finite differences -----===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// kiln-gradcheck model.mlir [--function NAME]... [--seed N] [--samples K]
//                [--eps H] [--rtol R] [--atol A] [--input-range LO,HI]
//
// Checks the gradients that Kiln compiles against numerical derivatives:
//
//  1. A copy of the model goes through kiln-autodiff (for the functions
//     marked `nn.differentiate`, or those given with --function), the normal
//     lowering (kiln::buildNNToLLVMPipeline) and the JIT. Every parameter is
//     initialized with the runtime's initializer and `@<f>_grad` is called
//     through kiln_call_entry: these are the compiled f32 gradients.
//  2. The reference interpreter evaluates the ORIGINAL `@f` in f64 with the
//     same parameter values (widened from f32) and inputs, and central
//     finite differences (L(p + h e_i) - L(p - h e_i)) / 2h are taken for
//     every element of every target (or K sampled elements of larger ones),
//     plus one directional derivative along a random unit direction.
//  3. An element passes if |g - fd| <= atol + rtol * |fd|. The tool prints
//     one row per target and exits 0 only if everything passes.
//
// docs/Gradcheck.md describes the output and the choice of tolerances.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"
#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Reference/Interpreter.h"
#include "kiln/Reference/RuntimeBridge.h"
#include "kiln/Runtime/Runtime.h"
#include "kiln/Target/JIT.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <memory>

using namespace mlir;
using namespace kiln::reference;
namespace cl = llvm::cl;

static cl::OptionCategory gradcheckCategory("kiln-gradcheck options");

static cl::opt<std::string> modelFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(gradcheckCategory));
static cl::list<std::string> functionNames(
    "function", cl::value_desc("NAME"),
    cl::desc("Function to check (repeatable; default: every function marked "
             "nn.differentiate)"),
    cl::cat(gradcheckCategory));
static cl::opt<uint64_t>
    seed("seed", cl::value_desc("N"), cl::init(0),
         cl::desc("Seed of the generated inputs, the sampled elements and "
                  "the random direction (default 0)"),
         cl::cat(gradcheckCategory));
static cl::opt<int64_t> samples(
    "samples", cl::value_desc("K"), cl::init(64),
    cl::desc("Check K randomly chosen elements of each target with more "
             "than K elements, every element of the others (default 64)"),
    cl::cat(gradcheckCategory));
static cl::opt<double> epsOption("eps", cl::value_desc("H"), cl::init(1e-4),
                                 cl::desc("Finite-difference step, in f64 "
                                          "(default 1e-4)"),
                                 cl::cat(gradcheckCategory));
static cl::opt<double> rtolOption("rtol", cl::value_desc("R"), cl::init(1e-3),
                                  cl::desc("Relative tolerance (default 1e-3)"),
                                  cl::cat(gradcheckCategory));
static cl::opt<double> atolOption("atol", cl::value_desc("A"), cl::init(1e-5),
                                  cl::desc("Absolute tolerance (default 1e-5)"),
                                  cl::cat(gradcheckCategory));
static cl::opt<std::string>
    inputRange("input-range", cl::value_desc("LO,HI"), cl::init("-1,1"),
               cl::desc("Range of the generated f32 inputs (default -1,1)"),
               cl::cat(gradcheckCategory));

/// Denominator floor of the reported relative error.
static constexpr double kTiny = 1e-30;

/// Reports "kiln-gradcheck: error: <message>" and returns the exit code 1.
static int error(const llvm::Twine &message) {
  llvm::outs().flush();
  llvm::errs() << "kiln-gradcheck: error: " << message << '\n';
  return 1;
}

namespace {
/// Owns a kiln_tensor_t.
struct OwnedTensor {
  kiln_tensor_t t{};
  OwnedTensor() = default;
  OwnedTensor(const OwnedTensor &) = delete;
  OwnedTensor &operator=(const OwnedTensor &) = delete;
  ~OwnedTensor() { kiln_tensor_free(&t); }
};
} // namespace

/// Formats a shape as "4x3", or "scalar".
static std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  return llvm::join(
      llvm::map_range(shape, [](int64_t d) { return std::to_string(d); }), "x");
}

/// Formats the multi-index of row-major element `index` as "[1, 2]".
static std::string formatIndex(ArrayRef<int64_t> shape, int64_t index) {
  SmallVector<int64_t> coords(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    coords[d] = shape[d] ? index % shape[d] : 0;
    index = shape[d] ? index / shape[d] : 0;
  }
  return "[" +
         llvm::join(llvm::map_range(
                        coords, [](int64_t c) { return std::to_string(c); }),
                    ", ") +
         "]";
}

/// Parses "LO,HI" with LO < HI.
static bool parseRange(StringRef text, double &lo, double &hi) {
  auto [first, second] = text.split(',');
  return !first.trim().getAsDouble(lo) && !second.trim().getAsDouble(hi) &&
         lo < hi;
}

namespace {
/// Something the loss is differentiated with respect to: a parameter, or an
/// f32 argument listed in `nn.differentiate = [...]`.
struct Target {
  std::string name;
  /// Position among the function's non-parameter arguments (the inputs), for
  /// argument targets; -1 for parameters.
  int64_t inputIndex = -1;
  SmallVector<int64_t> shape;
  /// The compiled gradient, widened to double.
  std::vector<double> grad;
};

/// One function being checked and what the gradient function looks like.
struct CheckedFunction {
  func::FuncOp func;
  std::string gradName;
  SmallVector<Target> targets;
};
} // namespace

/// Returns the [0, C) range of `arg` if it is the labels operand of an
/// nn.cross_entropy or nn.focal_loss with C classes (the smallest C if
/// several).
static std::optional<int64_t> inferNumClasses(BlockArgument arg) {
  return kiln::nn::getLabelClassCount(arg);
}

/// Selects the functions to check: --function, or every function marked
/// nn.differentiate. Returns false after reporting an error.
static bool selectFunctions(ModuleOp module,
                            SmallVectorImpl<CheckedFunction> &checked) {
  SymbolTable symbols(module);
  if (!functionNames.empty()) {
    for (const std::string &name : functionNames) {
      auto func = symbols.lookup<func::FuncOp>(name);
      if (!func || func.isExternal()) {
        error("no function named '" + name + "' with a body to check");
        return false;
      }
      checked.push_back({func, name + "_grad", {}});
    }
    return true;
  }
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr("nn.differentiate"))
      checked.push_back({func, (func.getSymName() + "_grad").str(), {}});
  if (checked.empty()) {
    error("no function to check: mark a loss function with "
          "'nn.differentiate' or name it with --function");
    return false;
  }
  return true;
}

/// Builds the gradient functions on a copy of `module`, lowers and
/// JIT-compiles it. Fills the targets of each checked function from the
/// `nn.grad_of` result attributes. Returns std::nullopt after reporting an
/// error (diagnostics of the passes are printed by the handler).
static std::optional<kiln::JITModule>
compileGradients(ModuleOp module, MutableArrayRef<CheckedFunction> checked) {
  OwningOpRef<ModuleOp> copy = module.clone();
  MLIRContext *context = module.getContext();
  llvm::StringSet<> selected;
  for (CheckedFunction &cf : checked)
    selected.insert(cf.func.getSymName());
  for (auto func : copy->getOps<func::FuncOp>()) {
    if (!selected.contains(func.getSymName()))
      func->removeAttr("nn.differentiate");
    else if (!func->hasAttr("nn.differentiate"))
      func->setAttr("nn.differentiate", UnitAttr::get(context));
  }

  PassManager autodiff(context);
  autodiff.addPass(kiln::nn::createKilnAutodiff());
  if (failed(autodiff.run(*copy)))
    return std::nullopt;

  SymbolTable symbols(*copy);
  llvm::StringSet<> gradNames;
  for (CheckedFunction &cf : checked) {
    auto grad = symbols.lookup<func::FuncOp>(cf.gradName);
    if (!grad) {
      error("kiln-autodiff did not create '@" + cf.gradName + "'");
      return std::nullopt;
    }
    gradNames.insert(cf.gradName);
    // The inputs of @f: its arguments without a promoted-parameter
    // dictionary, in order.
    SmallVector<unsigned> inputArgs;
    for (unsigned i = 0, e = cf.func.getNumArguments(); i < e; ++i)
      if (!cf.func.getArgAttr(i, kiln::nn::kParamAttrName))
        inputArgs.push_back(i);
    unsigned numParams = 0;
    cf.func.walk([&](kiln::nn::ParamOp) { ++numParams; });
    SmallVector<unsigned> argTargets;
    if (auto indices = cf.func->getAttrOfType<ArrayAttr>("nn.differentiate"))
      for (Attribute index : indices)
        argTargets.push_back(cast<IntegerAttr>(index).getInt());

    unsigned first = cf.func.getNumResults();
    for (unsigned r = first, e = grad.getNumResults(); r < e; ++r) {
      Target target;
      auto name = grad.getResultAttrOfType<StringAttr>(r, "nn.grad_of");
      target.name = name ? name.str() : "result" + std::to_string(r);
      target.shape = llvm::to_vector(
          cast<RankedTensorType>(grad.getResultTypes()[r]).getShape());
      unsigned t = r - first;
      if (t >= numParams) {
        unsigned arg = argTargets[t - numParams];
        auto *it = llvm::find(inputArgs, arg);
        if (it == inputArgs.end()) {
          error("'@" + cf.func.getSymName() + "': differentiated argument " +
                std::to_string(arg) + " is a promoted parameter");
          return std::nullopt;
        }
        target.inputIndex = it - inputArgs.begin();
      }
      cf.targets.push_back(std::move(target));
    }
    if (cf.targets.empty()) {
      error("'@" + cf.func.getSymName() +
            "' has no parameters: there is no gradient to check");
      return std::nullopt;
    }
  }

  // Compile only the gradient functions (and what they call); a gradient
  // function is exported even if the function it was copied from is private.
  for (auto func : copy->getOps<func::FuncOp>()) {
    if (gradNames.contains(func.getSymName()))
      func.setPublic();
    else
      func.setPrivate();
  }
  PassManager lowering(context);
  lowering.addPass(createSymbolDCEPass());
  kiln::PipelineOptions options;
  kiln::buildNNToLLVMPipeline(lowering, options);
  if (failed(lowering.run(*copy)))
    return std::nullopt;

  llvm::Expected<kiln::JITModule> jit =
      kiln::JITModule::create(*copy, /*optLevel=*/2);
  if (!jit) {
    error("JIT compilation failed: " + llvm::toString(jit.takeError()));
    return std::nullopt;
  }
  return std::move(*jit);
}

/// Generates input `index` of `func` (argument `arg`): f32 uniformly in the
/// --input-range, labels of an nn.cross_entropy in [0, C). Returns false
/// after reporting an error.
static bool generateInput(func::FuncOp func, unsigned arg, size_t index,
                          const kiln_sig_arg_t &sig, double lo, double hi,
                          OwnedTensor &out) {
  char err[1024];
  if (kiln_sig_arg_alloc(&sig, &out.t, err, sizeof(err)) != KILN_OK) {
    error(err);
    return false;
  }
  if (sig.dtype != KILN_F32) {
    std::optional<int64_t> classes = inferNumClasses(func.getArgument(arg));
    if (!classes || *classes <= 0) {
      error("'@" + func.getSymName() + "': integer input '" + sig.name +
            "' is not the labels of an nn.cross_entropy or nn.focal_loss; "
            "kiln-gradcheck cannot generate it");
      return false;
    }
    lo = 0.0;
    hi = static_cast<double>(*classes);
  }
  if (kiln_random_fill(&out.t, seed + index, lo, hi) != KILN_OK) {
    error("cannot generate input '" + std::string(sig.name) + "'");
    return false;
  }
  return true;
}

/// Returns `count` distinct indices in [0, n) (all of them if n <= count),
/// sorted, chosen by a partial Fisher-Yates shuffle driven by the runtime's
/// counter-based RNG.
static std::vector<int64_t> sampleIndices(int64_t n, int64_t count,
                                          uint64_t rngSeed) {
  std::vector<int64_t> all(n);
  for (int64_t i = 0; i < n; ++i)
    all[i] = i;
  if (n <= count)
    return all;
  for (int64_t i = 0; i < count; ++i) {
    uint64_t r = kiln_rng_draw(rngSeed, static_cast<uint64_t>(i));
    int64_t j = i + static_cast<int64_t>(r % static_cast<uint64_t>(n - i));
    std::swap(all[i], all[j]);
  }
  all.resize(count);
  std::sort(all.begin(), all.end());
  return all;
}

namespace {
/// The values the reference interpreter sees: parameters by name and the
/// inputs, both perturbed in place by the finite differences.
struct ReferenceState {
  func::FuncOp func;
  llvm::StringMap<RefTensor> params;
  SmallVector<RefTensor> args;

  /// The storage of `target`'s values.
  std::vector<double> &valuesOf(const Target &target) {
    return target.inputIndex < 0 ? params[target.name].data
                                 : args[target.inputIndex].data;
  }

  /// Evaluates the loss of `func` in f64 into `loss`. Returns false after
  /// the interpreter reported an error.
  bool evaluate(double &loss) {
    Interpreter interpreter([&](const ParamInfo &info) -> FailureOr<RefTensor> {
      auto it = params.find(info.name);
      if (it == params.end())
        return emitError(info.loc, "parameter '")
               << info.name << "' is not in the compiled signature";
      return it->second;
    });
    FailureOr<SmallVector<RefTensor>> results = interpreter.run(func, args);
    if (failed(results))
      return false;
    loss = (*results)[0].data[0];
    return true;
  }
};
} // namespace

/// Runs the compiled `@<f>_grad` of `cf`: initializes the parameters,
/// generates the inputs, stores the gradients in `cf.targets` and the loss
/// in `compiledLoss`, and the same parameter and input values in `state`.
/// Returns false after reporting an error.
static bool runCompiled(CheckedFunction &cf, const kiln_signature_t &sig,
                        const kiln_entry_t *table, double inputLo,
                        double inputHi, ReferenceState &state,
                        double &compiledLoss) {
  char err[1024];
  const kiln_sig_entry_t *entry =
      kiln_signature_find_entry(&sig, cf.gradName.c_str());
  kiln_entry_fn_t fn = kiln_entry_table_find(table, cf.gradName.c_str());
  if (!entry || !fn) {
    error("the compiled module has no entry '" + cf.gradName + "'");
    return false;
  }

  // Parameters: the runtime's initializer, as compiled programs do.
  std::vector<std::unique_ptr<OwnedTensor>> params, inputs, outputs;
  std::string message;
  for (size_t i = 0; i < entry->num_params; ++i) {
    auto t = std::make_unique<OwnedTensor>();
    if (kiln_sig_arg_alloc(&entry->params[i], &t->t, err, sizeof(err)) !=
            KILN_OK ||
        kiln_sig_arg_init(&entry->params[i], &t->t, err, sizeof(err)) !=
            KILN_OK) {
      error(err);
      return false;
    }
    std::optional<RefTensor> value =
        fromRuntimeTensor(t->t, ElementKind::F32, message);
    if (!value) {
      error("parameter '" + std::string(entry->params[i].name) +
            "': " + message);
      return false;
    }
    state.params[entry->params[i].name] = std::move(*value);
    params.push_back(std::move(t));
  }

  // Inputs: the non-parameter arguments of @f, in order.
  SmallVector<unsigned> inputArgs;
  for (unsigned i = 0, e = cf.func.getNumArguments(); i < e; ++i)
    if (!cf.func.getArgAttr(i, kiln::nn::kParamAttrName))
      inputArgs.push_back(i);
  if (inputArgs.size() != entry->num_inputs) {
    error("'@" + cf.gradName + "' takes " + std::to_string(entry->num_inputs) +
          " inputs, '@" + cf.func.getSymName() + "' " +
          std::to_string(inputArgs.size()));
    return false;
  }
  for (size_t i = 0; i < entry->num_inputs; ++i) {
    auto t = std::make_unique<OwnedTensor>();
    if (!generateInput(cf.func, inputArgs[i], i, entry->inputs[i], inputLo,
                       inputHi, *t))
      return false;
    FailureOr<ElementKind> kind = getElementKind(
        cast<RankedTensorType>(cf.func.getArgumentTypes()[inputArgs[i]])
            .getElementType());
    std::optional<RefTensor> value =
        failed(kind) ? std::nullopt : fromRuntimeTensor(t->t, *kind, message);
    if (!value) {
      error("input '" + std::string(entry->inputs[i].name) + "': " + message);
      return false;
    }
    state.args.push_back(std::move(*value));
    inputs.push_back(std::move(t));
  }

  // The call; outputs are the loss, the other results, then the gradients.
  for (size_t i = 0; i < entry->num_outputs; ++i) {
    auto t = std::make_unique<OwnedTensor>();
    if (kiln_sig_arg_alloc(&entry->outputs[i], &t->t, err, sizeof(err)) !=
        KILN_OK) {
      error(err);
      return false;
    }
    outputs.push_back(std::move(t));
  }
  auto pointers = [](std::vector<std::unique_ptr<OwnedTensor>> &v) {
    std::vector<kiln_tensor_t *> p;
    for (auto &t : v)
      p.push_back(&t->t);
    return p;
  };
  std::vector<kiln_tensor_t *> paramPtrs = pointers(params),
                               inputPtrs = pointers(inputs),
                               outputPtrs = pointers(outputs);
  if (kiln_call_entry(entry, fn, paramPtrs.data(), paramPtrs.size(),
                      /*states=*/nullptr, 0, inputPtrs.data(), inputPtrs.size(),
                      outputPtrs.data(), outputPtrs.size(), err,
                      sizeof(err)) != KILN_OK) {
    error(err);
    return false;
  }
  size_t firstGrad = entry->num_outputs - cf.targets.size();
  for (auto [i, target] : llvm::enumerate(cf.targets)) {
    const kiln_tensor_t &g = outputs[firstGrad + i]->t;
    target.grad.resize(g.numel);
    for (int64_t k = 0; k < g.numel; ++k)
      target.grad[k] = kiln_tensor_get_f64(&g, k);
  }
  compiledLoss = kiln_tensor_get_f64(&outputs[0]->t, 0);
  return true;
}

namespace {
/// Widths of the name and shape columns of a function's table.
struct Columns {
  size_t name = 6;
  size_t shape = 5;
};
} // namespace

/// Compares the gradient of target number `index` with central differences
/// on its (sampled) elements and prints its row. Sets `pass`; returns false
/// after an interpreter error.
static bool checkTarget(const Target &target, size_t index,
                        ReferenceState &state, const Columns &columns,
                        bool &pass) {
  const double h = epsOption;
  std::vector<double> &values = state.valuesOf(target);
  int64_t n = static_cast<int64_t>(values.size());
  std::vector<int64_t> indices = sampleIndices(
      n, samples, kiln_rng_mix(seed ^ 0x6772616463686b00ULL) + index);
  double maxAbs = 0, maxRel = 0, worstExcess = -INFINITY, worstFd = 0;
  int64_t worst = -1, bad = 0;
  for (int64_t i : indices) {
    double saved = values[i];
    double plus = 0, minus = 0;
    values[i] = saved + h;
    bool ok = state.evaluate(plus);
    values[i] = saved - h;
    ok = ok && state.evaluate(minus);
    values[i] = saved;
    if (!ok)
      return false;
    double fd = (plus - minus) / (2 * h);
    double g = target.grad[i];
    double absErr = std::fabs(g - fd);
    double relErr = absErr / std::max({std::fabs(fd), std::fabs(g), kTiny});
    double tol = atolOption + rtolOption * std::fabs(fd);
    // NaN compares false: a NaN gradient or difference fails.
    if (!(absErr <= tol))
      ++bad;
    maxAbs = std::isnan(absErr) ? absErr : std::max(maxAbs, absErr);
    maxRel = std::isnan(relErr) ? relErr : std::max(maxRel, relErr);
    double excess = std::isnan(absErr) ? INFINITY : absErr - tol;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
      worstFd = fd;
    }
  }
  std::string checked =
      std::to_string(indices.size()) + "/" + std::to_string(n);
  llvm::outs() << "  " << llvm::left_justify(target.name, columns.name) << "  "
               << llvm::left_justify(formatShape(target.shape), columns.shape)
               << "  " << llvm::left_justify(checked, 11) << "  "
               << llvm::format("%-11.3e  %-11.3e  ", maxAbs, maxRel)
               << (bad ? "FAIL" : "PASS") << '\n';
  if (bad)
    llvm::outs() << "    " << bad << " of " << indices.size()
                 << " elements out of tolerance; worst "
                 << formatIndex(target.shape, worst) << ": compiled "
                 << llvm::format("%.9e", target.grad[worst])
                 << ", finite difference " << llvm::format("%.9e", worstFd)
                 << '\n';
  pass = bad == 0;
  return true;
}

/// Compares dot(grad, d) with the central difference along a seeded random
/// unit direction d over all targets and prints the result. Sets `pass`;
/// returns false after an interpreter error.
static bool checkDirection(ArrayRef<Target> targets, ReferenceState &state,
                           bool &pass) {
  const double h = epsOption;
  int64_t total = 0;
  for (const Target &target : targets)
    total += static_cast<int64_t>(target.grad.size());
  std::vector<double> dir(total);
  double norm = 0;
  uint64_t dirSeed = kiln_rng_mix(seed ^ 0x6469726563740000ULL);
  for (int64_t i = 0; i < total; ++i) {
    dir[i] = kiln_rng_normal(dirSeed, static_cast<uint64_t>(i));
    norm += dir[i] * dir[i];
  }
  norm = std::sqrt(norm);
  double dot = 0, scale = 0;
  int64_t k = 0;
  for (const Target &target : targets)
    for (double g : target.grad) {
      dir[k] /= norm;
      dot += g * dir[k];
      scale += std::fabs(g * dir[k]);
      ++k;
    }

  // Each evaluation starts from the saved values, so that no rounding of
  // the shift is left behind.
  std::vector<std::vector<double>> saved;
  for (const Target &target : targets)
    saved.push_back(state.valuesOf(target));
  auto evaluateShifted = [&](double step, double &loss) {
    int64_t k = 0;
    for (const Target &target : targets)
      for (double &v : state.valuesOf(target))
        v += step * dir[k++];
    bool ok = state.evaluate(loss);
    for (auto [target, values] : llvm::zip(targets, saved))
      state.valuesOf(target) = values;
    return ok;
  };
  double plus = 0, minus = 0;
  if (!evaluateShifted(h, plus) || !evaluateShifted(-h, minus))
    return false;
  double fd = (plus - minus) / (2 * h);
  double absErr = std::fabs(dot - fd);
  double relErr = absErr / std::max({std::fabs(fd), std::fabs(dot), kTiny});
  pass = absErr <= atolOption + rtolOption * std::max(std::fabs(fd), scale);
  llvm::outs() << "  direction (" << total << " elements): dot(grad, d) "
               << llvm::format("%.6e", dot) << ", finite difference "
               << llvm::format("%.6e", fd) << ", abs err "
               << llvm::format("%.3e", absErr) << ", rel err "
               << llvm::format("%.3e", relErr) << "  "
               << (pass ? "PASS" : "FAIL") << '\n';
  return true;
}

/// Checks one function and prints its table. Returns false after reporting
/// an error; otherwise the outcome is added to `numPassed`, `numFailed` and
/// `directionFailed`.
static bool checkFunction(CheckedFunction &cf, const kiln_signature_t &sig,
                          const kiln_entry_t *table, double inputLo,
                          double inputHi, unsigned &numPassed,
                          unsigned &numFailed, bool &directionFailed) {
  ReferenceState state{cf.func, {}, {}};
  double compiledLoss = 0, referenceLoss = 0;
  if (!runCompiled(cf, sig, table, inputLo, inputHi, state, compiledLoss) ||
      !state.evaluate(referenceLoss))
    return false;

  llvm::outs() << "gradcheck @" << cf.func.getSymName() << ": "
               << cf.targets.size() << " target"
               << (cf.targets.size() == 1 ? "" : "s") << ", loss "
               << llvm::format("%.6e", compiledLoss) << " (reference "
               << llvm::format("%.6e", referenceLoss) << "), eps "
               << llvm::format("%g", epsOption.getValue()) << ", rtol "
               << llvm::format("%g", rtolOption.getValue()) << ", atol "
               << llvm::format("%g", atolOption.getValue()) << '\n';
  Columns columns;
  for (const Target &target : cf.targets) {
    columns.name = std::max(columns.name, target.name.size());
    columns.shape = std::max(columns.shape, formatShape(target.shape).size());
  }
  llvm::outs() << "  " << llvm::left_justify("target", columns.name) << "  "
               << llvm::left_justify("shape", columns.shape)
               << "  checked      max_abs_err  max_rel_err  result\n";

  for (auto [index, target] : llvm::enumerate(cf.targets)) {
    bool pass = false;
    if (!checkTarget(target, index, state, columns, pass))
      return false;
    ++(pass ? numPassed : numFailed);
  }
  bool pass = false;
  if (!checkDirection(cf.targets, state, pass))
    return false;
  directionFailed |= !pass;
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(gradcheckCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "Kiln gradient checker: compiled gradients against f64 finite "
      "differences of the reference interpreter\n");
  if (samples <= 0)
    return error("--samples must be positive");
  if (!(epsOption > 0) || !std::isfinite(epsOption))
    return error("--eps must be a positive number");
  if (!(rtolOption >= 0) || !(atolOption >= 0))
    return error("--rtol and --atol must be non-negative");
  double inputLo = 0, inputHi = 0;
  if (!parseRange(inputRange, inputLo, inputHi))
    return error("invalid --input-range '" + inputRange +
                 "': expected LO,HI with LO < HI");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  kiln::registerAllDialects(registry);
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

  SmallVector<CheckedFunction> checked;
  if (!selectFunctions(*module, checked))
    return 1;
  std::optional<kiln::JITModule> jit = compileGradients(*module, checked);
  if (!jit)
    return 1;

  kiln_signature_t sig{};
  char err[1024];
  if (kiln_signature_parse(jit->getSignature(), &sig, err, sizeof(err)) !=
      KILN_OK)
    return error(err);
  unsigned passed = 0, failed = 0;
  bool directionFailed = false;
  bool ok = true;
  for (CheckedFunction &cf : checked) {
    ok = checkFunction(cf, sig, jit->getEntryTable(), inputLo, inputHi, passed,
                       failed, directionFailed);
    if (!ok)
      break;
  }
  kiln_signature_free(&sig);
  if (!ok)
    return 1;
  llvm::outs() << "gradcheck: " << passed << " params passed, " << failed
               << " failed"
               << (directionFailed ? "; direction check failed" : "") << '\n';
  llvm::outs().flush();
  return failed || directionFailed ? 1 : 0;
}
