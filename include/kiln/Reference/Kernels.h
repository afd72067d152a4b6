//===- Kernels.h - f64 reference kernels of the nn ops ----------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Plain C++ evaluation of every `nn` op on row-major tensors of doubles.
/// These kernels are Kiln's oracle for op semantics: they are written from
/// the op descriptions in NNOps.td (and docs/Spec.md), never from the
/// lowering, and compute everything in double precision.
///
/// Every kernel expects operands that satisfy the op's verifier constraints
/// (matching ranks, valid axes, in-range slices); the Interpreter guarantees
/// this by checking every value against the static type of the verified IR.
/// Only data-dependent errors (an out-of-range class label) are reported.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_REFERENCE_KERNELS_H
#define KILN_REFERENCE_KERNELS_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln::reference {

/// Element type of a reference tensor. Every kind is stored in `double`:
/// integers (|v| <= 2^53) and booleans (0 or 1) exactly.
enum class ElementKind { F32, I1, I32, I64 };

/// Returns "f32", "i1", "i32" or "i64".
llvm::StringRef getElementKindName(ElementKind kind);

/// A dense, row-major tensor whose elements are stored as doubles.
struct RefTensor {
  ElementKind kind = ElementKind::F32;
  llvm::SmallVector<int64_t> shape;
  std::vector<double> data;

  RefTensor() = default;
  RefTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape,
            std::vector<double> data)
      : kind(kind), shape(shape.begin(), shape.end()), data(std::move(data)) {}

  /// Returns a tensor of the given kind and shape filled with `value`.
  static RefTensor filled(ElementKind kind, llvm::ArrayRef<int64_t> shape,
                          double value = 0.0);
  /// Returns an f32 scalar (rank-0) tensor.
  static RefTensor scalar(double value);

  int64_t getRank() const { return static_cast<int64_t>(shape.size()); }
  int64_t getNumElements() const { return static_cast<int64_t>(data.size()); }
  /// Formats the type as "4x3xf32" (or "f32" for a scalar), like MLIR does
  /// inside `tensor<...>`.
  std::string getTypeString() const;
};

/// Returns the product of `shape` (1 for a scalar).
int64_t getNumElements(llvm::ArrayRef<int64_t> shape);

/// Returns the NumPy broadcast of `a` and `b`, or std::nullopt when two
/// aligned dimensions differ and neither is 1.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Applies `fn` to every element; the result has the kind and shape of `x`.
RefTensor mapUnary(const RefTensor &x, llvm::function_ref<double(double)> fn);

/// Broadcasts `lhs` and `rhs` to a common shape (which must exist) and
/// applies `fn` elementwise; the result has kind `resultKind`.
RefTensor mapBinary(const RefTensor &lhs, const RefTensor &rhs,
                    ElementKind resultKind,
                    llvm::function_ref<double(double, double)> fn);

/// Scalar semantics shared by the interpreter and its tests.
namespace scalar {
/// 1 / (1 + e^-x), evaluated without overflow for large |x|.
double sigmoid(double x);
/// max(x, y) that returns NaN when either operand is NaN; -0 < +0.
double maximum(double x, double y);
/// min(x, y) that returns NaN when either operand is NaN; -0 < +0.
double minimum(double x, double y);
/// max(x, 0); NaN stays NaN.
double relu(double x);
} // namespace scalar

/// Elementwise `cond ? onTrue : onFalse` after broadcasting all three.
RefTensor select(const RefTensor &cond, const RefTensor &onTrue,
                 const RefTensor &onFalse);

/// Softmax (or log-softmax when `log`) along `axis`, with the maximum along
/// the axis subtracted first.
RefTensor softmax(const RefTensor &x, int64_t axis, bool log);

/// [M,K] x [K,N] -> [M,N], or batched [B,M,K] x [B,K,N] -> [B,M,N].
RefTensor matmul(const RefTensor &lhs, const RefTensor &rhs);

/// `dim(result, i) = dim(x, perm[i])`.
RefTensor transpose(const RefTensor &x, llvm::ArrayRef<int64_t> perm);

