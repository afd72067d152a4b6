//===- Autodiff.cpp - reverse-mode differentiation of nn functions --------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// `kiln-autodiff` copies each requested function into `@<name>_grad` and
// appends the backward pass: the ops between the differentiated values and
// the loss are visited in reverse and each one's
// `DifferentiableOpInterface` rule turns its results' cotangents into its
// operands' cotangents. See docs/Autodiff.md.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Dialect/NN/Transforms/Autodiff.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

namespace kiln::nn {
#define GEN_PASS_DEF_KILNAUTODIFF
#include "kiln/Dialect/NN/Transforms/Passes.h.inc"
} // namespace kiln::nn

using namespace mlir;
using namespace kiln::nn;

/// Function attribute that requests a gradient function: a unit attribute,
/// or an array of the indices of the arguments to differentiate as well.
static constexpr llvm::StringLiteral kDifferentiateAttrName =
    "nn.differentiate";

namespace {

/// Records the ops a builder creates, so that the unused ones can be erased.
struct CreatedOps : public OpBuilder::Listener {
  void notifyOperationInserted(Operation *op, OpBuilder::InsertPoint) override {
    ops.push_back(op);
  }
  SmallVector<Operation *> ops;
};

/// A value to differentiate with respect to, and the name of its gradient.
struct Target {
  Value value;
  std::string name;
};

/// Returns true when `type` is a tensor (or scalar) of floating point.
bool isFloatLike(Type type) {
  return isa<FloatType>(getElementTypeOrSelf(type));
}

/// Calls `fn` on every value that `op` or an op nested in its regions uses
/// and that is defined outside `op`.
void forEachUsedValue(Operation *op, function_ref<void(Value)> fn) {
  for (Value operand : op->getOperands())
    fn(operand);
  if (op->getNumRegions() == 0)
    return;
  op->walk([&](Operation *nested) {
    if (nested == op)
      return;
    for (Value operand : nested->getOperands())
      if (!op->isAncestor(operand.getParentRegion()->getParentOp()))
        fn(operand);
  });
}

/// Builds the backward pass of one gradient function.
class GradientBuilder {
public:
  GradientBuilder(func::FuncOp func, SmallVector<Target> targets,
                  unsigned lossIndex)
      : func(func), targets(std::move(targets)), lossIndex(lossIndex) {}

