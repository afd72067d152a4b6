//===- Convolution.cpp - nn convolutions to linalg ------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// conv2d and its two backward helpers. Padding becomes an explicit
// `tensor.pad` with zeros, so every convolution below reads in bounds:
//
// - conv2d: `linalg.conv_2d_nchw_fchw` for groups = 1, otherwise
//   `linalg.conv_2d_ngchw_gfchw` on `tensor.expand_shape` views that split
//   the channels into groups. The accumulator starts as the bias broadcast
//   over `[N, F, OH, OW]` (or zeros).
// - conv2d_backward_input: the transposed convolution. The output gradient
//   is spread into zeros with the stride (`tensor.insert_slice` with
//   strides, or a `tensor.pad` for stride 1) and framed by `dil*(K-1)`
//   zeros; a stride-1 convolution with the same dilation and the filter
//   flipped in space with its two channel dimensions swapped (one
//   `linalg.generic`) then gives the gradient of the *padded* input, from
//   which `tensor.extract_slice` crops the padding. Computing the padded
//   gradient keeps every pad amount non-negative whatever the padding.
// - conv2d_backward_filter: one contraction `linalg.generic` over
//   `(g, f, c, kh, kw | n, oh, ow)` reading the padded input at
//   `oh*stride + kh*dilation`.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/Convolution.h"
#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Pads the two spatial dimensions of the NCHW tensor `x` with `value`:
/// `low[d]` before and `high[d]` after dimension `2 + d`. Returns `x` when
/// there is nothing to pad.
static Value padSpatial(OpBuilder &b, Location loc, Value x,
                        ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                        Value value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> lows(4, b.getIndexAttr(0)),
      highs(4, b.getIndexAttr(0));
  for (int d = 0; d < 2; ++d) {
    shape[2 + d] += low[d] + high[d];
    lows[2 + d] = b.getIndexAttr(low[d]);
    highs[2 + d] = b.getIndexAttr(high[d]);
  }
  return b.create<tensor::PadOp>(loc, type.clone(shape), x, lows, highs, value);
}

/// Splits dimension `dim` of `x` into `[groups, dim(x, dim) / groups]`.
static Value splitGroups(OpBuilder &b, Location loc, Value x, int64_t dim,
                         int64_t groups) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  SmallVector<ReassociationIndices> groupsOfDims;
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    int64_t out = shape.size();
    if (d == dim) {
      shape.push_back(groups);
      shape.push_back(type.getDimSize(d) / groups);
      groupsOfDims.push_back({out, out + 1});
    } else {
      shape.push_back(type.getDimSize(d));
      groupsOfDims.push_back({out});
    }
  }
  return b.create<tensor::ExpandShapeOp>(loc, type.clone(shape), x,
                                         groupsOfDims);
}

/// Merges dimensions `dim` and `dim + 1` of `x`, undoing splitGroups.
static Value mergeGroups(OpBuilder &b, Location loc, Value x, int64_t dim) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  SmallVector<ReassociationIndices> groupsOfDims;
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    if (d == dim + 1)
      continue;
    if (d == dim) {
      shape.push_back(type.getDimSize(d) * type.getDimSize(d + 1));
      groupsOfDims.push_back({d, d + 1});
    } else {
      shape.push_back(type.getDimSize(d));
      groupsOfDims.push_back({d});
    }
  }
  return b.create<tensor::CollapseShapeOp>(loc, type.clone(shape), x,
                                           groupsOfDims);
}

/// Returns a `tensor<2xi64>` attribute, the form of linalg's convolution
/// `strides` and `dilations`.
static DenseIntElementsAttr getPairAttr(OpBuilder &b, ArrayRef<int64_t> pair) {
  return b.getI64TensorAttr(pair);
}

/// Convolves the NCHW `input` (already padded) with the FCHW `filter` into
/// `init` (`[N, F, OH, OW]`) with `groups` groups: the named NCHW op for one
/// group, the grouped NGCHW op on split views otherwise.
static Value buildConvolution(OpBuilder &b, Location loc, Value input,
                              Value filter, Value init,
                              ArrayRef<int64_t> stride,
                              ArrayRef<int64_t> dilation, int64_t groups) {
  auto resultType = cast<RankedTensorType>(init.getType());
  DenseIntElementsAttr strides = getPairAttr(b, stride);
  DenseIntElementsAttr dilations = getPairAttr(b, dilation);
  if (groups == 1)
    return b
        .create<linalg::Conv2DNchwFchwOp>(loc, TypeRange{resultType},
                                          ValueRange{input, filter},
                                          ValueRange{init}, strides, dilations)
        .getResult(0);
  Value groupedInput = splitGroups(b, loc, input, 1, groups);
  Value groupedFilter = splitGroups(b, loc, filter, 0, groups);
  Value groupedInit = splitGroups(b, loc, init, 1, groups);
  Value grouped = b.create<linalg::Conv2DNgchwGfchwOp>(
                       loc, TypeRange{groupedInit.getType()},
                       ValueRange{groupedInput, groupedFilter},
                       ValueRange{groupedInit}, strides, dilations)
                      .getResult(0);
  return mergeGroups(b, loc, grouped, 1);
}

