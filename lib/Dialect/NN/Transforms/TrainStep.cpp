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

/// Parses and checks the `nn.train` attribute of `func`. Hyperparameter
/// values are checked later by the ops' verifiers.
FailureOr<TrainConfig> parseTrainConfig(func::FuncOp func, Attribute attr) {
  auto fail = [&](const Twine &why) {
    return func.emitError("'") << kTrainAttrName << "' of '"
                               << func.getSymName() << "': " << why;
  };
  auto dict = dyn_cast<DictionaryAttr>(attr);
  if (!dict)
    return fail("expected a dictionary such as {optimizer = \"adam\", "
                "lr = 1.0e-3}");
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
    if (key == "optimizer" || key == "schedule")
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

/// Builds `@<name>_train_step` for `func` (see the pass description).
static FailureOr<func::FuncOp> buildTrainStep(func::FuncOp func,
                                              const TrainConfig &config,
                                              StringRef stepName) {
  unsigned numParams = 0;
  func.walk([&](ParamOp) { ++numParams; });
  if (numParams == 0)
    return func.emitError("cannot train '")
           << func.getSymName()
           << "': it has no parameters (declare them with nn.param)";

  FailureOr<func::FuncOp> built = buildGradientFunction(func, stepName);
  if (failed(built))
    return failure();
  func::FuncOp step = *built;
  step->removeAttr(kTrainAttrName);
  step->setAttr(kTrainOfAttrName,
                StringAttr::get(func.getContext(), func.getSymName()));
  MLIRContext *ctx = func.getContext();
  Builder attrs(ctx);
  Location loc = func.getLoc();

  // The parameters, in program order, as gradient targets are.
  SmallVector<ParamOp> params;
  step.walk([&](ParamOp param) { params.push_back(param); });
  const OptimizerInfo &info = *config.optimizer;

  // New leading arguments: the optimizer state of every parameter, then the
  // step count.
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
  auto stepType = RankedTensorType::get({}, attrs.getI64Type());
  argIndices.push_back(0);
  argTypes.push_back(stepType);
  argAttrs.push_back(attrs.getDictionaryAttr(
      {attrs.getNamedAttr(kStepAttrName, attrs.getUnitAttr()),
       attrs.getNamedAttr("nn.name", attrs.getStringAttr("step"))}));
  argLocs.push_back(loc);
  step.insertArguments(argIndices, argTypes, argAttrs, argLocs);
  unsigned numStateArgs = stateNames.size();
  Value stepArg = step.getArgument(numStateArgs);

  // The gradients are the last results of the gradient function.
  auto returnOp = cast<func::ReturnOp>(step.front().getTerminator());
  unsigned numKept = returnOp.getNumOperands() - params.size();
  SmallVector<Value> results(returnOp.getOperands().take_front(numKept));
  SmallVector<DictionaryAttr> resultAttrs;
  for (unsigned i = 0; i < numKept; ++i)
    resultAttrs.push_back(step.getResultAttrDict(i));
  ValueRange grads = returnOp.getOperands().drop_front(numKept);

  OpBuilder b(returnOp);
  NamedAttrList scheduleAttrs = config.scheduleAttrs;
  scheduleAttrs.set("kind", LRScheduleKindAttr::get(ctx, config.schedule));
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
                      config.optimizerAttrs.getAttrs());
    if (failed(update)) {
      step.erase();
      return failure();
    }
    results.push_back((*update)->getResult(0));
    resultAttrs.push_back(attrs.getDictionaryAttr(attrs.getNamedAttr(
        kUpdateAttrName, attrs.getStringAttr(param.getName()))));
    for (unsigned i = 0; i < numStates; ++i) {
      newStates.push_back((*update)->getResult(1 + i));
      stateResultAttrs.push_back(attrs.getDictionaryAttr(attrs.getNamedAttr(
          kUpdateAttrName, attrs.getStringAttr(stateNames[stateIndex + i]))));
    }
    stateIndex += numStates;
  }
  results.append(newStates);
  resultAttrs.append(stateResultAttrs);
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

    for (func::FuncOp func : selected) {
      FailureOr<TrainConfig> config =
          parseTrainConfig(func, func->getAttr(kTrainAttrName));
      if (failed(config)) {
        failedAny = true;
        continue;
      }
      std::string stepName = (func.getSymName() + "_train_step").str();
      if (symbols.lookup(stepName)) {
        func.emitError("cannot train '")
            << func.getSymName() << "': a symbol named '" << stepName
            << "' already exists";
        failedAny = true;
        continue;
      }
      FailureOr<func::FuncOp> step = buildTrainStep(func, *config, stepName);
      if (failed(step)) {
        failedAny = true;
        continue;
      }
      func->removeAttr(kTrainAttrName);
      symbols.insert(*step, std::next(Block::iterator(func)));
    }
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
} // namespace kiln::nn
