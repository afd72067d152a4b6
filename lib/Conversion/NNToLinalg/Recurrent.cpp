//===- Recurrent.cpp - recurrent ops to scf and linalg ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// rnn, lstm, gru and their backward ops become an `scf.for` over the time
// steps (never unrolled, so the IR does not grow with T) around linalg on
// slices of the sequence. Every product is a `linalg.matmul` on operands
// whose rows are contiguous, which Kiln's codegen vectorizes; weights are
// transposed once, outside the loops.
//
// Layout. Inside the lowering a sequence `[B, T, K]` is kept *time-major*
// as `[T*B, K]` (row `t*B + b`), so that step t is the contiguous block of
// rows `t*B .. t*B + B-1`. One `linalg.generic` converts each operand and
// result (maps with `floordiv`/`mod` by B). This keeps `tensor.expand_shape`
// and `tensor.collapse_shape` away from the products: the elementwise
// fusion before bufferization folds such reshapes into the neighbouring
// op by expanding its loops, which would turn a `linalg.matmul` into a
// `linalg.generic` that no longer reaches the vectorized kernel.
//
// `u` is the input side of the gates, `x W_ih^T + b_ih`, and `v` the
// hidden side, `h W_hh^T + b_hh`, both `[.., G*H]` with the G gate blocks
// side by side.
//
// Forward (`y = layer(x, ...)`):
//   U = X * W_ih^T + b_ih                    one matmul [T*B, I] x [I, G*H]
//   scf.for t iter_args(Y, [c]):             Y [(T+1)*B, H], block 0 zeros
//     h = Y[block t]                         h_{t-1}
//     v = h * W_hh^T + b_hh                  matmul [B, H] x [H, G*H]
//     h', [c'] = cell(U[block t], v, [c | h])          one linalg.generic
//     Y = insert_slice h' into Y[block t+1]
//   y = Y[blocks 1 .. T] back to [B, T, H]
//
// Backward: the hidden states come from the operand `y`: with Y as above
// (block t+1 = y[:, t]), P = Y[blocks 0 .. T-1] holds h_{t-1} for every
// step, so the hidden side of every step is one matmul before the loop,
// V = P * W_hh^T + b_hh (gru; rnn needs neither side, its derivative reads
// y). lstm's gates only use U + V, which it keeps in one buffer instead of
// two (4 MB less for the benchmark LSTM): S = (b_ih + b_hh) + X * W_ih^T +
// P * W_hh^T, each matmul accumulating onto the last. lstm first rebuilds
// its cell states with an
// elementwise scf.for (C[block t+1] = c_t, block 0 zeros). Then a reverse
// scf.for carries dh (the cotangent that step t+1 sends to h_t) and, for
// lstm, dc, and writes the gate cotangents of the input side, GI
// `[T*B, G*H]`, and of the hidden side, GH (equal to GI except in gru's n
// block): one linalg.generic per step, then dh = GH[block t] * W_hh (plus
// z * dh for gru). The rest are whole-sequence products after the loop:
//   dx = GI * W_ih,  dW_ih = GI^T * X,  dW_hh = GH^T * P,
//   db_ih = sum of the rows of GI,  db_hh = sum of the rows of GH,
// each only if the op's result is used (the gradient of a data input x, or
// of a constant weight, is not computed).
//
// One-shot bufferization needs every value an `scf.for` yields to be
// updated in the buffer of its iteration argument. The sequences are
// updated by `tensor.insert_slice`; the small states (c, dc, dh) are the
// `outs` of the op that updates them and are read through that operand
// (a `linalg.generic` whose payload does not read an `outs` operand gets a
// fresh one from canonicalization).
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"
#include "kiln/Conversion/NNToLinalg/Utils.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

#include <array>

using namespace mlir;
using namespace kiln;
using namespace kiln::nn_to_linalg;

namespace {

/// The kinds of cell.
enum class Cell { RNNTanh, RNNRelu, LSTM, GRU };

/// Builds the body of a `linalg.generic` from its block arguments and
/// returns the values to yield.
using PayloadFn =
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

/// Sizes and IR helpers of one lowering.
class RecurrentBuilder {
public:
  RecurrentBuilder(OpBuilder &b, Location loc, Cell cell, Value x, Value wIh,
                   Value wHh, Value bIh, Value bHh)
      : b(b), loc(loc), cell(cell), x(x), wIh(wIh), wHh(wHh), bIh(bIh),
        bHh(bHh) {
    ArrayRef<int64_t> xs = cast<RankedTensorType>(x.getType()).getShape();
    batch = xs[0];
    time = xs[1];
    input = xs[2];
    hidden = cast<RankedTensorType>(wHh.getType()).getDimSize(1);
    gates = cast<RankedTensorType>(wHh.getType()).getDimSize(0) / hidden;
  }

