//===- Pooling.cpp - nn pooling and flatten to linalg ---------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// max_pool2d and avg_pool2d map onto linalg's NCHW pooling ops after an
// explicit `tensor.pad` (-inf for max, which never wins against an input
// element since max_pool2d_c4 leaves one in every window; 0 for average,
// which counts the padding). max_pool2d_backward, when the windows tile the
// input exactly, is one parallel `linalg.generic` over the window elements
// that picks each window's maximum in place; otherwise it first finds, per window,
// the index `kh * KW + kw` of the selected maximum (one reduction
// `linalg.generic` whose combining rule is order-independent), then for each
// window offset `(kh, kw)` routes the output gradient where that index
// matches into a strided view of the padded input's gradient; overlapping
// windows accumulate. global_avg_pool is a reduction and a division, and
// flatten a `tensor.collapse_shape`.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/Convolution.h"
#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

/// Pads the two spatial dimensions of the NCHW tensor `x` by `padding` on
/// both sides with `value`; returns `x` when `padding` is zero.
static Value padSpatial(OpBuilder &b, Location loc, Value x,
                        ArrayRef<int64_t> padding, Value value) {
  if (padding[0] == 0 && padding[1] == 0)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> amounts(4, b.getIndexAttr(0));
  for (int d = 0; d < 2; ++d) {
    shape[2 + d] += 2 * padding[d];
    amounts[2 + d] = b.getIndexAttr(padding[d]);
  }
  return b.create<tensor::PadOp>(loc, type.clone(shape), x, amounts, amounts,
                                 value);
}

/// Returns the `[N, C, OH, OW]` offsets/sizes/strides of the window offset
/// `(kh, kw)` inside a padded `[N, C, Hp, Wp]` tensor: element (oh, ow) of
/// the view is (kh + oh*stride[0], kw + ow*stride[1]).
static void getWindowView(OpBuilder &b, ArrayRef<int64_t> outputShape,
                          int64_t kh, int64_t kw, ArrayRef<int64_t> stride,
                          SmallVectorImpl<OpFoldResult> &offsets,
                          SmallVectorImpl<OpFoldResult> &sizes,
                          SmallVectorImpl<OpFoldResult> &strides) {
  offsets.assign({b.getIndexAttr(0), b.getIndexAttr(0), b.getIndexAttr(kh),
                  b.getIndexAttr(kw)});
  for (int64_t dim : outputShape)
    sizes.push_back(b.getIndexAttr(dim));
  strides.assign({b.getIndexAttr(1), b.getIndexAttr(1),
                  b.getIndexAttr(stride[0]), b.getIndexAttr(stride[1])});
}

/// max_pool2d_backward when the windows tile the input exactly (stride =
/// kernel, no padding, H = OH * KH and W = OW * KW, the usual 2x2 pooling):
/// one parallel `linalg.generic` over (n, c, oh, ow, kh, kw) writes the
/// input gradient viewed as [N, C, OH, KH, OW, KW]. Each iteration reads
/// the KH * KW elements of its window, picks the same maximum as the
/// general lowering (visiting positions in order, a position wins if it is
/// NaN or greater than the best so far: the first maximum, or the last
/// NaN) and stores the window's output gradient if that is its own
/// position, else 0. Once LLVM unrolls the window loops, the choice is
/// made once per window; no index tensor, no strided passes.
static Value lowerTilingMaxPoolBackward(OpBuilder &b, Location loc,
                                        Value outputGrad, Value input,
                                        ArrayRef<int64_t> kernel) {
  MLIRContext *context = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto gradType = cast<RankedTensorType>(outputGrad.getType());
  ArrayRef<int64_t> in = inputType.getShape(), out = gradType.getShape();
  auto tiledType = RankedTensorType::get(
      {in[0], in[1], out[2], kernel[0], out[3], kernel[1]}, b.getF32Type());
  SmallVector<ReassociationIndices> reassociation = {{0}, {1}, {2, 3}, {4, 5}};
  Value tiledInput =
      b.create<tensor::ExpandShapeOp>(loc, tiledType, input, reassociation);
  Value init = b.create<tensor::EmptyOp>(loc, tiledType.getShape(),
                                         b.getF32Type());

  // Loops (n, c, oh, ow, kh, kw) = d0 .. d5.
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  auto c = [&](int64_t v) { return getAffineConstantExpr(v, context); };
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, context)};
  SmallVector<Value> inputs = {outputGrad};
  for (int64_t kh = 0; kh < kernel[0]; ++kh)
    for (int64_t kw = 0; kw < kernel[1]; ++kw) {
      maps.push_back(AffineMap::get(
          6, 0, {d(0), d(1), d(2), c(kh), d(3), c(kw)}, context));
      inputs.push_back(tiledInput);
    }
  maps.push_back(
      AffineMap::get(6, 0, {d(0), d(1), d(2), d(4), d(3), d(5)}, context));
  SmallVector<utils::IteratorType> iterators(6, utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{tiledType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        auto index = [&](int64_t v) {
          return b.create<arith::ConstantIndexOp>(loc, v).getResult();
        };
        Value best = args[1], bestIndex = index(0);
        int64_t windowSize = kernel[0] * kernel[1];
        for (int64_t position = 1; position < windowSize; ++position) {
          Value value = args[1 + position];
          Value wins = b.create<arith::OrIOp>(
              loc,
              b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, value,
                                      value),
              b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, value,
                                      best));
          best = b.create<arith::SelectOp>(loc, wins, value, best);
          bestIndex =
              b.create<arith::SelectOp>(loc, wins, index(position), bestIndex);
        }
        Value own = b.create<arith::AddIOp>(
            loc,
            b.create<arith::MulIOp>(loc, b.create<linalg::IndexOp>(loc, 4),
                                    index(kernel[1])),
            b.create<linalg::IndexOp>(loc, 5));
        Value here = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq,
                                             own, bestIndex);
        b.create<linalg::YieldOp>(
            loc, b.create<arith::SelectOp>(loc, here, args[0],
                                           createF32Constant(b, loc, 0))
                     .getResult());
      });
  return b.create<tensor::CollapseShapeOp>(loc, inputType,
                                           generic.getResult(0), reassociation);
}

