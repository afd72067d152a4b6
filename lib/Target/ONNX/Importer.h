//===- Importer.h - The ONNX importer's shared state ------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Internal to lib/Target/ONNX: the Importer class, which holds the builder
// state of one import (values by ONNX name, constants, options, the node
// being imported), and its helpers. ImportONNX.cpp has the graph, tensors,
// inputs and attributes and the public entry points (ImportONNX.h); one file
// per operator family defines that family's import* members, the way
// lib/Conversion/NNToLinalg is split: Elementwise.cpp, LinearAlgebra.cpp,
// Shape.cpp, ConvPool.cpp, Normalization.cpp, Recurrent.cpp,
// LossesOptimizers.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_TARGET_ONNX_IMPORTER_H
#define KILN_LIB_TARGET_ONNX_IMPORTER_H

#include "kiln/Target/ONNX/ImportONNX.h"
#include "kiln/Target/ONNX/TensorProto.h"

#include "kiln/Dialect/NN/IR/NNDialect.h"
#include "kiln/Dialect/NN/IR/NNOps.h"
#include "kiln/Runtime/Npy.h"
#include "kiln/Runtime/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>

namespace kiln::onnx_import {

using namespace mlir;
namespace nn = kiln::nn;
using kiln::ONNXImportOptions;
using kiln::ONNXImportResult;

/// The newest `ai.onnx` opset the importer knows (ONNX 1.12).
inline constexpr int64_t kMaxOpset = 17;
/// The `ai.onnx.preview.training` opset (Adam, Momentum).
inline constexpr int64_t kMaxTrainingOpset = 1;
/// The largest kernel size, stride, dilation and padding of Conv and the
/// poolings: their products and sums with a dimension then fit in int64.
inline constexpr int64_t kMaxWindowAttr = (int64_t(1) << 31) - 1;

using Shape = llvm::SmallVector<int64_t>;

/// ONNX TensorProto element types the importer handles.
enum OnnxDType : int32_t {
  DT_FLOAT = 1,
  DT_UINT8 = 2,
  DT_INT32 = 6,
  DT_INT64 = 7,
  DT_BOOL = 9,
  DT_DOUBLE = 11,
};

inline const char *dtypeName(int32_t t) { return kiln::onnxDataTypeName(t); }

inline std::string shapeStr(ArrayRef<int64_t> s) {
  return kiln::formatONNXShape(s);
}

/// The element count of a static shape; INT64_MAX if it overflows (the
/// module verifier then rejects the type, constraint shape_c1).
inline int64_t numel(ArrayRef<int64_t> s) {
  int64_t n = 1;
  for (int64_t d : s)
    if (llvm::MulOverflow(n, d, n))
      return std::numeric_limits<int64_t>::max();
  return n;
}

/// Makes `name` a parameter name (param_c1) that is also a safe file name:
/// every byte outside [A-Za-z0-9._-] becomes '_'.
inline std::string sanitizeName(llvm::StringRef name) {
  std::string r;
  for (char c : name)
    r += (isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
          c == '-')
             ? c
             : '_';
  if (r.empty())
    r = "_";
  return r;
}

/// Makes `name` a C identifier (entry-point names).
inline std::string cIdentifier(llvm::StringRef name) {
  std::string r;
  for (char c : name)
    r += isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  if (r.empty())
    return "model";
  if (isdigit(static_cast<unsigned char>(r[0])))
    r = "m_" + r;
  return r;
}

class Importer {
public:
  Importer(MLIRContext *ctx, llvm::StringRef source,
           const ONNXImportOptions &opts)
      : ctx(ctx), b(ctx), source(source.str()), opts(opts),
        loc(FileLineColLoc::get(ctx, source, 0, 0)) {}

  ONNXImportResult run(const onnx::ModelProto &model);

private:
  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  /// Starts an error at the current node: "node 'NAME' (OP): ".
  InFlightDiagnostic err() {
    InFlightDiagnostic d = emitError(loc);
    if (node)
      d << "node '" << nodeName << "' (" << node->op_type() << "): ";
    return d;
  }

  //===--------------------------------------------------------------------===//
  // Types and constants
  //===--------------------------------------------------------------------===//

  Type f32() { return b.getF32Type(); }
  RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type et) {
    return RankedTensorType::get(shape, et);
  }
  static RankedTensorType typeOf(Value v) {
    return cast<RankedTensorType>(v.getType());
  }
  static Shape shapeOf(Value v) {
    auto s = typeOf(v).getShape();
    return Shape(s.begin(), s.end());
  }
  static int64_t rankOf(Value v) { return typeOf(v).getRank(); }
  static bool isF32(Value v) { return typeOf(v).getElementType().isF32(); }

  FailureOr<Type> elementType(int32_t dt) {
    switch (dt) {
    case DT_FLOAT:
      return f32();
    case DT_INT64:
      return b.getI64Type();
    case DT_INT32:
      return b.getI32Type();
    case DT_BOOL:
      return b.getI1Type();
    default:
      return failure();
    }
  }