  Value forward();
  /// The five gradients; those whose `used` entry is false (the op's result
  /// has no use) are left uncomputed, as `tensor.empty`.
  SmallVector<Value> backward(Value y, Value dy, ArrayRef<bool> used);

private:
  RankedTensorType type(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }
  Value f32(float value) { return createF32Constant(b, loc, value); }
  Value empty(ArrayRef<int64_t> shape) {
    return b.create<tensor::EmptyOp>(loc, shape, b.getF32Type());
  }
  Value zeros(ArrayRef<int64_t> shape) {
    return createFilledTensor(b, loc, type(shape), f32(0));
  }
  /// `tensor` filled with zeros (in its own buffer when it is a loop's
  /// state).
  Value fill(Value tensor) {
    return b.create<linalg::FillOp>(loc, f32(0), tensor).getResult(0);
  }
  Value index(int64_t value) {
    return b.create<arith::ConstantIndexOp>(loc, value);
  }

  /// `lhs * rhs` accumulated into `init`.
  Value matmul(Value lhs, Value rhs, Value init) {
    return b
        .create<linalg::MatmulOp>(loc, TypeRange{init.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{init})
        .getResult(0);
  }
  /// The transpose of the matrix `m`.
  Value transpose(Value m) {
    ArrayRef<int64_t> shape = cast<RankedTensorType>(m.getType()).getShape();
    Value init = empty({shape[1], shape[0]});
    return b.create<linalg::TransposeOp>(loc, m, init, ArrayRef<int64_t>{1, 0})
        ->getResult(0);
  }
  /// A `linalg.generic` of `loops` parallel loops copying `source` through
  /// `sourceMap` into a new tensor of `shape` (identity map).
  Value copy(Value source, AffineMap sourceMap, ArrayRef<int64_t> shape) {
    SmallVector<AffineMap> maps = {sourceMap,
                                   b.getMultiDimIdentityMap(shape.size())};
    SmallVector<utils::IteratorType> iterators(shape.size(),
                                               utils::IteratorType::parallel);
    return b
        .create<linalg::GenericOp>(
            loc, TypeRange{type(shape)}, ValueRange{source},
            ValueRange{empty(shape)}, maps, iterators,
            [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
              nested.create<linalg::YieldOp>(nestedLoc, args[0]);
            })
        .getResult(0);
  }
  /// `bias` `[N]` repeated over `rows` rows, `[rows, N]`.
  Value broadcastRows(Value bias, int64_t rows) {
    int64_t n = cast<RankedTensorType>(bias.getType()).getDimSize(0);
    return copy(bias, AffineMap::get(2, 0, b.getAffineDimExpr(1)), {rows, n});
  }
  /// `[B, T, K] -> [T*B, K]`: row `r` is `seq[r mod B, r floordiv B, :]`.
  Value toTimeMajor(Value seq) {
    int64_t k = cast<RankedTensorType>(seq.getType()).getDimSize(2);
    AffineExpr r = b.getAffineDimExpr(0);
    AffineMap map = AffineMap::get(
        2, 0, {r % batch, r.floorDiv(batch), b.getAffineDimExpr(1)},
        b.getContext());
    return copy(seq, map, {time * batch, k});
  }
  /// `[(T + skip)*B, K] -> [B, T, K]` dropping the first `skip` blocks:
  /// `result[b, t, :] = rows[(t + skip)*B + b, :]`.
  Value fromTimeMajor(Value rows, int64_t skip) {
    int64_t k = cast<RankedTensorType>(rows.getType()).getDimSize(1);
    AffineExpr bb = b.getAffineDimExpr(0), t = b.getAffineDimExpr(1);
    AffineMap map = AffineMap::get(
        3, 0, {(t + skip) * batch + bb, b.getAffineDimExpr(2)}, b.getContext());
    return copy(rows, map, {batch, time, k});
  }
  /// Rows `row .. row + count - 1`, columns `col .. col + width - 1`.
  Value rowsAt(Value rows, OpFoldResult row, int64_t count, int64_t col,
               int64_t width) {
    SmallVector<OpFoldResult> offsets = {row, b.getIndexAttr(col)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(count),
                                       b.getIndexAttr(width)};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    return b.create<tensor::ExtractSliceOp>(loc, type({count, width}), rows,
                                            offsets, sizes, strides);
  }
  /// The block of B rows of `rows` from row `row` on, columns
  /// `col .. col + width - 1`, `[B, width]`.
  Value block(Value rows, OpFoldResult row, int64_t col, int64_t width) {
    return rowsAt(rows, row, batch, col, width);
  }
  /// The `[B, H]` gate blocks of the B rows of `rows` (`[*, G*H]`) from row
  /// `row` on.
  SmallVector<Value> gateBlocks(Value rows, OpFoldResult row) {
    SmallVector<Value> result;
    for (int64_t k = 0; k < gates; ++k)
      result.push_back(block(rows, row, k * hidden, hidden));
    return result;
  }
  /// Writes `value` (`[count, K]`) into `rows` from row `row` on.
  Value insertRows(Value value, Value rows, OpFoldResult row) {
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(value.getType()).getShape();
    SmallVector<OpFoldResult> offsets = {row, b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(shape[0]),
                                       b.getIndexAttr(shape[1])};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    return b.create<tensor::InsertSliceOp>(loc, value, rows, offsets, sizes,
                                           strides);
  }
  /// Places the `[B, H]` blocks side by side, `[B, blocks * H]`.
  Value concatBlocks(ArrayRef<Value> blocks) {
    Value result = empty({batch, static_cast<int64_t>(blocks.size()) * hidden});
    for (auto [k, value] : llvm::enumerate(blocks)) {
      SmallVector<OpFoldResult> offsets = {
          b.getIndexAttr(0), b.getIndexAttr(static_cast<int64_t>(k) * hidden)};
      SmallVector<OpFoldResult> sizes = {b.getIndexAttr(batch),
                                         b.getIndexAttr(hidden)};
      SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
      result = b.create<tensor::InsertSliceOp>(loc, value, result, offsets,
                                               sizes, strides);
    }
    return result;
  }
  /// One all-parallel `linalg.generic` over `[B, H]` reading `inputs` and
  /// writing `outputs` (a null output gets a new `tensor.empty`). The
  /// payload gets the input scalars, then the output scalars: a loop state
  /// passed as an output is read there, so that it is updated in place.
  SmallVector<Value> elementwise(ValueRange inputs, ArrayRef<Value> outputs,
                                 PayloadFn payload) {
    SmallVector<Value> inits;
    for (Value output : outputs)
      inits.push_back(output ? output : empty({batch, hidden}));
    SmallVector<AffineMap> maps(inputs.size() + inits.size(),
                                b.getMultiDimIdentityMap(2));
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    auto generic = b.create<linalg::GenericOp>(
        loc, ValueRange(inits).getTypes(), inputs, inits, maps, iterators,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          nested.create<linalg::YieldOp>(nestedLoc,
                                         payload(nested, nestedLoc, args));
        });
    return SmallVector<Value>(generic.getResults());
  }
  /// `rows * weight^T + bias` for every row.
  Value project(Value rows, Value weightT, Value bias) {
    int64_t n = cast<RankedTensorType>(rows.getType()).getDimSize(0);
    return matmul(rows, weightT, broadcastRows(bias, n));
  }
  /// Sum over the rows of `[N, K]`, `[K]`.
  Value sumRows(Value m) {
    int64_t k = cast<RankedTensorType>(m.getType()).getDimSize(1);
    return buildReduction(
        b, loc, m, b.getMultiDimIdentityMap(2), 2, {0}, zeros({k}),
        [](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return nb.create<arith::AddFOp>(l, args[0], args[1]);
        });
  }
  /// An `scf.for` over `t = 0 .. T-1` (or `T-1 .. 0` when `reverse`) with
  /// `inits`. `body` gets the first rows of blocks t and t+1, `t*B` and
  /// `(t+1)*B`, and the state, and returns the values to yield.
  scf::ForOp loop(ValueRange inits, bool reverse,
                  function_ref<SmallVector<Value>(Value row, Value nextRow,
                                                  ValueRange state)>
                      body) {
    return b.create<scf::ForOp>(
        loc, index(0), index(time), index(1), inits,
        [&](OpBuilder &, Location, Value i, ValueRange state) {
          Value t =
              reverse
                  ? b.create<arith::SubIOp>(loc, index(time - 1), i).getResult()
                  : i;
          Value row = b.create<arith::MulIOp>(loc, t, index(batch));
          Value nextRow = b.create<arith::AddIOp>(loc, row, index(batch));
          b.create<scf::YieldOp>(loc, body(row, nextRow, state));
        });
  }

