//===- VectorizeTransposes.cpp - Blocked, vectorized transposes -----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// A transpose lowered to scalar loops reads or writes with a stride of a
// whole row at every element. Blocks of 16x16 floats are read with 16 row
// loads, transposed in registers by a shuffle network and written with 16
// row stores. Gradients of matmuls transpose weights (dy · Wᵀ), which the
// products cannot read in place without losing their row-major B loads.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Transforms.h"

#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNVECTORIZETRANSPOSES
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

/// Stage name (value of codegen::kStageAttrName).
static constexpr llvm::StringLiteral kBlockStage = "block";

/// Returns whether `op` is a transpose this pass rewrites: f32 buffers with
/// static, non-empty shapes and contiguous rows, swapping the two innermost
/// dimensions only.
static bool isSupportedTranspose(linalg::TransposeOp op) {
  if (!op.hasPureBufferSemantics() ||
      !llvm::all_of(op->getOperandTypes(), codegen::isVectorizableF32Buffer))
    return false;
  ArrayRef<int64_t> perm = op.getPermutation();
  int64_t rank = static_cast<int64_t>(perm.size());
  if (rank < 2)
    return false;
  for (int64_t dim = 0; dim < rank - 2; ++dim)
    if (perm[dim] != dim)
      return false;
  return perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2;
}

namespace kiln {
namespace {
struct KilnVectorizeTransposes
    : public impl::KilnVectorizeTransposesBase<KilnVectorizeTransposes> {
  using KilnVectorizeTransposesBase::KilnVectorizeTransposesBase;

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
        lower, vector::VectorTransposeLowering::Shuffle16x16);
    lowering = std::move(lower);
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (tile <= 0) {
      func.emitError("kiln-vectorize-transposes: tile must be positive");
      return signalPassFailure();
    }
    SmallVector<linalg::TransposeOp> transposes;
    func.walk([&](linalg::TransposeOp op) {
      if (isSupportedTranspose(op))
        transposes.push_back(op);
    });
    if (transposes.empty())
      return;

    IRRewriter rewriter(&getContext());
    StringAttr blockStage = rewriter.getStringAttr(kBlockStage);
    for (linalg::TransposeOp op : transposes) {
      // Leading dimensions: a loop nest around 2-D transposes.
      unsigned rank = op.getPermutation().size();
      if (rank > 2) {
        rewriter.setInsertionPoint(op);
        SmallVector<Value> matrices = codegen::sliceLeadingDims(
            rewriter, op.getLoc(), op->getOperands(), rank - 2);
        auto matrix = rewriter.create<linalg::TransposeOp>(
            op.getLoc(), matrices[0], matrices[1], ArrayRef<int64_t>{1, 0});
        rewriter.eraseOp(op);
        op = matrix;
      }
      op->setAttr(codegen::kStageAttrName, blockStage);
      if (failed(
              codegen::tileAndPeel(rewriter, op, {tile, tile}, {true, true})))
        op->removeAttr(codegen::kStageAttrName);
    }
    (void)applyPatternsAndFoldGreedily(func, canonicalization);

    codegen::vectorizeMarkedOps(rewriter, func, kBlockStage);
    codegen::finishVectorization(func, contraction, cleanup, lowering);
  }

private:
  FrozenRewritePatternSet canonicalization;
  FrozenRewritePatternSet contraction;
  FrozenRewritePatternSet cleanup;
  FrozenRewritePatternSet lowering;
};
} // namespace
} // namespace kiln
