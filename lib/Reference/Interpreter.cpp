//===- Interpreter.cpp - f64 reference interpreter of nn functions --------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Walks the single block of a func.func in order, keeping one RefTensor per
// SSA value, and evaluates each op with the kernels of Kernels.cpp.
//
//===----------------------------------------------------------------------===//

#include "kiln/Reference/Interpreter.h"
#include "Families.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace kiln::reference;
namespace nn = kiln::nn;

//===----------------------------------------------------------------------===//
// Types and parameters
//===----------------------------------------------------------------------===//

FailureOr<ElementKind> kiln::reference::getElementKind(Type type) {
  if (type.isF32())
    return ElementKind::F32;
  if (type.isInteger(1))
    return ElementKind::I1;
  if (type.isInteger(32))
    return ElementKind::I32;
  if (type.isInteger(64))
    return ElementKind::I64;
  return failure();
}

Type kiln::reference::getElementType(MLIRContext *ctx, ElementKind kind) {
  Builder b(ctx);
  switch (kind) {
  case ElementKind::F32:
    return b.getF32Type();
  case ElementKind::I1:
    return b.getI1Type();
  case ElementKind::I32:
    return b.getI32Type();
  case ElementKind::I64:
    return b.getI64Type();
  }
  return {};
}

bool kiln::reference::matchesType(const RefTensor &value, Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape())
    return false;
  FailureOr<ElementKind> kind = getElementKind(ranked.getElementType());
  return succeeded(kind) && *kind == value.kind &&
         ranked.getShape() == ArrayRef<int64_t>(value.shape) &&
         value.getNumElements() == getNumElements(value.shape);
}

/// Returns `a`/`b` of the runtime initializer for `init`: low/high for
/// uniform, mean/std for normal, 0 otherwise.
static std::pair<double, double> getInitOperands(nn::InitKind init,
                                                 std::optional<double> low,
                                                 std::optional<double> high,
                                                 std::optional<double> mean,
                                                 std::optional<double> std) {
  if (init == nn::InitKind::uniform)
    return {low.value_or(0.0), high.value_or(0.0)};
  if (init == nn::InitKind::normal)
    return {mean.value_or(0.0), std.value_or(0.0)};
  return {0.0, 0.0};
}

ParamInfo kiln::reference::getParamInfo(nn::ParamOp op) {
  ParamInfo info{op.getName().str(),
                 op.getType(),
                 op.getInit(),
                 static_cast<uint64_t>(op.getSeed()),
                 0.0,
                 0.0,
                 0,
                 0,
                 op.getLoc()};
  auto toDouble = [](std::optional<APFloat> v) -> std::optional<double> {
    if (!v)
      return std::nullopt;
    return v->convertToDouble();
  };
  std::tie(info.a, info.b) = getInitOperands(
      op.getInit(), toDouble(op.getLow()), toDouble(op.getHigh()),
      toDouble(op.getMean()), toDouble(op.getStd()));
  std::tie(info.fanIn, info.fanOut) = op.getFans();
  return info;
}

std::optional<ParamInfo> kiln::reference::getParamInfo(func::FuncOp func,
                                                       unsigned index) {
  auto dict = func.getArgAttrOfType<DictionaryAttr>(index, nn::kParamAttrName);
  auto type = dyn_cast<RankedTensorType>(func.getArgumentTypes()[index]);
  if (!dict || !type)
    return std::nullopt;
  auto name = dict.getAs<StringAttr>("name");
  auto initName = dict.getAs<StringAttr>("init");
  std::optional<nn::InitKind> init =
      initName ? nn::symbolizeInitKind(initName.getValue()) : std::nullopt;
  if (!name || !init)
    return std::nullopt;
  auto getInt = [&](StringRef key) -> int64_t {
    auto attr = dict.getAs<IntegerAttr>(key);
    return attr ? attr.getInt() : 0;
  };
  auto getFloat = [&](StringRef key) -> std::optional<double> {
    if (auto attr = dict.getAs<FloatAttr>(key))
      return attr.getValueAsDouble();
    return std::nullopt;
  };
  Location loc = func.getArgument(index).getLoc();
  ParamInfo info{name.str(),
                 type,
                 *init,
                 static_cast<uint64_t>(getInt("seed")),
                 0.0,
                 0.0,
                 getInt("fan_in"),
                 getInt("fan_out"),
                 loc};
  std::tie(info.a, info.b) =
      getInitOperands(*init, getFloat("low"), getFloat("high"),
                      getFloat("mean"), getFloat("std"));
  return info;
}

