//===- RecurrentKernels.cpp - rnn, lstm and gru in f64 ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The reference semantics of nn.rnn, nn.lstm, nn.gru and their backward ops,
// written from NNRecurrentOps.td and docs/Spec.md: a plain loop over the
// time steps, every product summed in double precision.
//
// The backward ops are backpropagation through time as the spec states it:
// the hidden state before step t is read from the operand `y`
// (`h_{t-1} = y[:, t-1, :]`, 0 for t = 0), the gates of step t and lstm's
// cell states are recomputed from it, and the cotangents flow from step
// T-1 down to 0.
//
//===----------------------------------------------------------------------===//

#include "Families.h"
#include "kiln/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace kiln::reference;
using namespace kiln::reference::detail;

namespace {

double sigmoid(double v) { return scalar::sigmoid(v); }

/// The kinds of layer.
enum class Cell { RNNTanh, RNNRelu, LSTM, GRU };

int64_t getNumGates(Cell cell) {
  switch (cell) {
  case Cell::LSTM:
    return 4;
  case Cell::GRU:
    return 3;
  default:
    return 1;
  }
}

/// The operands of a layer and its sizes.
struct Layer {
  Cell cell;
  const RefTensor &x, &wIh, &wHh, &bIh, &bHh;
  int64_t B, T, I, H, G;

  Layer(Cell cell, const RefTensor &x, const RefTensor &wIh,
        const RefTensor &wHh, const RefTensor &bIh, const RefTensor &bHh)
      : cell(cell), x(x), wIh(wIh), wHh(wHh), bIh(bIh), bHh(bHh), B(x.shape[0]),
        T(x.shape[1]), I(x.shape[2]), H(wHh.shape[1]), G(getNumGates(cell)) {}

  /// `u[b, r] = b_ih[r] + sum_i x[b, t, i] * w_ih[r, i]` for the G*H rows
  /// `r` (the input side of step t), row-major `[B, G*H]`.
  std::vector<double> inputSide(int64_t t) const {
    std::vector<double> u(B * G * H);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t r = 0; r < G * H; ++r) {
        double sum = bIh.data[r];
        for (int64_t i = 0; i < I; ++i)
          sum += x.data[(b * T + t) * I + i] * wIh.data[r * I + i];
        u[b * G * H + r] = sum;
      }
    return u;
  }

  /// `v[b, r] = b_hh[r] + sum_m h[b, m] * w_hh[r, m]` for the hidden state
  /// `h` `[B, H]` (the hidden side).
  std::vector<double> hiddenSide(const std::vector<double> &h) const {
    std::vector<double> v(B * G * H);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t r = 0; r < G * H; ++r) {
        double sum = bHh.data[r];
        for (int64_t m = 0; m < H; ++m)
          sum += h[b * H + m] * wHh.data[r * H + m];
        v[b * G * H + r] = sum;
      }
    return v;
  }

  /// The hidden state before step t read from `y` (zeros for t = 0).
  std::vector<double> previous(const RefTensor &y, int64_t t) const {
    std::vector<double> h(B * H, 0.0);
    if (t > 0)
      for (int64_t b = 0; b < B; ++b)
        for (int64_t j = 0; j < H; ++j)
          h[b * H + j] = y.data[(b * T + t - 1) * H + j];
    return h;
  }
};

/// The gate values of one element `(b, j)` of one step.
struct Gates {
  double i, f, g, o;  // lstm
  double r, z, n, vn; // gru (vn: the hidden side of the n block)
};

/// Evaluates the gates of lstm or gru for element (b, j) from the two sides
/// of the step.
Gates computeGates(const Layer &l, const std::vector<double> &u,
                   const std::vector<double> &v, int64_t b, int64_t j) {
  int64_t H = l.H, row = b * l.G * H;
  auto a = [&](int64_t k) { return u[row + k * H + j] + v[row + k * H + j]; };
  Gates gates{};
  if (l.cell == Cell::LSTM) {
    gates.i = sigmoid(a(0));
    gates.f = sigmoid(a(1));
    gates.g = std::tanh(a(2));
    gates.o = sigmoid(a(3));
  } else {
    gates.r = sigmoid(a(0));
    gates.z = sigmoid(a(1));
    gates.vn = v[row + 2 * H + j];
    gates.n = std::tanh(u[row + 2 * H + j] + gates.r * gates.vn);
  }
  return gates;
}

