//===- Shape.cpp - ONNX import: shape operators --------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Imports Transpose, Reshape, Flatten, Concat, Shape and Constant.
// Importer.h has the shared builder state; ImportONNX.cpp dispatches the
// nodes (Importer::importNode).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace kiln::onnx_import;

LogicalResult Importer::importTranspose() {
  FailureOr<Value> x = input(0);
  if (failed(x))
    return failure();
  int64_t r = rankOf(*x);
  FailureOr<std::optional<Shape>> perm = attrInts("perm");
  if (failed(perm))
    return failure();
  Shape p;
  if (*perm) {
    p = **perm;
  } else {
    for (int64_t i = r - 1; i >= 0; --i)
      p.push_back(i);
  }
  llvm::SmallVector<bool> seen(r, false);
  bool ok = (int64_t)p.size() == r;
  for (int64_t &v : p) {
    if (!ok)
      break;
    if (v < 0)
      v += r;
    ok = v >= 0 && v < r && !seen[v];
    if (ok)
      seen[v] = true;
  }
  if (!ok) {
    err() << "attribute 'perm' is not a permutation of 0.." << r - 1;
    return failure();
  }
  return setOutput(0, transpose(*x, p));
}

LogicalResult Importer::importReshape() {
  FailureOr<Value> x = input(0);
  if (failed(x))
    return failure();
  if (opset < 5) {
    err() << "Reshape before opset 5 (shape as an attribute) is not supported";
    return failure();
  }
  FailureOr<std::vector<int64_t>> shape = staticInts(1);
  FailureOr<int64_t> allowZero = attrInt("allowzero", 0);
  if (failed(shape) || failed(allowZero))
    return failure();
  Shape in = shapeOf(*x), out;
  int64_t inferAt = -1, known = 1;
  for (size_t i = 0; i < shape->size(); ++i) {
    int64_t d = (*shape)[i];
    if (d == 0 && !*allowZero) {
      if (i >= in.size()) {
        err() << "shape entry " << i << " is 0 (copy) but the input has rank "
              << in.size();
        return failure();
      }
      d = in[i];
    }
    if (d == -1) {
      if (inferAt >= 0) {
        err() << "shape has more than one -1";
        return failure();
      }
      inferAt = i;
      out.push_back(1);
      continue;
    }
    if (d < 0) {
      err() << "shape entry " << i << " is " << d << ", must be >= -1";
      return failure();
    }
    out.push_back(d);
    if (llvm::MulOverflow(known, d, known)) {
      err() << "shape " << shapeStr(*shape) << " has more elements than "
            << "fit in 64 bits";
      return failure();
    }
  }
  int64_t total = numel(in);
  if (inferAt >= 0) {
    if (known == 0 || total % known != 0) {
      err() << "cannot infer the -1 dimension reshaping " << shapeStr(in)
            << " to " << shapeStr(out);
      return failure();
    }
    out[inferAt] = total / known;
  }
  if (numel(out) != total) {
    err() << "cannot reshape " << shapeStr(in) << " (" << total
          << " elements) to " << shapeStr(out);
    return failure();
  }
  return setOutput(0, b.create<nn::ReshapeOp>(
                          loc, tensorOf(out, typeOf(*x).getElementType()), *x));
}

LogicalResult Importer::importFlatten() {
  FailureOr<Value> x = input(0);
  if (failed(x))
    return failure();
  int64_t r = rankOf(*x);
  FailureOr<int64_t> axis = attrInt("axis", 1);
  if (failed(axis))
    return failure();
  if (*axis < -r || *axis > r) {
    err() << "attribute 'axis' = " << *axis << " is out of range [" << -r
          << ", " << r << "]";
    return failure();
  }
  int64_t a = *axis < 0 ? *axis + r : *axis;
  Shape s = shapeOf(*x);
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < r; ++i)
    (i < a ? outer : inner) *= s[i];
  Value y;
  if (a == 1 && r >= 2)
    y = b.create<nn::FlattenOp>(loc, *x);
  else
    y = b.create<nn::ReshapeOp>(
        loc, tensorOf({outer, inner}, typeOf(*x).getElementType()), *x);
  return setOutput(0, y);
}

