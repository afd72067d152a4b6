//===- TrainStep.cpp - training-step synthesis ----------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// `kiln-train-step` turns a model function marked `nn.train` into
// `@<name>_train_step`: forward, loss, backward (the gradient function that
// kiln-autodiff builds), the learning-rate schedule and one optimizer update
// per parameter. The updated parameters and optimizer state are results
// tagged `nn.update`, which kiln-export-entry-points turns into in-place
// updates of the caller's buffers. See docs/Training.md.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Dialect/NN/Transforms/Autodiff.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"
#include "kiln/Dialect/NN/Transforms/TrainingMode.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"

namespace kiln::nn {
#define GEN_PASS_DEF_KILNTRAINSTEP
#include "kiln/Dialect/NN/Transforms/Passes.h.inc"
} // namespace kiln::nn

using namespace mlir;
using namespace kiln::nn;

namespace {

/// What the pass needs to know about one optimizer.
struct OptimizerInfo {
  /// Name in `nn.train` and op mnemonic.
  StringRef name;
  /// State tensors per parameter, named `<param>.<suffix>` (PyTorch's
  /// `optimizer.state` keys).
  SmallVector<StringRef, 2> stateSuffixes;
  /// Whether the op takes the step count (before the learning rate).
  bool takesStep;
  /// Hyperparameter attributes of the op: f64 unless listed in `unitKeys`.
  SmallVector<StringRef, 4> keys;
  SmallVector<StringRef, 1> unitKeys;
};

const OptimizerInfo kOptimizers[] = {
    {"sgd", {}, false, {"weight_decay"}, {}},
    {"momentum",
     {"momentum_buffer"},
     true,
     {"momentum", "dampening", "weight_decay"},
     {"nesterov"}},
    {"rmsprop", {"square_avg"}, false, {"alpha", "eps", "weight_decay"}, {}},
    {"adam",
     {"exp_avg", "exp_avg_sq"},
     true,
     {"beta1", "beta2", "eps", "weight_decay"},
     {}},
    {"adamw",
     {"exp_avg", "exp_avg_sq"},
     true,
     {"beta1", "beta2", "eps", "weight_decay"},
     {}},
};

/// Keys of `nn.train` that configure the learning-rate schedule; the
/// integer ones are `step_size` and `total_steps`.
const StringRef kScheduleKeys[] = {"lr", "step_size", "gamma", "total_steps",
                                   "min_lr"};

/// Keys of a phase of `nn.train` besides its optimizer's.
const StringRef kPhaseKeys[] = {"phase", "loss", "params"};

/// The parsed `nn.train` attribute.
struct TrainConfig {
  const OptimizerInfo *optimizer = nullptr;
  LRScheduleKind schedule = LRScheduleKind::constant;
  NamedAttrList scheduleAttrs;
  NamedAttrList optimizerAttrs;
};

/// Joins `keys` as "a, b, c".
std::string joinKeys(ArrayRef<StringRef> keys) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::interleaveComma(keys, os);
  return out;
}

