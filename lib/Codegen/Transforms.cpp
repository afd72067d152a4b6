//===- Transforms.cpp - Tiling, vectorization and vector lowering ---------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The steps that kiln-vectorize-contractions and kiln-vectorize-transposes
// share: tile with peeled remainders (so that every tile of a static shape
// has a static size), vectorize the marked tiles, clean up and hoist the
// transfers, and lower the vector ops to 1-D loads, stores and FMAs.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Transforms.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace kiln;

std::string codegen::describeLocation(Location loc) {
  std::string text = "an unknown location";
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      text = "line " + std::to_string(file.getLine()) + ":" +
             std::to_string(file.getColumn());
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return text;
}

std::string codegen::describeOp(Operation *op) {
  std::string text = op->getName().getStringRef().str();
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic)
    return text;
  llvm::SmallVector<llvm::StringRef> names;
  for (Operation &inner : generic.getRegion().front().without_terminator()) {
    llvm::StringRef name = inner.getName().stripDialect();
    if (!llvm::is_contained(names, name))
      names.push_back(name);
  }
  text += " {";
  if (generic.getNumReductionLoops() > 0)
    text += "reduction: ";
  if (names.empty())
    text += "copy";
  for (size_t i = 0; i < names.size() && i < 4; ++i)
    text += (i ? ", " : "") + names[i].str();
  if (names.size() > 4)
    text += ", ...";
  return text + "}";
}

bool codegen::hasStaticShapes(linalg::LinalgOp op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  });
}

SmallVector<Value> codegen::sliceLeadingDims(RewriterBase &rewriter,
                                             Location loc, ValueRange buffers,
                                             unsigned count) {
  SmallVector<OpFoldResult> indices;
  ArrayRef<int64_t> shape = cast<MemRefType>(buffers[0].getType()).getShape();
  Value zero = rewriter.create<arith::ConstantIndexOp>(loc, 0);
  Value one = rewriter.create<arith::ConstantIndexOp>(loc, 1);
  for (unsigned dim = 0; dim < count; ++dim) {
    Value size = rewriter.create<arith::ConstantIndexOp>(loc, shape[dim]);
    auto loop = rewriter.create<scf::ForOp>(loc, zero, size, one);
    rewriter.setInsertionPointToStart(loop.getBody());
    indices.push_back(loop.getInductionVar());
  }
  SmallVector<Value> slices;
  for (Value buffer : buffers) {
    auto type = cast<MemRefType>(buffer.getType());
    SmallVector<OpFoldResult> offsets = indices;
    SmallVector<OpFoldResult> sizes(count, rewriter.getIndexAttr(1));
    for (int64_t size : type.getShape().drop_front(count)) {
      offsets.push_back(rewriter.getIndexAttr(0));
      sizes.push_back(rewriter.getIndexAttr(size));
    }
    SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
    auto sliceType =
        cast<MemRefType>(memref::SubViewOp::inferRankReducedResultType(
            type.getShape().drop_front(count), type, offsets, sizes, strides));
    slices.push_back(rewriter.create<memref::SubViewOp>(
        loc, sliceType, buffer, offsets, sizes, strides));
  }
  return slices;
}

bool codegen::isVectorizableF32Buffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getElementType().isF32() &&
         memref.getNumElements() > 0 && isLastMemrefDimUnitStride(memref);
}

LogicalResult codegen::tileAndPeel(RewriterBase &rewriter, linalg::LinalgOp op,
                                   ArrayRef<int64_t> tileSizes,
                                   ArrayRef<bool> peel,
                                   std::pair<scf::ForOp, unsigned> *outermost) {
  if (outermost)
    *outermost = {scf::ForOp(), 0};
  assert(tileSizes.size() == op.getNumLoops() &&
         peel.size() == op.getNumLoops() && "one tile size per loop");
  // A dimension that fits in one tile gets no loop: tileUsingSCF would build
  // a loop of one iteration. `dims[i]` is the dimension of the i-th loop.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<OpFoldResult> sizes;
  SmallVector<unsigned> dims;
  for (auto [dim, size] : llvm::enumerate(tileSizes)) {
    bool fits = size <= 0 ||
                (!ShapedType::isDynamic(ranges[dim]) && ranges[dim] <= size);
    sizes.push_back(rewriter.getIndexAttr(fits ? 0 : size));
    if (!fits)
      dims.push_back(dim);
  }
  if (dims.empty())
    return success();
  // Registered with the linalg dialect's external models (InitAllDialects).
  auto tileable = dyn_cast<TilingInterface>(op.getOperation());
  if (!tileable)
    return failure();

  scf::SCFTilingOptions options;
  options.setTileSizes(sizes);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, tileable, options);
  if (failed(tiled))
    return failure();
  rewriter.eraseOp(op);
  if (tiled->loops.size() != dims.size())
    return success(); // Unexpected loop structure: keep it, unpeeled.

  // Innermost first, so that peeling an outer loop copies the inner loops
  // with their remainders already split off.
  for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
    auto loop = dyn_cast<scf::ForOp>(tiled->loops[i].getOperation());
    if (!loop || !peel[dims[i]])
      continue;
    scf::ForOp remainder;
    // Fails (harmlessly) when the step divides the trip range.
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, remainder);
  }
  // Peeling keeps the main loop in place and clones the remainder.
  if (outermost)
    if (auto loop = dyn_cast<scf::ForOp>(tiled->loops[0].getOperation()))
      *outermost = {loop, dims[0]};
  return success();
}