/// The forward layer: the hidden state after every step, `[B, T, H]`.
RefTensor forward(const Layer &l) {
  int64_t B = l.B, T = l.T, H = l.H;
  RefTensor y = RefTensor::filled(ElementKind::F32, {B, T, H});
  std::vector<double> h(B * H, 0.0), c(B * H, 0.0);
  for (int64_t t = 0; t < T; ++t) {
    std::vector<double> u = l.inputSide(t), v = l.hiddenSide(h);
    std::vector<double> next(B * H);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t j = 0; j < H; ++j) {
        int64_t e = b * H + j;
        switch (l.cell) {
        case Cell::RNNTanh:
          next[e] = std::tanh(u[b * H + j] + v[b * H + j]);
          break;
        case Cell::RNNRelu:
          next[e] = scalar::relu(u[b * H + j] + v[b * H + j]);
          break;
        case Cell::LSTM: {
          Gates gt = computeGates(l, u, v, b, j);
          c[e] = gt.f * c[e] + gt.i * gt.g;
          next[e] = gt.o * std::tanh(c[e]);
          break;
        }
        case Cell::GRU: {
          Gates gt = computeGates(l, u, v, b, j);
          next[e] = (1.0 - gt.z) * gt.n + gt.z * h[e];
          break;
        }
        }
        y.data[(b * T + t) * H + j] = next[e];
      }
    h = std::move(next);
  }
  return y;
}

/// Backpropagation through time: dx, dw_ih, dw_hh, db_ih, db_hh.
llvm::SmallVector<RefTensor> backward(const Layer &l, const RefTensor &y,
                                      const RefTensor &dy) {
  int64_t B = l.B, T = l.T, I = l.I, H = l.H, GH = l.G * l.H;
  RefTensor dx = RefTensor::filled(ElementKind::F32, l.x.shape);
  RefTensor dwIh = RefTensor::filled(ElementKind::F32, l.wIh.shape);
  RefTensor dwHh = RefTensor::filled(ElementKind::F32, l.wHh.shape);
  RefTensor dbIh = RefTensor::filled(ElementKind::F32, l.bIh.shape);
  RefTensor dbHh = RefTensor::filled(ElementKind::F32, l.bHh.shape);

  // lstm: the cell states c_{-1} = 0, c_0, ..., c_{T-1} from the gates that
  // the hidden states in y give.
  std::vector<std::vector<double>> cells;
  if (l.cell == Cell::LSTM) {
    cells.assign(T + 1, std::vector<double>(B * H, 0.0));
    for (int64_t t = 0; t < T; ++t) {
      std::vector<double> u = l.inputSide(t),
                          v = l.hiddenSide(l.previous(y, t));
      for (int64_t b = 0; b < B; ++b)
        for (int64_t j = 0; j < H; ++j) {
          Gates gt = computeGates(l, u, v, b, j);
          cells[t + 1][b * H + j] = gt.f * cells[t][b * H + j] + gt.i * gt.g;
        }
    }
  }

  // dhNext: the cotangent of h_t that step t+1 sends back; dcNext likewise
  // for lstm's c_t.
  std::vector<double> dhNext(B * H, 0.0), dcNext(B * H, 0.0);
  for (int64_t t = T - 1; t >= 0; --t) {
    std::vector<double> hPrev = l.previous(y, t);
    std::vector<double> u, v;
    if (l.cell == Cell::LSTM || l.cell == Cell::GRU) {
      u = l.inputSide(t);
      v = l.hiddenSide(hPrev);
    }
    // Cotangents of the input side (gI) and the hidden side (gH) of each
    // gate block, [B, G*H]; they differ only in gru's n block.
    std::vector<double> gI(B * GH), gH(B * GH), dhPrev(B * H, 0.0),
        dcPrev(B * H, 0.0);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t j = 0; j < H; ++j) {
        int64_t e = b * H + j, row = b * GH;
        double dh = dy.data[(b * T + t) * H + j] + dhNext[e];
        switch (l.cell) {
        case Cell::RNNTanh: {
          double ht = y.data[(b * T + t) * H + j];
          gI[row + j] = gH[row + j] = dh * (1.0 - ht * ht);
          break;
        }
        case Cell::RNNRelu: {
          double ht = y.data[(b * T + t) * H + j];
          gI[row + j] = gH[row + j] = ht > 0 ? dh : 0.0;
          break;
        }
        case Cell::LSTM: {
          Gates gt = computeGates(l, u, v, b, j);
          double tc = std::tanh(cells[t + 1][e]);
          double dc = dcNext[e] + dh * gt.o * (1.0 - tc * tc);
          double da[4] = {dc * gt.g * gt.i * (1.0 - gt.i),
                          dc * cells[t][e] * gt.f * (1.0 - gt.f),
                          dc * gt.i * (1.0 - gt.g * gt.g),
                          dh * tc * gt.o * (1.0 - gt.o)};
          for (int k = 0; k < 4; ++k)
            gI[row + k * H + j] = gH[row + k * H + j] = da[k];
          dcPrev[e] = dc * gt.f;
          break;
        }
        case Cell::GRU: {
          Gates gt = computeGates(l, u, v, b, j);
          double dn = dh * (1.0 - gt.z);
          double dz = dh * (hPrev[e] - gt.n);
          double dpre = dn * (1.0 - gt.n * gt.n); // n = tanh(pre)
          double dr = dpre * gt.vn;
          double daR = dr * gt.r * (1.0 - gt.r);
          double daZ = dz * gt.z * (1.0 - gt.z);
          gI[row + j] = gH[row + j] = daR;
          gI[row + H + j] = gH[row + H + j] = daZ;
          gI[row + 2 * H + j] = dpre;
          gH[row + 2 * H + j] = dpre * gt.r;
          dhPrev[e] = dh * gt.z;
          break;
        }
        }
      }
    // Through the products: x_t W_ih^T and h_{t-1} W_hh^T.
    for (int64_t b = 0; b < B; ++b)
      for (int64_t r = 0; r < GH; ++r) {
        double gi = gI[b * GH + r], gh = gH[b * GH + r];
        dbIh.data[r] += gi;
        dbHh.data[r] += gh;
        for (int64_t i = 0; i < I; ++i) {
          dwIh.data[r * I + i] += gi * l.x.data[(b * T + t) * I + i];
          dx.data[(b * T + t) * I + i] += gi * l.wIh.data[r * I + i];
        }
        for (int64_t m = 0; m < H; ++m) {
          dwHh.data[r * H + m] += gh * hPrev[b * H + m];
          dhPrev[b * H + m] += gh * l.wHh.data[r * H + m];
        }
      }
    dhNext = std::move(dhPrev);
    dcNext = std::move(dcPrev);
  }
  return {dx, dwIh, dwHh, dbIh, dbHh};
}