LogicalResult Importer::importConcat() {
  SmallVector<Value> ins;
  for (int i = 0; i < node->input_size(); ++i) {
    FailureOr<Value> v = input(i);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  if (ins.empty()) {
    err() << "expects at least one input";
    return failure();
  }
  const onnx::AttributeProto *a = attr("axis");
  if (!a) {
    err() << "attribute 'axis' is required";
    return failure();
  }
  int64_t r = rankOf(ins[0]);
  FailureOr<int64_t> ax = attrInt("axis", 0);
  if (failed(ax))
    return failure();
  FailureOr<int64_t> axis = normAxis(*ax, r);
  if (failed(axis))
    return failure();
  for (Value v : ins) {
    Shape s = shapeOf(v), s0 = shapeOf(ins[0]);
    bool ok = s.size() == s0.size() &&
              typeOf(v).getElementType() == typeOf(ins[0]).getElementType();
    for (size_t i = 0; ok && i < s.size(); ++i)
      ok = (int64_t)i == *axis || s[i] == s0[i];
    if (!ok) {
      err() << "inputs " << shapeStr(s0) << " and " << shapeStr(s)
            << " cannot be concatenated along axis " << *axis;
      return failure();
    }
  }
  return setOutput(0, concat(ins, *axis));
}

LogicalResult Importer::importShape() {
  FailureOr<Value> x = input(0);
  FailureOr<int64_t> start = attrInt("start", 0), end = failure();
  if (failed(x) || failed(start) ||
      failed(end = attrInt("end", std::numeric_limits<int64_t>::max())))
    return failure();
  // Shapes are static: the result is a constant.
  Shape s = shapeOf(*x);
  int64_t r = s.size();
  auto clampDim = [&](int64_t v) {
    if (v < 0)
      v += r;
    return std::min(std::max<int64_t>(v, 0), r);
  };
  int64_t lo = clampDim(*start), hi = clampDim(*end);
  auto t = std::make_unique<onnx::TensorProto>();
  t->set_name(node->output(0));
  t->set_data_type(DT_INT64);
  t->add_dims(std::max<int64_t>(hi - lo, 0));
  for (int64_t i = lo; i < hi; ++i)
    t->add_int64_data(s[i]);
  consts[node->output(0)] = t.get();
  owned.push_back(std::move(t));
  return success();
}

LogicalResult Importer::importConstant() {
  if (node->attribute_size() != 1) {
    err() << "expects exactly one value attribute";
    return failure();
  }
  const onnx::AttributeProto &a = node->attribute(0);
  auto t = std::make_unique<onnx::TensorProto>();
  if (a.name() == "value" && a.type() == onnx::AttributeProto::TENSOR) {
    *t = a.t();
  } else if (a.name() == "value_float" &&
             a.type() == onnx::AttributeProto::FLOAT) {
    t->set_data_type(DT_FLOAT);
    t->add_float_data(a.f());
  } else if (a.name() == "value_floats" &&
             a.type() == onnx::AttributeProto::FLOATS) {
    t->set_data_type(DT_FLOAT);
    t->add_dims(a.floats_size());
    for (float f : a.floats())
      t->add_float_data(f);
  } else if (a.name() == "value_int" && a.type() == onnx::AttributeProto::INT) {
    t->set_data_type(DT_INT64);
    t->add_int64_data(a.i());
  } else if (a.name() == "value_ints" &&
             a.type() == onnx::AttributeProto::INTS) {
    t->set_data_type(DT_INT64);
    t->add_dims(a.ints_size());
    for (int64_t i : a.ints())
      t->add_int64_data(i);
  } else {
    err() << "attribute '" << a.name()
          << "' is not supported (value, value_float(s), value_int(s))";
    return failure();
  }
  if (!wantsOutput(0)) {
    err() << "expects an output";
    return failure();
  }
  t->set_name(node->output(0));
  // Check the data now, so that a bad constant is reported at its node.
  if (failed(decodeTensor(*t, "constant")))
    return failure();
  consts[node->output(0)] = t.get();
  owned.push_back(std::move(t));
  return success();
}
