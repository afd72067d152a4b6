//===- ExportEntryPoints.cpp - destination-passing entry wrappers ---------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Wraps each public function in `_kiln_entry_<name>`, which takes memrefs
// for every argument and every result, and writes the module's ABI signature
// (docs/Runtime.md) into the `kiln.signature` module attribute.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"

#include <cmath>

namespace kiln::nn {
#define GEN_PASS_DEF_KILNEXPORTENTRYPOINTS
#include "kiln/Dialect/NN/Transforms/Passes.h.inc"
} // namespace kiln::nn

using namespace mlir;
using namespace kiln::nn;

/// Returns the ABI name of a tensor element type, or "" if it has none.
static StringRef getAbiTypeName(Type type) {
  if (type.isF32())
    return "f32";
  if (type.isInteger(32))
    return "i32";
  if (type.isInteger(64))
    return "i64";
  return "";
}

/// Writes `<dtype> <shape>` for `type` ("f32 4x8", "i64 scalar").
static void printAbiType(llvm::raw_ostream &os, RankedTensorType type) {
  os << getAbiTypeName(type.getElementType()) << ' ';
  if (type.getRank() == 0)
    os << "scalar";
  else
    llvm::interleave(type.getShape(), os, "x");
}

/// Checks that `type` can cross the ABI: a static tensor of f32/i32/i64.
static LogicalResult checkAbiType(func::FuncOp func, Type type,
                                  StringRef what) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (ranked && ranked.hasStaticShape() &&
      !getAbiTypeName(ranked.getElementType()).empty() &&
      succeeded(getCheckedElementCount(ranked)))
    return success();
  return func.emitError("entry point '")
         << func.getSymName() << "': " << what << " has type " << type
         << "; entry points take and return statically shaped tensors of "
            "f32, i32 or i64 whose size fits in 64 bits";
}

/// Returns true if `name` can appear as one field of a signature line:
/// non-empty printable ASCII without spaces.
static bool isValidFieldName(StringRef name) {
  return !name.empty() &&
         llvm::all_of(name, [](char c) { return c > ' ' && c <= '~'; });
}