Cell rnnCell(kiln::nn::RNNNonlinearity nonlinearity) {
  return nonlinearity == kiln::nn::RNNNonlinearity::relu ? Cell::RNNRelu
                                                         : Cell::RNNTanh;
}

} // namespace

FamilyResult kiln::reference::detail::evaluateRecurrentOp(mlir::Operation *op,
                                                          OperandFn operand) {
  auto layer = [&](Cell cell) {
    return Layer(cell, operand(0), operand(1), operand(2), operand(3),
                 operand(4));
  };
  using Results = llvm::SmallVector<RefTensor>;
  return llvm::TypeSwitch<mlir::Operation *, FamilyResult>(op)
      .Case([&](kiln::nn::RNNOp rnn) -> FamilyResult {
        return Results{forward(layer(rnnCell(rnn.getNonlinearity())))};
      })
      .Case([&](kiln::nn::LSTMOp) -> FamilyResult {
        return Results{forward(layer(Cell::LSTM))};
      })
      .Case([&](kiln::nn::GRUOp) -> FamilyResult {
        return Results{forward(layer(Cell::GRU))};
      })
      .Case([&](kiln::nn::RNNBackwardOp rnn) -> FamilyResult {
        return backward(layer(rnnCell(rnn.getNonlinearity())), operand(5),
                        operand(6));
      })
      .Case([&](kiln::nn::LSTMBackwardOp) -> FamilyResult {
        return backward(layer(Cell::LSTM), operand(5), operand(6));
      })
      .Case([&](kiln::nn::GRUBackwardOp) -> FamilyResult {
        return backward(layer(Cell::GRU), operand(5), operand(6));
      })
      .Default([](mlir::Operation *) -> FamilyResult { return std::nullopt; });
}
