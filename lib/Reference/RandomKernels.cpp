//===- RandomKernels.cpp - dropout and random_normal in f64 ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Reference kernels of dropout and random_normal, written from the
// generator and formulas in NNRandomOps.td (docs/Spec.md): the integer
// draws u(i) exactly on uint64_t, everything else in double precision.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

#include "kiln/Dialect/NN/IR/NNOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <cstdint>

using namespace mlir;
using namespace kiln::reference;
namespace nn = kiln::nn;

namespace {

/// The 24-bit draw u(i) of element `i` for `seed` and `key` (all read as
/// unsigned 64-bit integers, arithmetic modulo 2^64).
uint32_t draw(uint64_t seed, uint64_t key, uint64_t i) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + key * 0xD1B54A32D192ED03ull +
               i * 0xAEF17502108EF2D9ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z = z ^ (z >> 31);
  return static_cast<uint32_t>(z >> 40);
}

/// The unsigned value of the bits of an i64 seed.
uint64_t bitsOf(int64_t value) { return static_cast<uint64_t>(value); }
uint64_t bitsOf(uint64_t value) { return value; }

/// The value of the optional rank-0 i64 key operand, or 0. The reference
/// holds integers in doubles, exactly for |key| <= 2^53.
uint64_t keyOf(Value key, const RefTensor *tensor) {
  if (!key)
    return 0;
  return bitsOf(static_cast<int64_t>(tensor->data.front()));
}

/// nn.dropout in training: element i is 0 when u(i) < round(rate * 2^24),
/// else x[i] times the f32 scale 1 / (1 - rate).
RefTensor dropout(const RefTensor &x, double rate, uint64_t seed,
                  uint64_t key) {
  const double twoTo24 = 16777216.0;
  uint64_t threshold = static_cast<uint64_t>(std::floor(rate * twoTo24 + 0.5));
  double scale = static_cast<float>(1.0 / (1.0 - rate));
  RefTensor y = RefTensor::filled(ElementKind::F32, x.shape);
  for (int64_t i = 0, e = x.getNumElements(); i < e; ++i)
    y.data[i] = draw(seed, key, static_cast<uint64_t>(i)) < threshold
                    ? 0.0
                    : x.data[i] * scale;
  return y;
}

/// nn.random_normal: Box-Muller on u(2i) and u(2i + 1).
RefTensor randomNormal(ArrayRef<int64_t> shape, uint64_t seed, uint64_t key,
                       double mean, double stddev) {
  const double twoToMinus24 = 1.0 / 16777216.0;
  const double pi = 3.14159265358979323846;
  RefTensor y = RefTensor::filled(ElementKind::F32, shape);
  for (int64_t i = 0, e = y.getNumElements(); i < e; ++i) {
    uint64_t index = 2 * static_cast<uint64_t>(i);
    double u1 = (static_cast<double>(draw(seed, key, index)) + 1.0) *
                twoToMinus24;
    double u2 = static_cast<double>(draw(seed, key, index + 1)) * twoToMinus24;
    double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * pi * u2);
    y.data[i] = mean + stddev * z;
  }
  return y;
}

} // namespace

kiln::reference::detail::FamilyResult
kiln::reference::detail::evaluateRandomOp(Operation *op, OperandFn operand) {
  using Result = FamilyResult;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([&](nn::DropoutOp op) -> Result {
        const RefTensor &x = operand(0);
        if (!op.getTraining())
          return SmallVector<RefTensor>{x};
        const RefTensor *key = op.getKey() ? &operand(1) : nullptr;
        return SmallVector<RefTensor>{
            dropout(x, op.getRate().convertToDouble(), bitsOf(op.getSeed()),
                    keyOf(op.getKey(), key))};
      })
      .Case([&](nn::RandomNormalOp op) -> Result {
        const RefTensor *key = op.getKey() ? &operand(0) : nullptr;
        return SmallVector<RefTensor>{randomNormal(
            op.getType().getShape(), bitsOf(op.getSeed()),
            keyOf(op.getKey(), key), op.getMean().convertToDouble(),
            op.getStddev().convertToDouble())};
      })
      .Default([](Operation *) -> Result { return std::nullopt; });
}
