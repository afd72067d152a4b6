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
#include "llvm/Support/Format.h"

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

/// Appends the `param`, `input` and `output` lines of `func`'s signature.
static void describeEntry(func::FuncOp func, llvm::raw_ostream &os) {
  os << "entry " << func.getSymName() << '\n';
  unsigned inputIndex = 0;
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto type = cast<RankedTensorType>(arg.getType());
    if (auto param = func.getArgAttrOfType<DictionaryAttr>(i, kParamAttrName)) {
      auto f64 = [&](StringRef key) {
        auto attr = param.getAs<FloatAttr>(key);
        return attr ? attr.getValueAsDouble() : 0.0;
      };
      bool isNormal = param.getAs<StringAttr>("init").getValue() == "normal";
      os << "param " << param.getAs<StringAttr>("name").getValue() << ' ';
      printAbiType(os, type);
      os << " init=" << param.getAs<StringAttr>("init").getValue()
         << " seed=" << param.getAs<IntegerAttr>("seed").getInt()
         << llvm::format(" a=%.17g b=%.17g", f64(isNormal ? "mean" : "low"),
                         f64(isNormal ? "std" : "high"))
         << " fan_in=" << param.getAs<IntegerAttr>("fan_in").getInt()
         << " fan_out=" << param.getAs<IntegerAttr>("fan_out").getInt()
         << '\n';
      continue;
    }
    os << "input ";
    if (auto name = func.getArgAttrOfType<StringAttr>(i, "nn.name"))
      os << name.getValue();
    else
      os << "arg" << inputIndex;
    ++inputIndex;
    os << ' ';
    printAbiType(os, type);
    os << '\n';
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
  auto wrapper = b.create<func::FuncOp>(
      loc, (kEntryPrefix + func.getSymName()).str(),
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
    SmallVector<func::FuncOp> entries;
    bool ok = true;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic() ||
          func.getSymName().starts_with(kEntryPrefix))
        continue;
      for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
        ok &= succeeded(
            checkAbiType(func, type, "argument #" + std::to_string(i)));
      for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
        ok &=
            succeeded(checkAbiType(func, type, "result #" + std::to_string(i)));
      entries.push_back(func);
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
    for (func::FuncOp func : entries) {
      describeEntry(func, os);
      buildEntryWrapper(func);
    }
    module->setAttr(kSignatureAttrName,
                    StringAttr::get(module.getContext(), os.str()));
  }
};
} // namespace
} // namespace kiln::nn
