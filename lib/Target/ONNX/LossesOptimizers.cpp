//===- LossesOptimizers.cpp - ONNX import: losses, optimizers ------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Imports SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss, and the
// training operators Adam and Momentum. Importer.h has the shared builder
// state; ImportONNX.cpp dispatches the nodes (Importer::importNode).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace kiln::onnx_import;

LogicalResult Importer::importLoss(bool softmax) {
  FailureOr<Value> xv = f32Input(0), lv = failure();
  if (failed(xv) || failed(lv = input(1)))
    return failure();
  Value x = *xv, labels = *lv;
  Shape s = shapeOf(x), ls = shapeOf(labels);
  Type lt = typeOf(labels).getElementType();
  if (!lt.isInteger(64) && !lt.isInteger(32)) {
    err() << "labels must be int32 or int64";
    return failure();
  }
  Shape want = s;
  if (s.size() >= 2)
    want.erase(want.begin() + 1);
  if (s.size() < 2 || ls != want) {
    err() << "expects scores [N, C, d1, ...] and labels [N, d1, ...], got "
          << shapeStr(s) << " and " << shapeStr(ls);
    return failure();
  }
  FailureOr<std::string> reduction = attrString("reduction", "mean");
  if (failed(reduction))
    return failure();
  if (*reduction != "mean" && *reduction != "sum" && *reduction != "none") {
    err() << "attribute 'reduction' must be none, sum or mean, got '"
          << *reduction << "'";
    return failure();
  }
  std::optional<int64_t> ignore;
  if (attr("ignore_index")) {
    FailureOr<int64_t> ii = attrInt("ignore_index", 0);
    if (failed(ii))
      return failure();
    ignore = *ii;
  }
  Value weights;
  if (hasInput(2)) {
    FailureOr<Value> wv = f32Input(2);
    if (failed(wv))
      return failure();
    if (shapeOf(*wv) != Shape{s[1]}) {
      err() << "weights must have shape " << s[1] << ", got "
            << shapeStr(shapeOf(*wv));
      return failure();
    }
    weights = *wv;
  }
  int64_t C = s[1];
  if (softmax && s.size() == 2 && !weights && !ignore && *reduction != "none" &&
      !wantsOutput(1))
    return setOutput(
        0, b.create<nn::CrossEntropyOp>(
               loc, x, labels,
               *reduction == "sum" ? nn::Reduction::sum : nn::Reduction::mean));
  Value logp = softmax ? Value(b.create<nn::LogSoftmaxOp>(loc, x, 1)) : x;
  if (softmax)
    (void)setOutput(1, logp);
  // One-hot selection: onehot[n, c, ...] = (labels[n, ...] == c).
  Shape kept(s.size(), 1), lr = s;
  kept[1] = C;
  lr[1] = 1;
  Value iota;
  if (lt.isInteger(64)) {
    std::vector<int64_t> v(C);
    std::iota(v.begin(), v.end(), 0);
    iota = constI64(kept, v);
  } else {
    std::vector<int32_t> v(C);
    std::iota(v.begin(), v.end(), 0);
    iota = b.create<nn::ConstantOp>(
        loc, DenseElementsAttr::get(tensorOf(kept, lt), ArrayRef(v)));
  }
  Value onehot = b.create<nn::CompareOp>(loc, nn::ComparePredicate::eq,
                                         reshape(labels, lr), iota);
  Value zero = scalarF32(0.0f);
  Value picked = reduceSum(select(onehot, logp, zero), {1}, false);
  Value w;
  if (weights)
    w = reduceSum(select(onehot, reshape(weights, kept), zero), {1}, false);
  if (ignore) {
    Value ii = lt.isInteger(64)
                   ? constI64({}, {*ignore})
                   : b.create<nn::ConstantOp>(
                         loc, DenseElementsAttr::get(tensorOf({}, lt),
                                                     (int32_t)*ignore));
    Value keep =
        b.create<nn::CompareOp>(loc, nn::ComparePredicate::ne, labels, ii);
    w = select(keep, w ? w : splatF32(ls, 1.0f), zero);
  }
  Value loss = b.create<nn::NegOp>(loc, picked);
  if (w)
    loss = mul(loss, w);
  Shape all;
  for (size_t i = 0; i < ls.size(); ++i)
    all.push_back(i);
  if (*reduction == "none")
    return setOutput(0, loss);
  Value total = reduceSum(loss, all, false);
  if (*reduction == "sum")
    return setOutput(0, total);
  if (!w)
    return setOutput(0, b.create<nn::ReduceMeanOp>(loc, loss, all, false));
  return setOutput(0, div(total, reduceSum(w, all, false)));
}