  OpBuilder &b;
  Location loc;
  Cell cell;
  Value x, wIh, wHh, bIh, bHh;
  int64_t batch, time, input, hidden, gates;
};

//===----------------------------------------------------------------------===//
// Scalar math of the cells
//===----------------------------------------------------------------------===//

/// 1 / (1 + e^-v), as nn.sigmoid lowers.
Value sigmoid(OpBuilder &b, Location loc, Value v) {
  Value one = createF32Constant(b, loc, 1);
  Value expNeg = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, v));
  return b.create<arith::DivFOp>(loc, one,
                                 b.create<arith::AddFOp>(loc, one, expNeg));
}

Value add(OpBuilder &b, Location loc, Value l, Value r) {
  return b.create<arith::AddFOp>(loc, l, r);
}
Value sub(OpBuilder &b, Location loc, Value l, Value r) {
  return b.create<arith::SubFOp>(loc, l, r);
}
Value mul(OpBuilder &b, Location loc, Value l, Value r) {
  return b.create<arith::MulFOp>(loc, l, r);
}
/// 1 - v.
Value oneMinus(OpBuilder &b, Location loc, Value v) {
  return sub(b, loc, createF32Constant(b, loc, 1), v);
}
/// s * (1 - s), the derivative of sigmoid at its value s.
Value sigmoidSlope(OpBuilder &b, Location loc, Value s) {
  return mul(b, loc, s, oneMinus(b, loc, s));
}
/// 1 - t^2, the derivative of tanh at its value t.
Value tanhSlope(OpBuilder &b, Location loc, Value t) {
  return oneMinus(b, loc, mul(b, loc, t, t));
}

