//===- TileAndFuseProducts.cpp - Epilogues in a product's tiles
//------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// A product on buffers is tiled in M and N (tileAndPeel, the tile sizes of
// kiln-vectorize-contractions' cache tiles), and the elementwise
// linalg.generic after it is cloned into every tile, on subviews at the
// tile's offsets: each tile of the result is computed and finished while it
// is in cache, instead of a second pass over the whole result
// (docs/Codegen.md, "Epilogues").
//
// The rewrite is legal when running the epilogue tile by tile gives what it
// gives after the whole product: it reads the product's buffer only at the
// element it writes (the identity map), and writes nothing the product or
// its other operands read. Buffers are compared by their roots (the
// allocation or argument under any views); entry points' arguments do not
// alias each other.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Transforms.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace kiln {
#define GEN_PASS_DEF_KILNTILEANDFUSEPRODUCTS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

/// Marks the product being tiled, so that its tiled clones can be found.
static constexpr llvm::StringLiteral kProductAttrName = "kiln.fused_product";

/// Returns whether `op` is a product this pass tiles: a 2-D product of
/// `f32` buffers with static shapes and contiguous rows.
static bool isSupportedProduct(linalg::LinalgOp op) {
  return isa<linalg::MatmulOp, linalg::MatmulTransposeAOp>(op.getOperation()) &&
         op.hasPureBufferSemantics() &&
         llvm::all_of(op->getOperandTypes(), codegen::isVectorizableF32Buffer);
}

namespace {
/// The buffers (roots) an op reads and writes.
struct Footprint {
  SmallVector<Value> reads, writes;

  /// Whether running the two ops in either order gives the same results.
  bool commutesWith(const Footprint &other) const {
    auto meets = [](ArrayRef<Value> a, ArrayRef<Value> b) {
      return llvm::any_of(a, [&](Value v) { return llvm::is_contained(b, v); });
    };
    return !meets(writes, other.reads) && !meets(writes, other.writes) &&
           !meets(other.writes, reads);
  }
};
} // namespace

/// Returns the buffers `op` reads and writes (a free counts as a write), or
/// std::nullopt if they are not all known: an op with regions whose effects
/// are its body's, or without the memory effect interface.
static std::optional<Footprint> getFootprint(Operation *op) {
  Footprint footprint;
  if (isMemoryEffectFree(op))
    return footprint;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects || op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    return std::nullopt;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  for (MemoryEffects::EffectInstance &instance : instances) {
    if (isa<MemoryEffects::Allocate>(instance.getEffect()))
      continue;
    Value value = instance.getValue();
    if (!value)
      return std::nullopt;
    if (isa<MemoryEffects::Read>(instance.getEffect()))
      footprint.reads.push_back(codegen::getRootBuffer(value));
    else
      footprint.writes.push_back(codegen::getRootBuffer(value));
  }
  return footprint;
}

namespace {
/// The first op after a product that touches its result: maybe its
/// epilogue.
struct EpilogueCandidate {
  /// That op, or null.
  Operation *op = nullptr;
  /// The ops between the product and `op` that compute what `op` uses
  /// (its operands, values its body captures): they move before the
  /// product. The other ops in between stay, and `op` moves before them.
  SmallVector<Operation *> hoisted;
  /// Why `op` cannot be fused, or "" if it can.
  std::string why;
};
} // namespace

