//===- VectorizeContractions.cpp - Register-blocked matmul kernels --------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The schedule (docs/Codegen.md): batch loop, cache tiles (M, N, K), register
// tiles (M, N, K = 1), each peeled so that all tiles are static; register
// tiles become vector.contract, whose accumulator is hoisted out of the K
// loop and which is lowered to outer products: per k, one row of B
// (vector<32xf32>, two zmm registers) and 8 broadcast elements of A feed 16
// FMAs into 16 accumulator registers.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Transforms.h"

#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNVECTORIZECONTRACTIONS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

/// Stage names (values of codegen::kStageAttrName).
static constexpr llvm::StringLiteral kCacheStage = "cache";
static constexpr llvm::StringLiteral kRegisterStage = "register";

/// Returns whether `op` is a product this pass rewrites: one of the four
/// named ops on f32 buffers with static, non-empty shapes and contiguous
/// rows.
static bool isSupportedContraction(linalg::LinalgOp op) {
  if (!isa<linalg::MatmulOp, linalg::MatmulTransposeAOp, linalg::BatchMatmulOp,
           linalg::BatchMatmulTransposeAOp>(op.getOperation()))
    return false;
  return op.hasPureBufferSemantics() &&
         llvm::all_of(op->getOperandTypes(), codegen::isVectorizableF32Buffer);
}

/// Marks a cache-tile loop that convertToParallel rewrites at the end.
static constexpr llvm::StringLiteral kParallelAttrName = "kiln.parallel_tiles";

/// `linalg.batch_matmul[_transpose_a]` -> a loop over the batch of
/// `linalg.matmul[_transpose_a]` on rank-reduced subviews. Returns the 2-D
/// product.
static linalg::LinalgOp unbatch(RewriterBase &rewriter, linalg::LinalgOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  SmallVector<Value> matrices =
      codegen::sliceLeadingDims(rewriter, loc, op->getOperands(), 1);
  ValueRange inputs = ValueRange(matrices).take_front(2);
  ValueRange outputs = ValueRange(matrices).drop_front(2);
  Operation *product;
  if (isa<linalg::BatchMatmulOp>(op.getOperation()))
    product =
        rewriter.create<linalg::MatmulOp>(loc, TypeRange{}, inputs, outputs);
  else
    product = rewriter.create<linalg::MatmulTransposeAOp>(loc, TypeRange{},
                                                          inputs, outputs);
  rewriter.eraseOp(op);
  return cast<linalg::LinalgOp>(product);
}

