//===- Kernels.cpp - f64 reference kernels of the nn ops ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Straightforward loops over row-major index spaces. Clarity over speed:
// these kernels define what the compiled code must compute.
//
//===----------------------------------------------------------------------===//

#include "kiln/Reference/Kernels.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <cmath>
#include <limits>

using namespace kiln::reference;
using llvm::ArrayRef;
using llvm::SmallVector;

//===----------------------------------------------------------------------===//
// RefTensor
//===----------------------------------------------------------------------===//

llvm::StringRef kiln::reference::getElementKindName(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return "f32";
  case ElementKind::I1:
    return "i1";
  case ElementKind::I32:
    return "i32";
  case ElementKind::I64:
    return "i64";
  }
  return "?";
}

int64_t kiln::reference::getNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

RefTensor RefTensor::filled(ElementKind kind, ArrayRef<int64_t> shape,
                            double value) {
  return RefTensor(
      kind, shape,
      std::vector<double>(
          static_cast<size_t>(kiln::reference::getNumElements(shape)), value));
}

RefTensor RefTensor::scalar(double value) {
  return RefTensor(ElementKind::F32, {}, {value});
}

std::string RefTensor::getTypeString() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  for (int64_t d : shape)
    os << d << 'x';
  os << getElementKindName(kind);
  return s;
}

//===----------------------------------------------------------------------===//
// Index helpers
//===----------------------------------------------------------------------===//

/// Row-major strides of `shape`.
static SmallVector<int64_t> getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Strides that read an operand of shape `operand` while iterating over the
/// broadcast shape `result`: aligned at the trailing dimension, 0 where the
/// operand has size 1 (or no dimension at all).
static SmallVector<int64_t> getBroadcastStrides(ArrayRef<int64_t> operand,
                                                ArrayRef<int64_t> result) {
  assert(operand.size() <= result.size() && "operand rank exceeds result");
  SmallVector<int64_t> own = getStrides(operand);
  SmallVector<int64_t> strides(result.size(), 0);
  size_t lead = result.size() - operand.size();
  for (size_t i = 0; i < operand.size(); ++i)
    strides[lead + i] = operand[i] == 1 ? 0 : own[i];
  return strides;
}

/// Calls `fn(resultIndex, offsets)` for every element of `shape` in
/// row-major order, where `offsets[k]` is the linear index into operand k
/// whose strides (over `shape`) are `strides[k]`.
static void
forEachIndex(ArrayRef<int64_t> shape, ArrayRef<SmallVector<int64_t>> strides,
             llvm::function_ref<void(int64_t, ArrayRef<int64_t>)> fn) {
  int64_t total = getNumElements(shape);
  if (total == 0)
    return;
  size_t rank = shape.size();
  SmallVector<int64_t> index(rank, 0);
  SmallVector<int64_t> offsets(strides.size(), 0);
  for (int64_t linear = 0; linear < total; ++linear) {
    fn(linear, offsets);
    // Increment the multi-index, updating the operand offsets.
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      ++index[d];
      for (size_t k = 0; k < strides.size(); ++k)
        offsets[k] += strides[k][d];
      if (index[d] < shape[d])
        break;
      for (size_t k = 0; k < strides.size(); ++k)
        offsets[k] -= strides[k][d] * index[d];
      index[d] = 0;
    }
  }
}

std::optional<SmallVector<int64_t>>
kiln::reference::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    result[rank - 1 - i] = da == 1 ? db : da;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

