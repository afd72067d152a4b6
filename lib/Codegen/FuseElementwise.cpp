//===- FuseElementwise.cpp - Kiln's elementwise fusion with a report ------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Every value that one linalg op on tensors produces and another consumes is
// a fusion candidate. linalg's `fuseElementwiseOps` can merge a producer
// whose loops are all parallel into its consumer (another linalg.generic,
// elementwise or a reduction) when the consumer reads the value through a
// permutation; Kiln decides which of those it does (the policy below) and,
// with `report`, says for every candidate what happened and why, as a
// remark at the producer's source location (docs/Fusion.md).
//
// The policy: fuse when every use of the producer is in this consumer (no
// work is duplicated), and fuse a producer that only moves data (its body
// yields one of its inputs unchanged: a broadcast, a copy, a transpose)
// into each of its consumers, since re-reading an input costs no more than
// reading the materialized copy. Anything else is left alone, with the
// reason.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {
#define GEN_PASS_DEF_KILNFUSEELEMENTWISE
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Rounds of fusion and cleanup (reshape folding can expose new
/// candidates); each round that fuses nothing ends the loop.
static constexpr int kMaxRounds = 8;

/// Returns whether `op`'s body yields one of its inputs unchanged: the op
/// only moves data (broadcast, copy, transpose, slice by indexing map).
static bool onlyMovesData(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 1 || op.getNumResults() != 1)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto arg = dyn_cast<BlockArgument>(yield.getOperand(0));
  return arg && arg.getOwner() == &body &&
         arg.getArgNumber() < op.getNumDpsInputs();
}

/// Returns whether every use of `producer`'s results is in `consumer`.
static bool allUsesIn(Operation *producer, Operation *consumer) {
  return llvm::all_of(producer->getUsers(),
                      [&](Operation *user) { return user == consumer; });
}

/// Kiln's decision for a candidate linalg can fuse: the reason if it is
/// fused, std::nullopt if not.
static std::optional<std::string> fusionReason(OpOperand *operand) {
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  Operation *consumer = operand->getOwner();
  if (allUsesIn(producer, consumer))
    return std::string("elementwise producer whose only uses are in this "
                       "consumer");
  if (onlyMovesData(producer))
    return std::string("the producer only moves data (a broadcast, copy or "
                       "transpose), so each consumer reads the input directly");
  return std::nullopt;
}

/// Why a candidate stays unfused: Kiln's policy refused it, or linalg's
/// elementwise fusion does not apply.
static std::string whyNotFused(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  Operation *consumer = operand->getOwner();
  if (linalg::areElementwiseOpsFusable(operand)) {
    unsigned others = llvm::count_if(producer->getUses(), [&](OpOperand &use) {
      return use.getOwner() != consumer;
    });
    return "its result has " + std::to_string(others) +
           " other use(s): fusing would compute it again in this consumer";
  }
  auto producerOp = dyn_cast<linalg::LinalgOp>(producer);
  auto consumerOp = dyn_cast<linalg::LinalgOp>(consumer);
  if (consumerOp && linalg::isaContractionOpInterface(consumerOp))
    return "the consumer is a contraction (" +
           kiln::codegen::describeOp(consumer) +
           "): the product kernel reads its operands as stored";
  if (isa<linalg::TransposeOp>(consumer))
    return "the consumer is a linalg.transpose, kept whole for the blocked "
           "transpose kernel (kiln-vectorize-transposes)";
  if (producerOp && linalg::isaContractionOpInterface(producerOp))
    return "the producer is a contraction (" +
           kiln::codegen::describeOp(producer) +
           "), kept whole for the vectorized product kernel; "
           "kiln-tile-and-fuse-products runs an elementwise consumer in its "
           "tiles";
  if (producerOp && isa<linalg::ConvolutionOpInterface>(producer))
    return "the producer is a convolution (" +
           kiln::codegen::describeOp(producer) +
           "), kept whole for its own lowering";
  if (auto generic = dyn_cast<linalg::GenericOp>(producer)) {
    if (generic.getNumReductionLoops() > 0)
      return "the producer is a reduction: its result is complete only "
             "after all its loops";
  } else if (producerOp) {
    return "the producer (" + kiln::codegen::describeOp(producer) +
           ") is a named op, not a linalg.generic";
  }
  if (!isa<linalg::GenericOp>(consumer))
    return "the consumer (" + kiln::codegen::describeOp(consumer) +
           ") is not a linalg.generic";
  if (!cast<linalg::GenericOp>(consumer)
           .getMatchingIndexingMap(operand)
           .isPermutation())
    return "the consumer reads it through a map that is not a permutation "
           "(a window, a broadcast or a projection): each element would be "
           "recomputed several times";
  return "linalg's elementwise fusion does not apply (its operands' maps "
         "do not determine the fused loops)";
}