/// Same elements in row-major order with a new shape of equal size.
RefTensor reshape(const RefTensor &x, llvm::ArrayRef<int64_t> shape);

/// NumPy broadcast of `x` to `shape`.
RefTensor broadcastTo(const RefTensor &x, llvm::ArrayRef<int64_t> shape);

/// Joins `inputs` (same rank and kind, equal non-axis dimensions) along
/// `axis`.
RefTensor concat(llvm::ArrayRef<const RefTensor *> inputs, int64_t axis);

/// `result[i] = x[offsets + i * strides]` for every index `i` in `sizes`.
RefTensor slice(const RefTensor &x, llvm::ArrayRef<int64_t> offsets,
                llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> strides);

/// Reduction kinds of reduce().
enum class ReduceKind { Sum, Mean, Max };

/// Reduces `x` over `axes` (distinct, in range). A mean is the sum divided
/// by the number of reduced elements; a max propagates NaN and is -inf over
/// an empty set. Reduced dimensions are dropped unless `keepDims`.
RefTensor reduce(const RefTensor &x, llvm::ArrayRef<int64_t> axes,
                 bool keepDims, ReduceKind kind);

/// Mean squared error: sum of (pred - target)^2, divided by the element
/// count when `mean`. Returns an f32 scalar.
RefTensor mse(const RefTensor &pred, const RefTensor &target, bool mean);

/// Softmax cross-entropy of logits [N, C] against labels [N]:
/// logsumexp(logits[n, :]) - logits[n, labels[n]], averaged over n when
/// `mean`. Returns std::nullopt and sets `badRow` to the first row whose
/// label is outside [0, C).
std::optional<RefTensor> crossEntropy(const RefTensor &logits,
                                      const RefTensor &labels, bool mean,
                                      int64_t &badRow);

/// Binary cross-entropy with logits:
/// max(x, 0) - x * t + log(1 + e^-|x|), averaged when `mean`.
RefTensor binaryCrossEntropy(const RefTensor &logits, const RefTensor &targets,
                             bool mean);

//===----------------------------------------------------------------------===//
// Optimizers and penalties (docs/Optimizers.md)
//===----------------------------------------------------------------------===//

/// Learning-rate schedule kinds of lrSchedule().
enum class ScheduleKind { Constant, Step, Cosine };

/// The attributes of `nn.lr_schedule`; `stepSize`/`gamma` are read for
/// `Step`, `totalSteps`/`minLr` for `Cosine`.
struct LRSchedule {
  ScheduleKind kind = ScheduleKind::Constant;
  double lr = 0.0;
  int64_t stepSize = 1;
  double gamma = 1.0;
  int64_t totalSteps = 1;
  double minLr = 0.0;
};

/// The learning rate after `step` completed updates (a negative step counts
/// as 0): `lr`, `lr * gamma^floor(step / stepSize)`, or
/// `minLr + (lr - minLr) * (1 + cos(pi * min(step, totalSteps) /
/// totalSteps)) / 2`.
double lrSchedule(const LRSchedule &schedule, int64_t step);

/// SGD: `param - lr * (grad + weightDecay * param)`.
RefTensor sgd(const RefTensor &param, const RefTensor &grad, double lr,
              double weightDecay);

/// The attributes of `nn.momentum`.
struct MomentumConfig {
  double momentum = 0.9;
  double dampening = 0.0;
  double weightDecay = 0.0;
  bool nesterov = false;
};

/// SGD with momentum. Returns {new param, new buffer}; the buffer is
/// `g' = grad + weightDecay * param` when `step == 0` and
/// `momentum * buf + (1 - dampening) * g'` otherwise.
llvm::SmallVector<RefTensor> momentum(const RefTensor &param,
                                      const RefTensor &grad,
                                      const RefTensor &buf, int64_t step,
                                      double lr, const MomentumConfig &config);

/// The attributes of `nn.rmsprop`.
struct RMSPropConfig {
  double alpha = 0.99;
  double eps = 1e-8;
  double weightDecay = 0.0;
};