  FailureOr<DenseElementsAttr> decodeTensor(const onnx::TensorProto &t,
                                            llvm::StringRef what);
  FailureOr<std::vector<double>> tensorValues(const onnx::TensorProto &t,
                                              llvm::StringRef what);

  Value constF32(ArrayRef<int64_t> shape, ArrayRef<float> data) {
    auto type = tensorOf(shape, f32());
    return b.create<nn::ConstantOp>(loc, DenseElementsAttr::get(type, data));
  }
  Value splatF32(ArrayRef<int64_t> shape, float v) {
    auto type = tensorOf(shape, f32());
    return b.create<nn::ConstantOp>(loc, DenseElementsAttr::get(type, v));
  }
  Value scalarF32(float v) { return splatF32({}, v); }
  Value constI64(ArrayRef<int64_t> shape, ArrayRef<int64_t> data) {
    auto type = tensorOf(shape, b.getI64Type());
    return b.create<nn::ConstantOp>(loc, DenseElementsAttr::get(type, data));
  }

  //===--------------------------------------------------------------------===//
  // nn op helpers (callers make sure the operands are valid)
  //===--------------------------------------------------------------------===//

  Value reshape(Value v, ArrayRef<int64_t> shape) {
    if (shapeOf(v) == Shape(shape.begin(), shape.end()))
      return v;
    return b.create<nn::ReshapeOp>(
        loc, tensorOf(shape, typeOf(v).getElementType()), v);
  }
  Value transpose(Value v, ArrayRef<int64_t> perm) {
    bool identity = true;
    for (size_t i = 0; i < perm.size(); ++i)
      identity &= perm[i] == (int64_t)i;
    if (identity)
      return v;
    return b.create<nn::TransposeOp>(loc, v, perm);
  }
  Value slice(Value v, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
              ArrayRef<int64_t> strides = {}) {
    Shape st(strides.begin(), strides.end());
    if (st.empty())
      st.assign(offsets.size(), 1);
    return b.create<nn::SliceOp>(loc, v, offsets, sizes, st);
  }
  /// Slice [begin, begin+size) of dimension `axis`.
  Value sliceAxis(Value v, int64_t axis, int64_t begin, int64_t size) {
    Shape s = shapeOf(v);
    Shape off(s.size(), 0);
    off[axis] = begin;
    s[axis] = size;
    return slice(v, off, s);
  }
  Value concat(ArrayRef<Value> vs, int64_t axis) {
    if (vs.size() == 1)
      return vs[0];
    return b.create<nn::ConcatOp>(loc, vs, axis);
  }
  Value broadcastTo(Value v, ArrayRef<int64_t> shape) {
    if (shapeOf(v) == Shape(shape.begin(), shape.end()))
      return v;
    return b.create<nn::BroadcastToOp>(
        loc, tensorOf(shape, typeOf(v).getElementType()), v);
  }
  Value add(Value x, Value y) { return b.create<nn::AddOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<nn::SubOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<nn::MulOp>(loc, x, y); }
  Value div(Value x, Value y) { return b.create<nn::DivOp>(loc, x, y); }
  Value matmul(Value x, Value y) { return b.create<nn::MatmulOp>(loc, x, y); }
  Value sigmoid(Value x) { return b.create<nn::SigmoidOp>(loc, x); }
  Value tanh(Value x) { return b.create<nn::TanhOp>(loc, x); }
  Value reduceSum(Value x, ArrayRef<int64_t> axes, bool keep) {
    return b.create<nn::ReduceSumOp>(loc, x, axes, keep);
  }
  Value select(Value c, Value t, Value f) {
    return b.create<nn::SelectOp>(loc, c, t, f);
  }
  Value boolToF32(Value v) {
    return select(v, scalarF32(1.0f), scalarF32(0.0f));
  }
  /// Pads dimension `axis` of `v` with `before`/`after` copies of `value`.
  Value padAxis(Value v, int64_t axis, int64_t before, int64_t after,
                float value) {
    if (before <= 0 && after <= 0)
      return v;
    SmallVector<Value> parts;
    Shape s = shapeOf(v);
    if (before > 0) {
      s[axis] = before;
      parts.push_back(splatF32(s, value));
    }
    parts.push_back(v);
    if (after > 0) {
      s[axis] = after;
      parts.push_back(splatF32(s, value));
    }
    return concat(parts, axis);
  }

  /// NumPy broadcast of two shapes, or nullopt.
  static std::optional<Shape> broadcastShapes(ArrayRef<int64_t> a,
                                              ArrayRef<int64_t> c) {
    size_t r = std::max(a.size(), c.size());
    Shape out(r, 1);
    for (size_t i = 0; i < r; ++i) {
      int64_t x = i < r - a.size() ? 1 : a[i - (r - a.size())];
      int64_t y = i < r - c.size() ? 1 : c[i - (r - c.size())];
      if (x != y && x != 1 && y != 1)
        return std::nullopt;
      out[i] = x == 1 ? y : x;
    }
    return out;
  }