//===----------------------------------------------------------------------===//
// Op evaluation
//===----------------------------------------------------------------------===//

namespace {
/// Evaluates the ops of one function body.
class Evaluator {
public:
  Evaluator(
      llvm::function_ref<FailureOr<RefTensor>(const ParamInfo &)> getParam,
      llvm::function_ref<FailureOr<SmallVector<RefTensor>>(func::CallOp,
                                                           ArrayRef<RefTensor>)>
          call)
      : getParam(getParam), call(call) {}

  /// Binds `value` to `tensor`.
  void bind(Value value, RefTensor tensor) {
    values[value] = std::move(tensor);
  }

  /// Evaluates `op`, binding its results. Returns failure after emitting a
  /// diagnostic.
  LogicalResult evaluate(Operation *op);

  const RefTensor &get(Value v) { return values.find(v)->second; }
  bool has(Value v) const { return values.count(v); }

private:
  LogicalResult setResult(Operation *op, RefTensor value);
  LogicalResult setResults(Operation *op, ArrayRef<RefTensor> results);
  FailureOr<RefTensor> evaluateNN(Operation *op);
  FailureOr<SmallVector<RefTensor>> evaluateUpdate(Operation *op);
  FailureOr<RefTensor> evaluateConstant(nn::ConstantOp op);

  DenseMap<Value, RefTensor> values;
  llvm::function_ref<FailureOr<RefTensor>(const ParamInfo &)> getParam;
  llvm::function_ref<FailureOr<SmallVector<RefTensor>>(func::CallOp,
                                                       ArrayRef<RefTensor>)>
      call;
};
} // namespace

LogicalResult Evaluator::setResult(Operation *op, RefTensor value) {
  Type type = op->getResult(0).getType();
  if (!matchesType(value, type))
    return op->emitError("reference interpreter computed a value of type ")
           << "'tensor<" << value.getTypeString() << ">' for a result of type "
           << type;
  bind(op->getResult(0), std::move(value));
  return success();
}

LogicalResult Evaluator::setResults(Operation *op,
                                    ArrayRef<RefTensor> results) {
  for (auto [result, value] : llvm::zip_equal(op->getResults(), results)) {
    if (!matchesType(value, result.getType()))
      return op->emitError("reference interpreter computed a value of type ")
             << "'tensor<" << value.getTypeString()
             << ">' for a result of type " << result.getType();
    bind(result, value);
  }
  return success();
}

/// Returns a unary kernel for the elementwise op `op`, or nullptr.
static double (*getUnaryFn(Operation *op))(double) {
  return llvm::TypeSwitch<Operation *, double (*)(double)>(op)
      .Case([](nn::NegOp) { return +[](double x) { return -x; }; })
      .Case([](nn::AbsOp) { return +[](double x) { return std::fabs(x); }; })
      .Case([](nn::ExpOp) { return +[](double x) { return std::exp(x); }; })
      .Case([](nn::LogOp) { return +[](double x) { return std::log(x); }; })
      .Case([](nn::SqrtOp) { return +[](double x) { return std::sqrt(x); }; })
      .Case([](nn::RsqrtOp) {
        return +[](double x) { return 1.0 / std::sqrt(x); };
      })
      .Case([](nn::ReluOp) { return &scalar::relu; })
      .Case([](nn::SigmoidOp) { return &scalar::sigmoid; })
      .Case([](nn::TanhOp) { return +[](double x) { return std::tanh(x); }; })
      .Default([](Operation *) { return nullptr; });
}