/// Returns `bias` (`[F]`) broadcast over `type` (`[N, F, OH, OW]`).
static Value broadcastBias(OpBuilder &b, Location loc, Value bias,
                           RankedTensorType type) {
  MLIRContext *context = b.getContext();
  AffineMap biasMap = AffineMap::get(4, 0, getAffineDimExpr(1, context));
  SmallVector<AffineMap> maps = {biasMap, b.getMultiDimIdentityMap(4)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  Value empty =
      b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{type}, ValueRange{bias}, ValueRange{empty}, maps,
          iterators,
          [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            nested.create<linalg::YieldOp>(nestedLoc, args[0]);
          })
      .getResult(0);
}

/// Returns the filter `[F, C/groups, KH, KW]` flipped in both spatial
/// dimensions with its channel dimensions swapped within each group:
/// `[C, F/groups, KH, KW]` with
/// `result[g*Cg + c, f, kh, kw] = filter[g*Fg + f, c, KH-1-kh, KW-1-kw]`.
static Value flipFilter(OpBuilder &b, Location loc, Value filter,
                        int64_t groups) {
  auto type = cast<RankedTensorType>(filter.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t filtersPerGroup = shape[0] / groups;
  int64_t kh = shape[2], kw = shape[3];
  MLIRContext *context = b.getContext();
  // Loops (g, c, f, kh, kw) over the grouped result [G, Cg, Fg, KH, KW],
  // reading the grouped filter [G, Fg, Cg, KH, KW].
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  AffineMap read = AffineMap::get(
      5, 0, {d(0), d(2), d(1), kh - 1 - d(3), kw - 1 - d(4)}, context);
  SmallVector<AffineMap> maps = {read, b.getMultiDimIdentityMap(5)};
  SmallVector<utils::IteratorType> iterators(5, utils::IteratorType::parallel);
  Value grouped = splitGroups(b, loc, filter, 0, groups);
  auto resultType = type.clone({groups, shape[1], filtersPerGroup, kh, kw});
  Value empty = b.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                          resultType.getElementType());
  Value flipped =
      b.create<linalg::GenericOp>(
           loc, TypeRange{resultType}, ValueRange{grouped}, ValueRange{empty},
           maps, iterators,
           [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
             nested.create<linalg::YieldOp>(nestedLoc, args[0]);
           })
          .getResult(0);
  return mergeGroups(b, loc, flipped, 0);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// `nn.conv2d %x, %w[, %b]` -> `tensor.pad` (zeros) + bias broadcast (or
/// zero fill) + `linalg.conv_2d_nchw_fchw` / `linalg.conv_2d_ngchw_gfchw`.
struct Conv2DOpLowering : public OpConversionPattern<nn::Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value zero = createF32Constant(rewriter, loc, 0);
    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(),
                             op.getPadding(), zero);
    Value init = adaptor.getBias()
                     ? broadcastBias(rewriter, loc, adaptor.getBias(), type)
                     : createFilledTensor(rewriter, loc, type, zero);
    rewriter.replaceOp(
        op, buildConvolution(rewriter, loc, input, adaptor.getFilter(), init,
                             op.getStride(), op.getDilation(),
                             static_cast<int64_t>(op.getGroups())));
    return success();
  }
};