/// Returns true if `name` is a C identifier, so that the wrapper's
/// `_mlir_ciface_` symbol can be declared in C.
static bool isValidEntryName(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

namespace {
/// Role of an entry-point argument in the signature.
enum class AbiArgKind { Param, State, Input };

/// One argument of an entry point as the signature describes it.
struct AbiArg {
  AbiArgKind kind = AbiArgKind::Input;
  /// The `param`, `state` or `input` name.
  std::string name;
  /// The argument's `nn.param` attribute (params only).
  DictionaryAttr param;
  /// The parameter a state tensor belongs to (states only; may be empty).
  std::string stateOf;
  /// Whether this input is the step count (`nn.step`).
  bool isStep = false;
  /// Whether a result of the function replaces this argument (`nn.update`):
  /// the entry point then writes that result into the argument's buffer.
  bool inout = false;
};

/// How an entry point hands back each result of the function.
struct AbiResult {
  /// The argument the result is written into, or -1 for an output.
  int updates = -1;
  /// The output's `nn.name` and `nn.image` (empty when absent).
  std::string name, image;
};

/// Everything the signature and the wrapper need about one entry point.
struct AbiEntry {
  SmallVector<AbiArg> args;
  SmallVector<AbiResult> results;
};
} // namespace

/// Returns true for output names the trainer uses for its own figures.
static bool isReservedMetricName(StringRef name) {
  return name == "loss" || name == "acc" || name == "accuracy" ||
         name.starts_with("loss_");
}

/// Returns true if the trainer can write `type` as a grid of grayscale
/// images: f32 [N, H, W], [N, 1, H, W] or [N, P] with P a perfect square.
static bool isImageType(RankedTensorType type) {
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return false;
  ArrayRef<int64_t> shape = type.getShape();
  if (shape.size() == 3)
    return true;
  if (shape.size() == 4)
    return shape[1] == 1;
  if (shape.size() != 2)
    return false;
  int64_t side = static_cast<int64_t>(std::sqrt(static_cast<double>(shape[1])));
  while (side * side > shape[1])
    --side;
  while ((side + 1) * (side + 1) <= shape[1])
    ++side;
  return side * side == shape[1];
}

/// Reads the integer `key` of `param` into `value`; fails if it is missing or
/// wider than 64 bits.
static bool getParamInt(DictionaryAttr param, StringRef key, int64_t &value) {
  auto attr = param.getAs<IntegerAttr>(key);
  if (!attr || !attr.getType().isSignlessInteger() ||
      attr.getType().getIntOrFloatBitWidth() > 64)
    return false;
  value = attr.getInt();
  return true;
}

/// Checks the `nn.param` argument attribute `attr` of argument `index`
/// (normally written by kiln-promote-params) and returns the parameter's
/// name.
static FailureOr<std::string> checkParamAttr(func::FuncOp func, unsigned index,
                                             Attribute attr) {
  auto fail = [&](const Twine &why) {
    return func.emitError("entry point '")
           << func.getSymName() << "': argument #" << index << " has a "
           << "malformed '" << kParamAttrName << "' attribute: " << why;
  };
  auto param = dyn_cast<DictionaryAttr>(attr);
  if (!param)
    return fail("expected a dictionary");
  auto name = param.getAs<StringAttr>("name");
  if (!name || !isValidFieldName(name.getValue()))
    return fail("'name' must be a non-empty string of printable ASCII "
                "without whitespace");
  auto init = param.getAs<StringAttr>("init");
  std::optional<InitKind> kind =
      init ? symbolizeInitKind(init.getValue()) : std::nullopt;
  if (!kind)
    return fail("'init' must name an initializer");
  int64_t value;
  if (!getParamInt(param, "seed", value))
    return fail("'seed' must be an integer of at most 64 bits");
  for (StringRef key : {"fan_in", "fan_out"})
    if (!getParamInt(param, key, value) || value < 1)
      return fail("'" + key + "' must be a positive integer");
  auto checkPair = [&](StringRef a, StringRef b) -> LogicalResult {
    for (StringRef key : {a, b}) {
      auto f = param.getAs<FloatAttr>(key);
      if (!f || !std::isfinite(f.getValueAsDouble()))
        return fail("'" + init.getValue() + "' needs finite float '" + key +
                    "'");
    }
    return success();
  };
  if (*kind == InitKind::uniform && failed(checkPair("low", "high")))
    return failure();
  if (*kind == InitKind::normal && failed(checkPair("mean", "std")))
    return failure();
  auto type = cast<RankedTensorType>(func.getArgumentTypes()[index]);
  if (!type.getElementType().isF32())
    return fail("parameters are f32 tensors, got " +
                llvm::Twine(getAbiTypeName(type.getElementType())) +
                " elements");
  return name.getValue().str();
}

/// Checks that `func` can be exported and collects the signature names and
/// roles of its arguments and results. Emits an error naming the function on failure.
static FailureOr<AbiEntry> checkEntry(func::FuncOp func) {
  bool ok = true;
  if (!isValidEntryName(func.getSymName())) {
    func.emitError("entry point '")
        << func.getSymName()
        << "': the name must be a C identifier (letters, digits and '_')";
    ok = false;
  }
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
    ok &= succeeded(checkAbiType(func, type, "argument #" + Twine(i).str()));
  for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
    ok &= succeeded(checkAbiType(func, type, "result #" + Twine(i).str()));
  if (!ok)
    return failure();

  AbiEntry entry;
  SmallVector<AbiArg> &args = entry.args;
  llvm::StringMap<unsigned> seen;
  unsigned inputIndex = 0;
  auto error = [&]() {
    return func.emitError("entry point '") << func.getSymName() << "': ";
  };
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    AbiArg arg;
    if (Attribute attr = func.getArgAttr(i, kParamAttrName)) {
      FailureOr<std::string> name = checkParamAttr(func, i, attr);
      if (failed(name))
        return failure();
      arg.kind = AbiArgKind::Param;
      arg.name = *name;
      arg.param = cast<DictionaryAttr>(attr);
    } else if (Attribute attr = func.getArgAttr(i, kStateAttrName)) {
      auto dict = dyn_cast<DictionaryAttr>(attr);
      auto name = dict ? dict.getAs<StringAttr>("name") : StringAttr();
      auto of = dict ? dict.getAs<StringAttr>("of") : StringAttr();
      if (!name || !isValidFieldName(name.getValue()) ||
          (of && !isValidFieldName(of.getValue())))
        return error() << "argument #" << i << " has a malformed '"
                       << kStateAttrName << "' attribute " << attr
                       << "; expected {name = \"...\", of = \"...\"} with "
                          "non-empty printable ASCII names without whitespace";
      if (!cast<RankedTensorType>(func.getArgumentTypes()[i])
               .getElementType()
               .isF32())
        return error() << "optimizer state argument #" << i
                       << " must be an f32 tensor";
      arg.kind = AbiArgKind::State;
      arg.name = name.getValue().str();
      if (of)
        arg.stateOf = of.getValue().str();
    } else {
      if (Attribute attr = func.getArgAttr(i, "nn.name")) {
        auto name = dyn_cast<StringAttr>(attr);
        if (!name || !isValidFieldName(name.getValue()))
          return error() << "argument #" << i << " has an invalid 'nn.name' "
                         << attr
                         << "; input names are non-empty strings of "
                            "printable ASCII without whitespace";
        arg.name = name.getValue().str();
        ++inputIndex;
      } else {
        arg.name = "arg" + std::to_string(inputIndex++);
      }
      if (func.getArgAttr(i, kStepAttrName)) {
        auto stepType = RankedTensorType::get(
            {}, IntegerType::get(func.getContext(), 64));
        if (func.getArgumentTypes()[i] != stepType)
          return error() << "the step count (argument #" << i
                         << ") must be a tensor<i64>";
        if (llvm::any_of(args, [](const AbiArg &a) { return a.isStep; }))
          return error() << "argument #" << i
                         << " is a second step count; there is at most one";
        arg.isStep = true;
      }
    }
    // The calling convention passes params, then state, then inputs.
    if (!args.empty() && args.back().kind > arg.kind)
      return error() << "argument #" << i << " ('" << arg.name
                     << "') is out of order; entry points take parameters "
                        "first, then optimizer state, then inputs";
    auto [it, inserted] = seen.try_emplace(arg.name, i);
    if (!inserted)
      return error() << "arguments #" << it->second << " and #" << i
                     << " are both named '" << arg.name
                     << "'; parameter, state and input names must be unique";
    args.push_back(arg);
  }

  // Results that replace a parameter or state in place.
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i) {
    AbiResult result;
    if (Attribute attr = func.getResultAttr(i, kUpdateAttrName)) {
      auto name = dyn_cast<StringAttr>(attr);
      auto it = name ? seen.find(name.getValue()) : seen.end();
      if (it == seen.end() || args[it->second].kind == AbiArgKind::Input)
        return error() << "result #" << i << " has '" << kUpdateAttrName
                       << "' = " << attr
                       << ", which names no parameter or state argument";
      AbiArg &target = args[it->second];
      if (target.inout)
        return error() << "result #" << i << " updates '" << target.name
                       << "', which another result already updates";
      if (func.getResultTypes()[i] != func.getArgumentTypes()[it->second])
        return error() << "result #" << i << " of type "
                       << func.getResultTypes()[i] << " cannot update '"
                       << target.name << "' of type "
                       << func.getArgumentTypes()[it->second];
      target.inout = true;
      result.updates = it->second;
    }
    for (auto [key, field] : {std::pair<StringRef, std::string *>{
                                  "nn.name", &result.name},
                              {kImageAttrName, &result.image}}) {
      Attribute attr = func.getResultAttr(i, key);
      if (!attr)
        continue;
      auto value = dyn_cast<StringAttr>(attr);
      if (!value || !isValidFieldName(value.getValue()))
        return error() << "result #" << i << " has an invalid '" << key
                       << "' " << attr
                       << "; output names are non-empty strings of printable "
                          "ASCII without whitespace";
      *field = value.getValue().str();
    }
    if (!result.name.empty() && result.updates < 0 && i != 0 &&
        isReservedMetricName(result.name))
      return error() << "result #" << i << " is named '" << result.name
                     << "', which the trainer reports itself; choose "
                        "another 'nn.name'";
    if (!result.image.empty()) {
      auto type = cast<RankedTensorType>(func.getResultTypes()[i]);
      if (StringRef(result.image).contains('/'))
        return error() << "result #" << i << ": image name '" << result.image
                       << "' must not contain '/'";
      if (!isImageType(type))
        return error() << "result #" << i << " of type " << type
                       << " cannot be an image ('" << kImageAttrName
                       << "'); images are f32 [N, H, W], [N, 1, H, W] or "
                          "[N, P] with P a square";
    }
    entry.results.push_back(result);
  }
  for (const AbiArg &arg : args)
    if (arg.kind == AbiArgKind::State && !arg.inout)
      return error() << "optimizer state '" << arg.name
                     << "' is not updated by any result ('"
                     << kUpdateAttrName << "')";
  return entry;
}