/// Parses and checks one optimizer configuration of `func`: the `nn.train`
/// dictionary, or one phase of it. `where` prefixes the messages.
/// Hyperparameter values are checked later by the ops' verifiers.
FailureOr<TrainConfig> parseTrainConfig(func::FuncOp func, DictionaryAttr dict,
                                        const Twine &where) {
  auto fail = [&](const Twine &why) {
    return func.emitError("'") << kTrainAttrName << "' of '"
                               << func.getSymName() << "'" << where << ": "
                               << why;
  };
  TrainConfig config;
  auto optimizer = dict.getAs<StringAttr>("optimizer");
  if (!optimizer)
    return fail("'optimizer' is required: one of sgd, momentum, rmsprop, "
                "adam, adamw");
  for (const OptimizerInfo &info : kOptimizers)
    if (info.name == optimizer.getValue())
      config.optimizer = &info;
  if (!config.optimizer)
    return fail("unknown optimizer '" + optimizer.getValue() +
                "' (expected sgd, momentum, rmsprop, adam or adamw)");
  if (!dict.get("lr"))
    return fail("'lr' (the learning rate) is required");
  if (Attribute schedule = dict.get("schedule")) {
    auto name = dyn_cast<StringAttr>(schedule);
    std::optional<LRScheduleKind> kind =
        name ? symbolizeLRScheduleKind(name.getValue()) : std::nullopt;
    if (!kind)
      return fail("'schedule' must be \"constant\", \"step\" or \"cosine\"");
    config.schedule = *kind;
  }

  Builder b(func.getContext());
  const OptimizerInfo &info = *config.optimizer;
  for (NamedAttribute entry : dict) {
    StringRef key = entry.getName().getValue();
    if (key == "optimizer" || key == "schedule" ||
        llvm::is_contained(kPhaseKeys, key))
      continue;
    bool isSchedule = llvm::is_contained(kScheduleKeys, key);
    bool isUnit = llvm::is_contained(info.unitKeys, key);
    if (!isSchedule && !isUnit && !llvm::is_contained(info.keys, key)) {
      SmallVector<StringRef> valid(info.keys.begin(), info.keys.end());
      valid.append(info.unitKeys.begin(), info.unitKeys.end());
      return fail("unknown key '" + key + "' for optimizer '" + info.name +
                  "' (expected optimizer, schedule, " +
                  joinKeys(kScheduleKeys) + ", " + joinKeys(valid) + ")");
    }
    Attribute value = entry.getValue();
    if (isUnit) {
      auto flag = dyn_cast<BoolAttr>(value);
      if (!flag && !isa<UnitAttr>(value))
        return fail("'" + key + "' must be true or false");
      if (!flag || flag.getValue())
        config.optimizerAttrs.set(key, b.getUnitAttr());
      continue;
    }
    bool isInteger = key == "step_size" || key == "total_steps";
    if (isInteger) {
      auto integer = dyn_cast<IntegerAttr>(value);
      if (!integer || !integer.getType().isSignlessInteger())
        return fail("'" + key + "' must be an integer");
      value = b.getI64IntegerAttr(integer.getInt());
    } else {
      double number;
      if (auto f = dyn_cast<FloatAttr>(value))
        number = f.getValueAsDouble();
      else if (auto i = dyn_cast<IntegerAttr>(value);
               i && i.getType().isSignlessInteger())
        number = static_cast<double>(i.getInt());
      else
        return fail("'" + key + "' must be a number");
      value = b.getF64FloatAttr(number);
    }
    (isSchedule ? config.scheduleAttrs : config.optimizerAttrs)
        .set(key, value);
  }
  return config;
}

/// One phase of the training step: which loss it minimizes, over which
/// parameters, with which optimizer.
struct PhaseConfig {
  /// Empty for the single phase of a dictionary `nn.train`.
  std::string name;
  unsigned lossIndex = 0;
  /// `params` entries: a parameter name, or a prefix ending in `.`.
  SmallVector<std::string> groups;
  TrainConfig train;

  bool matches(StringRef param) const {
    if (name.empty())
      return true;
    return llvm::any_of(groups, [&](StringRef g) {
      return param == g || (g.ends_with(".") && param.starts_with(g));
    });
  }
};

/// Returns true if `name` can name a phase: `[A-Za-z0-9_]+`.
bool isValidPhaseName(StringRef name) {
  return !name.empty() && llvm::all_of(name, [](char c) {
    return llvm::isAlnum(c) || c == '_';
  });
}