namespace {

/// `nn.max_pool2d %x` -> `tensor.pad` (-inf) + `linalg.pooling_nchw_max`
/// into a -inf fill.
struct MaxPool2DOpLowering : public OpConversionPattern<nn::MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value negInf = createNegInfConstant(rewriter, loc);
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(), negInf);
    Value window = rewriter.create<tensor::EmptyOp>(loc, op.getKernel(),
                                                    rewriter.getF32Type());
    Value init = createFilledTensor(rewriter, loc, type, negInf);
    int64_t one[] = {1, 1};
    auto pool = rewriter.create<linalg::PoolingNchwMaxOp>(
        loc, TypeRange{type}, ValueRange{input, window}, ValueRange{init},
        rewriter.getI64TensorAttr(op.getStrideOrKernel()),
        rewriter.getI64TensorAttr(one));
    rewriter.replaceOp(op, pool.getResult(0));
    return success();
  }
};

/// `nn.avg_pool2d %x` -> `tensor.pad` (zeros) + `linalg.pooling_nchw_sum`
/// + an elementwise division by `KH * KW`.
struct AvgPool2DOpLowering : public OpConversionPattern<nn::AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value zero = createF32Constant(rewriter, loc, 0);
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(), zero);
    ArrayRef<int64_t> kernel = op.getKernel();
    Value window =
        rewriter.create<tensor::EmptyOp>(loc, kernel, rewriter.getF32Type());
    Value init = createFilledTensor(rewriter, loc, type, zero);
    int64_t one[] = {1, 1};
    Value sum = rewriter
                    .create<linalg::PoolingNchwSumOp>(
                        loc, TypeRange{type}, ValueRange{input, window},
                        ValueRange{init},
                        rewriter.getI64TensorAttr(op.getStrideOrKernel()),
                        rewriter.getI64TensorAttr(one))
                    .getResult(0);
    float count = static_cast<float>(kernel[0] * kernel[1]);
    Value mean = buildElementwise(
        rewriter, loc, type, sum,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return b.create<arith::DivFOp>(loc, args[0],
                                         createF32Constant(b, loc, count));
        });
    rewriter.replaceOp(op, mean);
    return success();
  }
};