Value codegen::getRootBuffer(Value value) {
  while (auto view =
             dyn_cast_or_null<ViewLikeOpInterface>(value.getDefiningOp()))
    value = view.getViewSource();
  return value;
}

bool codegen::isReadOnlyArgument(Value value) {
  auto argument = dyn_cast<BlockArgument>(getRootBuffer(value));
  if (!argument ||
      !isa<FunctionOpInterface>(argument.getOwner()->getParentOp()))
    return false;
  WalkResult written =
      argument.getOwner()->getParentOp()->walk([&](Operation *op) {
        if (isMemoryEffectFree(op) ||
            op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
          return WalkResult::advance();
        auto effects = dyn_cast<MemoryEffectOpInterface>(op);
        if (!effects)
          return llvm::any_of(op->getOperands(),
                              [&](Value operand) {
                                return getRootBuffer(operand) == argument;
                              })
                     ? WalkResult::interrupt()
                     : WalkResult::advance();
        SmallVector<MemoryEffects::EffectInstance> instances;
        effects.getEffects(instances);
        for (MemoryEffects::EffectInstance &instance : instances) {
          if (isa<MemoryEffects::Read, MemoryEffects::Allocate>(
                  instance.getEffect()))
            continue;
          Value target = instance.getValue();
          if (!target || getRootBuffer(target) == argument)
            return WalkResult::interrupt();
        }
        return WalkResult::advance();
      });
  return !written.wasInterrupted();
}

bool codegen::isParallelTileLoop(scf::ForOp loop, unsigned dim,
                                 ArrayRef<int64_t> ranges, bool readOnlyRight,
                                 int64_t minFlops, int64_t minSize) {
  // One level of threads: tiles inside a parallel loop stay serial.
  if (!loop || dim >= 2 || loop->getParentOfType<scf::ParallelOp>())
    return false;
  std::optional<int64_t> trips = constantTripCount(
      loop.getLowerBound(), loop.getUpperBound(), loop.getStep());
  if (!trips || *trips < 2)
    return false;
  int64_t flops = 2;
  for (int64_t range : ranges)
    flops *= range;
  if (flops >= minFlops &&
      llvm::all_of(ranges, [&](int64_t size) { return size >= minSize; }))
    return true;
  // ranges[2] x ranges[1] f32: the right operand (K x N).
  return readOnlyRight && dim == 1 &&
         ranges[2] * ranges[1] * 4 >= kParallelMinReadOnlyBytes;
}

scf::ParallelOp codegen::convertToParallel(RewriterBase &rewriter,
                                           scf::ForOp loop) {
  assert(loop.getNumResults() == 0 && "loop-carried values");
  rewriter.setInsertionPoint(loop);
  auto parallel = rewriter.create<scf::ParallelOp>(
      loop.getLoc(), ValueRange{loop.getLowerBound()},
      ValueRange{loop.getUpperBound()}, ValueRange{loop.getStep()});
  Block *body = loop.getBody();
  rewriter.eraseOp(body->getTerminator());
  rewriter.inlineBlockBefore(body, parallel.getBody()->getTerminator(),
                             parallel.getInductionVars());
  rewriter.eraseOp(loop);
  return parallel;
}

namespace {
/// `linalg op(memref.cast %x)` -> `linalg op(%x)` when the cast only erases
/// static information, for ops without a folder that does it (such as
/// `linalg.transpose`). Peeled tiles get static shapes this way.
struct FoldMemRefCastIntoLinalgOp
    : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics())
      return rewriter.notifyMatchFailure(op, "expected buffer semantics");
    bool folds = llvm::any_of(op->getOperands(), [](Value operand) {
      auto cast = operand.getDefiningOp<memref::CastOp>();
      return cast && memref::CastOp::canFoldIntoConsumerOp(cast);
    });
    if (!folds)
      return rewriter.notifyMatchFailure(op, "no foldable memref.cast");
    rewriter.modifyOpInPlace(op, [&] { (void)memref::foldMemRefCast(op); });
    return success();
  }
};
} // namespace