namespace kiln {
namespace {
struct KilnVectorizeContractions
    : public impl::KilnVectorizeContractionsBase<KilnVectorizeContractions> {
  using KilnVectorizeContractionsBase::KilnVectorizeContractionsBase;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet canonical(context);
    codegen::populateCanonicalizationPatterns(context, canonical);
    canonicalization = std::move(canonical);
    RewritePatternSet contract(context);
    codegen::populateVectorContractionPatterns(context, contract);
    contraction = std::move(contract);
    RewritePatternSet clean(context);
    codegen::populateVectorCleanupPatterns(context, clean);
    cleanup = std::move(clean);
    RewritePatternSet lower(context);
    codegen::populateVectorLoweringPatterns(
        lower, vector::VectorTransposeLowering::EltWise);
    lowering = std::move(lower);
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<int64_t> cache = {64, 128, 256};
    SmallVector<int64_t> reg = {8, 32};
    if (!cacheTiles.empty())
      cache.assign(cacheTiles.begin(), cacheTiles.end());
    if (!registerTiles.empty())
      reg.assign(registerTiles.begin(), registerTiles.end());
    auto positive = [](int64_t size) { return size > 0; };
    if (cache.size() != 3 || !llvm::all_of(cache, positive)) {
      func.emitError("kiln-vectorize-contractions: cache-tiles must be "
                     "three positive sizes (M, N, K)");
      return signalPassFailure();
    }
    if (reg.size() != 2 || !llvm::all_of(reg, positive)) {
      func.emitError("kiln-vectorize-contractions: register-tiles must be "
                     "two positive sizes (M, N)");
      return signalPassFailure();
    }

    SmallVector<linalg::LinalgOp> products;
    func.walk([&](linalg::LinalgOp op) {
      if (isSupportedContraction(op))
        products.push_back(op);
    });
    if (products.empty())
      return;

    IRRewriter rewriter(&getContext());
    StringAttr cacheStage = rewriter.getStringAttr(kCacheStage);
    StringAttr registerStage = rewriter.getStringAttr(kRegisterStage);
    SmallVector<bool> peelMN = {true, true, false};

    // Cache tiles, in loop order M, N, K. The outermost tile loop of a
    // large product is marked to run in parallel if it is over M or N.
    for (linalg::LinalgOp op : products) {
      if (op.getNumLoops() == 4)
        op = unbatch(rewriter, op);
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      bool readOnlyRight =
          codegen::isReadOnlyArgument(op.getDpsInputOperand(1)->get());
      op->setAttr(codegen::kStageAttrName, cacheStage);
      std::pair<scf::ForOp, unsigned> outermost;
      if (failed(
              codegen::tileAndPeel(rewriter, op, cache, peelMN, &outermost))) {
        op->removeAttr(codegen::kStageAttrName);
        continue;
      }
      auto [loop, dim] = outermost;
      if (parallel &&
          codegen::isParallelTileLoop(loop, dim, ranges, readOnlyRight,
                                      parallelMinFlops, parallelMinSize))
        loop->setAttr(kParallelAttrName, rewriter.getUnitAttr());
    }
    (void)applyPatternsAndFoldGreedily(func, canonicalization);

    // Register tiles of the cache tiles whose M and N sizes are static now
    // (K may not be: its remainder is not peeled, the K tile is 1).
    SmallVector<linalg::LinalgOp> tiles;
    func.walk([&](linalg::LinalgOp op) {
      if (op->getAttr(codegen::kStageAttrName) == cacheStage)
        tiles.push_back(op);
    });
    for (linalg::LinalgOp op : tiles) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (ShapedType::isDynamic(ranges[0]) ||
          ShapedType::isDynamic(ranges[1])) {
        op->removeAttr(codegen::kStageAttrName);
        continue;
      }
      // Fewer rows than a register tile (small batches): widen the tile in
      // N to keep as many accumulators, so that enough independent FMAs
      // are in flight.
      int64_t regN = reg[1];
      if (ranges[0] < reg[0])
        regN *= reg[0] / ranges[0];
      op->setAttr(codegen::kStageAttrName, registerStage);
      if (failed(codegen::tileAndPeel(rewriter, op, {reg[0], regN, 1}, peelMN)))
        op->removeAttr(codegen::kStageAttrName);
    }
    (void)applyPatternsAndFoldGreedily(func, canonicalization);

    // Register tiles whose width is not a multiple of half the register
    // tile (16 floats, one AVX-512 vector) and is wider than that: split
    // into the widest such multiple and a remainder narrower than one
    // vector. LLVM legalizes an odd-sized vector (vector<24xf32>, the
    // remainder of N = 120) through the stack, which made those products
    // 10 to 20 times slower (docs/Codegen.md, "Register tiles").
    int64_t half = std::max<int64_t>(reg[1] / 2, 1);
    SmallVector<std::pair<linalg::LinalgOp, int64_t>> ragged;
    func.walk([&](linalg::LinalgOp op) {
      if (op->getAttr(codegen::kStageAttrName) != registerStage)
        return;
      int64_t width = op.getStaticLoopRanges()[1];
      if (!ShapedType::isDynamic(width) && width > half && width % half != 0)
        ragged.push_back({op, width / half * half});
    });
    for (auto [op, split] : ragged)
      (void)codegen::tileAndPeel(rewriter, op, {0, split, 0},
                                 {false, true, false});
    if (!ragged.empty())
      (void)applyPatternsAndFoldGreedily(func, canonicalization);

    codegen::vectorizeMarkedOps(rewriter, func, kRegisterStage);
    codegen::finishVectorization(func, contraction, cleanup, lowering);

    SmallVector<scf::ForOp> parallelLoops;
    func.walk([&](scf::ForOp loop) {
      if (loop->hasAttr(kParallelAttrName))
        parallelLoops.push_back(loop);
    });
    for (scf::ForOp loop : parallelLoops)
      codegen::convertToParallel(rewriter, loop);
  }

private:
  FrozenRewritePatternSet canonicalization;
  FrozenRewritePatternSet contraction;
  FrozenRewritePatternSet cleanup;
  FrozenRewritePatternSet lowering;
};
} // namespace
} // namespace kiln
