//===- Elementwise.cpp - ONNX import: elementwise ops --------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Imports Relu, Sigmoid, Tanh, Exp, Log, Sqrt, Neg, Abs, LeakyRelu, Elu,
// Identity, Add, Sub, Mul, Div, Pow, Softmax, LogSoftmax and the Reduce*
// operators. Importer.h has the shared builder state; ImportONNX.cpp
// dispatches the nodes (Importer::importNode).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace kiln::onnx_import;

LogicalResult Importer::importUnary(llvm::StringRef op) {
  if (op == "Identity") {
    // A compile-time value stays one.
    if (hasInput(0) && !values.count(node->input(0)) &&
        consts.count(node->input(0)) && wantsOutput(0)) {
      consts[node->output(0)] = consts[node->input(0)];
      return success();
    }
    FailureOr<Value> v = input(0);
    if (failed(v))
      return failure();
    (void)setOutput(0, *v);
    return success();
  }
  FailureOr<Value> x = f32Input(0);
  if (failed(x))
    return failure();
  Value y;
  if (op == "Relu")
    y = b.create<nn::ReluOp>(loc, *x);
  else if (op == "Sigmoid")
    y = sigmoid(*x);
  else if (op == "Tanh")
    y = tanh(*x);
  else if (op == "Exp")
    y = b.create<nn::ExpOp>(loc, *x);
  else if (op == "Log")
    y = b.create<nn::LogOp>(loc, *x);
  else if (op == "Sqrt")
    y = b.create<nn::SqrtOp>(loc, *x);
  else if (op == "Neg")
    y = b.create<nn::NegOp>(loc, *x);
  else if (op == "Abs")
    y = b.create<nn::AbsOp>(loc, *x);
  else if (op == "LeakyRelu" || op == "Elu") {
    FailureOr<float> alpha = attrFloat("alpha", op == "Elu" ? 1.0f : 0.01f);
    if (failed(alpha))
      return failure();
    if (!std::isfinite(*alpha)) {
      err() << "attribute 'alpha' must be finite, got " << *alpha;
      return failure();
    }
    if (op == "Elu")
      y = b.create<nn::EluOp>(loc, *x, llvm::APFloat(*alpha));
    else
      y = b.create<nn::LeakyReluOp>(loc, *x, llvm::APFloat(*alpha));
  } else if (op == "Identity") {
    FailureOr<Value> v = input(0);
    if (failed(v))
      return failure();
    y = *v;
  }
  return setOutput(0, y);
}

LogicalResult Importer::importBinary(llvm::StringRef op) {
  FailureOr<Value> x = f32Input(0), y = failure();
  if (failed(x) || failed(y = f32Input(1)))
    return failure();
  if (!broadcastShapes(shapeOf(*x), shapeOf(*y))) {
    err() << "operand shapes " << shapeStr(shapeOf(*x)) << " and "
          << shapeStr(shapeOf(*y)) << " are not broadcast-compatible";
    return failure();
  }
  Value z;
  if (op == "Add")
    z = add(*x, *y);
  else if (op == "Sub")
    z = sub(*x, *y);
  else if (op == "Mul")
    z = mul(*x, *y);
  else if (op == "Div")
    z = div(*x, *y);
  else
    z = b.create<nn::PowOp>(loc, *x, *y);
  return setOutput(0, z);
}

LogicalResult Importer::importSoftmax(bool log) {
  FailureOr<Value> x = f32Input(0);
  if (failed(x))
    return failure();
  int64_t r = rankOf(*x);
  if (r == 0) {
    err() << "expects an input of rank >= 1";
    return failure();
  }
  FailureOr<int64_t> ax = attrInt("axis", opset >= 13 ? -1 : 1);
  if (failed(ax))
    return failure();
  FailureOr<int64_t> axis = normAxis(*ax, r);
  if (failed(axis))
    return failure();
  auto make = [&](Value v, int64_t a) -> Value {
    if (log)
      return b.create<nn::LogSoftmaxOp>(loc, v, a);
    return b.create<nn::SoftmaxOp>(loc, v, a);
  };
  if (opset >= 13)
    return setOutput(0, make(*x, *axis));
  // Before opset 13: the input is coerced to 2-D [prod(d[:axis]),
  // prod(d[axis:])] and normalized along its second dimension.
  Shape s = shapeOf(*x);
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < r; ++i)
    (i < *axis ? outer : inner) *= s[i];
  Value y = make(reshape(*x, {outer, inner}), 1);
  return setOutput(0, reshape(y, s));
}

