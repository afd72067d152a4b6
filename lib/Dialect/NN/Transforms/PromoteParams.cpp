//===- PromoteParams.cpp - nn.param ops to function arguments -------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"

namespace kiln::nn {
#define GEN_PASS_DEF_KILNPROMOTEPARAMS
#include "kiln/Dialect/NN/Transforms/Passes.h.inc"
} // namespace kiln::nn

using namespace mlir;
using namespace kiln::nn;

/// Builds the `nn.param` argument attribute that records `param`'s
/// declaration for the runtime.
static DictionaryAttr buildParamAttr(ParamOp param) {
  Builder b(param.getContext());
  auto [fanIn, fanOut] = param.getFans();
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("name", param.getNameAttr()),
      b.getNamedAttr("init",
                     b.getStringAttr(stringifyInitKind(param.getInit()))),
      b.getNamedAttr("seed", b.getI64IntegerAttr(param.getSeed())),
      b.getNamedAttr("fan_in", b.getI64IntegerAttr(fanIn)),
      b.getNamedAttr("fan_out", b.getI64IntegerAttr(fanOut))};
  for (StringRef key : {"low", "high", "mean", "std"})
    if (Attribute value = param->getAttr(key))
      attrs.push_back(b.getNamedAttr(key, value));
  if (param.getBuffer())
    attrs.push_back(b.getNamedAttr("buffer", b.getUnitAttr()));
  return b.getDictionaryAttr(attrs);
}

namespace kiln::nn {
namespace {
struct KilnPromoteParams
    : public impl::KilnPromoteParamsBase<KilnPromoteParams> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTableCollection symbols;
    bool failedAny = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      SmallVector<ParamOp> params;
      func.walk([&](ParamOp op) { params.push_back(op); });
      if (params.empty())
        continue;
      // Parameters of a called function would have to be threaded through
      // every call site; Kiln keeps them in the functions the runtime calls.
      std::optional<SymbolTable::UseRange> uses =
          SymbolTable::getSymbolUses(func, module);
      if (uses && !uses->empty()) {
        InFlightDiagnostic diag =
            func.emitError("function '")
            << func.getSymName()
            << "' declares nn.param ops but is called from another function; "
               "declare parameters in the functions the runtime calls";
        diag.attachNote(uses->begin()->getUser()->getLoc()) << "called here";
        failedAny = true;
        continue;
      }
      // Arguments promoted earlier (or written by hand) keep their names;
      // a new parameter must not reuse one.
      llvm::StringMap<unsigned> taken;
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        if (auto attr =
                func.getArgAttrOfType<DictionaryAttr>(i, kParamAttrName))
          if (auto name = attr.getAs<StringAttr>("name"))
            taken.try_emplace(name.getValue(), i);
      bool clash = false;
      for (ParamOp param : params) {
        auto it = taken.find(param.getName());
        if (it == taken.end())
          continue;
        param.emitError("parameter '")
            << param.getName() << "' is already argument #" << it->second
            << " of function '" << func.getSymName() << "'";
        clash = true;
      }
      if (clash) {
        failedAny = true;
        continue;
      }
      for (auto [i, param] : llvm::enumerate(params)) {
        Builder b(param.getContext());
        func.insertArgument(i, param.getType(),
                            b.getDictionaryAttr(b.getNamedAttr(
                                kParamAttrName, buildParamAttr(param))),
                            param.getLoc());
        param.getResult().replaceAllUsesWith(func.getArgument(i));
        param.erase();
      }
    }
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
} // namespace kiln::nn