/// `nn.conv2d_backward_input %dy, %w` -> strided `tensor.insert_slice` of
/// `%dy` into zeros (or `tensor.pad`), the flipped filter, a stride-1
/// convolution giving the padded input's gradient, and a crop.
struct Conv2DBackwardInputOpLowering
    : public OpConversionPattern<nn::Conv2DBackwardInputOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::Conv2DBackwardInputOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value outputGrad = adaptor.getOutputGrad();
    auto gradType = cast<RankedTensorType>(outputGrad.getType());
    auto filterType = cast<RankedTensorType>(adaptor.getFilter().getType());
    ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding(),
                      dilation = op.getDilation();
    int64_t groups = static_cast<int64_t>(op.getGroups());
    Value zero = createF32Constant(rewriter, loc, 0);

    // The padded input [N, C, Hp, Wp] and the frame the transposed
    // convolution reads: dil*(K-1) zeros on each side of it, with the
    // output gradient's element (oh, ow) at (dil*(KH-1) + oh*stride, ...).
    SmallVector<int64_t> padded(resultType.getShape());
    SmallVector<int64_t> reach(2), framed(gradType.getShape());
    for (int d = 0; d < 2; ++d) {
      padded[2 + d] += 2 * padding[d];
      reach[d] = dilation[d] * (filterType.getDimSize(2 + d) - 1);
      framed[2 + d] = padded[2 + d] + reach[d];
    }
    Value frame;
    if (stride[0] == 1 && stride[1] == 1) {
      SmallVector<int64_t> high(2);
      for (int d = 0; d < 2; ++d)
        high[d] = framed[2 + d] - reach[d] - gradType.getDimSize(2 + d);
      frame = padSpatial(rewriter, loc, outputGrad, reach, high, zero);
    } else {
      Value zeros =
          createFilledTensor(rewriter, loc, gradType.clone(framed), zero);
      SmallVector<OpFoldResult> offsets = {
          rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
          rewriter.getIndexAttr(reach[0]), rewriter.getIndexAttr(reach[1])};
      SmallVector<OpFoldResult> sizes,
          strides = {rewriter.getIndexAttr(1), rewriter.getIndexAttr(1),
                     rewriter.getIndexAttr(stride[0]),
                     rewriter.getIndexAttr(stride[1])};
      for (int64_t dim : gradType.getShape())
        sizes.push_back(rewriter.getIndexAttr(dim));
      frame = rewriter.create<tensor::InsertSliceOp>(loc, outputGrad, zeros,
                                                     offsets, sizes, strides);
    }

    Value flipped = flipFilter(rewriter, loc, adaptor.getFilter(), groups);
    Value init =
        createFilledTensor(rewriter, loc, resultType.clone(padded), zero);
    int64_t one[] = {1, 1};
    Value result = buildConvolution(rewriter, loc, frame, flipped, init, one,
                                    dilation, groups);
    if (padding[0] != 0 || padding[1] != 0) {
      SmallVector<OpFoldResult> offsets = {
          rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
          rewriter.getIndexAttr(padding[0]), rewriter.getIndexAttr(padding[1])};
      SmallVector<OpFoldResult> sizes, strides(4, rewriter.getIndexAttr(1));
      for (int64_t dim : resultType.getShape())
        sizes.push_back(rewriter.getIndexAttr(dim));
      result = rewriter.create<tensor::ExtractSliceOp>(loc, resultType, result,
                                                       offsets, sizes, strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `nn.conv2d_backward_filter %dy, %x` -> `tensor.pad` of `%x` (zeros) and
/// one contraction `linalg.generic` on group-split views.
struct Conv2DBackwardFilterOpLowering
    : public OpConversionPattern<nn::Conv2DBackwardFilterOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::Conv2DBackwardFilterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> stride = op.getStride(), dilation = op.getDilation();
    int64_t groups = static_cast<int64_t>(op.getGroups());
    Value zero = createF32Constant(rewriter, loc, 0);
    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(),
                             op.getPadding(), zero);

    // Loops (g, f, c, kh, kw, n, oh, ow) = d0 .. d7.
    auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
    AffineMap gradMap =
        AffineMap::get(8, 0, {d(5), d(0), d(1), d(6), d(7)}, context);
    AffineMap inputMap =
        AffineMap::get(8, 0,
                       {d(5), d(0), d(2), d(6) * stride[0] + d(3) * dilation[0],
                        d(7) * stride[1] + d(4) * dilation[1]},
                       context);
    AffineMap resultMap =
        AffineMap::get(8, 0, {d(0), d(1), d(2), d(3), d(4)}, context);
    SmallVector<utils::IteratorType> iterators(5,
                                               utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);

    Value groupedGrad =
        splitGroups(rewriter, loc, adaptor.getOutputGrad(), 1, groups);
    Value groupedInput = splitGroups(rewriter, loc, input, 1, groups);
    Value init = createFilledTensor(rewriter, loc, resultType, zero);
    Value groupedInit = splitGroups(rewriter, loc, init, 0, groups);
    Value grouped =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{groupedInit.getType()},
                ValueRange{groupedGrad, groupedInput}, ValueRange{groupedInit},
                ArrayRef<AffineMap>{gradMap, inputMap, resultMap}, iterators,
                [](OpBuilder &b, Location loc, ValueRange args) {
                  Value product =
                      b.create<arith::MulFOp>(loc, args[0], args[1]);
                  b.create<linalg::YieldOp>(
                      loc, ValueRange{
                               b.create<arith::AddFOp>(loc, args[2], product)});
                })
            .getResult(0);
    rewriter.replaceOp(op, mergeGroups(rewriter, loc, grouped, 0));
    return success();
  }
};

} // namespace

void kiln::populateNNConvolutionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2DOpLowering, Conv2DBackwardInputOpLowering,
               Conv2DBackwardFilterOpLowering>(patterns.getContext());
}
