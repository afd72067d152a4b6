//===- CheckNumerics.cpp - stop at the first NaN or infinity --------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// kiln-check-numerics: an `nn.check_finite` after every f32 result of an
// `nn` op and for every data input, each naming its op and the op's
// location in the model file (Passes.td has the full description).
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace kiln::nn {
#define GEN_PASS_DEF_KILNCHECKNUMERICS
#include "kiln/Dialect/NN/Transforms/Passes.h.inc"
} // namespace kiln::nn

using namespace mlir;
using namespace kiln::nn;

/// Returns "file:line:col" of the first file location inside `loc`, or
/// "an unknown location".
static std::string describeLocation(Location loc) {
  std::string text = "an unknown location";
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      text = (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
              ":" + Twine(file.getColumn()))
                 .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return text;
}

/// Whether `value` is checked: a static f32 tensor.
static bool isChecked(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32();
}

namespace kiln::nn {
namespace {
struct KilnCheckNumerics
    : public impl::KilnCheckNumericsBase<KilnCheckNumerics> {
  void runOnOperation() override {
    getOperation().walk([&](func::FuncOp func) {
      if (func.isExternal())
        return;
      OpBuilder b(func.getContext());
      b.setInsertionPointToStart(&func.front());
      for (BlockArgument arg : func.getArguments()) {
        if (!isChecked(arg) || func.getArgAttr(arg.getArgNumber(),
                                               kStateAttrName))
          continue;
        std::string name = "#" + std::to_string(arg.getArgNumber());
        if (auto attr = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                          "nn.name"))
          name = ("'" + attr.getValue() + "'").str();
        b.create<CheckFiniteOp>(
            func.getLoc(), arg,
            b.getStringAttr("input " + name + " of @" + func.getSymName()));
      }
      func.walk([&](Operation *op) {
        if (!isa<NNDialect>(op->getDialect()) ||
            isa<ParamOp, ConstantOp, CheckFiniteOp>(op))
          return;
        b.setInsertionPointAfter(op);
        for (Value result : op->getResults()) {
          if (!isChecked(result))
            continue;
          std::string site = (op->getName().getStringRef() + " at " +
                              describeLocation(op->getLoc()))
                                 .str();
          if (op->getNumResults() > 1)
            site += " (result #" +
                    std::to_string(cast<OpResult>(result).getResultNumber()) +
                    ")";
          b.create<CheckFiniteOp>(op->getLoc(), result,
                                  b.getStringAttr(site));
        }
      });
    });
  }
};
} // namespace
} // namespace kiln::nn
