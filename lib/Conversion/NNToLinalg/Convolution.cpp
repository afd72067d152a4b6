//===- Convolution.cpp - nn convolutions to linalg ------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// conv2d and its two backward helpers. Padding becomes an explicit
// `tensor.pad` with zeros, so every convolution below reads in bounds.
//
// With one group (docs/Codegen.md, "Convolutions"), each op is one matrix
// product, a `linalg.matmul` that kiln-vectorize-contractions turns into
// register-blocked vector code. Its right operand is an im2col matrix: a
// 6-D copy `linalg.generic` reads every window of the padded input at
// `oh*stride + kh*dilation` (and `ow*stride + kw*dilation`) and lays the
// windows out in the order the product reads them; `tensor.collapse_shape`
// makes it 2-D for free. The products sum over `(c, kh, kw)` (forward and
// input gradient) or `(n, oh, ow)` (filter gradient) in the order of the
// named convolutions they replace. When the im2col matrix of the whole batch
// would exceed 64K elements, the op runs in an `scf.for` over blocks of
// examples, so that each block's matrix stays in the L2 cache between the
// copy that writes it and the product that reads it.
// - conv2d: `prod[F, N*OH*OW] = filter[F, C*KH*KW] x cols[C*KH*KW, N*OH*OW]`
//   into zeros, then one `linalg.generic` writes `bias[f] + prod` (or just
//   `prod`) as `[N, F, OH, OW]`, reading `prod` transposed.
// - conv2d_backward_input: col2im. `cols[N*OH*OW, C*KH*KW] = dy[N*OH*OW,
//   F] x filter[F, C*KH*KW]`, with `dy` transposed to `[N, OH, OW, F]` by a
//   copy `linalg.generic`; then, for each `(kh, kw)` in order, one
//   `linalg.generic` adds column `(c, kh, kw)` of `cols` into the
//   zero-padded input gradient at rows `kh*dilation + oh*stride` and columns
//   `kw*dilation + ow*stride` (a strided `tensor.extract_slice` and
//   `tensor.insert_slice`), and the padding is cropped.
// - conv2d_backward_filter: the transposed gradient, `dWt[C*KH*KW, F] =
//   cols[C*KH*KW, N*OH*OW] x dy[N*OH*OW, F]`, with `cols` the same im2col
//   matrix as conv2d's and `dy` transposed from `[N, F, OH, OW]` to
//   `[N, OH, OW, F]` by a copy `linalg.generic`; one more copy gives it the
//   filter's shape `[F, C, KH, KW]`. In this orientation the product's rows
//   are `F` floats (LeNet: 6 and 16) rather than `C*KH*KW` (25 and 150),
//   which the product kernel runs 2.5 to 5 times faster today, and the
//   im2col matrix is written in its fast order (docs/Codegen.md).
// The products' results are read through linearizing indexing maps, never
// reshaped: linalg's reshape propagation (part of elementwise fusion) would
// fold a `tensor.expand_shape` of a `linalg.matmul` into the product,
// turning it into a generic contraction that is not vectorized.
//
// With groups > 1 the ops keep their direct forms, run as scalar loops:
// `linalg.conv_2d_ngchw_gfchw` on `tensor.expand_shape` views that split the
// channels into groups (forward, accumulating into the broadcast bias, and
// input gradient, then cropped with `tensor.extract_slice`), and one
// contraction `linalg.generic` over `(g, f, c, kh, kw | n, oh, ow)` for the
// filter gradient.
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
/// `init` (`[N, F, OH, OW]`) with `groups` > 1 groups: the grouped NGCHW op
/// on views that split the channels into groups.
static Value buildGroupedConvolution(OpBuilder &b, Location loc, Value input,
                                     Value filter, Value init,
                                     ArrayRef<int64_t> stride,
                                     ArrayRef<int64_t> dilation,
                                     int64_t groups) {
  Value groupedInput = splitGroups(b, loc, input, 1, groups);
  Value groupedFilter = splitGroups(b, loc, filter, 0, groups);
  Value groupedInit = splitGroups(b, loc, init, 1, groups);
  Value grouped =
      b.create<linalg::Conv2DNgchwGfchwOp>(
           loc, TypeRange{groupedInit.getType()},
           ValueRange{groupedInput, groupedFilter}, ValueRange{groupedInit},
           getPairAttr(b, stride), getPairAttr(b, dilation))
          .getResult(0);
  return mergeGroups(b, loc, grouped, 1);
}