/// Returns a binary kernel for the broadcasting arithmetic op `op`, or
/// nullptr.
static double (*getBinaryFn(Operation *op))(double, double) {
  using Fn = double (*)(double, double);
  return llvm::TypeSwitch<Operation *, Fn>(op)
      .Case([](nn::AddOp) { return +[](double x, double y) { return x + y; }; })
      .Case([](nn::SubOp) { return +[](double x, double y) { return x - y; }; })
      .Case([](nn::MulOp) { return +[](double x, double y) { return x * y; }; })
      .Case([](nn::DivOp) { return +[](double x, double y) { return x / y; }; })
      .Case([](nn::PowOp) {
        return +[](double x, double y) { return std::pow(x, y); };
      })
      .Case([](nn::MaximumOp) { return &scalar::maximum; })
      .Case([](nn::MinimumOp) { return &scalar::minimum; })
      .Default([](Operation *) -> Fn { return nullptr; });
}

/// Evaluates `pred(x, y)`: ordered comparisons, so NaN gives false except
/// under `ne`.
static double compare(nn::ComparePredicate pred, double x, double y) {
  switch (pred) {
  case nn::ComparePredicate::eq:
    return x == y;
  case nn::ComparePredicate::ne:
    return x != y;
  case nn::ComparePredicate::lt:
    return x < y;
  case nn::ComparePredicate::le:
    return x <= y;
  case nn::ComparePredicate::gt:
    return x > y;
  case nn::ComparePredicate::ge:
    return x >= y;
  }
  return 0.0;
}

FailureOr<RefTensor> Evaluator::evaluateConstant(nn::ConstantOp op) {
  auto type = cast<RankedTensorType>(op.getType());
  FailureOr<ElementKind> kind = getElementKind(type.getElementType());
  ElementsAttr attr = op.getValue();
  std::vector<double> data;
  data.reserve(attr.getNumElements());
  if (succeeded(kind) && *kind == ElementKind::F32) {
    if (auto values = attr.tryGetValues<APFloat>())
      for (const APFloat &v : *values)
        data.push_back(v.convertToDouble());
  } else if (succeeded(kind)) {
    if (auto values = attr.tryGetValues<APInt>())
      for (const APInt &v : *values)
        data.push_back(*kind == ElementKind::I1
                           ? static_cast<double>(v.getBoolValue())
                           : static_cast<double>(v.getSExtValue()));
  }
  if (failed(kind) ||
      static_cast<int64_t>(data.size()) != type.getNumElements())
    return op.emitError("reference interpreter cannot read the elements of ")
           << attr;
  return RefTensor(*kind, type.getShape(), std::move(data));
}

/// Returns true for `reduction = mean`.
static bool isMean(nn::Reduction r) { return r == nn::Reduction::mean; }

/// Reads the element of a rank-0 tensor (a learning rate or a step count).
static double scalarOf(const RefTensor &t) { return t.data.front(); }

/// Reads a step count (an i64 scalar, exact in a double).
static int64_t stepOf(const RefTensor &t) {
  return static_cast<int64_t>(scalarOf(t));
}

/// Describes the attributes of `op` for lrSchedule().
static LRSchedule getSchedule(nn::LRScheduleOp op) {
  LRSchedule schedule;
  schedule.lr = op.getLr().convertToDouble();
  switch (op.getKind()) {
  case nn::LRScheduleKind::constant:
    schedule.kind = ScheduleKind::Constant;
    break;
  case nn::LRScheduleKind::step:
    schedule.kind = ScheduleKind::Step;
    schedule.stepSize = op.getStepSize().value_or(1);
    schedule.gamma = op.getGamma() ? op.getGamma()->convertToDouble() : 1.0;
    break;
  case nn::LRScheduleKind::cosine:
    schedule.kind = ScheduleKind::Cosine;
    schedule.totalSteps = op.getTotalSteps().value_or(1);
    schedule.minLr = op.getMinLr() ? op.getMinLr()->convertToDouble() : 0.0;
    break;
  }
  return schedule;
}