  /// Finds the ops between the targets and the loss; fails with one error
  /// listing those without a gradient rule.
  LogicalResult analyze(StringRef originalName);
  /// Appends the backward pass and returns the gradients.
  LogicalResult build();

private:
  func::FuncOp func;
  SmallVector<Target> targets;
  unsigned lossIndex;
  /// Values that depend on a target and can carry a gradient.
  llvm::DenseSet<Value> active;
  /// The ops whose rule the backward pass calls, in program order.
  SmallVector<Operation *> path;
};

LogicalResult GradientBuilder::analyze(StringRef originalName) {
  Block &body = func.front();
  auto returnOp = cast<func::ReturnOp>(body.getTerminator());

  // Forward: values that depend on a target.
  for (const Target &target : targets)
    active.insert(target.value);
  for (Operation &op : body.without_terminator()) {
    bool dependent = false;
    forEachUsedValue(&op, [&](Value v) { dependent |= active.contains(v); });
    if (!dependent)
      continue;
    for (Value result : op.getResults())
      if (isFloatLike(result.getType()))
        active.insert(result);
  }

  // Backward: values that the loss depends on.
  llvm::DenseSet<Value> useful;
  useful.insert(returnOp.getOperand(lossIndex));
  for (Operation &op : llvm::reverse(body.without_terminator())) {
    if (llvm::none_of(op.getResults(),
                      [&](Value v) { return useful.contains(v); }))
      continue;
    forEachUsedValue(&op, [&](Value v) { useful.insert(v); });
  }

  // The path: ops that turn an active operand into an active result that
  // reaches the loss.
  SmallVector<Operation *> missing;
  for (Operation &op : body.without_terminator()) {
    bool carries = llvm::any_of(op.getResults(), [&](Value v) {
      return active.contains(v) && useful.contains(v);
    });
    bool dependent = false;
    forEachUsedValue(&op, [&](Value v) { dependent |= active.contains(v); });
    if (!carries || !dependent)
      continue;
    if (isa<DifferentiableOpInterface>(op) && op.getNumRegions() == 0)
      path.push_back(&op);
    else
      missing.push_back(&op);
  }
  if (missing.empty())
    return success();
  // Report at the location only: `func` is the detached copy.
  InFlightDiagnostic diag =
      mlir::emitError(func.getLoc(), "cannot differentiate '")
      << originalName << "': " << missing.size()
      << " op(s) between its parameters and its loss have no gradient rule";
  for (Operation *op : missing)
    diag.attachNote(op->getLoc())
        << "'" << op->getName() << "' has no gradient rule";
  return failure();
}

LogicalResult GradientBuilder::build() {
  Block &body = func.front();
  auto returnOp = cast<func::ReturnOp>(body.getTerminator());
  OpBuilder builder(returnOp);
  CreatedOps created;
  builder.setListener(&created);
  Location loc = returnOp.getLoc();

  llvm::DenseMap<Value, Value> cotangents;
  /// Adds `grad` to the cotangent of `value` (fan-out accumulation).
  auto accumulate = [&](Value value, Value grad, Location at) {
    auto [it, inserted] = cotangents.try_emplace(value, grad);
    if (!inserted)
      it->second = builder.create<AddOp>(at, it->second, grad);
  };

  Value loss = returnOp.getOperand(lossIndex);
  if (active.contains(loss)) {
    auto scalarType = RankedTensorType::get({}, builder.getF32Type());
    cotangents[loss] = builder.create<ConstantOp>(
        loc, DenseElementsAttr::get(scalarType, builder.getF32FloatAttr(1.0)));
  }

  for (Operation *op : llvm::reverse(path)) {
    SmallVector<Value> resultCotangents;
    for (Value result : op->getResults())
      resultCotangents.push_back(cotangents.lookup(result));
    if (llvm::all_of(resultCotangents, [](Value v) { return !v; }))
      continue;
    SmallVector<Value> grads =
        cast<DifferentiableOpInterface>(op).buildVJP(builder, resultCotangents);
    if (grads.size() != op->getNumOperands())
      return mlir::emitError(op->getLoc(), "gradient rule returned ")
             << grads.size() << " value(s) for " << op->getNumOperands()
             << " operand(s)";
    for (auto [operand, grad] : llvm::zip(op->getOperands(), grads)) {
      if (!grad || !active.contains(operand))
        continue;
      if (grad.getType() != operand.getType())
        return mlir::emitError(op->getLoc(), "gradient rule returned ")
               << grad.getType() << " for an operand of type "
               << operand.getType();
      accumulate(operand, grad, op->getLoc());
    }
  }

  // Return the original results followed by one gradient per target; a
  // target that does not reach the loss gets zeros.
  SmallVector<Value> results(returnOp.getOperands());
  SmallVector<DictionaryAttr> resultAttrs;
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i)
    resultAttrs.push_back(func.getResultAttrDict(i));
  for (const Target &target : targets) {
    Value grad = cotangents.lookup(target.value);
    if (!grad) {
      auto type = cast<RankedTensorType>(target.value.getType());
      grad = builder.create<ConstantOp>(
          loc, DenseElementsAttr::get(type, builder.getF32FloatAttr(0.0)));
    }
    results.push_back(grad);
    resultAttrs.push_back(builder.getDictionaryAttr(builder.getNamedAttr(
        kGradOfAttrName, builder.getStringAttr(target.name))));
  }
  builder.setListener(nullptr);
  builder.create<func::ReturnOp>(loc, results);
  returnOp.erase();

  // Rules build the gradients of every operand; drop the unused ones.
  for (Operation *op : llvm::reverse(created.ops))
    if (op->use_empty() && isMemoryEffectFree(op))
      op->erase();

  func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                 ValueRange(results).getTypes()));
  func.setAllResultAttrs(resultAttrs);
  return success();
}

} // namespace