  //===--------------------------------------------------------------------===//
  // Node inputs and attributes
  //===--------------------------------------------------------------------===//

  bool hasInput(int i) {
    return i < node->input_size() && !node->input(i).empty();
  }
  FailureOr<Value> input(int i);
  FailureOr<Value> f32Input(int i);
  /// The compile-time value of input `i` (an initializer, a Constant node
  /// or a folded graph input).
  FailureOr<std::vector<double>> staticInput(int i);
  FailureOr<std::vector<int64_t>> staticInts(int i);
  FailureOr<Value> materialize(llvm::StringRef name);

  const onnx::AttributeProto *attr(llvm::StringRef name) {
    for (const auto &a : node->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  FailureOr<int64_t> attrInt(llvm::StringRef name, int64_t dflt);
  FailureOr<float> attrFloat(llvm::StringRef name, float dflt);
  FailureOr<std::string> attrString(llvm::StringRef name, llvm::StringRef dflt);
  FailureOr<std::optional<Shape>> attrInts(llvm::StringRef name);
  /// Normalizes `axis` in [-rank, rank) to [0, rank).
  FailureOr<int64_t> normAxis(int64_t axis, int64_t rank,
                              llvm::StringRef what = "axis");

  LogicalResult setOutput(int i, Value v) {
    if (i < node->output_size() && !node->output(i).empty())
      values[node->output(i)] = v;
    return success();
  }
  bool wantsOutput(int i) {
    return i < node->output_size() && !node->output(i).empty();
  }

  //===--------------------------------------------------------------------===//
  // Operators
  //===--------------------------------------------------------------------===//

  LogicalResult importNode(const onnx::NodeProto &n);
  LogicalResult importUnary(llvm::StringRef op);
  LogicalResult importBinary(llvm::StringRef op);
  LogicalResult importMatMul();
  LogicalResult importGemm();
  LogicalResult importTranspose();
  LogicalResult importReshape();
  LogicalResult importFlatten();
  LogicalResult importConcat();
  LogicalResult importSoftmax(bool log);
  LogicalResult importReduce(llvm::StringRef op);
  LogicalResult importConv();
  LogicalResult importPool(bool isMax);
  LogicalResult importGlobalAveragePool();
  LogicalResult importBatchNorm();
  LogicalResult importDropout();
  LogicalResult importRecurrent(llvm::StringRef op);
  LogicalResult importLoss(bool softmax);
  LogicalResult importOptimizer(bool adam);
  LogicalResult importConstant();
  LogicalResult importShape();

  /// Spatial attributes shared by Conv and the poolings, for 1 or 2 spatial
  /// dimensions: resolved begin/end padding (auto_pad applied).
  struct Window {
    Shape kernel, stride, dilation, padBegin, padEnd;
  };
  FailureOr<Value> poolND(Value x, const Window &win, ArrayRef<int64_t> endPad,
                          ArrayRef<int64_t> out, bool isMax, bool countPad);
  FailureOr<SmallVector<Shape>>
  avgPoolCounts(ArrayRef<int64_t> in, ArrayRef<int64_t> out,
                ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                ArrayRef<int64_t> padBegin, ArrayRef<int64_t> padEnd,
                bool countPad);
  FailureOr<Window> windowAttrs(ArrayRef<int64_t> spatial,
                                ArrayRef<int64_t> kernel, bool ceilMode);

  FailureOr<Value> recurrentDirection(llvm::StringRef op, Value x, Value w,
                                      Value r, Value bias, Value h0, Value c0,
                                      Value peep, int64_t hidden, bool reverse,
                                      bool linearBeforeReset,
                                      std::optional<float> clip, Value &hLast,
                                      Value &cLast);

  /// Finishes the function for training (options.trainLoss).
  LogicalResult addTrainingLoss(func::FuncOp func,
                                SmallVectorImpl<Value> &results,
                                SmallVectorImpl<Type> &resultTypes);

  MLIRContext *ctx;
  OpBuilder b;
  std::string source;
  const ONNXImportOptions &opts;
  Location loc;
  const onnx::NodeProto *node = nullptr;
  std::string nodeName;
  int64_t opset = 0;

  llvm::StringMap<Value> values;
  llvm::StringMap<const onnx::TensorProto *> consts;
  llvm::StringSet<> initializerNames;
  llvm::StringSet<> bufferInitializers;
  llvm::StringSet<> staticNames;
  std::vector<std::unique_ptr<onnx::TensorProto>> owned;
  llvm::StringSet<> paramNames;
  std::vector<std::string> argNameAttrs;
  ONNXImportResult result;
};

} // namespace kiln::onnx_import

#endif // KILN_LIB_TARGET_ONNX_IMPORTER_H