/// Collapses `x` to a matrix: its dimensions before `split` become the rows,
/// the others the columns.
static Value collapseToMatrix(OpBuilder &b, Location loc, Value x,
                              int64_t split) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> shape = type.getShape();
  ReassociationIndices rows, columns;
  int64_t numRows = 1, numColumns = 1;
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    (d < split ? rows : columns).push_back(d);
    (d < split ? numRows : numColumns) *= shape[d];
  }
  return b.create<tensor::CollapseShapeOp>(
      loc, type.clone({numRows, numColumns}), x,
      ArrayRef<ReassociationIndices>{rows, columns});
}

/// Returns the im2col matrix `cols[C*KH*KW, N*OH*OW]` of the NCHW `input`
/// (already padded) for `kernel` (`[KH, KW]`) windows at `outputSize`
/// (`[OH, OW]`) positions:
/// `cols[(c, kh, kw), (n, oh, ow)] = input[n, c,
///     offset[0] + oh*stride[0] + kh*dilation[0],
///     offset[1] + ow*stride[1] + kw*dilation[1]]`.
/// One copy `linalg.generic` over the 6-D result `[C, KH, KW, N, OH, OW]`,
/// whose loops write it in order while the innermost one reads the input
/// with the stride, and a `tensor.collapse_shape` to 2-D.
static Value buildIm2Col(OpBuilder &b, Location loc, Value input,
                         ArrayRef<int64_t> kernel, ArrayRef<int64_t> outputSize,
                         ArrayRef<int64_t> stride, ArrayRef<int64_t> dilation,
                         ArrayRef<int64_t> offset) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *context = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  // Loops (c, kh, kw, n, oh, ow) = d0 .. d5.
  AffineMap read = AffineMap::get(
      6, 0,
      {d(3), d(0), d(4) * stride[0] + d(1) * dilation[0] + offset[0],
       d(5) * stride[1] + d(2) * dilation[1] + offset[1]},
      context);
  SmallVector<AffineMap> maps = {read, b.getMultiDimIdentityMap(6)};
  SmallVector<int64_t> shape = {type.getDimSize(1), kernel[0],
                                kernel[1],          type.getDimSize(0),
                                outputSize[0],      outputSize[1]};
  SmallVector<utils::IteratorType> iterators(6, utils::IteratorType::parallel);
  Value empty = b.create<tensor::EmptyOp>(loc, shape, type.getElementType());
  Value windows =
      b.create<linalg::GenericOp>(
           loc, TypeRange{empty.getType()}, ValueRange{input},
           ValueRange{empty}, maps, iterators,
           [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
             nested.create<linalg::YieldOp>(nestedLoc, args[0]);
           })
          .getResult(0);
  return collapseToMatrix(b, loc, windows, 3);
}

/// Returns `lhs x rhs` (`[M, K] x [K, N]`): a `linalg.matmul` accumulating
/// into `init` (`[M, N]`), or into zeros when `init` is null.
static Value buildProduct(OpBuilder &b, Location loc, Value lhs, Value rhs,
                          Value init = Value()) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  auto type = lhsType.clone({lhsType.getDimSize(0), rhsType.getDimSize(1)});
  if (!init)
    init = createFilledTensor(b, loc, type, createF32Constant(b, loc, 0));
  return b
      .create<linalg::MatmulOp>(loc, TypeRange{type}, ValueRange{lhs, rhs},
                                ValueRange{init})
      .getResult(0);
}

/// The most elements an im2col block may have: 256 KB of f32, which stay
/// in the 1 MB L2 cache while the product reads them back, along with the
/// product's other operands (docs/Codegen.md, "Convolutions").
static constexpr int64_t kMaxIm2ColBlockElements = 64 * 1024;