double scalar::sigmoid(double x) {
  if (x >= 0)
    return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

double scalar::maximum(double x, double y) {
  if (std::isnan(x) || std::isnan(y))
    return std::numeric_limits<double>::quiet_NaN();
  if (x == y) // -0 < +0
    return std::signbit(x) ? y : x;
  return x > y ? x : y;
}

double scalar::minimum(double x, double y) {
  if (std::isnan(x) || std::isnan(y))
    return std::numeric_limits<double>::quiet_NaN();
  if (x == y) // -0 < +0
    return std::signbit(x) ? x : y;
  return x < y ? x : y;
}

double scalar::relu(double x) {
  if (std::isnan(x))
    return x;
  return x > 0 ? x : 0.0;
}

RefTensor kiln::reference::mapUnary(const RefTensor &x,
                                    llvm::function_ref<double(double)> fn) {
  RefTensor result(x.kind, x.shape, std::vector<double>(x.data.size()));
  for (size_t i = 0; i < x.data.size(); ++i)
    result.data[i] = fn(x.data[i]);
  return result;
}

RefTensor
kiln::reference::mapBinary(const RefTensor &lhs, const RefTensor &rhs,
                           ElementKind resultKind,
                           llvm::function_ref<double(double, double)> fn) {
  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes(lhs.shape, rhs.shape);
  assert(shape && "operands do not broadcast");
  RefTensor result = RefTensor::filled(resultKind, *shape);
  SmallVector<SmallVector<int64_t>> strides = {
      getBroadcastStrides(lhs.shape, *shape),
      getBroadcastStrides(rhs.shape, *shape)};
  forEachIndex(*shape, strides, [&](int64_t i, ArrayRef<int64_t> off) {
    result.data[i] = fn(lhs.data[off[0]], rhs.data[off[1]]);
  });
  return result;
}

RefTensor kiln::reference::select(const RefTensor &cond,
                                  const RefTensor &onTrue,
                                  const RefTensor &onFalse) {
  std::optional<SmallVector<int64_t>> partial =
      broadcastShapes(cond.shape, onTrue.shape);
  assert(partial && "operands do not broadcast");
  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes(*partial, onFalse.shape);
  assert(shape && "operands do not broadcast");
  RefTensor result = RefTensor::filled(onTrue.kind, *shape);
  SmallVector<SmallVector<int64_t>> strides = {
      getBroadcastStrides(cond.shape, *shape),
      getBroadcastStrides(onTrue.shape, *shape),
      getBroadcastStrides(onFalse.shape, *shape)};
  forEachIndex(*shape, strides, [&](int64_t i, ArrayRef<int64_t> off) {
    result.data[i] =
        cond.data[off[0]] != 0 ? onTrue.data[off[1]] : onFalse.data[off[2]];
  });
  return result;
}

RefTensor kiln::reference::softmax(const RefTensor &x, int64_t axis, bool log) {
  assert(axis >= 0 && axis < x.getRank() && "axis out of range");
  int64_t outer = getNumElements(ArrayRef<int64_t>(x.shape).take_front(axis));
  int64_t n = x.shape[axis];
  int64_t inner =
      getNumElements(ArrayRef<int64_t>(x.shape).drop_front(axis + 1));
  RefTensor result(x.kind, x.shape, std::vector<double>(x.data.size()));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t in = 0; in < inner; ++in) {
      auto at = [&](int64_t k) { return (o * n + k) * inner + in; };
      double max = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < n; ++k)
        max = scalar::maximum(max, x.data[at(k)]);
      double sum = 0.0;
      for (int64_t k = 0; k < n; ++k)
        sum += std::exp(x.data[at(k)] - max);
      double logSum = std::log(sum);
      for (int64_t k = 0; k < n; ++k) {
        double shifted = x.data[at(k)] - max;
        result.data[at(k)] = log ? shifted - logSum : std::exp(shifted) / sum;
      }
    }
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Linear algebra and data movement
//===----------------------------------------------------------------------===//

