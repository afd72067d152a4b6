//===- NNToLinalg.cpp - nn to linalg conversion ---------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCONVERTNNTOLINALG
#include "kiln/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;

void kiln::populateNNToLinalgConversionPatterns(RewritePatternSet &patterns) {
  // Filled in op family by op family.
  (void)patterns;
}

namespace kiln {
namespace {
struct KilnConvertNNToLinalg
    : public impl::KilnConvertNNToLinalgBase<KilnConvertNNToLinalg> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<kiln::nn::NNDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    RewritePatternSet patterns(context);
    kiln::populateNNToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
} // namespace kiln
