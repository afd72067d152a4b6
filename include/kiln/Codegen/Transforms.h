//===- Transforms.h - Kiln code generation transforms -----------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The building blocks of the code generation passes, public so that other
// pipelines and tests can use them: the transpose folding patterns, tiling
// with peeled remainders, and the vector clean-up and lowering pattern sets
// applied after vectorization.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_TRANSFORMS_H
#define KILN_CODEGEN_TRANSFORMS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"

namespace kiln {

/// Adds the patterns of kiln-fold-transpose-into-matmul:
/// `linalg.matmul(transpose(x), b)` -> `linalg.matmul_transpose_a(x, b)` and
/// the batch form. Tensors only.
void populateFoldTransposeIntoMatmulPatterns(mlir::RewritePatternSet &patterns);

namespace codegen {

/// Discardable attribute that marks the ops a code generation pass is
/// working on (its value names the stage); tiled and peeled copies inherit
/// it. The passes remove it before they finish.
constexpr llvm::StringLiteral kStageAttrName = "kiln.codegen_stage";

/// Tiles `op` (on buffers) with `scf.for` loops by `tileSizes` (one per loop
/// of the op, 0 = not tiled; loops in the op's loop order) and erases it.
/// Then, for every dimension `d` with `peel[d]` set, peels the last, partial
/// iteration of its loop into a separate loop, innermost loop first, so that
/// with static shapes the tiles of the main loop and of the remainder both
/// have static sizes once canonicalized. The tiled ops are clones of `op`
/// and keep its attributes. If every dimension fits in one tile, `op` is
/// left as it is. Fails, leaving `op` unchanged, if it cannot be tiled.
/// If `outermost` is given, it receives the outermost tile loop (the main
/// one when peeled) and the op's dimension it runs over, or a null loop if
/// there is none.
mlir::LogicalResult
tileAndPeel(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
            llvm::ArrayRef<int64_t> tileSizes, llvm::ArrayRef<bool> peel,
            std::pair<mlir::scf::ForOp, unsigned> *outermost = nullptr);

/// Returns the buffer under any views of `value`: an allocation or an
/// argument.
mlir::Value getRootBuffer(mlir::Value value);

/// Returns whether `value` is a view of an argument of its function that
/// no op of the function writes (or frees, or passes to an op whose memory
/// effects are unknown).
bool isReadOnlyArgument(mlir::Value value);

/// Bytes of a read-only right operand above which a product thinner than
/// the `parallel-min-size` limit still runs on threads
/// (isParallelTileLoop).
constexpr int64_t kParallelMinReadOnlyBytes = 256 * 1024;

/// Returns whether the tile loop `loop` of a 2-D product with loop ranges
/// `ranges` (M, N, K) should run in parallel (docs/Codegen.md, "Threads").
/// It must run over M or N (`dim` < 2; K tiles accumulate into the same
/// results), have at least two iterations and not be inside a parallel
/// loop already (one level of threads). Then either the product has
/// at least `minFlops` operations (2MNK) and an M, N and K of at least
/// `minSize`, or the loop runs over N and the right operand is a read-only
/// argument (`readOnlyRight`, an inference weight) of at least
/// kParallelMinReadOnlyBytes: each thread then reads the same columns of
/// it on every call, which stay in its core's cache.
bool isParallelTileLoop(mlir::scf::ForOp loop, unsigned dim,
                        llvm::ArrayRef<int64_t> ranges, bool readOnlyRight,
                        int64_t minFlops, int64_t minSize);

/// Replaces `loop`, which has no loop-carried values, with an
/// `scf.parallel` over the same range that runs the same body: the caller
/// asserts that its iterations are independent.
mlir::scf::ParallelOp convertToParallel(mlir::RewriterBase &rewriter,
                                        mlir::scf::ForOp loop);

/// Builds `scf.for` loops at the rewriter's insertion point over the `count`
/// leading dimensions that all of `buffers` (static memrefs) share, and
/// returns each buffer's rank-reduced subview at the loops' indices (the
/// remaining dimensions, whole). Leaves the insertion point in the innermost
/// loop.
llvm::SmallVector<mlir::Value> sliceLeadingDims(mlir::RewriterBase &rewriter,
                                                mlir::Location loc,
                                                mlir::ValueRange buffers,
                                                unsigned count);

/// Adds the canonicalization patterns of every loaded dialect and
/// registered op (what `canonicalize` applies). Applied after tileAndPeel,
/// they fold the sizes of peeled tiles into static shapes.
void populateCanonicalizationPatterns(mlir::MLIRContext *context,
                                      mlir::RewritePatternSet &patterns);

/// How the fusion reports name an op: its name, and for a linalg.generic
/// what its body computes, e.g. "linalg.generic {addf, maximumf}",
/// "linalg.generic {copy}" (a body that yields an input),
/// "linalg.generic {reduction: addf}".
std::string describeOp(mlir::Operation *op);

/// "line L:C" of the first file location in `loc` (where a report points),
/// or "an unknown location".
std::string describeLocation(mlir::Location loc);

/// Returns whether every shaped operand of `op` has a static shape.
bool hasStaticShapes(mlir::linalg::LinalgOp op);

/// Returns whether `type` is a buffer the code generation passes handle: a
/// non-empty `f32` memref of static shape whose innermost dimension is
/// contiguous (so that rows are read with vector loads).
bool isVectorizableF32Buffer(mlir::Type type);

/// Vectorizes (linalg::vectorize) every op under `root` that carries
/// kStageAttrName with value `stage` and has static shapes, and removes the
/// attribute from every op under `root`. Ops that cannot be vectorized are
/// left unchanged.
void vectorizeMarkedOps(mlir::RewriterBase &rewriter, mlir::Operation *root,
                        llvm::StringRef stage);

/// Adds the patterns applied right after vectorization (those of
/// `transform.structured.vectorize_children_and_apply_patterns`):
/// linalg::vectorize emits a product as broadcast operands, a multiply and a
/// `vector.multi_reduction`, which these turn into a `vector.contract`. They
/// must run before canonicalization, which would fold a reduction over a
/// single element (a K tile of 1) into a plain add.
void populateVectorContractionPatterns(mlir::MLIRContext *context,
                                       mlir::RewritePatternSet &patterns);

/// Adds the clean-up patterns: canonicalization and the folding of subviews
/// into the indices of loads, stores and transfers.
void populateVectorCleanupPatterns(mlir::MLIRContext *context,
                                   mlir::RewritePatternSet &patterns);

/// Adds the patterns that lower vectorized code to 1-D vectors: contractions
/// become `vector.outerproduct`s (FMAs of a broadcast element and a row),
/// transposes use `transposeLowering`, n-D transfers are unrolled into 1-D
/// ones, and those become `vector.load`, `vector.store` and scalar loads.
void populateVectorLoweringPatterns(
    mlir::RewritePatternSet &patterns,
    mlir::vector::VectorTransposeLowering transposeLowering);

/// Runs the steps after vectorizeMarkedOps on `root`: `contraction`
/// (populateVectorContractionPatterns), `cleanup`
/// (populateVectorCleanupPatterns), CSE, hoisting of loop-invariant transfer
/// read/write pairs out of their loops (a product's accumulator tile then
/// stays in registers across K), `lowering` (populateVectorLoweringPatterns),
/// `cleanup` and CSE again.
void finishVectorization(mlir::Operation *root,
                         const mlir::FrozenRewritePatternSet &contraction,
                         const mlir::FrozenRewritePatternSet &cleanup,
                         const mlir::FrozenRewritePatternSet &lowering);

} // namespace codegen
} // namespace kiln

#endif // KILN_CODEGEN_TRANSFORMS_H
