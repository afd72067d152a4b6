//===- CountOps.cpp - Per-function op counts as remarks -------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "Passes.h"

#include "llvm/ADT/StringMap.h"

namespace kiln::example {
#define GEN_PASS_DEF_KILNEXAMPLECOUNTOPS
#include "Passes.h.inc"
} // namespace kiln::example

using namespace mlir;

namespace kiln::example {
namespace {
struct KilnExampleCountOps
    : public impl::KilnExampleCountOpsBase<KilnExampleCountOps> {
  using KilnExampleCountOpsBase::KilnExampleCountOpsBase;

  LogicalResult initialize(MLIRContext *context) override {
    if (dialect.empty())
      return emitError(UnknownLoc::get(context))
             << "kiln-example-count-ops: option 'dialect' must name a dialect";
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return markAllAnalysesPreserved();
    // Ops nested in the function, matched by name: `nn.add` belongs to
    // dialect `nn`. This also counts ops of dialects that are not loaded.
    llvm::StringMap<unsigned> counts;
    unsigned total = 0;
    func.walk([&](Operation *op) {
      if (op == func || op->getName().getDialectNamespace() != dialect)
        return;
      ++counts[op->getName().getStringRef()];
      ++total;
    });

    SmallVector<StringRef> names;
    for (const auto &entry : counts)
      names.push_back(entry.getKey());
    llvm::sort(names);

    InFlightDiagnostic remark = func.emitRemark()
                                << total << " " << dialect << " ops in '"
                                << func.getSymName() << "'";
    for (auto [i, name] : llvm::enumerate(names))
      remark << (i == 0 ? ": " : ", ") << name << " " << counts[name];
    markAllAnalysesPreserved();
  }
};
} // namespace
} // namespace kiln::example