RefTensor kiln::reference::matmul(const RefTensor &lhs, const RefTensor &rhs) {
  assert(lhs.getRank() == rhs.getRank() &&
         (lhs.getRank() == 2 || lhs.getRank() == 3) && "bad matmul ranks");
  bool batched = lhs.getRank() == 3;
  int64_t b = batched ? lhs.shape[0] : 1;
  int64_t m = lhs.shape[lhs.getRank() - 2];
  int64_t k = lhs.shape[lhs.getRank() - 1];
  int64_t n = rhs.shape[rhs.getRank() - 1];
  assert(rhs.shape[rhs.getRank() - 2] == k && "contracting dims differ");
  SmallVector<int64_t> shape;
  if (batched)
    shape.push_back(b);
  shape.append({m, n});
  RefTensor result = RefTensor::filled(lhs.kind, shape);
  for (int64_t bi = 0; bi < b; ++bi)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0.0;
        for (int64_t p = 0; p < k; ++p)
          acc +=
              lhs.data[(bi * m + i) * k + p] * rhs.data[(bi * k + p) * n + j];
        result.data[(bi * m + i) * n + j] = acc;
      }
  return result;
}

RefTensor kiln::reference::transpose(const RefTensor &x,
                                     ArrayRef<int64_t> perm) {
  assert(static_cast<int64_t>(perm.size()) == x.getRank() && "bad perm");
  SmallVector<int64_t> inStrides = getStrides(x.shape);
  SmallVector<int64_t> shape, strides;
  for (int64_t p : perm) {
    shape.push_back(x.shape[p]);
    strides.push_back(inStrides[p]);
  }
  RefTensor result = RefTensor::filled(x.kind, shape);
  forEachIndex(shape, {strides}, [&](int64_t i, ArrayRef<int64_t> off) {
    result.data[i] = x.data[off[0]];
  });
  return result;
}

RefTensor kiln::reference::reshape(const RefTensor &x,
                                   ArrayRef<int64_t> shape) {
  assert(getNumElements(shape) == x.getNumElements() && "size changes");
  return RefTensor(x.kind, shape, x.data);
}

RefTensor kiln::reference::broadcastTo(const RefTensor &x,
                                       ArrayRef<int64_t> shape) {
  RefTensor result = RefTensor::filled(x.kind, shape);
  forEachIndex(shape, {getBroadcastStrides(x.shape, shape)},
               [&](int64_t i, ArrayRef<int64_t> off) {
                 result.data[i] = x.data[off[0]];
               });
  return result;
}

RefTensor kiln::reference::concat(ArrayRef<const RefTensor *> inputs,
                                  int64_t axis) {
  assert(!inputs.empty() && "concat of nothing");
  const RefTensor &first = *inputs.front();
  assert(axis >= 0 && axis < first.getRank() && "axis out of range");
  SmallVector<int64_t> shape(first.shape);
  shape[axis] = 0;
  for (const RefTensor *t : inputs)
    shape[axis] += t->shape[axis];
  int64_t outer = getNumElements(ArrayRef<int64_t>(shape).take_front(axis));
  int64_t inner = getNumElements(ArrayRef<int64_t>(shape).drop_front(axis + 1));
  RefTensor result = RefTensor::filled(first.kind, shape);
  int64_t rowLength = shape[axis] * inner;
  int64_t start = 0;
  for (const RefTensor *t : inputs) {
    int64_t chunk = t->shape[axis] * inner;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t c = 0; c < chunk; ++c)
        result.data[o * rowLength + start + c] = t->data[o * chunk + c];
    start += chunk;
  }
  return result;
}

RefTensor kiln::reference::slice(const RefTensor &x, ArrayRef<int64_t> offsets,
                                 ArrayRef<int64_t> sizes,
                                 ArrayRef<int64_t> strides) {
  assert(offsets.size() == sizes.size() && sizes.size() == strides.size() &&
         static_cast<int64_t>(sizes.size()) == x.getRank() && "bad slice");
  SmallVector<int64_t> inStrides = getStrides(x.shape);
  SmallVector<int64_t> step;
  int64_t base = 0;
  for (size_t d = 0; d < sizes.size(); ++d) {
    base += offsets[d] * inStrides[d];
    step.push_back(strides[d] * inStrides[d]);
  }
  RefTensor result = RefTensor::filled(x.kind, sizes);
  forEachIndex(sizes, {step}, [&](int64_t i, ArrayRef<int64_t> off) {
    result.data[i] = x.data[base + off[0]];
  });
  return result;
}