/// Returns how many examples of a batch of `batch` one im2col block holds,
/// with `elementsPerExample` elements of the im2col matrix per example: the
/// whole batch if it fits in kMaxIm2ColBlockElements, else the largest
/// divisor of `batch` that does, or 1.
static int64_t getBatchBlock(int64_t batch, int64_t elementsPerExample) {
  if (batch * elementsPerExample <= kMaxIm2ColBlockElements)
    return batch;
  for (int64_t block = kMaxIm2ColBlockElements / elementsPerExample; block > 1;
       --block)
    if (batch % block == 0)
      return block;
  return 1;
}

/// How many parts the blocks of a batch are split into, to run at once on
/// that many threads (`scf.forall`, an OpenMP loop after
/// scf-forall-to-parallel; docs/Codegen.md, "Threads"). A compile-time
/// constant, so that results do not depend on the thread count: a filter
/// gradient sums one partial gradient per part, always in the same order.
/// Each part has its own block buffers in the workspace.
static constexpr int64_t kBatchParts = 2;

/// Returns whether `batch` examples in blocks of `block` are split into
/// kBatchParts parts of whole blocks.
static bool hasBatchParts(int64_t batch, int64_t block) {
  int64_t blocks = batch / block;
  return blocks >= kBatchParts && blocks % kBatchParts == 0;
}

/// Builds `scf.for %i = 0 to count step block iter_args(init)` calling
/// `body(b, loc, i)` with the loop's builder and value `%i`, `acc`;
/// returns its result.
static Value buildBlockLoop(
    OpBuilder &b, Location loc, int64_t count, int64_t block, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  Value lower = b.create<arith::ConstantIndexOp>(loc, 0);
  Value upper = b.create<arith::ConstantIndexOp>(loc, count);
  Value step = b.create<arith::ConstantIndexOp>(loc, block);
  return b
      .create<scf::ForOp>(
          loc, lower, upper, step, ValueRange{init},
          [&](OpBuilder &nested, Location nestedLoc, Value i, ValueRange args) {
            nested.create<scf::YieldOp>(nestedLoc,
                                        body(nested, nestedLoc, i, args[0]));
          })
      .getResult(0);
}

/// Returns the offsets, sizes and unit strides of examples `[first, first +
/// count)` of a tensor of `shape` (batch dimension 0).
static void getBatchSlice(OpBuilder &b, ArrayRef<int64_t> shape,
                          OpFoldResult first, int64_t count,
                          SmallVectorImpl<OpFoldResult> &offsets,
                          SmallVectorImpl<OpFoldResult> &sizes,
                          SmallVectorImpl<OpFoldResult> &strides) {
  offsets.assign(shape.size(), b.getIndexAttr(0));
  offsets[0] = first;
  sizes.assign({b.getIndexAttr(count)});
  for (int64_t dim : shape.drop_front())
    sizes.push_back(b.getIndexAttr(dim));
  strides.assign(shape.size(), b.getIndexAttr(1));
}

/// Returns examples `[first, first + count)` of `x` (batch dimension 0):
/// a `tensor.extract_slice`, or `x` itself when that is the whole batch.
static Value sliceBatch(OpBuilder &b, Location loc, Value x, OpFoldResult first,
                        int64_t count) {
  auto type = cast<RankedTensorType>(x.getType());
  if (count == type.getDimSize(0))
    return x;
  SmallVector<OpFoldResult> offsets, sizes, strides;
  getBatchSlice(b, type.getShape(), first, count, offsets, sizes, strides);
  return b.create<tensor::ExtractSliceOp>(loc, x, offsets, sizes, strides);
}

/// Builds an `scf.forall` over kBatchParts parts of `part` examples each,
/// with the shared output `out`: `body(builder, loc, index, start, shared,
/// offsets, sizes, strides)` computes part `index` (whose first example is
/// `start`) from `shared`, the loop's view of `out`, and returns the tensor
/// that `tensor.parallel_insert_slice` writes into it at the slice
/// `offsets`, `sizes`, `strides` that the body fills in. Returns the
/// forall's result.
using PartBody = llvm::function_ref<Value(
    OpBuilder &, Location, Value, Value, Value, SmallVectorImpl<OpFoldResult> &,
    SmallVectorImpl<OpFoldResult> &, SmallVectorImpl<OpFoldResult> &)>;
