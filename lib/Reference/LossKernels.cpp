//===- LossKernels.cpp - focal, triplet and KL losses in f64 --------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The f64 reference of nn.focal_loss, nn.triplet_margin_loss and
// nn.kl_divergence, written from their descriptions in NNLossOps.td (and
// docs/Spec.md). Operands satisfy the verifier constraints; the only
// data-dependent error is a label outside [0, C), reported like
// nn.cross_entropy's.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cassert>
#include <cmath>
#include <limits>

using namespace kiln::reference;
using namespace mlir;

namespace {

/// The batch mean (divided by `batch`) or the sum of the per-sample losses.
RefTensor finish(double sum, int64_t batch, kiln::nn::Reduction reduction) {
  if (reduction == kiln::nn::Reduction::mean)
    sum /= static_cast<double>(batch);
  return RefTensor::scalar(sum);
}

/// Focal loss of logits [N, C] against labels [N]: per row,
/// `-alpha * (1 - p_y)^gamma * log p_y` with `p = softmax(row)` and
/// `log p_y = x_y - logsumexp(row)` (the maximum subtracted first). Returns
/// std::nullopt and sets `badRow` to the first row whose label is outside
/// [0, C).
std::optional<double> focalLossSum(const RefTensor &logits,
                                   const RefTensor &labels, double gamma,
                                   double alpha, int64_t &badRow) {
  assert(logits.getRank() == 2 && labels.getRank() == 1 &&
         logits.shape[0] == labels.shape[0] && "bad focal_loss shapes");
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
    double logP = x[static_cast<int64_t>(label)] - max - std::log(s);
    // 1 - p_y, without cancellation when p_y is close to 1.
    double oneMinusP = -std::expm1(logP);
    sum += -alpha * std::pow(oneMinusP, gamma) * logP;
  }
  return sum;
}

/// Triplet margin loss of anchor, positive and negative [N, D]: per row,
/// `max(d(a, p) - d(a, n) + margin, 0)` with
/// `d(x, y) = sqrt(sum_d (x - y + eps)^2)`; NaN stays NaN.
double tripletMarginLossSum(const RefTensor &anchor, const RefTensor &positive,
                            const RefTensor &negative, double margin,
                            double eps) {
  assert(anchor.getRank() == 2 && positive.shape == anchor.shape &&
         negative.shape == anchor.shape && "bad triplet_margin_loss shapes");
  int64_t n = anchor.shape[0], d = anchor.shape[1];
  auto distance = [&](const RefTensor &other, int64_t row) {
    double s = 0.0;
    for (int64_t k = 0; k < d; ++k) {
      double diff = anchor.data[row * d + k] - other.data[row * d + k] + eps;
      s += diff * diff;
    }
    return std::sqrt(s);
  };
  double sum = 0.0;
  for (int64_t row = 0; row < n; ++row)
    sum += scalar::relu(distance(positive, row) - distance(negative, row) +
                        margin);
  return sum;
}

/// KL(N(mu, e^logvar) || N(0, I)) of [N, Z] operands summed over the rows:
/// `-0.5 * sum (1 + logvar - mu^2 - e^logvar)`.
double klDivergenceSum(const RefTensor &mu, const RefTensor &logvar) {
  assert(mu.shape == logvar.shape && "kl_divergence shapes differ");
  double sum = 0.0;
  for (size_t i = 0; i < mu.data.size(); ++i) {
    double m = mu.data[i], lv = logvar.data[i];
    sum += 1.0 + lv - m * m - std::exp(lv);
  }
  return -0.5 * sum;
}

} // namespace

kiln::reference::detail::FamilyResult
kiln::reference::detail::evaluateLossOp(Operation *op, OperandFn operand) {
  using Result = FailureOr<SmallVector<RefTensor>>;
  auto one = [](RefTensor value) -> Result {
    SmallVector<RefTensor> results;
    results.push_back(std::move(value));
    return results;
  };
  return llvm::TypeSwitch<Operation *, FamilyResult>(op)
      .Case([&](kiln::nn::FocalLossOp loss) -> FamilyResult {
        int64_t badRow = 0;
        std::optional<double> sum = focalLossSum(
            operand(0), operand(1), loss.getGamma().convertToDouble(),
            loss.getAlpha().convertToDouble(), badRow);
        if (!sum) {
          loss.emitError("label ")
              << static_cast<int64_t>(operand(1).data[badRow]) << " of row "
              << badRow << " is out of range [0, " << operand(0).shape[1]
              << ")";
          return Result(failure());
        }
        return one(finish(*sum, operand(0).shape[0], loss.getReduction()));
      })
      .Case([&](kiln::nn::TripletMarginLossOp loss) -> FamilyResult {
        double sum = tripletMarginLossSum(
            operand(0), operand(1), operand(2),
            loss.getMargin().convertToDouble(),
            loss.getEps().convertToDouble());
        return one(finish(sum, operand(0).shape[0], loss.getReduction()));
      })
      .Case([&](kiln::nn::KLDivergenceOp loss) -> FamilyResult {
        double sum = klDivergenceSum(operand(0), operand(1));
        return one(finish(sum, operand(0).shape[0], loss.getReduction()));
      })
      .Default([](Operation *) -> FamilyResult { return std::nullopt; });
}