/// Checks that `func` can be differentiated and collects its targets: the
/// `nn.param` ops in program order, then the arguments `argIndices` (the
/// entries of an `nn.differentiate` array).
static FailureOr<SmallVector<Target>>
collectTargets(func::FuncOp func, const GradientOptions &options) {
  ArrayRef<Attribute> argIndices = options.argIndices;
  if (func.isExternal())
    return func.emitError("cannot differentiate '")
           << func.getSymName() << "': it has no body";
  if (!func.getBody().hasOneBlock())
    return func.emitError("cannot differentiate '")
           << func.getSymName() << "': it has more than one block";
  auto scalarLoss =
      RankedTensorType::get({}, Float32Type::get(func.getContext()));
  unsigned loss = options.lossIndex;
  if (loss == 0 &&
      (func.getNumResults() == 0 || func.getResultTypes()[0] != scalarLoss))
    return func.emitError("cannot differentiate '")
           << func.getSymName()
           << "': its first result must be the loss, of type tensor<f32>";
  if (loss >= func.getNumResults() ||
      func.getResultTypes()[loss] != scalarLoss)
    return func.emitError("cannot differentiate '")
           << func.getSymName() << "': result #" << loss
           << " must be a loss, of type tensor<f32>";

  SmallVector<Target> targets;
  func.walk([&](ParamOp param) {
    if (param.getBuffer() || (options.isTarget && !options.isTarget(param)))
      return;
    targets.push_back({param.getResult(), param.getName().str()});
  });
  for (Attribute attr : argIndices) {
    auto index = dyn_cast<IntegerAttr>(attr);
    if (!index || index.getInt() < 0 ||
        index.getInt() >= func.getNumArguments())
      return func.emitError("cannot differentiate '")
             << func.getSymName() << "': '" << kDifferentiateAttrName
             << "' entry " << attr << " is not an argument index";
    unsigned i = index.getInt();
    Value arg = func.getArgument(i);
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.getElementType().isF32())
      return func.emitError("cannot differentiate '")
             << func.getSymName() << "': argument " << i
             << " is not an f32 tensor";
    std::string name = "arg" + std::to_string(i);
    if (auto named = func.getArgAttrOfType<StringAttr>(i, "nn.name"))
      name = named.str();
    targets.push_back({arg, name});
  }
  return targets;
}

FailureOr<func::FuncOp>
kiln::nn::buildGradientFunction(func::FuncOp func, StringRef gradName,
                                const GradientOptions &options) {
  FailureOr<SmallVector<Target>> found = collectTargets(func, options);
  if (failed(found))
    return failure();

  // Clone, then map the targets into the clone.
  IRMapping mapping;
  auto gradFunc = cast<func::FuncOp>(func->clone(mapping));
  gradFunc.setSymName(gradName);
  SmallVector<Target> targets;
  for (const Target &target : *found)
    targets.push_back({mapping.lookup(target.value), target.name});

  GradientBuilder gradients(gradFunc, std::move(targets), options.lossIndex);
  if (failed(gradients.analyze(func.getSymName())) ||
      failed(gradients.build())) {
    gradFunc.erase();
    return failure();
  }
  return gradFunc;
}

namespace kiln::nn {
namespace {
struct KilnAutodiff : public impl::KilnAutodiffBase<KilnAutodiff> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    bool failedAny = false;

    llvm::StringSet<> requested;
    for (const std::string &name : functions) {
      if (!symbols.lookup<func::FuncOp>(name)) {
        module.emitError("kiln-autodiff: no function named '")
            << name << "' to differentiate";
        failedAny = true;
      }
      requested.insert(name);
    }

    SmallVector<func::FuncOp> selected;
    for (auto func : module.getOps<func::FuncOp>()) {
      Attribute attr = func->getAttr(kDifferentiateAttrName);
      if (attr && !isa<UnitAttr, ArrayAttr>(attr)) {
        func.emitError("'")
            << kDifferentiateAttrName
            << "' must be a unit attribute or an array of argument indices";
        failedAny = true;
        continue;
      }
      if (attr || requested.contains(func.getSymName()))
        selected.push_back(func);
    }

    for (func::FuncOp func : selected)
      failedAny |= failed(differentiate(func, symbols));
    if (failedAny)
      signalPassFailure();
  }

  /// Adds `@<name>_grad` for `func`, or reports why it cannot.
  LogicalResult differentiate(func::FuncOp func, SymbolTable &symbols) {
    std::string gradName = (func.getSymName() + "_grad").str();
    if (symbols.lookup(gradName))
      return func.emitError("cannot differentiate '")
             << func.getSymName() << "': a symbol named '" << gradName
             << "' already exists";
    ArrayRef<Attribute> argIndices;
    if (auto indices = func->getAttrOfType<ArrayAttr>(kDifferentiateAttrName))
      argIndices = indices.getValue();
    GradientOptions options;
    options.argIndices = argIndices;
    FailureOr<func::FuncOp> gradFunc =
        buildGradientFunction(func, gradName, options);
    if (failed(gradFunc))
      return failure();
    (*gradFunc)->removeAttr(kDifferentiateAttrName);
    func->removeAttr(kDifferentiateAttrName);
    symbols.insert(*gradFunc, std::next(Block::iterator(func)));
    return success();
  }
};
} // namespace
} // namespace kiln::nn