static Value buildParts(OpBuilder &b, Location loc, Value out, int64_t part,
                        PartBody body) {
  auto forall = b.create<scf::ForallOp>(
      loc, ArrayRef<OpFoldResult>{b.getIndexAttr(kBatchParts)}, ValueRange{out},
      /*mapping=*/std::nullopt,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value start = nested.create<arith::MulIOp>(
            nestedLoc, args[0],
            nested.create<arith::ConstantIndexOp>(nestedLoc, part));
        SmallVector<OpFoldResult> offsets, sizes, strides;
        Value result = body(nested, nestedLoc, args[0], start, args[1], offsets,
                            sizes, strides);
        auto inParallel = nested.create<scf::InParallelOp>(nestedLoc);
        OpBuilder::InsertionGuard guard(nested);
        nested.setInsertionPointToStart(inParallel.getBody());
        nested.create<tensor::ParallelInsertSliceOp>(nestedLoc, result, args[1],
                                                     offsets, sizes, strides);
      });
  return forall.getResult(0);
}

/// Computes a batch-indexed result in blocks of `block` examples:
/// `body(builder, loc, first, at, acc)` computes the block of examples
/// `[first, first + block)` and inserts it into `acc` at example `at`,
/// returning the new `acc`. With one block (`block == batch`) `body` runs
/// once with `acc` null; otherwise `init` (the result's `tensor.empty`) is
/// filled in an `scf.for` over the blocks, or, when the blocks split into
/// kBatchParts parts, in an `scf.forall` over the parts whose bodies loop
/// over their own blocks and write disjoint slices of the result.
using BatchBlockBody = llvm::function_ref<Value(
    OpBuilder &, Location, OpFoldResult, OpFoldResult, Value)>;
static Value buildBatchBlocks(OpBuilder &b, Location loc, int64_t batch,
                              int64_t block, Value init, BatchBlockBody body) {
  if (block == batch)
    return body(b, loc, b.getIndexAttr(0), b.getIndexAttr(0), Value());
  if (!hasBatchParts(batch, block))
    return buildBlockLoop(
        b, loc, batch, block, init,
        [&](OpBuilder &nested, Location nestedLoc, Value i, Value acc) {
          return body(nested, nestedLoc, i, i, acc);
        });
  int64_t part = batch / kBatchParts;
  auto type = cast<RankedTensorType>(init.getType());
  return buildParts(
      b, loc, init, part,
      [&](OpBuilder &nested, Location nestedLoc, Value, Value start,
          Value shared, SmallVectorImpl<OpFoldResult> &offsets,
          SmallVectorImpl<OpFoldResult> &sizes,
          SmallVectorImpl<OpFoldResult> &strides) {
        getBatchSlice(nested, type.getShape(), start, part, offsets, sizes,
                      strides);
        Value slice = nested.create<tensor::ExtractSliceOp>(
            nestedLoc, shared, offsets, sizes, strides);
        return buildBlockLoop(
            nested, nestedLoc, part, block, slice,
            [&](OpBuilder &inner, Location innerLoc, Value i, Value acc) {
              Value first = inner.create<arith::AddIOp>(innerLoc, start, i);
              return body(inner, innerLoc, first, i, acc);
            });
      });
}

/// Computes a sum over the batch in blocks of `block` examples, into a
/// zero-filled tensor of `type`: `body(builder, loc, first, acc)` adds the
/// block of examples `[first, first + block)` to `acc` and returns the new
/// `acc`. The blocks run in an `scf.for`, or, when they split into
/// kBatchParts parts, an `scf.forall` computes one partial sum per part,
/// and the partial sums are added in part order.
using BatchSumBody =
    llvm::function_ref<Value(OpBuilder &, Location, OpFoldResult, Value)>;