/// Describes the attributes of nn.adam or nn.adamw for adam().
template <typename OpTy>
static AdamConfig getAdamConfig(OpTy op, bool decoupled) {
  return AdamConfig{op.getBeta1().convertToDouble(),
                    op.getBeta2().convertToDouble(),
                    op.getEps().convertToDouble(),
                    op.getWeightDecay().convertToDouble(), decoupled};
}

/// Describes the attributes of a convolution op for the conv2d kernels.
template <typename OpTy> static Conv2DConfig getConvConfig(OpTy op) {
  Conv2DConfig config;
  for (int d = 0; d < 2; ++d) {
    config.stride[d] = op.getStride()[d];
    config.padding[d] = op.getPadding()[d];
    config.dilation[d] = op.getDilation()[d];
  }
  config.groups = static_cast<int64_t>(op.getGroups());
  return config;
}

/// Describes the attributes of a pooling op for the pooling kernels.
template <typename OpTy> static Pool2DConfig getPoolConfig(OpTy op) {
  Pool2DConfig config;
  for (int d = 0; d < 2; ++d) {
    config.kernel[d] = op.getKernel()[d];
    config.stride[d] = op.getStrideOrKernel()[d];
    config.padding[d] = op.getPadding()[d];
  }
  return config;
}

FailureOr<SmallVector<RefTensor>> Evaluator::evaluateUpdate(Operation *op) {
  auto operand = [&](unsigned i) -> const RefTensor & {
    return get(op->getOperand(i));
  };
  using Result = FailureOr<SmallVector<RefTensor>>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([&](nn::MomentumOp op) -> Result {
        MomentumConfig config{op.getMomentum().convertToDouble(),
                              op.getDampening().convertToDouble(),
                              op.getWeightDecay().convertToDouble(),
                              op.getNesterov()};
        return momentum(operand(0), operand(1), operand(2), stepOf(operand(3)),
                        scalarOf(operand(4)), config);
      })
      .Case([&](nn::RMSPropOp op) -> Result {
        RMSPropConfig config{op.getAlpha().convertToDouble(),
                             op.getEps().convertToDouble(),
                             op.getWeightDecay().convertToDouble()};
        return rmsprop(operand(0), operand(1), operand(2), scalarOf(operand(3)),
                       config);
      })
      .Case([&](nn::AdamOp op) -> Result {
        return adam(operand(0), operand(1), operand(2), operand(3),
                    stepOf(operand(4)), scalarOf(operand(5)),
                    getAdamConfig(op, /*decoupled=*/false));
      })
      .Case([&](nn::AdamWOp op) -> Result {
        return adam(operand(0), operand(1), operand(2), operand(3),
                    stepOf(operand(4)), scalarOf(operand(5)),
                    getAdamConfig(op, /*decoupled=*/true));
      })
      .Default([&](Operation *op) -> Result {
        return op->emitError("reference interpreter does not support '")
               << op->getName() << "'";
      });
}