//===----------------------------------------------------------------------===//
// Reductions and losses
//===----------------------------------------------------------------------===//

RefTensor kiln::reference::reduce(const RefTensor &x, ArrayRef<int64_t> axes,
                                  bool keepDims, ReduceKind kind) {
  SmallVector<bool> reduced(x.getRank(), false);
  for (int64_t a : axes) {
    assert(a >= 0 && a < x.getRank() && !reduced[a] && "bad axes");
    reduced[a] = true;
  }
  // Iterate over the input; map each element to its (keepdims) result slot.
  SmallVector<int64_t> keptShape(x.shape);
  for (int64_t d = 0; d < x.getRank(); ++d)
    if (reduced[d])
      keptShape[d] = 1;
  SmallVector<int64_t> keptStrides = getStrides(keptShape);
  SmallVector<int64_t> toResult(x.getRank(), 0);
  int64_t count = 1;
  for (int64_t d = 0; d < x.getRank(); ++d) {
    if (reduced[d])
      count *= x.shape[d];
    else
      toResult[d] = keptStrides[d];
  }
  double init =
      kind == ReduceKind::Max ? -std::numeric_limits<double>::infinity() : 0.0;
  RefTensor result = RefTensor::filled(x.kind, keptShape, init);
  forEachIndex(x.shape, {toResult}, [&](int64_t i, ArrayRef<int64_t> off) {
    double &acc = result.data[off[0]];
    acc = kind == ReduceKind::Max ? scalar::maximum(acc, x.data[i])
                                  : acc + x.data[i];
  });
  if (kind == ReduceKind::Mean)
    for (double &v : result.data)
      v /= static_cast<double>(count);
  if (!keepDims) {
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < x.getRank(); ++d)
      if (!reduced[d])
        shape.push_back(x.shape[d]);
    result.shape = shape;
  }
  return result;
}

/// Sum, or mean over `count` elements when `mean`, as an f32 scalar.
static RefTensor reduceLoss(double sum, int64_t count, bool mean) {
  return RefTensor::scalar(mean ? sum / static_cast<double>(count) : sum);
}

RefTensor kiln::reference::mse(const RefTensor &pred, const RefTensor &target,
                               bool mean) {
  assert(pred.shape == target.shape && "mse shapes differ");
  double sum = 0.0;
  for (size_t i = 0; i < pred.data.size(); ++i) {
    double d = pred.data[i] - target.data[i];
    sum += d * d;
  }
  return reduceLoss(sum, pred.getNumElements(), mean);
}

std::optional<RefTensor> kiln::reference::crossEntropy(const RefTensor &logits,
                                                       const RefTensor &labels,
                                                       bool mean,
                                                       int64_t &badRow) {
  assert(logits.getRank() == 2 && labels.getRank() == 1 &&
         logits.shape[0] == labels.shape[0] && "bad cross_entropy shapes");
  int64_t n = logits.shape[0], c = logits.shape[1];
  double sum = 0.0;
  for (int64_t row = 0; row < n; ++row) {
    double label = labels.data[row];
    if (!(label >= 0 && label < static_cast<double>(c))) {
      badRow = row;
      return std::nullopt;
    }
    const double *x = &logits.data[row * c];
    double max = -std::numeric_limits<double>::infinity();
    for (int64_t k = 0; k < c; ++k)
      max = scalar::maximum(max, x[k]);
    double s = 0.0;
    for (int64_t k = 0; k < c; ++k)
      s += std::exp(x[k] - max);
    sum += max + std::log(s) - x[static_cast<int64_t>(label)];
  }
  return reduceLoss(sum, n, mean);
}

RefTensor kiln::reference::binaryCrossEntropy(const RefTensor &logits,
                                              const RefTensor &targets,
                                              bool mean) {
  assert(logits.shape == targets.shape && "bce shapes differ");
  double sum = 0.0;
  for (size_t i = 0; i < logits.data.size(); ++i) {
    double x = logits.data[i], t = targets.data[i];
    sum += scalar::relu(x) - x * t + std::log1p(std::exp(-std::fabs(x)));
  }
  return reduceLoss(sum, logits.getNumElements(), mean);
}

