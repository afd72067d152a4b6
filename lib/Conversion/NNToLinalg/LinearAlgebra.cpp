//===- LinearAlgebra.cpp - nn matmul and transpose to linalg --------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// matmul and transpose map onto linalg's named ops, which later stages can
// tile and vectorize by name.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

namespace {

/// `nn.matmul %a, %b` -> `linalg.matmul` (rank 2) or `linalg.batch_matmul`
/// (rank 3) accumulating into a zero-filled `tensor.empty`.
struct MatmulOpLowering : public OpConversionPattern<nn::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    if (type.getRank() != 2 && type.getRank() != 3)
      return rewriter.notifyMatchFailure(op, "expected rank 2 or 3");
    Value init = createFilledTensor(rewriter, loc, type,
                                    createF32Constant(rewriter, loc, 0));
    SmallVector<Value, 2> inputs{adaptor.getLhs(), adaptor.getRhs()};
    Operation *product;
    if (type.getRank() == 2)
      product = rewriter.create<linalg::MatmulOp>(loc, TypeRange{type}, inputs,
                                                  ValueRange{init});
    else
      product = rewriter.create<linalg::BatchMatmulOp>(
          loc, TypeRange{type}, inputs, ValueRange{init});
    rewriter.replaceOp(op, product->getResults());
    return success();
  }
};

/// `nn.transpose %x perm = p` -> `linalg.transpose` into a `tensor.empty`.
struct TransposeOpLowering : public OpConversionPattern<nn::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value init = rewriter.create<tensor::EmptyOp>(loc, type.getShape(),
                                                  type.getElementType());
    auto transpose = rewriter.create<linalg::TransposeOp>(
        loc, adaptor.getInput(), init, op.getPerm());
    rewriter.replaceOp(op, transpose->getResults());
    return success();
  }
};

} // namespace

void kiln::populateNNLinearAlgebraToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatmulOpLowering, TransposeOpLowering>(patterns.getContext());
}