/// The lstm gates i, f, g, o from the pre-activation of each block.
std::array<Value, 4> lstmGates(OpBuilder &b, Location loc, ValueRange s) {
  return {sigmoid(b, loc, s[0]), sigmoid(b, loc, s[1]),
          b.create<math::TanhOp>(loc, s[2]), sigmoid(b, loc, s[3])};
}

/// The lstm gates from the two sides of each block.
std::array<Value, 4> lstmGates(OpBuilder &b, Location loc, ValueRange u,
                               ValueRange v) {
  SmallVector<Value> sums;
  for (int k = 0; k < 4; ++k)
    sums.push_back(add(b, loc, u[k], v[k]));
  return lstmGates(b, loc, sums);
}

/// The gru gates r, z, n from the two sides of each block.
std::array<Value, 3> gruGates(OpBuilder &b, Location loc, ValueRange u,
                              ValueRange v) {
  Value r = sigmoid(b, loc, add(b, loc, u[0], v[0]));
  Value z = sigmoid(b, loc, add(b, loc, u[1], v[1]));
  Value n =
      b.create<math::TanhOp>(loc, add(b, loc, u[2], mul(b, loc, r, v[2])));
  return {r, z, n};
}

//===----------------------------------------------------------------------===//
// Forward
//===----------------------------------------------------------------------===//

