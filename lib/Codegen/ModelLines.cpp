//===- ModelLines.cpp - Locate ops at their model lines -------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The inliner locates the ops it copies into a training step at
// `callsite(callee at caller)`. Line tables built from those locations name
// the caller (the model's function), so a profile cannot tell one layer from
// another. This pass keeps the callee: the `nn` op's own line.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/DenseMap.h"

namespace kiln {
#define GEN_PASS_DEF_KILNMODELLINES
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Returns `loc` with every call site replaced by its callee.
static Location getModelLocation(Location loc,
                                 DenseMap<Location, Location> &cache) {
  if (auto it = cache.find(loc); it != cache.end())
    return it->second;
  Location result = loc;
  if (auto callSite = dyn_cast<CallSiteLoc>(loc)) {
    result = getModelLocation(callSite.getCallee(), cache);
  } else if (auto fused = dyn_cast<FusedLoc>(loc)) {
    SmallVector<Location> parts;
    for (Location part : fused.getLocations())
      parts.push_back(getModelLocation(part, cache));
    result = FusedLoc::get(loc.getContext(), parts, fused.getMetadata());
  } else if (auto named = dyn_cast<NameLoc>(loc)) {
    result = NameLoc::get(named.getName(),
                          getModelLocation(named.getChildLoc(), cache));
  }
  cache.try_emplace(loc, result);
  return result;
}

namespace {
struct KilnModelLinesPass : kiln::impl::KilnModelLinesBase<KilnModelLinesPass> {
  void runOnOperation() override {
    DenseMap<Location, Location> cache;
    getOperation()->walk([&](Operation *op) {
      op->setLoc(getModelLocation(op->getLoc(), cache));
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument argument : block.getArguments())
            argument.setLoc(getModelLocation(argument.getLoc(), cache));
    });
  }
};
} // namespace