/// Looks for the op after `product` that first touches its result, and
/// decides whether it is an epilogue.
static EpilogueCandidate findEpilogue(linalg::LinalgOp product) {
  EpilogueCandidate candidate;
  Value result = product.getDpsInitOperand(0)->get();
  Value resultRoot = codegen::getRootBuffer(result);
  std::optional<Footprint> productFootprint = getFootprint(product);
  SmallVector<Operation *> between;
  Operation *op = product->getNextNode();
  for (; op && !op->hasTrait<OpTrait::IsTerminator>(); op = op->getNextNode()) {
    std::optional<Footprint> footprint = getFootprint(op);
    if (!footprint || llvm::is_contained(footprint->reads, resultRoot) ||
        llvm::is_contained(footprint->writes, resultRoot))
      break;
    between.push_back(op);
  }
  if (!op || op->hasTrait<OpTrait::IsTerminator>())
    return candidate;
  candidate.op = op;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic) {
    candidate.why = "it is not a linalg.generic";
    return candidate;
  }
  std::optional<Footprint> epilogueFootprint = getFootprint(op);

  // What the epilogue uses, computed between the product and it, moves
  // before the product; the rest stays, with the epilogue moved before it.
  llvm::SmallPtrSet<Operation *, 8> inBetween(between.begin(), between.end());
  llvm::SmallPtrSet<Operation *, 8> hoist;
  SmallVector<Value> worklist(op->getOperands());
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  worklist.append(captured.begin(), captured.end());
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || !inBetween.contains(def) || !hoist.insert(def).second)
      continue;
    worklist.append(def->operand_begin(), def->operand_end());
    llvm::SetVector<Value> inner;
    getUsedValuesDefinedAbove(def->getRegions(), inner);
    worklist.append(inner.begin(), inner.end());
  }
  SmallVector<Footprint> staying;
  for (Operation *other : between) {
    std::optional<Footprint> footprint = getFootprint(other);
    if (hoist.contains(other)) {
      auto commutes = [&](const Footprint &stayer) {
        return footprint->commutesWith(stayer);
      };
      if (!productFootprint || !footprint->commutesWith(*productFootprint) ||
          !llvm::all_of(staying, commutes)) {
        candidate.why = "it uses a value computed after the product from "
                        "memory that the ops before it write or read";
        return candidate;
      }
      candidate.hoisted.push_back(other);
    } else if (!epilogueFootprint ||
               !footprint->commutesWith(*epilogueFootprint)) {
      candidate.why = "an op between them (" + codegen::describeOp(other) +
                      ") touches memory it reads or writes";
      return candidate;
    } else {
      staying.push_back(*footprint);
    }
  }

  SmallVector<Value> productInputs;
  for (OpOperand *input : product.getDpsInputOperands())
    productInputs.push_back(codegen::getRootBuffer(input->get()));
  auto why = [&](const Twine &reason) {
    candidate.why = reason.str();
    return candidate;
  };

  SmallVector<int64_t> ranges = product.getStaticLoopRanges();
  if (!generic.hasPureBufferSemantics() || generic.getNumLoops() != 2 ||
      generic.getNumReductionLoops() != 0)
    return why("it is not an elementwise op on buffers of the product's "
               "two dimensions");
  // Measured: Adam's update (parameter and two moments) ran 12% slower on
  // one thread as 64 x 128 tiles of seven operands than as one pass over
  // whole buffers, which the prefetchers stream better.
  if (generic.getNumDpsInits() > 1)
    return why("it writes " + Twine(generic.getNumDpsInits()) +
               " buffers; an update of several buffers streams faster over "
               "whole buffers than tile by tile");
  if (ArrayRef<int64_t>(generic.getStaticLoopRanges()) !=
      ArrayRef<int64_t>(ranges).take_front(2))
    return why("its loops are not the product's M x N");
  bool readsResult = false;
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    Value value = operand.get();
    if (!isa<MemRefType>(value.getType()))
      continue;
    if (!map.isProjectedPermutation())
      return why("it reads an operand through a map that is not a "
                 "projected permutation");
    if (!cast<MemRefType>(value.getType()).hasStaticShape())
      return why("its operands do not all have static shapes");
    Value root = codegen::getRootBuffer(value);
    if (root == resultRoot) {
      if (value != result || !map.isIdentity())
        return why("it reads or writes the product's buffer other than "
                   "element by element");
      readsResult |= generic.payloadUsesValueFromOperand(&operand);
      continue;
    }
    if (generic.isDpsInit(&operand)) {
      if (llvm::is_contained(productInputs, root))
        return why("it writes a buffer that the product reads");
      for (OpOperand *input : generic.getDpsInputOperands())
        if (codegen::getRootBuffer(input->get()) == root &&
            (input->get() != value ||
             generic.getMatchingIndexingMap(input) != map))
          return why("it writes a buffer that it also reads through "
                     "another map");
    }
  }
  if (!readsResult)
    return why("it does not read the product");
  return candidate;
}

/// Returns `value` (a buffer that `map` indexes by the product's (m, n)
/// loops) cut to the tile at `offsets` of `sizes`.
static Value sliceForTile(RewriterBase &rewriter, Location loc, Value value,
                          AffineMap map, ArrayRef<OpFoldResult> offsets,
                          ArrayRef<OpFoldResult> sizes) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || map.getNumResults() == 0)
    return value;
  SmallVector<OpFoldResult> tileOffsets, tileSizes;
  for (unsigned i = 0, e = map.getNumResults(); i != e; ++i) {
    unsigned dim = map.getDimPosition(i);
    tileOffsets.push_back(offsets[dim]);
    tileSizes.push_back(sizes[dim]);
  }
  SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
  return rewriter.create<memref::SubViewOp>(loc, value, tileOffsets, tileSizes,
                                            strides);
}