FailureOr<RefTensor> Evaluator::evaluateNN(Operation *op) {
  auto operand = [&](unsigned i) -> const RefTensor & {
    return get(op->getOperand(i));
  };
  if (auto fn = getUnaryFn(op))
    return mapUnary(operand(0), fn);
  if (auto fn = getBinaryFn(op))
    return mapBinary(operand(0), operand(1), ElementKind::F32, fn);

  using Result = FailureOr<RefTensor>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([&](nn::LeakyReluOp op) -> Result {
        double alpha = op.getAlpha().convertToDouble();
        return mapUnary(operand(0),
                        [&](double x) { return x > 0 ? x : alpha * x; });
      })
      .Case([&](nn::EluOp op) -> Result {
        double alpha = op.getAlpha().convertToDouble();
        return mapUnary(operand(0), [&](double x) {
          return x > 0 ? x : alpha * std::expm1(x);
        });
      })
      .Case([&](nn::SoftmaxOp op) -> Result {
        return softmax(operand(0), op.getAxis(), /*log=*/false);
      })
      .Case([&](nn::LogSoftmaxOp op) -> Result {
        return softmax(operand(0), op.getAxis(), /*log=*/true);
      })
      .Case([&](nn::CompareOp op) -> Result {
        nn::ComparePredicate pred = op.getPredicate();
        return mapBinary(
            operand(0), operand(1), ElementKind::I1,
            [&](double x, double y) { return compare(pred, x, y); });
      })
      .Case([&](nn::SelectOp) -> Result {
        return select(operand(0), operand(1), operand(2));
      })
      .Case([&](nn::MatmulOp) -> Result {
        return matmul(operand(0), operand(1));
      })
      .Case([&](nn::TransposeOp op) -> Result {
        return transpose(operand(0), op.getPerm());
      })
      .Case([&](nn::ReshapeOp op) -> Result {
        return reshape(operand(0), op.getType().getShape());
      })
      .Case([&](nn::BroadcastToOp op) -> Result {
        return broadcastTo(operand(0), op.getType().getShape());
      })
      .Case([&](nn::ConcatOp op) -> Result {
        SmallVector<const RefTensor *> inputs;
        for (Value v : op.getInputs())
          inputs.push_back(&get(v));
        return concat(inputs, op.getAxis());
      })
      .Case([&](nn::SliceOp op) -> Result {
        return slice(operand(0), op.getOffsets(), op.getSizes(),
                     op.getStrides());
      })
      .Case([&](nn::ReduceSumOp op) -> Result {
        return reduce(operand(0), op.getAxes(), op.getKeepdims(),
                      ReduceKind::Sum);
      })
      .Case([&](nn::ReduceMeanOp op) -> Result {
        return reduce(operand(0), op.getAxes(), op.getKeepdims(),
                      ReduceKind::Mean);
      })
      .Case([&](nn::ReduceMaxOp op) -> Result {
        return reduce(operand(0), op.getAxes(), op.getKeepdims(),
                      ReduceKind::Max);
      })
      .Case([&](nn::ConstantOp op) -> Result { return evaluateConstant(op); })
      .Case(
          [&](nn::ParamOp op) -> Result { return getParam(getParamInfo(op)); })
      .Case([&](nn::MseOp op) -> Result {
        return mse(operand(0), operand(1), isMean(op.getReduction()));
      })
      .Case([&](nn::CrossEntropyOp op) -> Result {
        int64_t badRow = 0;
        std::optional<RefTensor> loss = crossEntropy(
            operand(0), operand(1), isMean(op.getReduction()), badRow);
        if (loss)
          return std::move(*loss);
        return op.emitError("label ")
               << static_cast<int64_t>(operand(1).data[badRow]) << " of row "
               << badRow << " is out of range [0, " << operand(0).shape[1]
               << ")";
      })
      .Case([&](nn::BinaryCrossEntropyOp op) -> Result {
        return binaryCrossEntropy(operand(0), operand(1),
                                  isMean(op.getReduction()));
      })
      .Case([&](nn::LRScheduleOp op) -> Result {
        return RefTensor::scalar(
            lrSchedule(getSchedule(op), stepOf(operand(0))));
      })
      .Case([&](nn::SGDOp op) -> Result {
        return sgd(operand(0), operand(1), scalarOf(operand(2)),
                   op.getWeightDecay().convertToDouble());
      })
      .Case([&](nn::L1PenaltyOp op) -> Result {
        return l1Penalty(operand(0), op.getLambda().convertToDouble());
      })
      .Case([&](nn::L2PenaltyOp op) -> Result {
        return l2Penalty(operand(0), op.getLambda().convertToDouble());
      })
      .Case([&](nn::Conv2DOp op) -> Result {
        const RefTensor *bias = op.getBias() ? &get(op.getBias()) : nullptr;
        return conv2d(operand(0), operand(1), bias, getConvConfig(op));
      })
      .Case([&](nn::Conv2DBackwardInputOp op) -> Result {
        return conv2dBackwardInput(operand(0), operand(1),
                                   op.getType().getShape(), getConvConfig(op));
      })
      .Case([&](nn::Conv2DBackwardFilterOp op) -> Result {
        return conv2dBackwardFilter(operand(0), operand(1),
                                    op.getType().getShape(), getConvConfig(op));
      })
      .Case([&](nn::MaxPool2DOp op) -> Result {
        return pool2d(operand(0), getPoolConfig(op), PoolKind::Max);
      })
      .Case([&](nn::AvgPool2DOp op) -> Result {
        return pool2d(operand(0), getPoolConfig(op), PoolKind::Avg);
      })
      .Case([&](nn::MaxPool2DBackwardOp op) -> Result {
        return maxPool2dBackward(operand(0), operand(1), getPoolConfig(op));
      })
      .Case([&](nn::GlobalAvgPoolOp) -> Result {
        return globalAvgPool(operand(0));
      })
      .Case([&](nn::FlattenOp op) -> Result {
        return reshape(operand(0), op.getType().getShape());
      })
      .Default([&](Operation *op) -> Result {
        return op->emitError("reference interpreter does not support '")
               << op->getName() << "'";
      });
}