static Value buildBatchSum(OpBuilder &b, Location loc, int64_t batch,
                           int64_t block, RankedTensorType type,
                           BatchSumBody body) {
  Value zero = createF32Constant(b, loc, 0);
  if (block == batch)
    return body(b, loc, b.getIndexAttr(0),
                createFilledTensor(b, loc, type, zero));
  if (!hasBatchParts(batch, block))
    return buildBlockLoop(b, loc, batch, block,
                          createFilledTensor(b, loc, type, zero), body);
  int64_t part = batch / kBatchParts;
  SmallVector<int64_t> partsShape = {kBatchParts};
  llvm::append_range(partsShape, type.getShape());
  Value parts =
      b.create<tensor::EmptyOp>(loc, partsShape, type.getElementType());
  Value sums = buildParts(
      b, loc, parts, part,
      [&](OpBuilder &nested, Location nestedLoc, Value index, Value start,
          Value, SmallVectorImpl<OpFoldResult> &offsets,
          SmallVectorImpl<OpFoldResult> &sizes,
          SmallVectorImpl<OpFoldResult> &strides) {
        getBatchSlice(nested, partsShape, index, 1, offsets, sizes, strides);
        return buildBlockLoop(
            nested, nestedLoc, part, block,
            createFilledTensor(nested, nestedLoc, type, zero),
            [&](OpBuilder &inner, Location innerLoc, Value i, Value acc) {
              Value first = inner.create<arith::AddIOp>(innerLoc, start, i);
              return body(inner, innerLoc, first, acc);
            });
      });
  // sum[...] = parts[0, ...] + parts[1, ...] + ..., in part order.
  int64_t rank = type.getRank();
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps;
  for (int64_t p = 0; p < kBatchParts; ++p) {
    SmallVector<AffineExpr> index = {getAffineConstantExpr(p, context)};
    for (int64_t d = 0; d < rank; ++d)
      index.push_back(getAffineDimExpr(d, context));
    maps.push_back(AffineMap::get(rank, 0, index, context));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<Value> inputs(kBatchParts, sums);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value empty =
      b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{type}, inputs, ValueRange{empty}, maps, iterators,
          [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            Value sum = args[0];
            for (Value partial : args.drop_front().drop_back())
              sum = nested.create<arith::AddFOp>(nestedLoc, sum, partial);
            nested.create<linalg::YieldOp>(nestedLoc, sum);
          })
      .getResult(0);
}

/// Inserts `block` into `acc` at example `at` (batch dimension 0), or
/// returns `block` when `acc` is null (a computation in one block).
static Value insertBatch(OpBuilder &b, Location loc, Value block, Value acc,
                         OpFoldResult at) {
  if (!acc)
    return block;
  auto type = cast<RankedTensorType>(block.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  getBatchSlice(b, type.getShape(), at, type.getDimSize(0), offsets, sizes,
                strides);
  return b.create<tensor::InsertSliceOp>(loc, block, acc, offsets, sizes,
                                         strides);
}

/// Returns the product `prod` as a 4-D tensor of `type`, plus `bias`
/// (indexed by dimension 1) if it is not null. Dimension `channelDim` (0 or
/// 1) of the result indexes one dimension of `prod`, and the other three
/// dimensions, in order, the other: with `p = (i_other*D2 + i2)*D3 + i3`,
/// `result[i0, i1, i2, i3] = prod[i_channelDim, p]`, or `prod[p,
/// i_channelDim]` if `positionsFirst`. One `linalg.generic` reads `prod`
/// through that map; `prod` is never reshaped, since linalg's reshape
/// propagation (run by elementwise fusion) would turn a `linalg.matmul`
/// under a `tensor.expand_shape` into a generic contraction that
/// kiln-vectorize-contractions does not handle.
static Value buildFromMatrix(OpBuilder &b, Location loc, Value prod,
                             unsigned channelDim, bool positionsFirst,
                             Value bias, RankedTensorType type) {
  ArrayRef<int64_t> shape = type.getShape();
  MLIRContext *context = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  AffineExpr position = (d(1 - channelDim) * shape[2] + d(2)) * shape[3] + d(3);
  SmallVector<AffineExpr> index = {d(channelDim), position};
  if (positionsFirst)
    std::swap(index[0], index[1]);
  SmallVector<Value> inputs = {prod};
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, index, context)};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(AffineMap::get(4, 0, d(1)));
  }
  maps.push_back(b.getMultiDimIdentityMap(4));
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  Value empty = b.create<tensor::EmptyOp>(loc, shape, type.getElementType());
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{type}, inputs, ValueRange{empty}, maps, iterators,
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            Value result = args[0];
            if (bias)
              result = nested.create<arith::AddFOp>(nestedLoc, args[1], result);
            nested.create<linalg::YieldOp>(nestedLoc, result);
          })
      .getResult(0);
}