Value RecurrentBuilder::forward() {
  // An empty batch has an empty result (and time-major rows would divide
  // by B = 0).
  if (batch == 0)
    return empty({batch, time, hidden});
  bool isLSTM = cell == Cell::LSTM, isGRU = cell == Cell::GRU;
  Value u = project(toTimeMajor(x), transpose(wIh), bIh);
  Value wHhT = transpose(wHh);
  Value bHhRows = broadcastRows(bHh, batch);

  // Y: block 0 is h_{-1} = 0, block t+1 receives h_t.
  SmallVector<Value> inits = {zeros({(time + 1) * batch, hidden})};
  if (isLSTM)
    inits.push_back(zeros({batch, hidden}));
  Cell kind = cell;
  int64_t g = gates;
  scf::ForOp steps = loop(
      inits, /*reverse=*/false,
      [&](Value row, Value nextRow, ValueRange state) -> SmallVector<Value> {
        Value h = block(state[0], row, 0, hidden);
        Value v = matmul(h, wHhT, bHhRows);
        SmallVector<Value> ins = gateBlocks(u, row);
        ins.append(gateBlocks(v, b.getIndexAttr(0)));
        if (isGRU)
          ins.push_back(h);
        // lstm's c is read and written through the second output.
        SmallVector<Value> outs = {Value()};
        if (isLSTM)
          outs.push_back(state[1]);
        SmallVector<Value> next = elementwise(
            ins, outs,
            [&](OpBuilder &sb, Location sl,
                ValueRange a) -> SmallVector<Value> {
              ValueRange us = a.take_front(g), vs = a.slice(g, g);
              switch (kind) {
              case Cell::RNNTanh:
                return {sb.create<math::TanhOp>(sl, add(sb, sl, us[0], vs[0]))};
              case Cell::RNNRelu:
                return {
                    sb.create<arith::MaximumFOp>(sl, add(sb, sl, us[0], vs[0]),
                                                 createF32Constant(sb, sl, 0))};
              case Cell::LSTM: {
                auto [i, f, gg, o] = lstmGates(sb, sl, us, vs);
                Value cPrev = a[2 * g + 1];
                Value c =
                    add(sb, sl, mul(sb, sl, f, cPrev), mul(sb, sl, i, gg));
                return {mul(sb, sl, o, sb.create<math::TanhOp>(sl, c)), c};
              }
              case Cell::GRU: {
                auto [r, z, n] = gruGates(sb, sl, us, vs);
                Value hPrev = a[2 * g];
                // (1 - z) * n + z * h
                return {add(sb, sl, mul(sb, sl, oneMinus(sb, sl, z), n),
                            mul(sb, sl, z, hPrev))};
              }
              }
              llvm_unreachable("unknown cell");
            });
        SmallVector<Value> yields = {insertRows(next[0], state[0], nextRow)};
        if (isLSTM)
          yields.push_back(next[1]);
        return yields;
      });
  return fromTimeMajor(steps.getResult(0), /*skip=*/1);
}

//===----------------------------------------------------------------------===//
// Backward
//===----------------------------------------------------------------------===//