LogicalResult Importer::importReduce(llvm::StringRef op) {
  FailureOr<Value> x = f32Input(0);
  if (failed(x))
    return failure();
  int64_t r = rankOf(*x);
  FailureOr<int64_t> keep = attrInt("keepdims", 1);
  FailureOr<int64_t> noop = attrInt("noop_with_empty_axes", 0);
  if (failed(keep) || failed(noop))
    return failure();
  if ((*keep != 0 && *keep != 1) || (*noop != 0 && *noop != 1)) {
    err() << "attributes 'keepdims' and 'noop_with_empty_axes' must be 0 or 1";
    return failure();
  }
  Shape axes;
  bool axesGiven = false;
  if (op == "ReduceSum" && opset >= 13) {
    if (hasInput(1)) {
      FailureOr<std::vector<int64_t>> v = staticInts(1);
      if (failed(v))
        return failure();
      axes.assign(v->begin(), v->end());
      axesGiven = true;
    }
  } else {
    FailureOr<std::optional<Shape>> v = attrInts("axes");
    if (failed(v))
      return failure();
    if (*v) {
      axes = **v;
      axesGiven = true;
    }
  }
  if (axes.empty()) {
    if (axesGiven && *noop)
      return setOutput(0, *x);
    if (!axesGiven && *noop)
      return setOutput(0, *x);
    for (int64_t i = 0; i < r; ++i)
      axes.push_back(i);
  }
  llvm::SmallVector<bool> seen(r, false);
  for (int64_t &a : axes) {
    FailureOr<int64_t> n = normAxis(a, r, "axes");
    if (failed(n))
      return failure();
    if (seen[*n]) {
      err() << "axis " << *n << " is repeated in 'axes'";
      return failure();
    }
    seen[*n] = true;
    a = *n;
  }
  llvm::sort(axes);
  bool kd = *keep;
  Value v = *x, y;
  if (op == "ReduceSum")
    y = reduceSum(v, axes, kd);
  else if (op == "ReduceMean")
    y = b.create<nn::ReduceMeanOp>(loc, v, axes, kd);
  else if (op == "ReduceMax")
    y = b.create<nn::ReduceMaxOp>(loc, v, axes, kd);
  else if (op == "ReduceMin")
    y = b.create<nn::NegOp>(
        loc,
        b.create<nn::ReduceMaxOp>(loc, b.create<nn::NegOp>(loc, v), axes, kd));
  else if (op == "ReduceL1")
    y = reduceSum(b.create<nn::AbsOp>(loc, v), axes, kd);
  else if (op == "ReduceL2")
    y = b.create<nn::SqrtOp>(loc, reduceSum(mul(v, v), axes, kd));
  else if (op == "ReduceSumSquare")
    y = reduceSum(mul(v, v), axes, kd);
  else if (op == "ReduceLogSum")
    y = b.create<nn::LogOp>(loc, reduceSum(v, axes, kd));
  else if (op == "ReduceLogSumExp") {
    // m + log(sum(exp(x - m))), m the maximum (kept dims to broadcast).
    Value m = b.create<nn::ReduceMaxOp>(loc, v, axes, true);
    Value s = reduceSum(b.create<nn::ExpOp>(loc, sub(v, m)), axes, true);
    y = add(m, b.create<nn::LogOp>(loc, s));
    if (!kd) {
      Shape out;
      for (int64_t i = 0; i < r; ++i)
        if (!seen[i])
          out.push_back(shapeOf(v)[i]);
      y = reshape(y, out);
    }
  } else {
    // ReduceProd: multiply the slices of each reduced axis.
    for (int64_t a : axes) {
      int64_t d = shapeOf(v)[a];
      if (d == 0) {
        Shape s = shapeOf(v);
        s[a] = 1;
        v = splatF32(s, 1.0f);
        continue;
      }
      Value p = sliceAxis(v, a, 0, 1);
      for (int64_t k = 1; k < d; ++k)
        p = mul(p, sliceAxis(v, a, k, 1));
      v = p;
    }
    Shape out;
    for (int64_t i = 0; i < r; ++i)
      if (!seen[i] || kd)
        out.push_back(seen[i] ? 1 : shapeOf(*x)[i]);
    y = reshape(v, out);
  }
  return setOutput(0, y);
}