/// Parses `nn.train`: a dictionary (one phase over every parameter) or an
/// array of phase dictionaries, each with `phase`, `loss`, `params` and its
/// optimizer. Checks that the phases' parameter groups partition the
/// trainable parameters of `func`.
FailureOr<SmallVector<PhaseConfig, 2>> parseTrain(func::FuncOp func,
                                                  Attribute attr) {
  auto fail = [&](const Twine &why) -> LogicalResult {
    return func.emitError("'") << kTrainAttrName << "' of '"
                               << func.getSymName() << "': " << why;
  };
  SmallVector<PhaseConfig, 2> phases;
  if (auto dict = dyn_cast<DictionaryAttr>(attr)) {
    for (StringRef key : kPhaseKeys)
      if (dict.get(key))
        return fail("'" + key +
                    "' belongs to a phase; write nn.train as an array of "
                    "phases [{phase = ..., loss = ..., params = [...], ...}]");
    FailureOr<TrainConfig> config = parseTrainConfig(func, dict, "");
    if (failed(config))
      return failure();
    phases.push_back({"", 0, {}, *config});
    return phases;
  }
  auto array = dyn_cast<ArrayAttr>(attr);
  if (!array)
    return fail("expected a dictionary such as {optimizer = \"adam\", "
                "lr = 1.0e-3}, or an array of phases");
  if (array.empty())
    return fail("the array of phases is empty");
  for (auto [i, element] : llvm::enumerate(array)) {
    auto dict = dyn_cast<DictionaryAttr>(element);
    std::string at = "phase #" + std::to_string(i);
    if (!dict)
      return fail(at + " is not a dictionary");
    PhaseConfig phase;
    auto name = dict.getAs<StringAttr>("phase");
    if (!name || !isValidPhaseName(name.getValue()))
      return fail(at + ": 'phase' must name it with letters, digits and _");
    phase.name = name.getValue().str();
    for (const PhaseConfig &other : phases)
      if (other.name == phase.name)
        return fail("two phases are named '" + phase.name + "'");
    at = "phase '" + phase.name + "'";
    auto loss = dict.getAs<IntegerAttr>("loss");
    if (!loss || !loss.getType().isSignlessInteger())
      return fail(at + ": 'loss' must be the index of a result");
    int64_t lossIndex = loss.getInt();
    auto scalar = RankedTensorType::get({}, Float32Type::get(func.getContext()));
    if (lossIndex < 0 || lossIndex >= func.getNumResults() ||
        func.getResultTypes()[lossIndex] != scalar)
      return fail(at + ": 'loss' = " + std::to_string(lossIndex) +
                  " is not a result of type tensor<f32>");
    phase.lossIndex = lossIndex;
    auto groups = dict.getAs<ArrayAttr>("params");
    if (!groups || groups.empty())
      return fail(at + ": 'params' must be a non-empty array of parameter "
                       "names or prefixes ending in '.'");
    for (Attribute g : groups) {
      auto s = dyn_cast<StringAttr>(g);
      if (!s || s.getValue().empty())
        return fail(at + ": 'params' must hold non-empty strings");
      phase.groups.push_back(s.getValue().str());
    }
    FailureOr<TrainConfig> config =
        parseTrainConfig(func, dict, ", " + at);
    if (failed(config))
      return failure();
    phase.train = *config;
    phases.push_back(std::move(phase));
  }

  // Every trainable parameter belongs to exactly one phase; every group
  // entry selects something.
  SmallVector<ParamOp> params;
  func.walk([&](ParamOp p) {
    if (!p.getBuffer())
      params.push_back(p);
  });
  bool ok = true;
  for (ParamOp p : params) {
    SmallVector<StringRef> owners;
    for (const PhaseConfig &phase : phases)
      if (phase.matches(p.getName()))
        owners.push_back(phase.name);
    if (owners.size() == 1)
      continue;
    ok = false;
    if (owners.empty())
      (void)fail("parameter '" + p.getName() +
           "' is in no phase's 'params'; every parameter is trained by "
           "exactly one phase");
    else
      (void)fail("parameter '" + p.getName() + "' is in the groups of phases '" +
           owners[0] + "' and '" + owners[1] +
           "'; parameter groups must not overlap");
  }
  for (const PhaseConfig &phase : phases)
    for (StringRef g : phase.groups)
      if (llvm::none_of(params, [&](ParamOp p) {
            return p.getName() == g ||
                   (g.ends_with(".") && p.getName().starts_with(g));
          })) {
        ok = false;
        (void)fail("phase '" + phase.name + "': 'params' entry '" + g +
             "' selects no trainable parameter");
      }
  if (!ok)
    return failure();
  return phases;
}

/// Creates the op `nn.<name>` at `loc` and runs its verifier, so that bad
/// hyperparameters are reported with the op's numbered constraint at
/// `errorLoc` (the function that carries `nn.train`).
FailureOr<Operation *> createChecked(OpBuilder &b, Location loc,
                                     Location errorLoc, StringRef name,
                                     ValueRange operands, TypeRange types,
                                     ArrayRef<NamedAttribute> attrs) {
  OperationState state(errorLoc, ("nn." + name).str());
  state.addOperands(operands);
  state.addTypes(types);
  state.addAttributes(attrs);
  Operation *op = b.create(state);
  if (failed(mlir::verify(op)))
    return failure();
  op->setLoc(loc);
  return op;
}

} // namespace