/// Returns the NCHW `x` (`[N, F, OH, OW]`) as the matrix `[N*OH*OW, F]`:
/// a transposing copy `linalg.generic` to `[N, OH, OW, F]` and a
/// `tensor.collapse_shape`.
static Value buildPositionRows(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> shape = type.getShape();
  MLIRContext *context = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  // Loops (n, oh, ow, f) = d0 .. d3 over the result.
  SmallVector<AffineMap> maps = {
      AffineMap::get(4, 0, {d(0), d(3), d(1), d(2)}, context),
      b.getMultiDimIdentityMap(4)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  Value empty = b.create<tensor::EmptyOp>(
      loc, ArrayRef<int64_t>{shape[0], shape[2], shape[3], shape[1]},
      type.getElementType());
  Value transposed =
      b.create<linalg::GenericOp>(
           loc, TypeRange{empty.getType()}, ValueRange{x}, ValueRange{empty},
           maps, iterators,
           [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
             nested.create<linalg::YieldOp>(nestedLoc, args[0]);
           })
          .getResult(0);
  return collapseToMatrix(b, loc, transposed, 3);
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

/// `nn.conv2d %x, %w[, %b]` -> `tensor.pad` (zeros), then with one group
/// the im2col matrix `cols[C*KH*KW, N*OH*OW]`, `linalg.matmul` of the
/// filter collapsed to `[F, C*KH*KW]` and `cols`, and one `linalg.generic`
/// adding the bias to the transposed product; with groups, the bias
/// broadcast (or a zero fill) accumulating `linalg.conv_2d_ngchw_gfchw`.
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
    int64_t groups = static_cast<int64_t>(op.getGroups());
    if (groups != 1) {
      Value init = adaptor.getBias()
                       ? broadcastBias(rewriter, loc, adaptor.getBias(), type)
                       : createFilledTensor(rewriter, loc, type, zero);
      rewriter.replaceOp(op, buildGroupedConvolution(rewriter, loc, input,
                                                     adaptor.getFilter(), init,
                                                     op.getStride(),
                                                     op.getDilation(), groups));
      return success();
    }
    auto filterType = cast<RankedTensorType>(adaptor.getFilter().getType());
    ArrayRef<int64_t> shape = type.getShape();
    int64_t kernel[] = {filterType.getDimSize(2), filterType.getDimSize(3)};
    int64_t outputSize[] = {shape[2], shape[3]};
    int64_t noOffset[] = {0, 0};
    // cols has C*KH*KW rows and OH*OW columns per example.
    int64_t block =
        getBatchBlock(shape[0], filterType.getDimSize(1) * kernel[0] *
                                    kernel[1] * shape[2] * shape[3]);
    auto blockType = type.clone({block, shape[1], shape[2], shape[3]});
    Value filter = collapseToMatrix(rewriter, loc, adaptor.getFilter(), 1);
    Value bias = adaptor.getBias();
    auto body = [&](OpBuilder &b, Location loc, OpFoldResult first,
                    OpFoldResult at, Value acc) {
      Value cols =
          buildIm2Col(b, loc, sliceBatch(b, loc, input, first, block), kernel,
                      outputSize, op.getStride(), op.getDilation(), noOffset);
      Value prod = buildProduct(b, loc, filter, cols);
      Value result = buildFromMatrix(b, loc, prod, 1, false, bias, blockType);
      return insertBatch(b, loc, result, acc, at);
    };
    Value init;
    if (block != shape[0])
      init =
          rewriter.create<tensor::EmptyOp>(loc, shape, type.getElementType());
    rewriter.replaceOp(
        op, buildBatchBlocks(rewriter, loc, shape[0], block, init, body));
    return success();
  }
};

