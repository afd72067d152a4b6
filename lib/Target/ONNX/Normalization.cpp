//===- Normalization.cpp - ONNX import: normalization --------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Imports BatchNormalization and Dropout. Importer.h has the shared builder
// state; ImportONNX.cpp dispatches the nodes (Importer::importNode).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace kiln::onnx_import;

LogicalResult Importer::importBatchNorm() {
  SmallVector<Value> in;
  for (int i = 0; i < 5; ++i) {
    FailureOr<Value> v = f32Input(i);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  Value x = in[0];
  Shape s = shapeOf(x);
  if (s.size() < 2) {
    err() << "expects an input [N, C, ...] of rank >= 2, got " << shapeStr(s);
    return failure();
  }
  for (int i = 1; i < 5; ++i)
    if (shapeOf(in[i]) != Shape{s[1]}) {
      err() << "input " << i << " must have shape " << s[1]
            << " (C = dim(X, 1)), got " << shapeStr(shapeOf(in[i]));
      return failure();
    }
  FailureOr<float> eps = attrFloat("epsilon", 1e-5f), momentum = failure();
  FailureOr<int64_t> training = attrInt("training_mode", 0),
                     spatial = failure();
  if (failed(eps) || failed(momentum = attrFloat("momentum", 0.9f)) ||
      failed(training) || failed(spatial = attrInt("spatial", 1)))
    return failure();
  if (!(*eps > 0) || !std::isfinite(*eps)) {
    err() << "attribute 'epsilon' must be finite and > 0, got " << *eps;
    return failure();
  }
  if (!(*momentum >= 0 && *momentum <= 1)) {
    err() << "attribute 'momentum' must be in [0, 1], got " << *momentum;
    return failure();
  }
  if (*spatial != 1) {
    err() << "attribute 'spatial' = 0 is not supported";
    return failure();
  }
  if (*training != 0 && *training != 1) {
    err() << "attribute 'training_mode' must be 0 or 1, got " << *training;
    return failure();
  }
  if (!*training) {
    if (wantsOutput(1) || wantsOutput(2)) {
      err() << "the running statistics outputs need training_mode = 1";
      return failure();
    }
    return setOutput(0, b.create<nn::BatchNormOp>(loc, x, in[1], in[2], in[3],
                                                  in[4],
                                                  llvm::APFloat((double)*eps)));
  }
  // Training: normalize with the batch statistics (biased variance) and
  // return ONNX's running statistics, input * momentum + batch * (1 -
  // momentum), the variance biased as well.
  Shape axes, kept(s.size(), 1);
  kept[1] = s[1];
  for (size_t i = 0; i < s.size(); ++i)
    if (i != 1)
      axes.push_back(i);
  Value mean = b.create<nn::ReduceMeanOp>(loc, x, axes, false);
  Value centered = sub(x, reshape(mean, kept));
  Value var =
      b.create<nn::ReduceMeanOp>(loc, mul(centered, centered), axes, false);
  int64_t M = numel(s) / std::max<int64_t>(s[1], 1);
  Value y;
  if (M >= 2)
    y = b.create<nn::BatchNormTrainOp>(loc, x, in[1], in[2], in[3], in[4],
                                       llvm::APFloat((double)*eps),
                                       llvm::APFloat(0.1))
            .getResult();
  else
    y = b.create<nn::BatchNormOp>(loc, x, in[1], in[2], mean, var,
                                  llvm::APFloat((double)*eps));
  Value mom = scalarF32(*momentum), rest = scalarF32(1.0f - *momentum);
  (void)setOutput(1, add(mul(in[3], mom), mul(mean, rest)));
  (void)setOutput(2, add(mul(in[4], mom), mul(var, rest)));
  return setOutput(0, y);
}

LogicalResult Importer::importDropout() {
  FailureOr<Value> x = f32Input(0);
  if (failed(x))
    return failure();
  float ratio = 0.5f;
  bool training = false;
  if (opset >= 12) {
    if (hasInput(1)) {
      FailureOr<std::vector<double>> r = staticInput(1);
      if (failed(r))
        return failure();
      if (r->size() != 1) {
        err() << "input 'ratio' must be a scalar";
        return failure();
      }
      ratio = (*r)[0];
    }
    if (hasInput(2)) {
      FailureOr<std::vector<double>> t = staticInput(2);
      if (failed(t))
        return failure();
      if (t->size() != 1) {
        err() << "input 'training_mode' must be a scalar";
        return failure();
      }
      training = (*t)[0] != 0;
    }
  } else {
    FailureOr<float> r = attrFloat("ratio", 0.5f);
    if (failed(r))
      return failure();
    ratio = *r;
  }
  if (!(ratio >= 0 && ratio < 1)) {
    err() << "ratio must be in [0, 1), got " << ratio;
    return failure();
  }
  FailureOr<int64_t> seed = attrInt("seed", 0);
  if (failed(seed))
    return failure();
  Shape s = shapeOf(*x);
  if (!training || ratio == 0) {
    (void)setOutput(0, *x);
    if (wantsOutput(1))
      (void)setOutput(1, b.create<nn::ConstantOp>(
                             loc, DenseElementsAttr::get(
                                      tensorOf(s, b.getI1Type()), true)));
    return success();
  }
  (void)setOutput(0, b.create<nn::DropoutOp>(loc, *x, Value(),
                                             llvm::APFloat((double)ratio),
                                             (uint64_t)*seed, true));
  if (wantsOutput(1)) {
    Value ones = splatF32(s, 1.0f);
    Value kept = b.create<nn::DropoutOp>(loc, ones, Value(),
                                         llvm::APFloat((double)ratio),
                                         (uint64_t)*seed, true);
    (void)setOutput(1, b.create<nn::CompareOp>(loc, nn::ComparePredicate::ne,
                                               kept, scalarF32(0.0f)));
  }
  return success();
}