SmallVector<Value> RecurrentBuilder::backward(Value y, Value dy,
                                              ArrayRef<bool> used) {
  bool isLSTM = cell == Cell::LSTM, isGRU = cell == Cell::GRU;
  bool isRNN = !isLSTM && !isGRU;
  int64_t gateSize = gates * hidden;
  // An empty batch contributes nothing.
  if (batch == 0)
    return {empty({batch, time, input}), zeros({gateSize, input}),
            zeros({gateSize, hidden}), zeros({gateSize}), zeros({gateSize})};
  Value xRows = toTimeMajor(x);
  Value dyRows = toTimeMajor(dy);
  // Y: block 0 zeros, block t+1 = y[:, t]; P = blocks 0 .. T-1 = h_{t-1}.
  Value states = insertRows(toTimeMajor(y), zeros({(time + 1) * batch, hidden}),
                            b.getIndexAttr(batch));
  Value prev = rowsAt(states, b.getIndexAttr(0), time * batch, 0, hidden);
  // The two sides of every step's gates (gru), or for lstm, whose gates
  // only use their sum, that sum in one buffer: the hidden-side product
  // accumulates onto the input side's, which starts from b_ih + b_hh.
  Value u, v;
  if (isGRU) {
    u = project(xRows, transpose(wIh), bIh);
    v = project(prev, transpose(wHh), bHh);
  } else if (isLSTM) {
    Value bias = buildElementwise(
        b, loc, cast<RankedTensorType>(bIh.getType()), {bIh, bHh},
        [&](OpBuilder &sb, Location sl, ValueRange a) -> Value {
          return add(sb, sl, a[0], a[1]);
        });
    u = matmul(prev, transpose(wHh),
               project(xRows, transpose(wIh), bias));
  }

  // lstm: C[block t+1] = c_t, C[block 0] = 0.
  Value cells;
  if (isLSTM) {
    scf::ForOp scan = loop(
        zeros({(time + 1) * batch, hidden}), /*reverse=*/false,
        [&](Value row, Value nextRow, ValueRange state) -> SmallVector<Value> {
          SmallVector<Value> ins = gateBlocks(u, row);
          ins.push_back(block(state[0], row, 0, hidden));
          Value c = elementwise(
              ins, {Value()},
              [&](OpBuilder &sb, Location sl,
                  ValueRange a) -> SmallVector<Value> {
                auto [i, f, gg, o] = lstmGates(sb, sl, a.take_front(4));
                return {add(sb, sl, mul(sb, sl, f, a[4]), mul(sb, sl, i, gg))};
              })[0];
          return {insertRows(c, state[0], nextRow)};
        });
    cells = scan.getResult(0);
  }

  // The reverse loop over t = T-1 .. 0. State: dh, [dc,] GI[, GH].
  SmallVector<Value> inits = {zeros({batch, hidden})};
  if (isLSTM)
    inits.push_back(zeros({batch, hidden}));
  inits.push_back(empty({time * batch, gateSize}));
  if (isGRU)
    inits.push_back(empty({time * batch, gateSize}));
  Cell kind = cell;
  scf::ForOp steps = loop(
      inits, /*reverse=*/true,
      [&](Value row, Value nextRow, ValueRange state) -> SmallVector<Value> {
        Value dhNext = state[0];
        Value dyT = block(dyRows, row, 0, hidden);
        if (isRNN) {
          Value yT = block(states, nextRow, 0, hidden);
          Value g = elementwise(
              {dyT, dhNext, yT}, {Value()},
              [&](OpBuilder &sb, Location sl,
                  ValueRange a) -> SmallVector<Value> {
                Value dh = add(sb, sl, a[0], a[1]);
                if (kind == Cell::RNNTanh)
                  return {mul(sb, sl, dh, tanhSlope(sb, sl, a[2]))};
                // relu: the derivative is 1 where y > 0.
                Value zero = createF32Constant(sb, sl, 0);
                Value positive = sb.create<arith::CmpFOp>(
                    sl, arith::CmpFPredicate::OGT, a[2], zero);
                return {sb.create<arith::SelectOp>(sl, positive, dh, zero)};
              })[0];
          return {matmul(g, wHh, fill(dhNext)), insertRows(g, state[1], row)};
        }
        if (isLSTM) {
          SmallVector<Value> ins = {dyT, dhNext};
          ins.append(gateBlocks(u, row));
          ins.push_back(block(cells, row, 0, hidden));     // c_{t-1}
          ins.push_back(block(cells, nextRow, 0, hidden)); // c_t
          // Outputs: the four gate cotangents, then dc (read: the cotangent
          // of c_t from step t+1; written: that of c_{t-1}).
          SmallVector<Value> out = elementwise(
              ins, {Value(), Value(), Value(), Value(), state[1]},
              [&](OpBuilder &sb, Location sl,
                  ValueRange a) -> SmallVector<Value> {
                Value dh = add(sb, sl, a[0], a[1]);
                auto [ig, fg, gg, og] = lstmGates(sb, sl, a.slice(2, 4));
                Value cPrev = a[6];
                Value tc = sb.create<math::TanhOp>(sl, a[7]);
                // dc_t = dc + dh * o * (1 - tanh(c_t)^2)
                Value dc = add(
                    sb, sl, a[12],
                    mul(sb, sl, mul(sb, sl, dh, og), tanhSlope(sb, sl, tc)));
                return {
                    mul(sb, sl, mul(sb, sl, dc, gg), sigmoidSlope(sb, sl, ig)),
                    mul(sb, sl, mul(sb, sl, dc, cPrev),
                        sigmoidSlope(sb, sl, fg)),
                    mul(sb, sl, mul(sb, sl, dc, ig), tanhSlope(sb, sl, gg)),
                    mul(sb, sl, mul(sb, sl, dh, tc), sigmoidSlope(sb, sl, og)),
                    mul(sb, sl, dc, fg)};
              });
          Value g = concatBlocks(ArrayRef<Value>(out).take_front(4));
          return {matmul(g, wHh, fill(dhNext)), out[4],
                  insertRows(g, state[2], row)};
        }
        // gru.
        SmallVector<Value> ins = {dyT};
        ins.append(gateBlocks(u, row));
        ins.append(gateBlocks(v, row));
        ins.push_back(block(states, row, 0, hidden)); // h_{t-1}
        // Outputs: daR, daZ, dpre, dpre * r, then dh (read: the cotangent
        // from step t+1; written: z * dh, its direct path to h_{t-1}).
        SmallVector<Value> out = elementwise(
            ins, {Value(), Value(), Value(), Value(), dhNext},
            [&](OpBuilder &sb, Location sl,
                ValueRange a) -> SmallVector<Value> {
              Value dh = add(sb, sl, a[0], a[12]);
              ValueRange us = a.slice(1, 3), vs = a.slice(4, 3);
              auto [r, z, n] = gruGates(sb, sl, us, vs);
              Value hPrev = a[7];
              // dpre = dh * (1 - z) * (1 - n^2), n = tanh(pre)
              Value dpre = mul(sb, sl, mul(sb, sl, dh, oneMinus(sb, sl, z)),
                               tanhSlope(sb, sl, n));
              Value daR = mul(sb, sl, mul(sb, sl, dpre, vs[2]),
                              sigmoidSlope(sb, sl, r));
              Value daZ = mul(sb, sl, mul(sb, sl, dh, sub(sb, sl, hPrev, n)),
                              sigmoidSlope(sb, sl, z));
              return {daR, daZ, dpre, mul(sb, sl, dpre, r), mul(sb, sl, dh, z)};
            });
        Value gi = concatBlocks({out[0], out[1], out[2]});
        Value gh = concatBlocks({out[0], out[1], out[3]});
        return {matmul(gh, wHh, out[4]), insertRows(gi, state[1], row),
                insertRows(gh, state[2], row)};
      });

  Value gI = steps.getResult(isLSTM ? 2 : 1);
  Value gH = isGRU ? steps.getResult(2) : gI;
  SmallVector<Value> grads = {
      empty({batch, time, input}), empty({gateSize, input}),
      empty({gateSize, hidden}), empty({gateSize}), empty({gateSize})};
  if (used[0])
    grads[0] = fromTimeMajor(matmul(gI, wIh, zeros({time * batch, input})),
                             /*skip=*/0);
  if (used[1])
    grads[1] = matmul(transpose(gI), xRows, zeros({gateSize, input}));
  if (used[2])
    grads[2] = matmul(transpose(gH), prev, zeros({gateSize, hidden}));
  if (used[3])
    grads[3] = sumRows(gI);
  if (used[4])
    grads[4] = sumRows(gH);
  return grads;
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

Cell rnnCell(nn::RNNNonlinearity nonlinearity) {
  return nonlinearity == nn::RNNNonlinearity::relu ? Cell::RNNRelu
                                                   : Cell::RNNTanh;
}
Cell getCell(nn::RNNOp op) { return rnnCell(op.getNonlinearity()); }
Cell getCell(nn::RNNBackwardOp op) { return rnnCell(op.getNonlinearity()); }
Cell getCell(nn::LSTMOp) { return Cell::LSTM; }
Cell getCell(nn::LSTMBackwardOp) { return Cell::LSTM; }
Cell getCell(nn::GRUOp) { return Cell::GRU; }
Cell getCell(nn::GRUBackwardOp) { return Cell::GRU; }

/// `nn.rnn` / `nn.lstm` / `nn.gru` -> the input projection and an `scf.for`
/// over the steps.
template <typename OpTy>
struct LayerLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RecurrentBuilder builder(rewriter, op.getLoc(), getCell(op), adaptor.getX(),
                             adaptor.getWIh(), adaptor.getWHh(),
                             adaptor.getBIh(), adaptor.getBHh());
    rewriter.replaceOp(op, builder.forward());
    return success();
  }
};

/// The backward ops -> the recomputed gates, a reverse `scf.for` over the
/// steps and whole-sequence products.
template <typename OpTy>
struct BackwardLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RecurrentBuilder builder(rewriter, op.getLoc(), getCell(op), adaptor.getX(),
                             adaptor.getWIh(), adaptor.getWHh(),
                             adaptor.getBIh(), adaptor.getBHh());
    SmallVector<bool> used;
    for (Value result : op->getResults())
      used.push_back(!result.use_empty());
    rewriter.replaceOp(op,
                       builder.backward(adaptor.getY(), adaptor.getDy(), used));
    return success();
  }
};

} // namespace

void kiln::populateNNRecurrentToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LayerLowering<nn::RNNOp>, LayerLowering<nn::LSTMOp>,
               LayerLowering<nn::GRUOp>, BackwardLowering<nn::RNNBackwardOp>,
               BackwardLowering<nn::LSTMBackwardOp>,
               BackwardLowering<nn::GRUBackwardOp>>(patterns.getContext());
}
