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
/// One argument of an entry point as the signature describes it.
struct AbiArg {
  /// The `param` or `input` name.
  std::string name;
  /// The argument's `nn.param` attribute, or null for an input.
  DictionaryAttr param;
};
} // namespace

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

/// Checks that `func` can be exported and collects the signature names of
/// its arguments. Emits an error naming the function on failure.
static FailureOr<SmallVector<AbiArg>> checkEntry(func::FuncOp func) {
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

  SmallVector<AbiArg> args;
  llvm::StringMap<unsigned> seen;
  unsigned inputIndex = 0;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    AbiArg arg;
    if (Attribute attr = func.getArgAttr(i, kParamAttrName)) {
      FailureOr<std::string> name = checkParamAttr(func, i, attr);
      if (failed(name))
        return failure();
      arg.name = *name;
      arg.param = cast<DictionaryAttr>(attr);
    } else if (Attribute attr = func.getArgAttr(i, "nn.name")) {
      auto name = dyn_cast<StringAttr>(attr);
      if (!name || !isValidFieldName(name.getValue()))
        return func.emitError("entry point '")
               << func.getSymName() << "': argument #" << i
               << " has an invalid 'nn.name' " << attr
               << "; input names are non-empty strings of printable ASCII "
                  "without whitespace";
      arg.name = name.getValue().str();
      ++inputIndex;
    } else {
      arg.name = "arg" + std::to_string(inputIndex++);
    }
    auto [it, inserted] = seen.try_emplace(arg.name, i);
    if (!inserted)
      return func.emitError("entry point '")
             << func.getSymName() << "': arguments #" << it->second << " and #"
             << i << " are both named '" << arg.name
             << "'; parameter and input names must be unique";
    args.push_back(arg);
  }
  return args;
}

/// Appends the `entry`, `param`, `input` and `output` lines of `func`'s
/// signature.
static void describeEntry(func::FuncOp func, ArrayRef<AbiArg> args,
                          llvm::raw_ostream &os) {
  os << "entry " << func.getSymName() << '\n';
  for (auto [arg, type] : llvm::zip(args, func.getArgumentTypes())) {
    auto tensor = cast<RankedTensorType>(type);
    if (!arg.param) {
      os << "input " << arg.name << ' ';
      printAbiType(os, tensor);
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
       << " fan_out=" << param.getAs<IntegerAttr>("fan_out").getInt() << '\n';
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    os << "output " << i << ' ';
    printAbiType(os, cast<RankedTensorType>(type));
    os << '\n';
  }
}

/// Builds `_kiln_entry_<name>` around `func` in destination-passing style.
static void buildEntryWrapper(func::FuncOp func) {
  OpBuilder b(func);
  Location loc = func.getLoc();
  SmallVector<Type> argTypes;
  auto toMemRef = [](Type type) {
    auto tensor = cast<RankedTensorType>(type);
    return MemRefType::get(tensor.getShape(), tensor.getElementType());
  };
  for (Type type : func.getArgumentTypes())
    argTypes.push_back(toMemRef(type));
  for (Type type : func.getResultTypes())
    argTypes.push_back(toMemRef(type));
  auto wrapper =
      b.create<func::FuncOp>(loc, (kEntryPrefix + func.getSymName()).str(),
                             b.getFunctionType(argTypes, {}));
  wrapper->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *body = wrapper.addEntryBlock();
  b.setInsertionPointToStart(body);
  unsigned numInputs = func.getNumArguments();
  SmallVector<Value> tensors;
  for (BlockArgument arg : body->getArguments().take_front(numInputs))
    tensors.push_back(b.create<bufferization::ToTensorOp>(
        loc, arg, /*restrict=*/true, /*writable=*/false));
  auto call = b.create<func::CallOp>(loc, func, tensors);
  for (auto [result, out] :
       llvm::zip(call.getResults(), body->getArguments().drop_front(numInputs)))
    b.create<bufferization::MaterializeInDestinationOp>(
        loc, TypeRange{}, result, out, /*restrict=*/true, /*writable=*/true);
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
    SmallVector<std::pair<func::FuncOp, SmallVector<AbiArg>>> entries;
    bool ok = true;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      FailureOr<SmallVector<AbiArg>> args = checkEntry(func);
      if (failed(args)) {
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
      entries.emplace_back(func, std::move(*args));
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
    for (auto &[func, args] : entries) {
      describeEntry(func, args, os);
      buildEntryWrapper(func);
    }
    module->setAttr(kSignatureAttrName,
                    StringAttr::get(module.getContext(), os.str()));
  }
};
} // namespace
} // namespace kiln::nn