/// `nn.max_pool2d_backward %dy, %x` -> lowerTilingMaxPoolBackward when the
/// windows tile the input; otherwise an arg-max `linalg.generic` over the
/// padded input, then per window offset a masked `linalg.generic` written
/// into the padded gradient with a strided `tensor.insert_slice`, and a
/// crop of the padding.
struct MaxPool2DBackwardOpLowering
    : public OpConversionPattern<nn::MaxPool2DBackwardOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MaxPool2DBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    Value outputGrad = adaptor.getOutputGrad();
    auto gradType = cast<RankedTensorType>(outputGrad.getType());
    ArrayRef<int64_t> kernel = op.getKernel(), padding = op.getPadding();
    ArrayRef<int64_t> stride = op.getStrideOrKernel();
    ArrayRef<int64_t> inputShape = inputType.getShape();
    ArrayRef<int64_t> gradShape = gradType.getShape();
    bool tiling = padding[0] == 0 && padding[1] == 0 && stride == kernel &&
                  inputShape[2] == gradShape[2] * kernel[0] &&
                  inputShape[3] == gradShape[3] * kernel[1] &&
                  inputType.getNumElements() > 0;
    if (tiling) {
      rewriter.replaceOp(op, lowerTilingMaxPoolBackward(
                                 rewriter, loc, outputGrad,
                                 adaptor.getInput(), kernel));
      return success();
    }
    Value negInf = createNegInfConstant(rewriter, loc);
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), padding, negInf);
    auto paddedType = cast<RankedTensorType>(input.getType());

    // 1. The index kh * KW + kw of the first maximum of each window: loops
    //    (n, c, oh, ow | kh, kw) = d0 .. d5. (value, index) pairs combine
    //    by "a NaN, the last one; else the larger value, the first one at
    //    ties", an order-independent choice; padded positions are skipped.
    auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
    AffineMap inputMap = AffineMap::get(
        6, 0, {d(0), d(1), d(2) * stride[0] + d(4), d(3) * stride[1] + d(5)},
        context);
    // Like linalg's pooling ops, a shape-only window operand gives the
    // reduction loops their extents.
    AffineMap windowMap = AffineMap::get(6, 0, {d(4), d(5)}, context);
    Value window =
        rewriter.create<tensor::EmptyOp>(loc, kernel, rewriter.getF32Type());
    AffineMap outputMap =
        AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, context);
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators.append(2, utils::IteratorType::reduction);
    int64_t windowSize = kernel[0] * kernel[1];
    auto indexType = gradType.clone(rewriter.getI64Type());
    Value maxInit = createFilledTensor(rewriter, loc, gradType, negInf);
    Value indexInit =
        createFilledTensor(rewriter, loc, indexType,
                           rewriter.create<arith::ConstantOp>(
                               loc, rewriter.getI64IntegerAttr(windowSize)));
    bool padded = padding[0] != 0 || padding[1] != 0;
    auto argmax = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{gradType, indexType}, ValueRange{input, window},
        ValueRange{maxInit, indexInit},
        ArrayRef<AffineMap>{inputMap, windowMap, outputMap, outputMap},
        iterators, [&](OpBuilder &b, Location loc, ValueRange args) {
          Value value = args[0], best = args[2], bestIndex = args[3];
          auto index = [&](unsigned dim) {
            return b.create<linalg::IndexOp>(loc, dim).getResult();
          };
          auto constant = [&](int64_t v) {
            return b.create<arith::ConstantIndexOp>(loc, v).getResult();
          };
          auto cmpi = [&](arith::CmpIPredicate p, Value x, Value y) {
            return b.create<arith::CmpIOp>(loc, p, x, y).getResult();
          };
          auto both = [&](Value x, Value y) {
            return b.create<arith::AndIOp>(loc, x, y).getResult();
          };
          auto either = [&](Value x, Value y) {
            return b.create<arith::OrIOp>(loc, x, y).getResult();
          };
          auto cmpf = [&](arith::CmpFPredicate p, Value x, Value y) {
            return b.create<arith::CmpFOp>(loc, p, x, y).getResult();
          };
          Value kh = index(4), kw = index(5);
          Value flat = b.create<arith::AddIOp>(
              loc, b.create<arith::MulIOp>(loc, kh, constant(kernel[1])), kw);
          Value position =
              b.create<arith::IndexCastOp>(loc, b.getI64Type(), flat);
          Value earlier = cmpi(arith::CmpIPredicate::slt, position, bestIndex);
          Value later = cmpi(arith::CmpIPredicate::sgt, position, bestIndex);
          Value isNaN = cmpf(arith::CmpFPredicate::UNO, value, value);
          Value bestIsNaN = cmpf(arith::CmpFPredicate::UNO, best, best);
          Value greater = cmpf(arith::CmpFPredicate::OGT, value, best);
          Value tie =
              both(cmpf(arith::CmpFPredicate::OEQ, value, best), earlier);
          Value trueValue = b.create<arith::ConstantIntOp>(loc, 1, 1);
          Value bestIsNumber =
              b.create<arith::XOrIOp>(loc, bestIsNaN, trueValue);
          // NaN wins over a number, and over an earlier NaN.
          Value nanWins = both(isNaN, either(bestIsNumber, later));
          Value numberWins = both(bestIsNumber, either(greater, tie));
          Value wins = either(nanWins, numberWins);
          if (padded) {
            Value h = b.create<arith::AddIOp>(
                loc,
                b.create<arith::MulIOp>(loc, index(2), constant(stride[0])),
                kh);
            Value w = b.create<arith::AddIOp>(
                loc,
                b.create<arith::MulIOp>(loc, index(3), constant(stride[1])),
                kw);
            Value inside = both(
                both(cmpi(arith::CmpIPredicate::sge, h, constant(padding[0])),
                     cmpi(arith::CmpIPredicate::slt, h,
                          constant(padding[0] + inputShape[2]))),
                both(cmpi(arith::CmpIPredicate::sge, w, constant(padding[1])),
                     cmpi(arith::CmpIPredicate::slt, w,
                          constant(padding[1] + inputShape[3]))));
            wins = both(wins, inside);
          }
          b.create<linalg::YieldOp>(
              loc, ValueRange{b.create<arith::SelectOp>(loc, wins, value, best),
                              b.create<arith::SelectOp>(loc, wins, position,
                                                        bestIndex)});
        });
    Value argmaxIndex = argmax.getResult(1);

    // 2. Per window offset, the gradient of the windows whose maximum is
    //    there, added to what earlier offsets routed to the same positions
    //    when windows overlap.
    bool overlapping = stride[0] < kernel[0] || stride[1] < kernel[1];
    Value zero = createF32Constant(rewriter, loc, 0);
    Value result = createFilledTensor(rewriter, loc, paddedType, zero);
    for (int64_t kh = 0; kh < kernel[0]; ++kh) {
      for (int64_t kw = 0; kw < kernel[1]; ++kw) {
        SmallVector<OpFoldResult> offsets, sizes, strides;
        getWindowView(rewriter, gradType.getShape(), kh, kw, stride, offsets,
                      sizes, strides);
        SmallVector<Value> inputs = {outputGrad, argmaxIndex};
        if (overlapping)
          inputs.push_back(rewriter.create<tensor::ExtractSliceOp>(
              loc, gradType, result, offsets, sizes, strides));
        int64_t position = kh * kernel[1] + kw;
        Value routed = buildElementwise(
            rewriter, loc, gradType, inputs,
            [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
              Value here = b.create<arith::CmpIOp>(
                  loc, arith::CmpIPredicate::eq, args[1],
                  b.create<arith::ConstantOp>(loc,
                                              b.getI64IntegerAttr(position)));
              Value base = overlapping ? args[2] : createF32Constant(b, loc, 0);
              Value sum = overlapping
                              ? b.create<arith::AddFOp>(loc, base, args[0])
                              : args[0];
              return b.create<arith::SelectOp>(loc, here, sum, base);
            });
        result = rewriter.create<tensor::InsertSliceOp>(
            loc, routed, result, offsets, sizes, strides);
      }
    }

    // 3. Crop the padding.
    if (padded) {
      SmallVector<OpFoldResult> offsets = {
          rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
          rewriter.getIndexAttr(padding[0]), rewriter.getIndexAttr(padding[1])};
      SmallVector<OpFoldResult> sizes, strides(4, rewriter.getIndexAttr(1));
      for (int64_t dim : inputShape)
        sizes.push_back(rewriter.getIndexAttr(dim));
      result = rewriter.create<tensor::ExtractSliceOp>(loc, inputType, result,
                                                       offsets, sizes, strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `nn.global_avg_pool %x` -> reduction `linalg.generic` over (H, W) into
/// zeros, then an elementwise division by `H * W`.
struct GlobalAvgPoolOpLowering
    : public OpConversionPattern<nn::GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t axes[] = {2, 3};
    Value sum = buildReduction(
        rewriter, loc, adaptor.getInput(), rewriter.getMultiDimIdentityMap(4),
        4, axes,
        createFilledTensor(rewriter, loc, type,
                           createF32Constant(rewriter, loc, 0)),
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return b.create<arith::AddFOp>(loc, args[0], args[1]);
        });
    float count =
        static_cast<float>(inputType.getDimSize(2) * inputType.getDimSize(3));
    Value mean = buildElementwise(
        rewriter, loc, type, sum,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return b.create<arith::DivFOp>(loc, args[0],
                                         createF32Constant(b, loc, count));
        });
    rewriter.replaceOp(op, mean);
    return success();
  }
};

/// `nn.flatten %x` -> `tensor.collapse_shape` of every dimension after the
/// first.
struct FlattenOpLowering : public OpConversionPattern<nn::FlattenOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(
        op, reshapeTensor(rewriter, op.getLoc(), adaptor.getInput(), type));
    return success();
  }
};

} // namespace

void kiln::populateNNPoolingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPool2DOpLowering, AvgPool2DOpLowering,
               MaxPool2DBackwardOpLowering, GlobalAvgPoolOpLowering,
               FlattenOpLowering>(patterns.getContext());
}