//===----------------------------------------------------------------------===//
// Optimizers and penalties
//===----------------------------------------------------------------------===//

double kiln::reference::lrSchedule(const LRSchedule &schedule, int64_t step) {
  step = std::max<int64_t>(step, 0);
  switch (schedule.kind) {
  case ScheduleKind::Constant:
    return schedule.lr;
  case ScheduleKind::Step:
    return schedule.lr *
           std::pow(schedule.gamma,
                    static_cast<double>(step / schedule.stepSize));
  case ScheduleKind::Cosine: {
    double progress = static_cast<double>(std::min(step, schedule.totalSteps)) /
                      static_cast<double>(schedule.totalSteps);
    return schedule.minLr + (schedule.lr - schedule.minLr) *
                                (1.0 + std::cos(llvm::numbers::pi * progress)) /
                                2.0;
  }
  }
  return schedule.lr;
}

RefTensor kiln::reference::sgd(const RefTensor &param, const RefTensor &grad,
                               double lr, double weightDecay) {
  assert(param.shape == grad.shape && "sgd shapes differ");
  RefTensor result = param;
  for (size_t i = 0; i < param.data.size(); ++i) {
    double p = param.data[i];
    double g = grad.data[i] + weightDecay * p;
    result.data[i] = p - lr * g;
  }
  return result;
}

SmallVector<RefTensor> kiln::reference::momentum(const RefTensor &param,
                                                 const RefTensor &grad,
                                                 const RefTensor &buf,
                                                 int64_t step, double lr,
                                                 const MomentumConfig &config) {
  assert(param.shape == grad.shape && param.shape == buf.shape &&
         "momentum shapes differ");
  RefTensor newParam = param, newBuf = buf;
  for (size_t i = 0; i < param.data.size(); ++i) {
    double p = param.data[i];
    double g = grad.data[i] + config.weightDecay * p;
    double b = step == 0 ? g
                         : config.momentum * buf.data[i] +
                               (1.0 - config.dampening) * g;
    double update = config.nesterov ? g + config.momentum * b : b;
    newParam.data[i] = p - lr * update;
    newBuf.data[i] = b;
  }
  return {std::move(newParam), std::move(newBuf)};
}

SmallVector<RefTensor> kiln::reference::rmsprop(const RefTensor &param,
                                                const RefTensor &grad,
                                                const RefTensor &squareAvg,
                                                double lr,
                                                const RMSPropConfig &config) {
  assert(param.shape == grad.shape && param.shape == squareAvg.shape &&
         "rmsprop shapes differ");
  RefTensor newParam = param, newSquareAvg = squareAvg;
  for (size_t i = 0; i < param.data.size(); ++i) {
    double p = param.data[i];
    double g = grad.data[i] + config.weightDecay * p;
    double sq = config.alpha * squareAvg.data[i] + (1.0 - config.alpha) * g * g;
    newParam.data[i] = p - lr * g / (std::sqrt(sq) + config.eps);
    newSquareAvg.data[i] = sq;
  }
  return {std::move(newParam), std::move(newSquareAvg)};
}

