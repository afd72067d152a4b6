//===- NNToLinalg.cpp - nn to linalg conversion pass ----------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The pass driver of the nn -> linalg lowering. The patterns live in one file
// per op family (Elementwise, Softmax, LinearAlgebra, Shape, Reductions,
// Losses, Optimizers, Convolution, Pooling, Recurrent, Normalization,
// Random).
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Convolution.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCONVERTNNTOLINALG
#include "kiln/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// `nn.param` has no lowering: kiln-promote-params turns it into a function
/// argument first. This pattern only records why it does not apply; the pass
/// reports the error.
struct ParamOpLowering : public OpConversionPattern<kiln::nn::ParamOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(kiln::nn::ParamOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return rewriter.notifyMatchFailure(
        op, "nn.param must be promoted by kiln-promote-params first");
  }
};
} // namespace

void kiln::populateNNToLinalgConversionPatterns(RewritePatternSet &patterns) {
  populateNNElementwiseToLinalgPatterns(patterns);
  populateNNSoftmaxToLinalgPatterns(patterns);
  populateNNLinearAlgebraToLinalgPatterns(patterns);
  populateNNShapeToLinalgPatterns(patterns);
  populateNNReductionToLinalgPatterns(patterns);
  populateNNLossToLinalgPatterns(patterns);
  populateNNOptimizerToLinalgPatterns(patterns);
  populateNNConvolutionToLinalgPatterns(patterns);
  populateNNPoolingToLinalgPatterns(patterns);
  populateNNRecurrentToLinalgPatterns(patterns);
  populateNNNormalizationToLinalgPatterns(patterns);
  populateNNRandomToLinalgPatterns(patterns);
  populateNNNumericsToLinalgPatterns(patterns);
  patterns.add<ParamOpLowering>(patterns.getContext());
}

namespace kiln {
namespace {
struct KilnConvertNNToLinalg
    : public impl::KilnConvertNNToLinalgBase<KilnConvertNNToLinalg> {
  void runOnOperation() override {
    // Parameters cannot be lowered here; say what to do instead of the
    // generic "failed to legalize" message.
    bool hasParams = false;
    getOperation()->walk([&](nn::ParamOp param) {
      param.emitError("nn.param '")
          << param.getName()
          << "' cannot be lowered to linalg; run kiln-promote-params first "
             "to turn parameters into function arguments";
      hasParams = true;
    });
    if (hasParams)
      return signalPassFailure();

    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<nn::NNDialect>();
    // func and llvm: nn.check_finite's report call and its site string.
    target.addLegalDialect<arith::ArithDialect, func::FuncDialect,
                           LLVM::LLVMDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    RewritePatternSet patterns(context);
    populateNNToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
} // namespace kiln