/// Appends the `entry`, `param`, `state`, `input` and `output` lines of
/// `func`'s signature.
static void describeEntry(func::FuncOp func, const AbiEntry &entry,
                          llvm::raw_ostream &os) {
  os << "entry " << func.getSymName();
  if (auto of = func->getAttrOfType<StringAttr>(kTrainOfAttrName))
    os << " train=" << of.getValue();
  if (auto phase = func->getAttrOfType<StringAttr>(kPhaseAttrName))
    os << " phase=" << phase.getValue(); // Checked by kiln-train-step.
  os << '\n';
  for (auto [arg, type] : llvm::zip(entry.args, func.getArgumentTypes())) {
    auto tensor = cast<RankedTensorType>(type);
    if (arg.kind == AbiArgKind::Input) {
      os << "input " << arg.name << ' ';
      printAbiType(os, tensor);
      if (arg.isStep)
        os << " role=step";
      os << '\n';
      continue;
    }
    if (arg.kind == AbiArgKind::State) {
      os << "state " << arg.name << ' ';
      printAbiType(os, tensor);
      if (!arg.stateOf.empty())
        os << " of=" << arg.stateOf;
      os << '\n';
      continue;
    }
    DictionaryAttr param = arg.param;
    auto f64 = [&](StringRef key) {
      auto attr = param.getAs<FloatAttr>(key);
      return attr ? attr.getValueAsDouble() : 0.0;
    };
    StringRef init = param.getAs<StringAttr>("init").getValue();
    bool isNormal = init == "normal";
    os << "param " << arg.name << ' ';
    printAbiType(os, tensor);
    // The seed's 64 bits are read as an unsigned number.
    os << " init=" << init << " seed="
       << static_cast<uint64_t>(param.getAs<IntegerAttr>("seed").getInt())
       << llvm::format(" a=%.17g b=%.17g", f64(isNormal ? "mean" : "low"),
                       f64(isNormal ? "std" : "high"))
       << " fan_in=" << param.getAs<IntegerAttr>("fan_in").getInt()
       << " fan_out=" << param.getAs<IntegerAttr>("fan_out").getInt();
    if (arg.inout)
      os << " inout=1";
    if (param.get("buffer"))
      os << " buffer=1";
    os << '\n';
  }
  unsigned output = 0;
  for (auto [result, type] : llvm::zip(entry.results, func.getResultTypes())) {
    if (result.updates >= 0)
      continue;
    os << "output " << output++ << ' ';
    printAbiType(os, cast<RankedTensorType>(type));
    if (!result.name.empty())
      os << " name=" << result.name;
    if (!result.image.empty())
      os << " image=" << result.image;
    os << '\n';
  }
}