/// Builds the training step `stepName` of one phase of `func` (see the pass
/// description). `phaseLosses` are the loss results of every phase; the
/// step returns its own loss first, then, if `keepMetrics`, the results of
/// `func` that are neither a loss of another phase nor an image.
static FailureOr<func::FuncOp>
buildTrainStep(func::FuncOp func, const PhaseConfig &phase,
               ArrayRef<unsigned> phaseLosses, bool keepMetrics,
               StringRef stepName) {
  unsigned numParams = 0;
  func.walk([&](ParamOp p) { numParams += !p.getBuffer(); });
  if (numParams == 0)
    return func.emitError("cannot train '")
           << func.getSymName()
           << "': it has no parameters (declare them with nn.param)";

  MLIRContext *ctx = func.getContext();
  Builder attrs(ctx);
  Location loc = func.getLoc();

  // The training form of the model, with the step count as first argument
  // and the new values of the buffers it updates as extra results.
  auto form = cast<func::FuncOp>(func->clone());
  auto stepType = RankedTensorType::get({}, attrs.getI64Type());
  form.insertArgument(
      0, stepType,
      attrs.getDictionaryAttr(
          {attrs.getNamedAttr(kStepAttrName, attrs.getUnitAttr()),
           attrs.getNamedAttr("nn.name", attrs.getStringAttr("step"))}),
      loc);
  FailureOr<SmallVector<BufferUpdate>> buffers =
      applyTrainingMode(form, form.getArgument(0), func.getSymName());
  if (failed(buffers)) {
    form.erase();
    return failure();
  }
  auto formReturn = cast<func::ReturnOp>(form.front().getTerminator());
  unsigned numModelResults = formReturn.getNumOperands();
  SmallVector<Value> formResults(formReturn.getOperands());
  SmallVector<DictionaryAttr> formResultAttrs;
  for (unsigned i = 0; i < numModelResults; ++i)
    formResultAttrs.push_back(form.getResultAttrDict(i));
  for (const BufferUpdate &update : *buffers) {
    formResults.push_back(update.value);
    formResultAttrs.push_back(attrs.getDictionaryAttr({}));
  }
  formReturn->setOperands(formResults);
  form.setType(FunctionType::get(ctx, form.getArgumentTypes(),
                                 ValueRange(formResults).getTypes()));
  form.setAllResultAttrs(formResultAttrs);

  GradientOptions options;
  options.lossIndex = phase.lossIndex;
  auto isTarget = [&](ParamOp p) { return phase.matches(p.getName()); };
  options.isTarget = isTarget;
  FailureOr<func::FuncOp> built =
      buildGradientFunction(form, stepName, options);
  form.erase();
  if (failed(built))
    return failure();
  func::FuncOp step = *built;
  step->removeAttr(kTrainAttrName);
  step->setAttr(kTrainOfAttrName, attrs.getStringAttr(func.getSymName()));
  if (!phase.name.empty())
    step->setAttr(kPhaseAttrName, attrs.getStringAttr(phase.name));

  // The trained parameters, in program order, as gradient targets are.
  SmallVector<ParamOp> params;
  step.walk([&](ParamOp p) {
    if (!p.getBuffer() && phase.matches(p.getName()))
      params.push_back(p);
  });
  const OptimizerInfo &info = *phase.train.optimizer;

  // New leading arguments: the optimizer state of every parameter (before
  // the step count).
  SmallVector<unsigned> argIndices;
  SmallVector<Type> argTypes;
  SmallVector<DictionaryAttr> argAttrs;
  SmallVector<Location> argLocs;
  SmallVector<std::string> stateNames;
  for (ParamOp param : params)
    for (StringRef suffix : info.stateSuffixes) {
      std::string name = (param.getName() + "." + suffix).str();
      argIndices.push_back(0);
      argTypes.push_back(param.getType());
      argAttrs.push_back(attrs.getDictionaryAttr(attrs.getNamedAttr(
          kStateAttrName,
          attrs.getDictionaryAttr(
              {attrs.getNamedAttr("name", attrs.getStringAttr(name)),
               attrs.getNamedAttr("of",
                                  attrs.getStringAttr(param.getName()))}))));
      argLocs.push_back(param.getLoc());
      stateNames.push_back(name);
    }
  step.insertArguments(argIndices, argTypes, argAttrs, argLocs);
  unsigned numStateArgs = stateNames.size();
  Value stepArg = step.getArgument(numStateArgs);

  // The gradient function returns the model's results, the buffers' new
  // values, then the gradients.
  auto returnOp = cast<func::ReturnOp>(step.front().getTerminator());
  ValueRange returned = returnOp.getOperands();
  SmallVector<Value> results = {returned[phase.lossIndex]};
  SmallVector<DictionaryAttr> resultAttrs = {
      step.getResultAttrDict(phase.lossIndex)};
  for (unsigned i = 0; keepMetrics && i < numModelResults; ++i) {
    if (llvm::is_contained(phaseLosses, i) ||
        step.getResultAttr(i, kImageAttrName))
      continue;
    results.push_back(returned[i]);
    resultAttrs.push_back(step.getResultAttrDict(i));
  }
  ValueRange bufferValues =
      returned.slice(numModelResults, buffers->size());
  ValueRange grads = returned.drop_front(numModelResults + buffers->size());

  OpBuilder b(returnOp);
  NamedAttrList scheduleAttrs = phase.train.scheduleAttrs;
  scheduleAttrs.set("kind",
                    LRScheduleKindAttr::get(ctx, phase.train.schedule));
  auto lrType = RankedTensorType::get({}, attrs.getF32Type());
  FailureOr<Operation *> lr =
      createChecked(b, loc, loc, "lr_schedule", stepArg, lrType,
                    scheduleAttrs.getAttrs());
  if (failed(lr)) {
    step.erase();
    return failure();
  }

  SmallVector<Value> newStates;
  SmallVector<DictionaryAttr> stateResultAttrs;
  auto updateAttr = [&](StringRef name) {
    return attrs.getDictionaryAttr(
        attrs.getNamedAttr(kUpdateAttrName, attrs.getStringAttr(name)));
  };
  unsigned stateIndex = 0;
  for (auto [param, grad] : llvm::zip(params, grads)) {
    SmallVector<Value> operands = {param.getResult(), grad};
    unsigned numStates = info.stateSuffixes.size();
    for (unsigned i = 0; i < numStates; ++i)
      operands.push_back(step.getArgument(stateIndex + i));
    if (info.takesStep)
      operands.push_back(stepArg);
    operands.push_back((*lr)->getResult(0));
    SmallVector<Type> types(1 + numStates, param.getType());
    FailureOr<Operation *> update =
        createChecked(b, param.getLoc(), loc, info.name, operands, types,
                      phase.train.optimizerAttrs.getAttrs());
    if (failed(update)) {
      step.erase();
      return failure();
    }
    results.push_back((*update)->getResult(0));
    resultAttrs.push_back(updateAttr(param.getName()));
    for (unsigned i = 0; i < numStates; ++i) {
      newStates.push_back((*update)->getResult(1 + i));
      stateResultAttrs.push_back(updateAttr(stateNames[stateIndex + i]));
    }
    stateIndex += numStates;
  }
  results.append(newStates);
  resultAttrs.append(stateResultAttrs);
  for (auto [update, value] : llvm::zip(*buffers, bufferValues)) {
    results.push_back(value);
    resultAttrs.push_back(updateAttr(update.name));
  }
  b.create<func::ReturnOp>(returnOp.getLoc(), results);
  returnOp.erase();
  step.setType(FunctionType::get(ctx, step.getArgumentTypes(),
                                 ValueRange(results).getTypes()));
  step.setAllResultAttrs(resultAttrs);
  return step;
}