/// RMSProp. Returns {new param, new square average}.
llvm::SmallVector<RefTensor> rmsprop(const RefTensor &param,
                                     const RefTensor &grad,
                                     const RefTensor &squareAvg, double lr,
                                     const RMSPropConfig &config);

/// The attributes of `nn.adam` (`decoupled = false`) and `nn.adamw`
/// (`decoupled = true`).
struct AdamConfig {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weightDecay = 0.0;
  bool decoupled = false;
};

/// Adam / AdamW with `t = step + 1`. Returns {new param, new first moment,
/// new second moment}.
llvm::SmallVector<RefTensor> adam(const RefTensor &param, const RefTensor &grad,
                                  const RefTensor &expAvg,
                                  const RefTensor &expAvgSq, int64_t step,
                                  double lr, const AdamConfig &config);

/// `lambda * sum(|x|)` as an f32 scalar.
RefTensor l1Penalty(const RefTensor &x, double lambda);

/// `lambda * sum(x^2)` as an f32 scalar.
RefTensor l2Penalty(const RefTensor &x, double lambda);

//===----------------------------------------------------------------------===//
// Convolution and pooling (NCHW, docs/Spec.md)
//===----------------------------------------------------------------------===//

/// The attributes of `nn.conv2d` and its backward helpers; each pair is
/// `{height, width}`.
struct Conv2DConfig {
  int64_t stride[2] = {1, 1};
  int64_t padding[2] = {0, 0};
  int64_t dilation[2] = {1, 1};
  int64_t groups = 1;
};

/// 2-D convolution of `input` `[N, C, H, W]` with `filter`
/// `[F, C/groups, KH, KW]` plus `bias` `[F]` when non-null: `[N, F, OH, OW]`,
/// zero padding, PyTorch's conv2d.
RefTensor conv2d(const RefTensor &input, const RefTensor &filter,
                 const RefTensor *bias, const Conv2DConfig &config);

/// The gradient of conv2d with respect to an input of shape `inputShape`:
/// every `outputGrad[n, f, oh, ow] * filter[f, c, kh, kw]` added at the
/// input position that product multiplied in the forward pass.
RefTensor conv2dBackwardInput(const RefTensor &outputGrad,
                              const RefTensor &filter,
                              llvm::ArrayRef<int64_t> inputShape,
                              const Conv2DConfig &config);

/// The gradient of conv2d with respect to a filter of shape `filterShape`:
/// `sum_{n, oh, ow} outputGrad[n, f, oh, ow] * xpad[n, c', h, w]` at the
/// positions the filter element met in the forward pass.
RefTensor conv2dBackwardFilter(const RefTensor &outputGrad,
                               const RefTensor &input,
                               llvm::ArrayRef<int64_t> filterShape,
                               const Conv2DConfig &config);

/// The attributes of the pooling ops; each pair is `{height, width}`.
struct Pool2DConfig {
  int64_t kernel[2] = {1, 1};
  int64_t stride[2] = {1, 1};
  int64_t padding[2] = {0, 0};
};

/// Pooling kinds of pool2d().
enum class PoolKind { Max, Avg };

/// Max pooling (padded positions are not in any window; NaN-propagating) or
/// average pooling (padded positions count as zeros in the divisor
/// `KH * KW`) of `[N, C, H, W]` into `[N, C, OH, OW]`.
RefTensor pool2d(const RefTensor &input, const Pool2DConfig &config,
                 PoolKind kind);

/// The gradient of max pooling: each `outputGrad` element goes to the
/// selected position of its window (row-major, skipping padding): the last
/// NaN if there is one, else the first position of the maximum;
/// contributions add up.
RefTensor maxPool2dBackward(const RefTensor &outputGrad, const RefTensor &input,
                            const Pool2DConfig &config);

/// The mean over the two spatial dimensions: `[N, C, H, W] -> [N, C]`.
RefTensor globalAvgPool(const RefTensor &input);

} // namespace kiln::reference

#endif // KILN_REFERENCE_KERNELS_H