/// Builds `_kiln_entry_<name>` around `func` in destination-passing style.
/// Arguments that a result updates are read and written through the same
/// buffer, so after bufferization the update happens in place.
static void buildEntryWrapper(func::FuncOp func, const AbiEntry &entry) {
  OpBuilder b(func);
  Location loc = func.getLoc();
  SmallVector<Type> argTypes;
  auto toMemRef = [](Type type) {
    auto tensor = cast<RankedTensorType>(type);
    return MemRefType::get(tensor.getShape(), tensor.getElementType());
  };
  for (Type type : func.getArgumentTypes())
    argTypes.push_back(toMemRef(type));
  for (auto [result, type] : llvm::zip(entry.results, func.getResultTypes()))
    if (result.updates < 0)
      argTypes.push_back(toMemRef(type));
  auto wrapper =
      b.create<func::FuncOp>(loc, (kEntryPrefix + func.getSymName()).str(),
                             b.getFunctionType(argTypes, {}));
  wrapper->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *body = wrapper.addEntryBlock();
  b.setInsertionPointToStart(body);
  unsigned numArgs = func.getNumArguments();
  SmallVector<Value> tensors;
  for (auto [arg, abi] :
       llvm::zip(body->getArguments().take_front(numArgs), entry.args))
    tensors.push_back(b.create<bufferization::ToTensorOp>(
        loc, arg, /*restrict=*/true, /*writable=*/abi.inout));
  auto call = b.create<func::CallOp>(loc, func, tensors);
  unsigned nextOutput = numArgs;
  for (auto [value, result] : llvm::zip(call.getResults(), entry.results)) {
    Value dest = result.updates >= 0 ? body->getArgument(result.updates)
                                     : body->getArgument(nextOutput++);
    b.create<bufferization::MaterializeInDestinationOp>(
        loc, TypeRange{}, value, dest, /*restrict=*/true, /*writable=*/true);
  }
  b.create<func::ReturnOp>(loc);
  func.setPrivate();
}