LogicalResult Evaluator::evaluate(Operation *op) {
  if (op->getNumRegions() != 0)
    return op->emitError("reference interpreter does not support ops with "
                         "regions ('")
           << op->getName() << "')";
  for (Value v : op->getOperands())
    if (!has(v))
      return op->emitError("reference interpreter found an operand without "
                           "a value");
  if (auto callOp = dyn_cast<func::CallOp>(op)) {
    SmallVector<RefTensor> args;
    for (Value v : callOp.getOperands())
      args.push_back(get(v));
    FailureOr<SmallVector<RefTensor>> results = call(callOp, args);
    if (failed(results))
      return failure();
    for (auto [result, value] : llvm::zip(op->getResults(), *results)) {
      if (!matchesType(value, result.getType()))
        return op->emitError("callee returned a value of type ")
               << "'tensor<" << value.getTypeString()
               << ">' for a result of type " << result.getType();
      bind(result, std::move(value));
    }
    return success();
  }
  // A numerics check has no result: the reference values are f64 and the
  // check is about the compiled f32 code (docs/Spec.md, nn.check_finite).
  if (isa<nn::CheckFiniteOp>(op))
    return success();
  if (!isa_and_nonnull<nn::NNDialect>(op->getDialect()) ||
      op->getNumResults() == 0)
    return op->emitError("reference interpreter does not support '")
           << op->getName() << "'";
  auto operand = [&](unsigned i) -> const RefTensor & {
    return get(op->getOperand(i));
  };
  for (auto family :
       {kiln::reference::detail::evaluateRecurrentOp, kiln::reference::detail::evaluateNormalizationOp,
        kiln::reference::detail::evaluateRandomOp, kiln::reference::detail::evaluateLossOp}) {
    kiln::reference::detail::FamilyResult results = family(op, operand);
    if (!results)
      continue;
    if (failed(*results))
      return failure();
    return setResults(op, **results);
  }
  if (op->getNumResults() > 1) {
    FailureOr<SmallVector<RefTensor>> results = evaluateUpdate(op);
    if (failed(results))
      return failure();
    return setResults(op, *results);
  }
  FailureOr<RefTensor> value = evaluateNN(op);
  if (failed(value))
    return failure();
  return setResult(op, std::move(*value));
}

//===----------------------------------------------------------------------===//
// Interpreter
//===----------------------------------------------------------------------===//

Interpreter::Interpreter(ParamProvider provider)
    : provider(std::move(provider)) {}

