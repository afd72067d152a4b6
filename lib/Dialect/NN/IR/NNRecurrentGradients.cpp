//===- NNRecurrentGradients.cpp - reverse-mode rules of recurrent ops ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The vector-Jacobian products of nn.rnn, nn.lstm and nn.gru
// (NNRecurrentOps.td), implemented through `DifferentiableOpInterface` like
// the rules in NNGradients.cpp; docs/Autodiff.md lists them. Each layer's
// rule is one backward op that does backpropagation through time over the
// whole sequence:
//
//   y = lstm(x, w_ih, w_hh, b_ih, b_hh)
//   dx, dw_ih, dw_hh, db_ih, db_hh = lstm_backward(x, w_ih, w_hh, b_ih, b_hh,
//                                                  y, ct)
//
// (rnn and gru alike; rnn_backward carries the nonlinearity). The backward
// op reads the hidden states from `y`, the layer's own result, so the
// forward recurrence is not run again; it recomputes the gates (and lstm's
// cell states) from them. The backward ops have no rule of their own.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln::nn;

/// Returns the only cotangent of a single-result op, which the interface
/// guarantees to be non-null.
static Value singleCotangent(ArrayRef<Value> cotangents) {
  assert(cotangents.size() == 1 && cotangents[0] && "missing cotangent");
  return cotangents[0];
}

SmallVector<Value> RNNOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  auto backward = b.create<RNNBackwardOp>(
      getLoc(), getX(), getWIh(), getWHh(), getBIh(), getBHh(), getResult(),
      singleCotangent(cts), getNonlinearity());
  return SmallVector<Value>(backward->getResults());
}

SmallVector<Value> LSTMOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  auto backward =
      b.create<LSTMBackwardOp>(getLoc(), getX(), getWIh(), getWHh(), getBIh(),
                               getBHh(), getResult(), singleCotangent(cts));
  return SmallVector<Value>(backward->getResults());
}

SmallVector<Value> GRUOp::buildVJP(OpBuilder &b, ArrayRef<Value> cts) {
  auto backward =
      b.create<GRUBackwardOp>(getLoc(), getX(), getWIh(), getWHh(), getBIh(),
                              getBHh(), getResult(), singleCotangent(cts));
  return SmallVector<Value>(backward->getResults());
}