namespace kiln::nn {
namespace {
struct KilnExportEntryPoints
    : public impl::KilnExportEntryPointsBase<KilnExportEntryPoints> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (module->hasAttr(kSignatureAttrName)) {
      module.emitError("the module already has a '")
          << kSignatureAttrName << "' attribute; entry points are exported "
          << "once";
      return signalPassFailure();
    }
    SmallVector<std::pair<func::FuncOp, AbiEntry>> entries;
    bool ok = true;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      FailureOr<AbiEntry> entry = checkEntry(func);
      if (failed(entry)) {
        ok = false;
        continue;
      }
      std::string wrapperName = (kEntryPrefix + func.getSymName()).str();
      if (Operation *clash = SymbolTable::lookupSymbolIn(module, wrapperName)) {
        InFlightDiagnostic diag = func.emitError("entry point '")
                                  << func.getSymName()
                                  << "': its wrapper name '" << wrapperName
                                  << "' is already taken";
        diag.attachNote(clash->getLoc()) << "by this symbol";
        ok = false;
        continue;
      }
      entries.emplace_back(func, std::move(*entry));
    }
    if (!ok)
      return signalPassFailure();
    if (entries.empty()) {
      module.emitError("the module has no public function to export as an "
                       "entry point");
      return signalPassFailure();
    }
    std::string signature;
    llvm::raw_string_ostream os(signature);
    os << "kiln-abi 1\n";
    for (auto &[func, entry] : entries) {
      describeEntry(func, entry, os);
      buildEntryWrapper(func, entry);
    }
    module->setAttr(kSignatureAttrName,
                    StringAttr::get(module.getContext(), os.str()));
  }
};
} // namespace
} // namespace kiln::nn