FailureOr<RefTensor> Interpreter::getParam(const ParamInfo &info) {
  if (!provider)
    return emitError(info.loc, "no value for parameter '")
           << info.name << "': the interpreter has no parameter provider";
  FailureOr<RefTensor> value = provider(info);
  if (failed(value))
    return failure();
  if (!matchesType(*value, info.type))
    return emitError(info.loc, "parameter '")
           << info.name << "' has type " << info.type
           << " but its provider returned 'tensor<" << value->getTypeString()
           << ">'";
  return value;
}

FailureOr<SmallVector<RefTensor>> Interpreter::run(func::FuncOp func,
                                                   ArrayRef<RefTensor> args) {
  if (func.isExternal())
    return func.emitError("reference interpreter cannot run external "
                          "function '")
           << func.getSymName() << "'";
  // Interleave the provider's parameters with the caller's arguments.
  SmallVector<RefTensor> allArgs;
  unsigned numInputs = 0;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    if (!func.getArgAttr(i, nn::kParamAttrName))
      ++numInputs;
  if (args.size() != numInputs)
    return func.emitError("function '")
           << func.getSymName() << "' takes " << numInputs
           << " non-parameter argument" << (numInputs == 1 ? "" : "s")
           << ", got " << args.size();
  size_t next = 0;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    if (!func.getArgAttr(i, nn::kParamAttrName)) {
      allArgs.push_back(args[next++]);
      continue;
    }
    std::optional<ParamInfo> info = getParamInfo(func, i);
    if (!info)
      return func.emitError("argument #")
             << i << " has a malformed '" << nn::kParamAttrName
             << "' attribute";
    FailureOr<RefTensor> value = getParam(*info);
    if (failed(value))
      return failure();
    allArgs.push_back(std::move(*value));
  }
  return runBody(func, allArgs, 0);
}

FailureOr<SmallVector<RefTensor>>
Interpreter::runBody(func::FuncOp func, ArrayRef<RefTensor> allArgs,
                     unsigned depth) {
  if (func.isExternal())
    return func.emitError("reference interpreter cannot run external "
                          "function '")
           << func.getSymName() << "'";
  if (!func.getBody().hasOneBlock())
    return func.emitError("reference interpreter supports only functions "
                          "with a single block");
  if (allArgs.size() != func.getNumArguments())
    return func.emitError("function '")
           << func.getSymName() << "' takes " << func.getNumArguments()
           << " arguments, got " << allArgs.size();
  for (auto [i, arg] : llvm::enumerate(allArgs))
    if (!matchesType(arg, func.getArgumentTypes()[i]))
      return func.emitError("argument #")
             << i << " of '" << func.getSymName() << "' must have type "
             << func.getArgumentTypes()[i] << ", got 'tensor<"
             << arg.getTypeString() << ">'";

  auto callFn =
      [&](func::CallOp callOp,
          ArrayRef<RefTensor> args) -> FailureOr<SmallVector<RefTensor>> {
    if (depth + 1 >= kMaxCallDepth)
      return callOp.emitError("call depth exceeds ")
             << kMaxCallDepth << " (recursive model?)";
    auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        callOp, callOp.getCalleeAttr());
    if (!callee)
      return callOp.emitError("reference interpreter cannot find callee '")
             << callOp.getCallee() << "'";
    return runBody(callee, args, depth + 1);
  };
  auto paramFn = [&](const ParamInfo &info) { return getParam(info); };
  Evaluator evaluator(paramFn, callFn);
  Block &body = func.getBody().front();
  for (auto [arg, value] : llvm::zip(body.getArguments(), allArgs))
    evaluator.bind(arg, value);

  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      SmallVector<RefTensor> results;
      for (Value v : ret.getOperands()) {
        if (!evaluator.has(v))
          return ret.emitError("reference interpreter found an operand "
                               "without a value");
        results.push_back(evaluator.get(v));
      }
      return results;
    }
    if (failed(evaluator.evaluate(&op)))
      return failure();
  }
  return func.emitError("function '")
         << func.getSymName() << "' has no func.return";
}