namespace {
struct KilnTileAndFuseProducts
    : public kiln::impl::KilnTileAndFuseProductsBase<KilnTileAndFuseProducts> {
  using KilnTileAndFuseProductsBase::KilnTileAndFuseProductsBase;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet patterns(context);
    codegen::populateCanonicalizationPatterns(context, patterns);
    canonicalization = std::move(patterns);
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<int64_t> tileSizes = {64, 128};
    if (!tiles.empty())
      tileSizes.assign(tiles.begin(), tiles.end());
    if (tileSizes.size() != 2 ||
        llvm::any_of(tileSizes, [](int64_t size) { return size <= 0; })) {
      func.emitError("kiln-tile-and-fuse-products: tiles must be two "
                     "positive sizes (M, N)");
      return signalPassFailure();
    }

    SmallVector<linalg::LinalgOp> products;
    func.walk([&](linalg::LinalgOp op) {
      if (isSupportedProduct(op))
        products.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    bool changed = false;
    for (linalg::LinalgOp product : products)
      changed |= tileAndFuse(rewriter, product, tileSizes);
    if (changed)
      (void)applyPatternsAndFoldGreedily(func, canonicalization);
  }

private:
  /// Tiles `product` with its epilogue, if it has one.
  /// Returns whether it changed the IR.
  bool tileAndFuse(IRRewriter &rewriter, linalg::LinalgOp product,
                   ArrayRef<int64_t> tileSizes) {
    Location loc = product.getLoc();
    SmallVector<int64_t> ranges = product.getStaticLoopRanges();
    bool readOnlyRight =
        codegen::isReadOnlyArgument(product.getDpsInputOperand(1)->get());
    EpilogueCandidate candidate = findEpilogue(product);
    auto epilogue = candidate.why.empty()
                        ? cast<linalg::GenericOp>(candidate.op)
                        : linalg::GenericOp();
    std::string tileText =
        std::to_string(tileSizes[0]) + " x " + std::to_string(tileSizes[1]);
    // The product is erased once tiled.
    std::string productText = codegen::describeOp(product);
    Value result = product.getDpsInitOperand(0)->get();
    auto remark = [&]() { return emitRemark(loc) << productText << ": "; };
    auto reportUnfused = [&]() {
      if (report && !candidate.why.empty() && candidate.op &&
          llvm::is_contained(candidate.op->getOperands(), result))
        remark() << "not fused: " << codegen::describeOp(candidate.op) << " at "
                 << codegen::describeLocation(candidate.op->getLoc()) << ": "
                 << candidate.why;
    };
    if (!epilogue) {
      reportUnfused();
      return false;
    }
    if (ranges[0] <= tileSizes[0] && ranges[1] <= tileSizes[1]) {
      if (report)
        remark() << "one " << tileText
                 << " tile: its epilogue already runs on it in cache";
      return false;
    }

    // What the epilogue uses must exist before the product's tile loops.
    for (Operation *op : candidate.hoisted)
      op->moveBefore(product);
    product->setAttr(kProductAttrName, rewriter.getUnitAttr());
    std::pair<scf::ForOp, unsigned> outermost;
    Operation *parent = product->getParentOp();
    if (failed(codegen::tileAndPeel(rewriter, product,
                                    {tileSizes[0], tileSizes[1], 0},
                                    {true, true, false}, &outermost))) {
      product->removeAttr(kProductAttrName);
      if (report)
        remark() << "not tiled: linalg could not tile it";
      return false;
    }

    SmallVector<linalg::LinalgOp> tiles;
    parent->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kProductAttrName))
        tiles.push_back(op);
    });
    for (linalg::LinalgOp tile : tiles) {
      tile->removeAttr(kProductAttrName);
      Value resultTile = tile.getDpsInitOperand(0)->get();
      auto subview = resultTile.getDefiningOp<memref::SubViewOp>();
      assert(subview && subview.getSource() == result &&
             "tileUsingSCF slices the result with a subview");
      SmallVector<OpFoldResult> offsets = subview.getMixedOffsets();
      SmallVector<OpFoldResult> sizes = subview.getMixedSizes();
      rewriter.setInsertionPointAfter(tile);
      SmallVector<Value> slices;
      for (OpOperand &operand : epilogue->getOpOperands()) {
        Value value = operand.get();
        slices.push_back(
            value == result
                ? resultTile
                : sliceForTile(rewriter, epilogue.getLoc(), value,
                               epilogue.getMatchingIndexingMap(&operand),
                               offsets, sizes));
      }
      Operation *clone = rewriter.clone(*epilogue);
      clone->setOperands(slices);
    }
    std::string fused = codegen::describeOp(epilogue) + " at " +
                        codegen::describeLocation(epilogue.getLoc());
    rewriter.eraseOp(epilogue);

    bool threads = false;
    auto [loop, dim] = outermost;
    if (parallel &&
        codegen::isParallelTileLoop(loop, dim, ranges, readOnlyRight,
                                    parallelMinFlops, parallelMinSize)) {
      codegen::convertToParallel(rewriter, loop);
      threads = true;
    }
    if (report)
      remark() << "fused into its " << tileText << " tiles: " << fused
               << (threads ? "; the tiles run in parallel" : "");
    return true;
  }

  FrozenRewritePatternSet canonicalization;
};
} // namespace
