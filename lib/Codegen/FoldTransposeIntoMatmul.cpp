//===- FoldTransposeIntoMatmul.cpp - Transposed left operands in place ----===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Gradients of matmuls multiply by transposed activations (xᵀ · dy). Reading
// x in place with matmul_transpose_a saves the transposed copy; the
// vectorized micro-kernel broadcasts single elements of the left operand, so
// it runs as fast on either layout.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Transforms.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNFOLDTRANSPOSEINTOMATMUL
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// `SourceOp(linalg.transpose(x), b)` -> `TargetOp(x, b)` when the transpose
/// swaps the two innermost dimensions of the left operand and keeps the
/// batch dimension (if any) in place.
template <typename SourceOp, typename TargetOp>
struct FoldTransposedLhs : public OpRewritePattern<SourceOp> {
  using OpRewritePattern<SourceOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(SourceOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "expected tensor semantics");
    // The named ops differ in their casts for integers only.
    if (!isa<FloatType>(getElementTypeOrSelf(op->getResultTypes()[0])))
      return rewriter.notifyMatchFailure(op, "expected a float product");
    auto transpose =
        op.getDpsInputs()[0].template getDefiningOp<linalg::TransposeOp>();
    if (!transpose)
      return rewriter.notifyMatchFailure(op, "left operand not a transpose");
    ArrayRef<int64_t> perm = transpose.getPermutation();
    int64_t rank = static_cast<int64_t>(perm.size());
    SmallVector<int64_t> swapLast = llvm::to_vector(llvm::seq<int64_t>(rank));
    if (rank >= 2)
      std::swap(swapLast[rank - 1], swapLast[rank - 2]);
    if (rank < 2 || perm != ArrayRef<int64_t>(swapLast))
      return rewriter.notifyMatchFailure(
          op, "transpose does not swap the two matrix dimensions");
    rewriter.replaceOpWithNewOp<TargetOp>(
        op, op->getResultTypes(),
        ValueRange{transpose.getInput(), op.getDpsInputs()[1]},
        op.getDpsInits());
    return success();
  }
};

} // namespace

void kiln::populateFoldTransposeIntoMatmulPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FoldTransposedLhs<linalg::MatmulOp, linalg::MatmulTransposeAOp>,
               FoldTransposedLhs<linalg::BatchMatmulOp,
                                 linalg::BatchMatmulTransposeAOp>>(
      patterns.getContext());
}

namespace kiln {
namespace {
struct KilnFoldTransposeIntoMatmul
    : public impl::KilnFoldTransposeIntoMatmulBase<
          KilnFoldTransposeIntoMatmul> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFoldTransposeIntoMatmulPatterns(patterns);
    // Transposes left without users are erased by the driver.
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
} // namespace kiln