namespace kiln::nn {
namespace {
struct KilnTrainStep : public impl::KilnTrainStepBase<KilnTrainStep> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    bool failedAny = false;
    SmallVector<func::FuncOp> selected;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(kTrainAttrName))
        selected.push_back(func);

    for (func::FuncOp func : selected)
      failedAny |= failed(train(func, symbols));
    if (failedAny)
      signalPassFailure();
  }

  /// Adds the training step(s) of `func`, or reports why it cannot.
  LogicalResult train(func::FuncOp func, SymbolTable &symbols) {
    FailureOr<SmallVector<PhaseConfig, 2>> phases =
        parseTrain(func, func->getAttr(kTrainAttrName));
    if (failed(phases))
      return failure();
    SmallVector<unsigned> losses;
    for (const PhaseConfig &phase : *phases)
      losses.push_back(phase.lossIndex);
    Operation *after = func;
    for (auto [i, phase] : llvm::enumerate(*phases)) {
      std::string stepName = (func.getSymName() + "_train_step").str();
      if (!phase.name.empty())
        stepName += "_" + phase.name;
      if (symbols.lookup(stepName))
        return func.emitError("cannot train '")
               << func.getSymName() << "': a symbol named '" << stepName
               << "' already exists";
      FailureOr<func::FuncOp> step =
          buildTrainStep(func, phase, losses, /*keepMetrics=*/i == 0,
                         stepName);
      if (failed(step))
        return failure();
      symbols.insert(*step, std::next(Block::iterator(after)));
      after = *step;
    }
    func->removeAttr(kTrainAttrName);
    return success();
  }
};
} // namespace
} // namespace kiln::nn