void codegen::populateCanonicalizationPatterns(MLIRContext *context,
                                               RewritePatternSet &patterns) {
  patterns.add<FoldMemRefCastIntoLinalgOp>(context);
  for (Dialect *dialect : context->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : context->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, context);
  // affine.min/max of tile sizes against the bounds of the enclosing loops.
  scf::populateSCFForLoopCanonicalizationPatterns(patterns);
}

void codegen::vectorizeMarkedOps(RewriterBase &rewriter, Operation *root,
                                 StringRef stage) {
  SmallVector<linalg::LinalgOp> marked;
  root->walk([&](linalg::LinalgOp op) {
    auto value = op->getAttrOfType<StringAttr>(kStageAttrName);
    if (value && value.getValue() == stage && hasStaticShapes(op))
      marked.push_back(op);
  });
  for (linalg::LinalgOp op : marked) {
    op->removeAttr(kStageAttrName);
    rewriter.setInsertionPoint(op);
    // On failure the op is left as it is, for convert-linalg-to-loops.
    (void)linalg::vectorize(rewriter, op);
  }
  root->walk([](Operation *op) { op->removeAttr(kStageAttrName); });
}

void codegen::populateVectorCleanupPatterns(MLIRContext *context,
                                            RewritePatternSet &patterns) {
  populateCanonicalizationPatterns(context, patterns);
  memref::populateFoldMemRefAliasOpPatterns(patterns);
}

void codegen::populateVectorContractionPatterns(MLIRContext *context,
                                                RewritePatternSet &patterns) {
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateSinkVectorBroadcastPatterns(patterns);
  vector::TransferReadOp::getCanonicalizationPatterns(patterns, context);
  vector::TransferWriteOp::getCanonicalizationPatterns(patterns, context);
}

void codegen::populateVectorLoweringPatterns(
    RewritePatternSet &patterns,
    vector::VectorTransposeLowering transposeLowering) {
  vector::VectorTransformsOptions options;
  options
      .setVectorTransformsOptions(vector::VectorContractLowering::OuterProduct)
      .setVectorTransposeLowering(transposeLowering);
  vector::populateVectorContractLoweringPatterns(
      patterns, options, /*benefit=*/1, /*disableOuterProductLowering=*/true);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorMultiReductionLoweringPatterns(
      patterns, vector::VectorMultiReductionLowering::InnerParallel);
  populateVectorToSCFConversionPatterns(
      patterns,
      VectorTransferToSCFOptions().setTargetRank(1).enableFullUnroll());
  vector::populateVectorTransferLoweringPatterns(patterns,
                                                 /*maxTransferRank=*/1);
  vector::populateVectorShapeCastLoweringPatterns(patterns);
  vector::populateVectorTransposeLoweringPatterns(patterns, options);
}

void codegen::finishVectorization(Operation *root,
                                  const FrozenRewritePatternSet &contraction,
                                  const FrozenRewritePatternSet &cleanup,
                                  const FrozenRewritePatternSet &lowering) {
  // Convergence failures are not errors: the IR stays valid either way.
  (void)applyPatternsAndFoldGreedily(root, contraction);
  // Fold the tiles' subviews into the transfers' indices: hoisting needs
  // reads and writes of the same buffer with loop-invariant indices.
  (void)applyPatternsAndFoldGreedily(root, cleanup);
  IRRewriter rewriter(root->getContext());
  DominanceInfo dominance;
  eliminateCommonSubExpressions(rewriter, dominance, root);
  linalg::hoistRedundantVectorTransfers(root);
  (void)applyPatternsAndFoldGreedily(root, lowering);
  (void)applyPatternsAndFoldGreedily(root, cleanup);
  eliminateCommonSubExpressions(rewriter, dominance, root);
}
