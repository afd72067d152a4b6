//===- NormalizationKernels.cpp - batch norm in f64 ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Reference kernels of batch_norm, batch_norm_train and
// batch_norm_train_backward, written from their descriptions in
// NNNormalizationOps.td (docs/Spec.md): plain loops in double precision over
// row-major tensors `[N, C, d_2, ...]`, the statistics of channel `c` taken
// over the `M = N * d_2 * ...` elements with that channel, the variance in
// two passes (mean first, then the mean of the squared deviations).
//
//===----------------------------------------------------------------------===//

#include "Families.h"

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace kiln::reference;
namespace nn = kiln::nn;

namespace {

/// The layout of an input `[N, C, d_2, ...]`: element `j` (row-major) is in
/// channel `(j / inner) % channels`.
struct ChannelLayout {
  int64_t channels = 0;
  int64_t inner = 1; // d_2 * ... (1 for rank 2)
  int64_t count = 0; // the number of elements

  explicit ChannelLayout(const RefTensor &x)
      : channels(x.shape[1]), count(x.getNumElements()) {
    for (size_t d = 2; d < x.shape.size(); ++d)
      inner *= x.shape[d];
  }
  int64_t channelOf(int64_t j) const { return (j / inner) % channels; }
  /// M, the number of elements of one channel.
  int64_t perChannel() const { return channels ? count / channels : 0; }
};

/// The batch statistics of every channel: the mean and the biased variance
/// (the mean of the squared deviations from the mean).
struct BatchStatistics {
  std::vector<double> mean, var;
};

BatchStatistics batchStatistics(const RefTensor &x,
                                const ChannelLayout &layout) {
  BatchStatistics s;
  s.mean.assign(layout.channels, 0.0);
  s.var.assign(layout.channels, 0.0);
  double m = static_cast<double>(layout.perChannel());
  for (int64_t j = 0; j < layout.count; ++j)
    s.mean[layout.channelOf(j)] += x.data[j];
  for (double &v : s.mean)
    v /= m;
  for (int64_t j = 0; j < layout.count; ++j) {
    int64_t c = layout.channelOf(j);
    double d = x.data[j] - s.mean[c];
    s.var[c] += d * d;
  }
  for (double &v : s.var)
    v /= m;
  return s;
}

/// y = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c].
RefTensor normalize(const RefTensor &x, const ChannelLayout &layout,
                    const std::vector<double> &mean,
                    const std::vector<double> &var, const RefTensor &gamma,
                    const RefTensor &beta, double eps) {
  RefTensor y = RefTensor::filled(ElementKind::F32, x.shape);
  for (int64_t j = 0; j < layout.count; ++j) {
    int64_t c = layout.channelOf(j);
    y.data[j] = (x.data[j] - mean[c]) / std::sqrt(var[c] + eps) *
                    gamma.data[c] +
                beta.data[c];
  }
  return y;
}

/// nn.batch_norm: normalization with the given statistics.
RefTensor batchNorm(const RefTensor &x, const RefTensor &gamma,
                    const RefTensor &beta, const RefTensor &mean,
                    const RefTensor &var, double eps) {
  return normalize(x, ChannelLayout(x), mean.data, var.data, gamma, beta, eps);
}

/// nn.batch_norm_train: normalization with the batch statistics, and the
/// running statistics updated with the batch mean and the unbiased batch
/// variance.
SmallVector<RefTensor> batchNormTrain(const RefTensor &x,
                                      const RefTensor &gamma,
                                      const RefTensor &beta,
                                      const RefTensor &runningMean,
                                      const RefTensor &runningVar, double eps,
                                      double momentum) {
  ChannelLayout layout(x);
  BatchStatistics s = batchStatistics(x, layout);
  double m = static_cast<double>(layout.perChannel());
  RefTensor newMean = RefTensor::filled(ElementKind::F32, gamma.shape);
  RefTensor newVar = RefTensor::filled(ElementKind::F32, gamma.shape);
  for (int64_t c = 0; c < layout.channels; ++c) {
    newMean.data[c] =
        (1 - momentum) * runningMean.data[c] + momentum * s.mean[c];
    newVar.data[c] = (1 - momentum) * runningVar.data[c] +
                     momentum * s.var[c] * m / (m - 1);
  }
  return {normalize(x, layout, s.mean, s.var, gamma, beta, eps),
          std::move(newMean), std::move(newVar)};
}

/// nn.batch_norm_train_backward: with xhat = (x - mean) * rstd,
/// dbeta = sum dy, dgamma = sum dy * xhat and
/// dx = gamma * rstd / M * (M * dy - dbeta - xhat * dgamma).
SmallVector<RefTensor> batchNormTrainBackward(const RefTensor &dy,
                                              const RefTensor &x,
                                              const RefTensor &gamma,
                                              double eps) {
  ChannelLayout layout(x);
  BatchStatistics s = batchStatistics(x, layout);
  double m = static_cast<double>(layout.perChannel());
  std::vector<double> rstd(layout.channels);
  for (int64_t c = 0; c < layout.channels; ++c)
    rstd[c] = 1.0 / std::sqrt(s.var[c] + eps);
  auto xhat = [&](int64_t j) {
    int64_t c = layout.channelOf(j);
    return (x.data[j] - s.mean[c]) * rstd[c];
  };
  RefTensor dgamma = RefTensor::filled(ElementKind::F32, gamma.shape);
  RefTensor dbeta = RefTensor::filled(ElementKind::F32, gamma.shape);
  for (int64_t j = 0; j < layout.count; ++j) {
    int64_t c = layout.channelOf(j);
    dbeta.data[c] += dy.data[j];
    dgamma.data[c] += dy.data[j] * xhat(j);
  }
  RefTensor dx = RefTensor::filled(ElementKind::F32, x.shape);
  for (int64_t j = 0; j < layout.count; ++j) {
    int64_t c = layout.channelOf(j);
    dx.data[j] = gamma.data[c] * rstd[c] / m *
                 (m * dy.data[j] - dbeta.data[c] - xhat(j) * dgamma.data[c]);
  }
  return {std::move(dx), std::move(dgamma), std::move(dbeta)};
}

} // namespace

kiln::reference::detail::FamilyResult
kiln::reference::detail::evaluateNormalizationOp(Operation *op,
                                                 OperandFn operand) {
  using Result = FamilyResult;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([&](nn::BatchNormOp op) -> Result {
        return SmallVector<RefTensor>{
            batchNorm(operand(0), operand(1), operand(2), operand(3),
                      operand(4), op.getEps().convertToDouble())};
      })
      .Case([&](nn::BatchNormTrainOp op) -> Result {
        return batchNormTrain(operand(0), operand(1), operand(2), operand(3),
                              operand(4), op.getEps().convertToDouble(),
                              op.getMomentum().convertToDouble());
      })
      .Case([&](nn::BatchNormTrainBackwardOp op) -> Result {
        return batchNormTrainBackward(operand(0), operand(1), operand(2),
                                      op.getEps().convertToDouble());
      })
      .Default([](Operation *) -> Result { return std::nullopt; });
}