SmallVector<RefTensor>
kiln::reference::adam(const RefTensor &param, const RefTensor &grad,
                      const RefTensor &expAvg, const RefTensor &expAvgSq,
                      int64_t step, double lr, const AdamConfig &config) {
  assert(param.shape == grad.shape && param.shape == expAvg.shape &&
         param.shape == expAvgSq.shape && "adam shapes differ");
  double t = static_cast<double>(step) + 1.0;
  double biasCorrection1 = 1.0 - std::pow(config.beta1, t);
  double biasCorrection2 = 1.0 - std::pow(config.beta2, t);
  double stepSize = lr / biasCorrection1;
  RefTensor newParam = param, newExpAvg = expAvg, newExpAvgSq = expAvgSq;
  for (size_t i = 0; i < param.data.size(); ++i) {
    double p = param.data[i];
    double g = grad.data[i];
    if (config.decoupled)
      p *= 1.0 - lr * config.weightDecay;
    else
      g += config.weightDecay * p;
    double m = config.beta1 * expAvg.data[i] + (1.0 - config.beta1) * g;
    double v = config.beta2 * expAvgSq.data[i] + (1.0 - config.beta2) * g * g;
    double denom = std::sqrt(v) / std::sqrt(biasCorrection2) + config.eps;
    newParam.data[i] = p - stepSize * m / denom;
    newExpAvg.data[i] = m;
    newExpAvgSq.data[i] = v;
  }
  return {std::move(newParam), std::move(newExpAvg), std::move(newExpAvgSq)};
}

RefTensor kiln::reference::l1Penalty(const RefTensor &x, double lambda) {
  double sum = 0.0;
  for (double v : x.data)
    sum += std::fabs(v);
  return RefTensor::scalar(lambda * sum);
}