/// `nn.conv2d_backward_input %dy, %w` -> with one group, col2im: the product
/// of `%dy` as rows `[N*OH*OW, F]` and the filter `[F, C*KH*KW]`, added
/// window element by window element into the zero-padded gradient, then
/// cropped; with groups, strided `tensor.insert_slice` of `%dy` into zeros
/// (or `tensor.pad`), the flipped filter, `linalg.conv_2d_ngchw_gfchw` and a
/// crop.
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

    // The padded input [N, C, Hp, Wp].
    SmallVector<int64_t> padded(resultType.getShape());
    for (int d = 0; d < 2; ++d)
      padded[2 + d] += 2 * padding[d];

    if (groups == 1) {
      // col2im: cols[(n, oh, ow), (c, kh, kw)] = sum_f dy[n, f, oh, ow] *
      // w[f, c, kh, kw], one product of the output gradient's positions
      // and the filter as stored; then each (kh, kw) column block is added
      // into the padded gradient at rows kh*dil + oh*stride (and columns
      // likewise), and the padding is cropped.
      ArrayRef<int64_t> shape = resultType.getShape();
      int64_t kernel[] = {filterType.getDimSize(2), filterType.getDimSize(3)};
      int64_t outputSize[] = {gradType.getDimSize(2), gradType.getDimSize(3)};
      int64_t columns = shape[1] * kernel[0] * kernel[1];
      // cols has OH*OW rows and C*KH*KW columns per example.
      int64_t block =
          getBatchBlock(shape[0], outputSize[0] * outputSize[1] * columns);
      auto paddedBlockType =
          resultType.clone({block, shape[1], padded[2], padded[3]});
      Value filter = collapseToMatrix(rewriter, loc, adaptor.getFilter(), 1);
      MLIRContext *context = rewriter.getContext();
      auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
      SmallVector<utils::IteratorType> iterators(4,
                                                 utils::IteratorType::parallel);
      auto body = [&](OpBuilder &b, Location loc, OpFoldResult first,
                      OpFoldResult at, Value acc) {
        Value rows = buildPositionRows(
            b, loc, sliceBatch(b, loc, outputGrad, first, block));
        Value cols = buildProduct(b, loc, rows, filter);
        Value grad = createFilledTensor(b, loc, paddedBlockType, zero);
        SmallVector<OpFoldResult> sizes = {
            b.getIndexAttr(block), b.getIndexAttr(shape[1]),
            b.getIndexAttr(outputSize[0]), b.getIndexAttr(outputSize[1])};
        SmallVector<OpFoldResult> strides = {
            b.getIndexAttr(1), b.getIndexAttr(1), b.getIndexAttr(stride[0]),
            b.getIndexAttr(stride[1])};
        for (int64_t kh = 0; kh < kernel[0]; ++kh) {
          for (int64_t kw = 0; kw < kernel[1]; ++kw) {
            SmallVector<OpFoldResult> offsets = {
                b.getIndexAttr(0), b.getIndexAttr(0),
                b.getIndexAttr(kh * dilation[0]),
                b.getIndexAttr(kw * dilation[1])};
            Value window = b.create<tensor::ExtractSliceOp>(loc, grad, offsets,
                                                            sizes, strides);
            // Loops (n, c, oh, ow) over the window; the product is read
            // through a linearizing map, never reshaped.
            AffineMap colsMap = AffineMap::get(
                4, 0,
                {(d(0) * outputSize[0] + d(2)) * outputSize[1] + d(3),
                 d(1) * (kernel[0] * kernel[1]) + kh * kernel[1] + kw},
                context);
            Value sum =
                b.create<linalg::GenericOp>(
                     loc, TypeRange{window.getType()}, ValueRange{cols},
                     ValueRange{window},
                     ArrayRef<AffineMap>{colsMap, b.getMultiDimIdentityMap(4)},
                     iterators,
                     [](OpBuilder &nested, Location nestedLoc,
                        ValueRange args) {
                       nested.create<linalg::YieldOp>(
                           nestedLoc, ValueRange{nested.create<arith::AddFOp>(
                                          nestedLoc, args[1], args[0])});
                     })
                    .getResult(0);
            grad = b.create<tensor::InsertSliceOp>(loc, sum, grad, offsets,
                                                   sizes, strides);
          }
        }
        if (padding[0] != 0 || padding[1] != 0) {
          SmallVector<OpFoldResult> cropOffsets = {
              b.getIndexAttr(0), b.getIndexAttr(0), b.getIndexAttr(padding[0]),
              b.getIndexAttr(padding[1])};
          SmallVector<OpFoldResult> cropSizes = {
              b.getIndexAttr(block), b.getIndexAttr(shape[1]),
              b.getIndexAttr(shape[2]), b.getIndexAttr(shape[3])};
          grad = b.create<tensor::ExtractSliceOp>(
              loc, resultType.clone({block, shape[1], shape[2], shape[3]}),
              grad, cropOffsets, cropSizes,
              SmallVector<OpFoldResult>(4, b.getIndexAttr(1)));
        }
        return insertBatch(b, loc, grad, acc, at);
      };
      Value init;
      if (block != shape[0])
        init = rewriter.create<tensor::EmptyOp>(loc, shape,
                                                resultType.getElementType());
      rewriter.replaceOp(
          op, buildBatchBlocks(rewriter, loc, shape[0], block, init, body));
      return success();
    }

    // With groups: the transposed convolution. The output gradient is
    // framed by dil*(K-1) zeros on each side of the padded input, with its
    // element (oh, ow) at (dil*(KH-1) + oh*stride, ...).
    SmallVector<int64_t> reach(2), framed(gradType.getShape());
    for (int d = 0; d < 2; ++d) {
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
    int64_t one[] = {1, 1};
    Value init =
        createFilledTensor(rewriter, loc, resultType.clone(padded), zero);
    Value result = buildGroupedConvolution(rewriter, loc, frame, flipped, init,
                                           one, dilation, groups);
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

/// `nn.conv2d_backward_filter %dy, %x` -> `tensor.pad` of `%x` (zeros), then
/// with one group `linalg.matmul` of the im2col matrix
/// `cols[C*KH*KW, N*OH*OW]` and `%dy` transposed to `[N*OH*OW, F]`, copied
/// to the filter's shape; with groups, one contraction `linalg.generic` on
/// group-split views.
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

    if (groups == 1) {
      Value outputGrad = adaptor.getOutputGrad();
      auto gradType = cast<RankedTensorType>(outputGrad.getType());
      ArrayRef<int64_t> shape = resultType.getShape();
      int64_t batch = gradType.getDimSize(0);
      int64_t kernel[] = {shape[2], shape[3]};
      int64_t outputSize[] = {gradType.getDimSize(2), gradType.getDimSize(3)};
      int64_t noOffset[] = {0, 0};
      int64_t windowSize = shape[1] * shape[2] * shape[3];
      int64_t block =
          getBatchBlock(batch, windowSize * outputSize[0] * outputSize[1]);
      auto body = [&](OpBuilder &b, Location loc, OpFoldResult first,
                      Value acc) {
        Value cols =
            buildIm2Col(b, loc, sliceBatch(b, loc, input, first, block), kernel,
                        outputSize, stride, dilation, noOffset);
        Value grad = buildPositionRows(
            b, loc, sliceBatch(b, loc, outputGrad, first, block));
        return buildProduct(b, loc, cols, grad, acc);
      };
      Value product =
          buildBatchSum(rewriter, loc, batch, block,
                        resultType.clone({windowSize, shape[0]}), body);
      rewriter.replaceOp(op, buildFromMatrix(rewriter, loc, product, 0, true,
                                             Value(), resultType));
      return success();
    }

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
