//===- Simplify.cpp - Remove multiplications by one from nn IR ------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The patterns match nn ops by name (`RewritePattern` rooted at an op name)
// and build new ones through `OperationState`, so the plugin needs no C++
// class of the nn dialect. Upstream ops (func, arith, ...) live in libMLIR.so
// and can be used through their classes as usual.
//
//===----------------------------------------------------------------------===//

#include "Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln::example {
#define GEN_PASS_DEF_KILNEXAMPLESIMPLIFY
#include "Passes.h.inc"
} // namespace kiln::example

using namespace mlir;

/// Returns true if `value` is defined by a constant-like op whose elements
/// are all the float 1.0.
static bool isSplatOne(Value value) {
  SplatElementsAttr splat;
  if (!matchPattern(value, m_Constant(&splat)))
    return false;
  if (!isa<FloatType>(splat.getElementType()))
    return false;
  return splat.getSplatValue<APFloat>().isExactlyValue(1.0);
}

namespace {
/// nn.mul(x, one) -> x and nn.mul(one, x) -> x, where `one` is a splat 1.0
/// constant and the product has the type of x (no broadcast to a larger
/// shape).
struct FoldMulByOne : public RewritePattern {
  FoldMulByOne(MLIRContext *context)
      : RewritePattern("nn.mul", /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumOperands() != 2 || op->getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "expected a binary op");
    Type resultType = op->getResult(0).getType();
    for (unsigned oneIdx : {1u, 0u}) {
      Value other = op->getOperand(1 - oneIdx);
      if (other.getType() != resultType || !isSplatOne(op->getOperand(oneIdx)))
        continue;
      rewriter.replaceOp(op, other);
      return success();
    }
    return rewriter.notifyMatchFailure(
        op, "no operand is a splat 1.0 constant that keeps the other's type");
  }
};

/// nn.sub(x, x) -> nn.constant dense<0.0>. Only valid for finite x.
struct FoldSubSelf : public RewritePattern {
  FoldSubSelf(MLIRContext *context)
      : RewritePattern("nn.sub", /*benefit=*/1, context, {"nn.constant"}) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumOperands() != 2 || op->getNumResults() != 1 ||
        op->getOperand(0) != op->getOperand(1))
      return rewriter.notifyMatchFailure(op, "operands differ");
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "expected a float tensor");
    // The nn dialect is loaded whenever nn.sub is a registered op; an
    // unregistered nn.sub (--allow-unregistered-dialect) is left alone.
    OperationName constantName("nn.constant", op->getContext());
    if (!constantName.isRegistered())
      return rewriter.notifyMatchFailure(op, "nn.constant is not registered");

    OperationState state(op->getLoc(), constantName);
    state.addAttribute("value", rewriter.getZeroAttr(type));
    state.addTypes(type);
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};
} // namespace

void kiln::example::populateSimplifyPatterns(RewritePatternSet &patterns,
                                             bool assumeFinite) {
  patterns.add<FoldMulByOne>(patterns.getContext());
  if (assumeFinite)
    patterns.add<FoldSubSelf>(patterns.getContext());
}

namespace kiln::example {
namespace {
struct KilnExampleSimplify
    : public impl::KilnExampleSimplifyBase<KilnExampleSimplify> {
  using KilnExampleSimplifyBase::KilnExampleSimplifyBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateSimplifyPatterns(patterns, assumeFinite);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
} // namespace kiln::example