RefTensor kiln::reference::l2Penalty(const RefTensor &x, double lambda) {
  double sum = 0.0;
  for (double v : x.data)
    sum += v * v;
  return RefTensor::scalar(lambda * sum);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// The output extent of one spatial dimension:
/// `floor((size + 2*pad - dil*(kernel-1) - 1) / stride) + 1` (the verifier
/// guarantees it is at least 1 and computes it without overflow).
static int64_t outputExtent(int64_t size, int64_t kernel, int64_t stride,
                            int64_t pad, int64_t dil) {
  int64_t numerator = size + 2 * pad - dil * (kernel - 1) - 1;
  return llvm::divideFloorSigned(numerator, stride) + 1;
}

/// Row-major linear index of `(a, b, c, d)` in a rank-4 `shape`.
static int64_t at4(ArrayRef<int64_t> shape, int64_t a, int64_t b, int64_t c,
                   int64_t d) {
  return ((a * shape[1] + b) * shape[2] + c) * shape[3] + d;
}

namespace {
/// The index space of a grouped convolution: calls `fn(n, f, oh, ow, ci, c,
/// kh, kw, h, w)` for every output element and every filter tap whose input
/// position `(h, w)` lies inside the (unpadded) input, where `c` is the
/// filter's channel within its group and `ci` the input channel it reads.
struct ConvSpace {
  ArrayRef<int64_t> input, filter, output;
  const Conv2DConfig &config;

  template <typename Fn> void forEachTap(Fn fn) const {
    int64_t groups = config.groups;
    int64_t channelsPerGroup = filter[1];
    int64_t filtersPerGroup = filter[0] / groups;
    for (int64_t n = 0; n < output[0]; ++n)
      for (int64_t f = 0; f < output[1]; ++f) {
        int64_t g = f / filtersPerGroup;
        for (int64_t oh = 0; oh < output[2]; ++oh)
          for (int64_t ow = 0; ow < output[3]; ++ow)
            for (int64_t c = 0; c < channelsPerGroup; ++c)
              for (int64_t kh = 0; kh < filter[2]; ++kh) {
                int64_t h = oh * config.stride[0] + kh * config.dilation[0] -
                            config.padding[0];
                if (h < 0 || h >= input[2])
                  continue;
                for (int64_t kw = 0; kw < filter[3]; ++kw) {
                  int64_t w = ow * config.stride[1] + kw * config.dilation[1] -
                              config.padding[1];
                  if (w < 0 || w >= input[3])
                    continue;
                  fn(n, f, oh, ow, g * channelsPerGroup + c, c, kh, kw, h, w);
                }
              }
      }
  }
};

/// The shape `[N, F, OH, OW]` of the conv2d of `input` with `filter`.
SmallVector<int64_t> convOutputShape(ArrayRef<int64_t> input,
                                     ArrayRef<int64_t> filter,
                                     const Conv2DConfig &config) {
  return {input[0], filter[0],
          outputExtent(input[2], filter[2], config.stride[0], config.padding[0],
                       config.dilation[0]),
          outputExtent(input[3], filter[3], config.stride[1], config.padding[1],
                       config.dilation[1])};
}
} // namespace

RefTensor kiln::reference::conv2d(const RefTensor &input,
                                  const RefTensor &filter,
                                  const RefTensor *bias,
                                  const Conv2DConfig &config) {
  assert(input.getRank() == 4 && filter.getRank() == 4 && "bad conv2d ranks");
  SmallVector<int64_t> shape =
      convOutputShape(input.shape, filter.shape, config);
  RefTensor result = RefTensor::filled(ElementKind::F32, shape);
  ConvSpace space{input.shape, filter.shape, shape, config};
  space.forEachTap([&](int64_t n, int64_t f, int64_t oh, int64_t ow, int64_t ci,
                       int64_t c, int64_t kh, int64_t kw, int64_t h,
                       int64_t w) {
    result.data[at4(shape, n, f, oh, ow)] +=
        input.data[at4(input.shape, n, ci, h, w)] *
        filter.data[at4(filter.shape, f, c, kh, kw)];
  });
  if (bias)
    for (int64_t n = 0; n < shape[0]; ++n)
      for (int64_t f = 0; f < shape[1]; ++f)
        for (int64_t i = 0; i < shape[2] * shape[3]; ++i)
          result.data[(n * shape[1] + f) * shape[2] * shape[3] + i] +=
              bias->data[f];
  return result;
}

RefTensor kiln::reference::conv2dBackwardInput(const RefTensor &outputGrad,
                                               const RefTensor &filter,
                                               ArrayRef<int64_t> inputShape,
                                               const Conv2DConfig &config) {
  assert(outputGrad.getRank() == 4 && filter.getRank() == 4 &&
         inputShape.size() == 4 && "bad conv2d_backward_input ranks");
  RefTensor result = RefTensor::filled(ElementKind::F32, inputShape);
  ConvSpace space{inputShape, filter.shape, outputGrad.shape, config};
  space.forEachTap([&](int64_t n, int64_t f, int64_t oh, int64_t ow, int64_t ci,
                       int64_t c, int64_t kh, int64_t kw, int64_t h,
                       int64_t w) {
    result.data[at4(inputShape, n, ci, h, w)] +=
        outputGrad.data[at4(outputGrad.shape, n, f, oh, ow)] *
        filter.data[at4(filter.shape, f, c, kh, kw)];
  });
  return result;
}

RefTensor kiln::reference::conv2dBackwardFilter(const RefTensor &outputGrad,
                                                const RefTensor &input,
                                                ArrayRef<int64_t> filterShape,
                                                const Conv2DConfig &config) {
  assert(outputGrad.getRank() == 4 && input.getRank() == 4 &&
         filterShape.size() == 4 && "bad conv2d_backward_filter ranks");
  RefTensor result = RefTensor::filled(ElementKind::F32, filterShape);
  ConvSpace space{input.shape, filterShape, outputGrad.shape, config};
  space.forEachTap([&](int64_t n, int64_t f, int64_t oh, int64_t ow, int64_t ci,
                       int64_t c, int64_t kh, int64_t kw, int64_t h,
                       int64_t w) {
    result.data[at4(filterShape, f, c, kh, kw)] +=
        outputGrad.data[at4(outputGrad.shape, n, f, oh, ow)] *
        input.data[at4(input.shape, n, ci, h, w)];
  });
  return result;
}

/// The shape `[N, C, OH, OW]` of a pooling of `input`.
static SmallVector<int64_t> poolOutputShape(ArrayRef<int64_t> input,
                                            const Pool2DConfig &config) {
  return {input[0], input[1],
          outputExtent(input[2], config.kernel[0], config.stride[0],
                       config.padding[0], 1),
          outputExtent(input[3], config.kernel[1], config.stride[1],
                       config.padding[1], 1)};
}

/// Calls `fn(h, w)` for every input position of the window of output
/// element `(oh, ow)` that is not padding, in row-major window order.
template <typename Fn>
static void forEachWindowPosition(ArrayRef<int64_t> input,
                                  const Pool2DConfig &config, int64_t oh,
                                  int64_t ow, Fn fn) {
  for (int64_t kh = 0; kh < config.kernel[0]; ++kh) {
    int64_t h = oh * config.stride[0] - config.padding[0] + kh;
    if (h < 0 || h >= input[2])
      continue;
    for (int64_t kw = 0; kw < config.kernel[1]; ++kw) {
      int64_t w = ow * config.stride[1] - config.padding[1] + kw;
      if (w >= 0 && w < input[3])
        fn(h, w);
    }
  }
}

RefTensor kiln::reference::pool2d(const RefTensor &input,
                                  const Pool2DConfig &config, PoolKind kind) {
  assert(input.getRank() == 4 && "bad pooling rank");
  SmallVector<int64_t> shape = poolOutputShape(input.shape, config);
  RefTensor result = RefTensor::filled(ElementKind::F32, shape);
  double windowSize = static_cast<double>(config.kernel[0] * config.kernel[1]);
  for (int64_t n = 0; n < shape[0]; ++n)
    for (int64_t c = 0; c < shape[1]; ++c)
      for (int64_t oh = 0; oh < shape[2]; ++oh)
        for (int64_t ow = 0; ow < shape[3]; ++ow) {
          double acc = kind == PoolKind::Max
                           ? -std::numeric_limits<double>::infinity()
                           : 0.0;
          forEachWindowPosition(
              input.shape, config, oh, ow, [&](int64_t h, int64_t w) {
                double v = input.data[at4(input.shape, n, c, h, w)];
                acc = kind == PoolKind::Max ? scalar::maximum(acc, v) : acc + v;
              });
          result.data[at4(shape, n, c, oh, ow)] =
              kind == PoolKind::Max ? acc : acc / windowSize;
        }
  return result;
}

RefTensor kiln::reference::maxPool2dBackward(const RefTensor &outputGrad,
                                             const RefTensor &input,
                                             const Pool2DConfig &config) {
  assert(input.getRank() == 4 && outputGrad.getRank() == 4 &&
         "bad max_pool2d_backward ranks");
  ArrayRef<int64_t> shape = outputGrad.shape;
  RefTensor result = RefTensor::filled(ElementKind::F32, input.shape);
  for (int64_t n = 0; n < shape[0]; ++n)
    for (int64_t c = 0; c < shape[1]; ++c)
      for (int64_t oh = 0; oh < shape[2]; ++oh)
        for (int64_t ow = 0; ow < shape[3]; ++ow) {
          // Scanning the window in order, a position is selected when it
          // is the first, holds a NaN, or exceeds the selected number.
          int64_t best = -1;
          double bestValue = 0.0;
          forEachWindowPosition(
              input.shape, config, oh, ow, [&](int64_t h, int64_t w) {
                int64_t i = at4(input.shape, n, c, h, w);
                double v = input.data[i];
                if (best < 0 || std::isnan(v) || v > bestValue) {
                  best = i;
                  bestValue = v;
                }
              });
          if (best >= 0)
            result.data[best] += outputGrad.data[at4(shape, n, c, oh, ow)];
        }
  return result;
}

RefTensor kiln::reference::globalAvgPool(const RefTensor &input) {
  assert(input.getRank() == 4 && "bad global_avg_pool rank");
  int64_t spatial = input.shape[2] * input.shape[3];
  RefTensor result =
      RefTensor::filled(ElementKind::F32, {input.shape[0], input.shape[1]});
  for (int64_t i = 0; i < input.shape[0] * input.shape[1]; ++i) {
    double sum = 0.0;
    for (int64_t j = 0; j < spatial; ++j)
      sum += input.data[i * spatial + j];
    result.data[i] = sum / static_cast<double>(spatial);
  }
  return result;
}