namespace {

struct KilnFuseElementwise
    : public kiln::impl::KilnFuseElementwiseBase<KilnFuseElementwise> {
  using KilnFuseElementwiseBase::KilnFuseElementwiseBase;

  /// Fuses one candidate the policy accepts; returns false when there is
  /// none.
  bool fuseOne(RewriterBase &rewriter) {
    OpOperand *chosen = nullptr;
    std::string reason;
    getOperation()->walk([&](linalg::GenericOp consumer) {
      for (OpOperand *input : consumer.getDpsInputOperands()) {
        OpOperand &operand = *input;
        if (!linalg::areElementwiseOpsFusable(&operand))
          continue;
        if (std::optional<std::string> why = fusionReason(&operand)) {
          chosen = &operand;
          reason = *why;
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    });
    if (!chosen)
      return false;

    Operation *producer = chosen->get().getDefiningOp();
    Operation *consumer = chosen->getOwner();
    Location producerLoc = producer->getLoc();
    Location consumerLoc = consumer->getLoc();
    if (report)
      emitRemark(producerLoc)
          << "fused: " << kiln::codegen::describeOp(producer)
          << " into its consumer " << kiln::codegen::describeOp(consumer)
          << " at " << kiln::codegen::describeLocation(consumerLoc) << ": "
          << reason;

    rewriter.setInsertionPoint(consumer);
    if (!allUsesIn(producer, consumer)) {
      // A data-moving producer with other uses: this consumer gets its own
      // copy (used by it alone) to fuse; the others keep the original.
      Operation *copy = rewriter.clone(*producer);
      unsigned index = cast<OpResult>(chosen->get()).getResultNumber();
      for (OpOperand &use : consumer->getOpOperands())
        if (use.get() == producer->getResult(index))
          rewriter.modifyOpInPlace(consumer,
                                   [&] { use.set(copy->getResult(index)); });
      producer = copy;
    }
    FailureOr<linalg::ElementwiseOpFusionResult> fused =
        linalg::fuseElementwiseOps(rewriter, chosen);
    if (failed(fused)) {
      // areElementwiseOpsFusable said yes; fuseElementwiseOps agrees by
      // construction. Stop rather than loop if it ever does not.
      consumer->emitError("kiln-fuse-elementwise: fusion failed");
      signalPassFailure();
      return false;
    }
    // The fused op stands for both: its location names both sources.
    fused->fusedOp->setLoc(
        FusedLoc::get(&getContext(), {consumerLoc, producerLoc}));
    // Uses of the producer's results elsewhere now read the fused op's
    // copies of them. The fused op itself keeps reading the producer where
    // the consumer read it through another operand (x * x): the next
    // round fuses that operand too.
    Operation *fusedOp = fused->fusedOp;
    for (auto [original, replacement] : fused->replacements)
      rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
        return use.getOwner() != producer && use.getOwner() != fusedOp;
      });
    rewriter.eraseOp(consumer);
    if (producer->use_empty())
      rewriter.eraseOp(producer);
    return true;
  }

  /// linalg's helpers of fusion (fills and splat constants folded into
  /// generics, unused operands and results dropped, reshapes folded into
  /// generics) and canonicalization, without fusing anything.
  LogicalResult cleanUp() {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::ControlFusionFn never = [](OpOperand *) { return false; };
    linalg::ControlFusionFn singleUse = [](OpOperand *operand) {
      Operation *producer = operand->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    // A reshape folded into a product (or a product's result reshaped)
    // turns the named op into a linalg.generic contraction, which
    // kiln-vectorize-contractions does not vectorize: LeNet's
    // `dy x fc1.wᵀ` reshaped to [64, 16, 5, 5] ran as scalar loops, 17% of
    // the training step. The reshape stays: on buffers it is a view.
    linalg::ControlFusionFn reshapeIntoNonProduct = [&](OpOperand *operand) {
      auto isProduct = [](Operation *op) {
        auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
        return linalgOp && linalg::isaContractionOpInterface(linalgOp);
      };
      return singleUse(operand) && !isProduct(operand->getOwner()) &&
             !isProduct(operand->get().getDefiningOp());
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, never);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      reshapeIntoNonProduct);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true;
    return applyPatternsAndFoldGreedily(getOperation(), std::move(patterns),
                                        config);
  }

  /// With `report`: a remark for every candidate left unfused (inputs
  /// only: a destination operand is where the result goes, not data the
  /// op computes from).
  void reportUnfused() {
    getOperation()->walk([&](linalg::LinalgOp consumer) {
      for (OpOperand *input : consumer.getDpsInputOperands()) {
        OpOperand &operand = *input;
        Operation *producer = operand.get().getDefiningOp();
        if (!producer || !isa<linalg::LinalgOp>(producer) ||
            !isa<RankedTensorType>(operand.get().getType()))
          continue;
        emitRemark(producer->getLoc())
            << "not fused: " << kiln::codegen::describeOp(producer) << " into "
            << kiln::codegen::describeOp(consumer) << " at "
            << kiln::codegen::describeLocation(consumer->getLoc()) << ": "
            << whyNotFused(&operand);
      }
    });
  }

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    for (int round = 0; round < kMaxRounds; ++round) {
      int fusions = 0;
      while (fuseOne(rewriter))
        ++fusions;
      (void)cleanUp();
      if (fusions == 0)
        break;
    }
    if (report)
      reportUnfused();
  }
};

} // namespace