LogicalResult Importer::importOptimizer(bool adam) {
  int per = adam ? 4 : 3;
  int n = (node->input_size() - 2) / per;
  if (node->input_size() < 2 + per || (node->input_size() - 2) % per != 0 ||
      node->output_size() != n * (per - 1)) {
    err() << "expects R, T and " << per - 1
          << " optimized tensors per parameter, and one output per "
             "updated tensor";
    return failure();
  }
  FailureOr<Value> r = f32Input(0);
  if (failed(r))
    return failure();
  if (rankOf(*r) != 0) {
    err() << "the learning rate R must be a scalar";
    return failure();
  }
  FailureOr<std::vector<int64_t>> tv = staticInts(1);
  if (failed(tv))
    return failure();
  if (tv->size() != 1) {
    err() << "the step count T must be a scalar";
    return failure();
  }
  int64_t t = (*tv)[0];
  if (!adam)
    for (const char *required : {"alpha", "beta", "mode", "norm_coefficient"})
      if (!attr(required)) {
        err() << "attribute '" << required << "' is required";
        return failure();
      }
  FailureOr<float> alpha = attrFloat("alpha", 0.9f), beta = failure(),
                   eps = failure(), norm = failure(), post = failure();
  if (failed(alpha) || failed(beta = attrFloat("beta", adam ? 0.999f : 1.0f)) ||
      failed(eps = attrFloat("epsilon", 1e-6f)) ||
      failed(norm = attrFloat("norm_coefficient", 0.0f)) ||
      failed(post = attrFloat("norm_coefficient_post", 0.0f)))
    return failure();
  FailureOr<std::string> mode = attrString("mode", "standard");
  if (failed(mode))
    return failure();
  if (!adam && *mode != "standard" && *mode != "nesterov") {
    err() << "attribute 'mode' must be standard or nesterov, got '" << *mode
          << "'";
    return failure();
  }
  for (float v : {*alpha, *beta, *eps, *norm, *post})
    if (!std::isfinite(v)) {
      err() << "attributes must be finite";
      return failure();
    }
  for (int k = 0; k < n; ++k) {
    FailureOr<Value> x = f32Input(2 + k), g = failure(), v = failure(),
                     h = failure();
    if (failed(x) || failed(g = f32Input(2 + n + k)) ||
        failed(v = f32Input(2 + 2 * n + k)) ||
        (adam && failed(h = f32Input(2 + 3 * n + k))))
      return failure();
    Shape xs = shapeOf(*x);
    if (shapeOf(*g) != xs || shapeOf(*v) != xs || (adam && shapeOf(*h) != xs)) {
      err() << "the tensors of parameter " << k << " differ in shape";
      return failure();
    }
    Value greg = *g;
    if (*norm != 0)
      greg = add(mul(scalarF32(*norm), *x), greg);
    if (adam) {
      Value vn =
          add(mul(scalarF32(*alpha), *v), mul(scalarF32(1.0f - *alpha), greg));
      Value hn = add(mul(scalarF32(*beta), *h),
                     mul(scalarF32(1.0f - *beta), mul(greg, greg)));
      Value hsq = add(b.create<nn::SqrtOp>(loc, hn), scalarF32(*eps));
      Value radj = *r;
      if (t > 0)
        radj = mul(
            *r, scalarF32((
                    float)(std::sqrt(1.0 - std::pow((double)*beta, (double)t)) /
                           (1.0 - std::pow((double)*alpha, (double)t)))));
      Value xn = sub(*x, mul(radj, div(vn, hsq)));
      if (*post != 0)
        xn = mul(scalarF32(1.0f - *post), xn);
      (void)setOutput(k, xn);
      (void)setOutput(n + k, vn);
      (void)setOutput(2 * n + k, hn);
    } else {
      float betaAdj = t > 0 ? *beta : 1.0f;
      Value vn = add(mul(scalarF32(*alpha), *v), mul(scalarF32(betaAdj), greg));
      Value step =
          *mode == "nesterov" ? add(greg, mul(scalarF32(*alpha), vn)) : vn;
      (void)setOutput(k, sub(*x, mul(*r, step)));
      (void)setOutput(n + k, vn);
    }
  }
  return success();
}
