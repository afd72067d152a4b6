//===- ImportONNX.cpp - ONNX model importer -------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Translates an onnx::ModelProto into one func.func of `nn` ops. Each ONNX
// node is imported by one member function that validates its attributes
// and composes `nn` ops (docs/ONNX.md has the table). Shapes are static
// throughout: every value's type is known when its node is imported, so
// every composition is decided at import time.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/ONNX/ImportONNX.h"

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
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>

using namespace mlir;
namespace nn = kiln::nn;
using kiln::ONNXImportOptions;
using kiln::ONNXImportResult;

namespace {

/// The newest `ai.onnx` opset the importer knows (ONNX 1.12).
constexpr int64_t kMaxOpset = 17;
/// The `ai.onnx.preview.training` opset (Adam, Momentum).
constexpr int64_t kMaxTrainingOpset = 1;

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

const char *dtypeName(int32_t t) {
  switch (t) {
  case 1:
    return "float";
  case 2:
    return "uint8";
  case 3:
    return "int8";
  case 4:
    return "uint16";
  case 5:
    return "int16";
  case 6:
    return "int32";
  case 7:
    return "int64";
  case 8:
    return "string";
  case 9:
    return "bool";
  case 10:
    return "float16";
  case 11:
    return "double";
  case 12:
    return "uint32";
  case 13:
    return "uint64";
  case 16:
    return "bfloat16";
  default:
    return "unknown";
  }
}

std::string shapeStr(ArrayRef<int64_t> s) {
  if (s.empty())
    return "scalar";
  std::string r;
  for (size_t i = 0; i < s.size(); ++i)
    r += (i ? "x" : "") + std::to_string(s[i]);
  return r;
}

int64_t numel(ArrayRef<int64_t> s) {
  int64_t n = 1;
  for (int64_t d : s)
    n *= d;
  return n;
}

/// Makes `name` a parameter name (param_c1) that is also a safe file name:
/// every byte outside [A-Za-z0-9._-] becomes '_'.
std::string sanitizeName(llvm::StringRef name) {
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
std::string cIdentifier(llvm::StringRef name) {
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
  Value poolND(Value x, const Window &win, ArrayRef<int64_t> endPad,
               ArrayRef<int64_t> out, bool isMax, bool countPad);
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

} // namespace

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

FailureOr<std::vector<double>>
Importer::tensorValues(const onnx::TensorProto &t, llvm::StringRef what) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    err() << what << " '" << t.name()
          << "' uses external data, which is not supported";
    return failure();
  }
  int64_t n = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && n > std::numeric_limits<int64_t>::max() / d)) {
      err() << what << " '" << t.name() << "' has an invalid shape";
      return failure();
    }
    n *= d;
  }
  std::vector<double> out;
  size_t elemSize = 0;
  switch (t.data_type()) {
  case DT_FLOAT:
    elemSize = 4;
    break;
  case DT_DOUBLE:
    elemSize = 8;
    break;
  case DT_INT32:
    elemSize = 4;
    break;
  case DT_INT64:
    elemSize = 8;
    break;
  case DT_BOOL:
  case DT_UINT8:
    elemSize = 1;
    break;
  default:
    err() << what << " '" << t.name() << "' has element type "
          << dtypeName(t.data_type()) << ", which is not supported";
    return failure();
  }
  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    if (raw.size() != (size_t)n * elemSize) {
      err() << what << " '" << t.name() << "' has " << raw.size()
            << " bytes of data but its shape "
            << shapeStr(Shape(t.dims().begin(), t.dims().end())) << " needs "
            << (size_t)n * elemSize;
      return failure();
    }
    out.resize(n);
    const char *p = raw.data();
    for (int64_t i = 0; i < n; ++i) {
      switch (t.data_type()) {
      case DT_FLOAT: {
        float v;
        memcpy(&v, p + 4 * i, 4);
        out[i] = v;
        break;
      }
      case DT_DOUBLE: {
        double v;
        memcpy(&v, p + 8 * i, 8);
        out[i] = v;
        break;
      }
      case DT_INT32: {
        int32_t v;
        memcpy(&v, p + 4 * i, 4);
        out[i] = v;
        break;
      }
      case DT_INT64: {
        int64_t v;
        memcpy(&v, p + 8 * i, 8);
        out[i] = (double)v;
        break;
      }
      default:
        out[i] = (unsigned char)p[i];
        break;
      }
    }
    return out;
  }
  int64_t have = 0;
  switch (t.data_type()) {
  case DT_FLOAT:
    have = t.float_data_size();
    break;
  case DT_DOUBLE:
    have = t.double_data_size();
    break;
  case DT_INT64:
    have = t.int64_data_size();
    break;
  default:
    have = t.int32_data_size();
    break;
  }
  if (have != n) {
    err() << what << " '" << t.name() << "' has " << have
          << " elements but its shape "
          << shapeStr(Shape(t.dims().begin(), t.dims().end())) << " needs "
          << n;
    return failure();
  }
  out.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    switch (t.data_type()) {
    case DT_FLOAT:
      out[i] = t.float_data(i);
      break;
    case DT_DOUBLE:
      out[i] = t.double_data(i);
      break;
    case DT_INT64:
      out[i] = (double)t.int64_data(i);
      break;
    default:
      out[i] = t.int32_data(i);
      break;
    }
  }
  return out;
}

FailureOr<DenseElementsAttr> Importer::decodeTensor(const onnx::TensorProto &t,
                                                    llvm::StringRef what) {
  FailureOr<Type> et = elementType(t.data_type());
  if (failed(et)) {
    err() << what << " '" << t.name() << "' has element type "
          << dtypeName(t.data_type())
          << ", which is not supported (float, int32, int64, bool)";
    return failure();
  }
  Shape shape(t.dims().begin(), t.dims().end());
  // int64 data keeps its exact value (doubles lose bits beyond 2^53).
  if (t.data_type() == DT_INT64 && !t.has_raw_data() &&
      t.data_location() != onnx::TensorProto::EXTERNAL) {
    if ((int64_t)t.int64_data_size() != numel(shape)) {
      err() << what << " '" << t.name() << "' has " << t.int64_data_size()
            << " elements but its shape " << shapeStr(shape) << " needs "
            << numel(shape);
      return failure();
    }
    std::vector<int64_t> v(t.int64_data().begin(), t.int64_data().end());
    return DenseElementsAttr::get(tensorOf(shape, *et), ArrayRef(v));
  }
  FailureOr<std::vector<double>> vals = tensorValues(t, what);
  if (failed(vals))
    return failure();
  auto type = tensorOf(shape, *et);
  if (t.data_type() == DT_INT64 && t.has_raw_data()) {
    std::vector<int64_t> v(vals->size());
    memcpy(v.data(), t.raw_data().data(), v.size() * 8);
    return DenseElementsAttr::get(type, ArrayRef(v));
  }
  switch (t.data_type()) {
  case DT_FLOAT: {
    std::vector<float> v(vals->begin(), vals->end());
    return DenseElementsAttr::get(type, ArrayRef(v));
  }
  case DT_INT32: {
    std::vector<int32_t> v(vals->begin(), vals->end());
    return DenseElementsAttr::get(type, ArrayRef(v));
  }
  case DT_BOOL: {
    SmallVector<bool> v;
    for (double d : *vals)
      v.push_back(d != 0);
    return DenseElementsAttr::get(type, ArrayRef<bool>(v));
  }
  default: {
    std::vector<int64_t> v(vals->begin(), vals->end());
    return DenseElementsAttr::get(type, ArrayRef(v));
  }
  }
}

//===----------------------------------------------------------------------===//
// Inputs and attributes
//===----------------------------------------------------------------------===//

FailureOr<Value> Importer::materialize(llvm::StringRef name) {
  auto it = consts.find(name);
  if (it == consts.end())
    return failure();
  const onnx::TensorProto &t = *it->second;
  bool isInit = initializerNames.contains(name);
  FailureOr<DenseElementsAttr> attr =
      decodeTensor(t, isInit ? "initializer" : "constant");
  if (failed(attr))
    return failure();
  Value v;
  // Initializers are created at the top of the function, so that every
  // use (and every nn.param) sees them.
  OpBuilder::InsertionGuard guard(b);
  Block *entry = b.getInsertionBlock();
  b.setInsertionPointToStart(entry);
  if (isInit && !opts.paramsDir.empty() && attr->getElementType().isF32() &&
      attr->getNumElements() > 0 &&
      llvm::all_of(attr->getType().getShape(),
                   [](int64_t d) { return d > 0; }) &&
      !staticNames.contains(name)) {
    std::string pname = sanitizeName(name);
    std::string unique = pname;
    for (int k = 1; paramNames.contains(unique); ++k)
      unique = pname + "_" + std::to_string(k);
    paramNames.insert(unique);
    v = b.create<nn::ParamOp>(loc, attr->getType(), unique, nn::InitKind::zeros,
                              0, FloatAttr(), FloatAttr(), FloatAttr(),
                              FloatAttr(), bufferInitializers.contains(name));
    // Write the value for --init-params.
    kiln_tensor_t tensor;
    auto shape = attr->getType().getShape();
    if (shape.size() > KILN_MAX_RANK) {
      err() << "initializer '" << name.str() << "' has rank " << shape.size()
            << ", more than the runtime's " << KILN_MAX_RANK;
      return failure();
    }
    char allocMsg[256];
    if (kiln_tensor_alloc(&tensor, KILN_F32, (int32_t)shape.size(),
                          shape.data(), allocMsg, sizeof allocMsg) != KILN_OK) {
      err() << "cannot allocate initializer '" << name.str() << "'";
      return failure();
    }
    float *data = static_cast<float *>(tensor.data);
    int64_t i = 0;
    for (float f : attr->getValues<float>())
      data[i++] = f;
    llvm::SmallString<256> path(opts.paramsDir);
    llvm::sys::path::append(path, unique + ".npy");
    char msg[512];
    kiln_status_t st = kiln_npy_write(path.c_str(), &tensor, msg, sizeof msg);
    kiln_tensor_free(&tensor);
    if (st != KILN_OK) {
      err() << "cannot write '" << path << "': " << msg;
      return failure();
    }
    result.params.push_back(unique);
  } else {
    v = b.create<nn::ConstantOp>(loc, *attr);
  }
  values[name] = v;
  return v;
}

FailureOr<Value> Importer::input(int i) {
  if (!hasInput(i)) {
    err() << "input " << i << " is required";
    return failure();
  }
  const std::string &name = node->input(i);
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  if (consts.count(name))
    return materialize(name);
  err() << "input '" << name << "' is not defined before its use";
  return failure();
}

FailureOr<Value> Importer::f32Input(int i) {
  FailureOr<Value> v = input(i);
  if (failed(v))
    return failure();
  if (!isF32(*v)) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << typeOf(*v).getElementType();
    err() << "input " << i << " ('" << node->input(i)
          << "') must be float, got " << os.str()
          << " (Kiln computes in f32 only)";
    return failure();
  }
  return v;
}

FailureOr<std::vector<double>> Importer::staticInput(int i) {
  if (!hasInput(i)) {
    err() << "input " << i << " is required";
    return failure();
  }
  const std::string &name = node->input(i);
  auto it = consts.find(name);
  if (it == consts.end()) {
    err() << "input " << i << " ('" << name
          << "') must be a constant (an initializer or a Constant node): "
             "Kiln needs its value at compile time";
    return failure();
  }
  return tensorValues(*it->second, "constant");
}

FailureOr<std::vector<int64_t>> Importer::staticInts(int i) {
  FailureOr<std::vector<double>> v = staticInput(i);
  if (failed(v))
    return failure();
  const onnx::TensorProto &t = *consts[node->input(i)];
  if (t.data_type() != DT_INT64 && t.data_type() != DT_INT32) {
    err() << "input " << i << " ('" << node->input(i)
          << "') must be an integer tensor";
    return failure();
  }
  if (t.data_type() == DT_INT64 && t.has_raw_data()) {
    std::vector<int64_t> out(v->size());
    memcpy(out.data(), t.raw_data().data(), out.size() * 8);
    return out;
  }
  if (t.data_type() == DT_INT64)
    return std::vector<int64_t>(t.int64_data().begin(), t.int64_data().end());
  return std::vector<int64_t>(v->begin(), v->end());
}

FailureOr<int64_t> Importer::attrInt(llvm::StringRef name, int64_t dflt) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return dflt;
  if (a->type() != onnx::AttributeProto::INT) {
    err() << "attribute '" << name << "' must be an int";
    return failure();
  }
  return a->i();
}

FailureOr<float> Importer::attrFloat(llvm::StringRef name, float dflt) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return dflt;
  if (a->type() != onnx::AttributeProto::FLOAT) {
    err() << "attribute '" << name << "' must be a float";
    return failure();
  }
  return a->f();
}

FailureOr<std::string> Importer::attrString(llvm::StringRef name,
                                            llvm::StringRef dflt) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return dflt.str();
  if (a->type() != onnx::AttributeProto::STRING) {
    err() << "attribute '" << name << "' must be a string";
    return failure();
  }
  return a->s();
}

FailureOr<std::optional<Shape>> Importer::attrInts(llvm::StringRef name) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return std::optional<Shape>();
  if (a->type() != onnx::AttributeProto::INTS) {
    err() << "attribute '" << name << "' must be a list of ints";
    return failure();
  }
  return std::optional<Shape>(Shape(a->ints().begin(), a->ints().end()));
}

FailureOr<int64_t> Importer::normAxis(int64_t axis, int64_t rank,
                                      llvm::StringRef what) {
  if (axis < -rank || axis >= rank) {
    err() << "attribute '" << what << "' = " << axis << " is out of range ["
          << -rank << ", " << rank - 1 << "] for rank " << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Elementwise, matmul and shape operators
//===----------------------------------------------------------------------===//

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

LogicalResult Importer::importMatMul() {
  FailureOr<Value> a = f32Input(0), c = failure();
  if (failed(a) || failed(c = f32Input(1)))
    return failure();
  Shape sa = shapeOf(*a), sb = shapeOf(*c);
  if (sa.empty() || sb.empty()) {
    err() << "operands must have rank >= 1, got " << shapeStr(sa) << " and "
          << shapeStr(sb);
    return failure();
  }
  bool vecA = sa.size() == 1, vecB = sb.size() == 1;
  Value A = *a, B = *c;
  if (vecA) {
    sa = {1, sa[0]};
    A = reshape(A, sa);
  }
  if (vecB) {
    sb = {sb[0], 1};
    B = reshape(B, sb);
  }
  int64_t M = sa[sa.size() - 2], K = sa.back(), K2 = sb[sb.size() - 2],
          N = sb.back();
  if (K != K2) {
    err() << "contracting dimensions differ: " << shapeStr(shapeOf(*a)) << " x "
          << shapeStr(shapeOf(*c));
    return failure();
  }
  Shape batchA(sa.begin(), sa.end() - 2), batchB(sb.begin(), sb.end() - 2);
  std::optional<Shape> batch = broadcastShapes(batchA, batchB);
  if (!batch) {
    err() << "batch dimensions " << shapeStr(batchA) << " and "
          << shapeStr(batchB) << " are not broadcast-compatible";
    return failure();
  }
  Shape out = *batch;
  Value y;
  if (batch->empty()) {
    y = matmul(A, B);
  } else {
    Shape fa = *batch, fb = *batch;
    fa.append({M, K});
    fb.append({K, N});
    A = broadcastTo(A, fa);
    B = broadcastTo(B, fb);
    int64_t nb = numel(*batch);
    y = matmul(reshape(A, {nb, M, K}), reshape(B, {nb, K, N}));
  }
  if (!vecA)
    out.push_back(M);
  if (!vecB)
    out.push_back(N);
  return setOutput(0, reshape(y, out));
}

LogicalResult Importer::importGemm() {
  FailureOr<Value> a = f32Input(0), c = failure();
  if (failed(a) || failed(c = f32Input(1)))
    return failure();
  FailureOr<int64_t> transA = attrInt("transA", 0), transB = failure();
  FailureOr<float> alpha = attrFloat("alpha", 1.0f), beta = failure();
  if (failed(transA) || failed(transB = attrInt("transB", 0)) ||
      failed(alpha) || failed(beta = attrFloat("beta", 1.0f)))
    return failure();
  if (*transA != 0 && *transA != 1) {
    err() << "attribute 'transA' must be 0 or 1, got " << *transA;
    return failure();
  }
  if (*transB != 0 && *transB != 1) {
    err() << "attribute 'transB' must be 0 or 1, got " << *transB;
    return failure();
  }
  if (rankOf(*a) != 2 || rankOf(*c) != 2) {
    err() << "expects A and B of rank 2, got " << shapeStr(shapeOf(*a))
          << " and " << shapeStr(shapeOf(*c));
    return failure();
  }
  Value A = *transA ? transpose(*a, {1, 0}) : *a;
  Value B = *transB ? transpose(*c, {1, 0}) : *c;
  if (shapeOf(A)[1] != shapeOf(B)[0]) {
    err() << "contracting dimensions differ: A' is " << shapeStr(shapeOf(A))
          << " and B' is " << shapeStr(shapeOf(B));
    return failure();
  }
  Value y = matmul(A, B);
  if (*alpha != 1.0f)
    y = mul(y, scalarF32(*alpha));
  if (hasInput(2)) {
    FailureOr<Value> cv = f32Input(2);
    if (failed(cv))
      return failure();
    std::optional<Shape> bs = broadcastShapes(shapeOf(*cv), shapeOf(y));
    if (!bs || *bs != shapeOf(y)) {
      err() << "C of shape " << shapeStr(shapeOf(*cv))
            << " does not broadcast to " << shapeStr(shapeOf(y));
      return failure();
    }
    Value C = *cv;
    if (*beta != 1.0f)
      C = mul(C, scalarF32(*beta));
    y = add(y, C);
  }
  return setOutput(0, y);
}

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
    known *= d;
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

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

FailureOr<Importer::Window> Importer::windowAttrs(ArrayRef<int64_t> spatial,
                                                  ArrayRef<int64_t> kernel,
                                                  bool ceilMode) {
  size_t nd = spatial.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  FailureOr<std::optional<Shape>> strides = attrInts("strides");
  FailureOr<std::optional<Shape>> dil = failure(), pads = failure();
  FailureOr<std::string> autoPad = attrString("auto_pad", "NOTSET");
  if (failed(strides) || failed(dil = attrInts("dilations")) ||
      failed(pads = attrInts("pads")) || failed(autoPad))
    return failure();
  w.stride = strides->value_or(Shape(nd, 1));
  w.dilation = dil->value_or(Shape(nd, 1));
  if (w.stride.size() != nd || w.dilation.size() != nd) {
    err() << "attributes 'strides' and 'dilations' need " << nd
          << " entries each";
    return failure();
  }
  for (size_t i = 0; i < nd; ++i) {
    if (w.stride[i] < 1 || w.dilation[i] < 1 || w.kernel[i] < 1) {
      err() << "attributes 'kernel_shape', 'strides' and 'dilations' must "
               "be >= 1, got kernel "
            << shapeStr(w.kernel) << ", strides " << shapeStr(w.stride)
            << ", dilations " << shapeStr(w.dilation);
      return failure();
    }
  }
  w.padBegin.assign(nd, 0);
  w.padEnd.assign(nd, 0);
  if (*autoPad == "NOTSET") {
    if (*pads) {
      if ((*pads)->size() != 2 * nd) {
        err() << "attribute 'pads' needs " << 2 * nd << " entries, got "
              << (*pads)->size();
        return failure();
      }
      for (size_t i = 0; i < nd; ++i) {
        w.padBegin[i] = (**pads)[i];
        w.padEnd[i] = (**pads)[i + nd];
        if (w.padBegin[i] < 0 || w.padEnd[i] < 0) {
          err() << "attribute 'pads' must be >= 0, got " << shapeStr(**pads);
          return failure();
        }
      }
    }
  } else if (*autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER") {
    for (size_t i = 0; i < nd; ++i) {
      int64_t out = (spatial[i] + w.stride[i] - 1) / w.stride[i];
      int64_t total = std::max<int64_t>((out - 1) * w.stride[i] +
                                            (w.kernel[i] - 1) * w.dilation[i] +
                                            1 - spatial[i],
                                        0);
      int64_t small = total / 2, big = total - small;
      w.padBegin[i] = *autoPad == "SAME_UPPER" ? small : big;
      w.padEnd[i] = *autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (*autoPad != "VALID") {
    err() << "attribute 'auto_pad' must be NOTSET, SAME_UPPER, SAME_LOWER or "
             "VALID, got '"
          << *autoPad << "'";
    return failure();
  }
  (void)ceilMode;
  return w;
}

/// Output size of a window op along one dimension (0 if empty).
static int64_t windowOutput(int64_t in, int64_t k, int64_t s, int64_t d,
                            int64_t pb, int64_t pe, bool ceilMode) {
  int64_t span = in + pb + pe - ((k - 1) * d + 1);
  if (span < 0)
    return 0;
  int64_t o = (ceilMode ? (span + s - 1) / s : span / s) + 1;
  // A window must start inside the input or the leading padding.
  if (ceilMode && (o - 1) * s >= in + pb)
    --o;
  return o;
}

LogicalResult Importer::importConv() {
  FailureOr<Value> xv = f32Input(0), wv = failure();
  if (failed(xv) || failed(wv = f32Input(1)))
    return failure();
  Value x = *xv, w = *wv;
  Shape xs = shapeOf(x), ws = shapeOf(w);
  if (xs.size() < 3 || xs.size() > 5 || ws.size() != xs.size()) {
    err() << "supports 1-D, 2-D and 3-D convolutions (input [N, C, L], [N, "
             "C, H, W] or [N, C, D, H, W] and a filter of the same rank), "
             "got input "
          << shapeStr(xs) << " and filter " << shapeStr(ws);
    return failure();
  }
  size_t nd = xs.size() - 2;
  Shape spatial(xs.begin() + 2, xs.end()), kernel(ws.begin() + 2, ws.end());
  FailureOr<std::optional<Shape>> ks = attrInts("kernel_shape");
  FailureOr<int64_t> group = attrInt("group", 1);
  if (failed(ks) || failed(group))
    return failure();
  if (*ks && **ks != kernel) {
    err() << "attribute 'kernel_shape' " << shapeStr(**ks)
          << " differs from the filter's " << shapeStr(kernel);
    return failure();
  }
  if (*group < 1 || xs[1] % *group != 0 || ws[0] % *group != 0 ||
      ws[1] * *group != xs[1]) {
    err() << "attribute 'group' = " << *group << " does not fit input "
          << shapeStr(xs) << " and filter " << shapeStr(ws);
    return failure();
  }
  FailureOr<Window> win = windowAttrs(spatial, kernel, false);
  if (failed(win))
    return failure();
  Shape outSp;
  for (size_t i = 0; i < nd; ++i) {
    int64_t o =
        windowOutput(spatial[i], kernel[i], win->stride[i], win->dilation[i],
                     win->padBegin[i], win->padEnd[i], false);
    if (o < 1) {
      err() << "the output would be empty: input " << shapeStr(xs)
            << ", filter " << shapeStr(ws);
      return failure();
    }
    outSp.push_back(o);
  }
  Value bias;
  if (hasInput(2)) {
    FailureOr<Value> bv = f32Input(2);
    if (failed(bv))
      return failure();
    if (shapeOf(*bv) != Shape{ws[0]}) {
      err() << "bias must have shape " << ws[0] << ", got "
            << shapeStr(shapeOf(*bv));
      return failure();
    }
    bias = *bv;
  }
  if (nd == 3) {
    // 3-D: for each depth tap kd, the depth slices that tap reads, batched
    // as [N * OD, C, H, W], convolved in 2-D with filter[:, :, kd]; the
    // taps are summed.
    Shape pb = win->padBegin, pe = win->padEnd;
    Value xp = padAxis(x, 2, pb[0], pe[0], 0.0f);
    Shape padHW = {pb[1], pb[2]};
    if (pb[1] != pe[1] || pb[2] != pe[2]) {
      xp = padAxis(xp, 3, pb[1], pe[1], 0.0f);
      xp = padAxis(xp, 4, pb[2], pe[2], 0.0f);
      padHW = {0, 0};
    }
    Shape ps = shapeOf(xp);
    int64_t N = xs[0], C = xs[1], F = ws[0], OD = outSp[0];
    Value sum;
    for (int64_t kd = 0; kd < kernel[0]; ++kd) {
      Value xk = slice(xp, {0, 0, kd * win->dilation[0], 0, 0},
                       {N, C, OD, ps[3], ps[4]}, {1, 1, win->stride[0], 1, 1});
      xk = reshape(transpose(xk, {0, 2, 1, 3, 4}), {N * OD, C, ps[3], ps[4]});
      Value wk =
          reshape(slice(w, {0, 0, kd, 0, 0}, {F, ws[1], 1, ws[3], ws[4]}),
                  {F, ws[1], ws[3], ws[4]});
      Value yk = b.create<nn::Conv2DOp>(
          loc, xk, wk, Value(), Shape{win->stride[1], win->stride[2]}, padHW,
          Shape{win->dilation[1], win->dilation[2]}, (uint64_t)*group);
      sum = sum ? add(sum, yk) : yk;
    }
    Value y = transpose(reshape(sum, {N, OD, F, outSp[1], outSp[2]}),
                        {0, 2, 1, 3, 4});
    if (bias)
      y = add(y, reshape(bias, {F, 1, 1, 1}));
    return setOutput(0, y);
  }
  // 1-D: a 2-D convolution with a height of 1.
  auto to2D = [&](Shape s, int64_t fill) {
    if (nd == 1)
      s.insert(s.begin(), fill);
    return s;
  };
  if (nd == 1) {
    x = reshape(x, {xs[0], xs[1], 1, xs[2]});
    w = reshape(w, {ws[0], ws[1], 1, ws[2]});
  }
  Shape stride = to2D(win->stride, 1), dil = to2D(win->dilation, 1),
        pb = to2D(win->padBegin, 0), pe = to2D(win->padEnd, 0);
  Shape pad = {0, 0};
  if (pb == pe) {
    pad = pb;
  } else {
    for (int i = 0; i < 2; ++i)
      x = padAxis(x, 2 + i, pb[i], pe[i], 0.0f);
  }
  Value y = b.create<nn::Conv2DOp>(loc, x, w, bias, stride, pad, dil,
                                   (uint64_t)*group);
  if (nd == 1)
    y = reshape(y, {xs[0], ws[0], outSp[0]});
  return setOutput(0, y);
}

LogicalResult Importer::importPool(bool isMax) {
  FailureOr<Value> xv = f32Input(0);
  if (failed(xv))
    return failure();
  Value x = *xv;
  Shape xs = shapeOf(x);
  if (xs.size() < 3) {
    err() << "expects an input [N, C, d1, ...] of rank >= 3, got "
          << shapeStr(xs);
    return failure();
  }
  if (isMax && wantsOutput(1)) {
    err() << "the Indices output is not supported";
    return failure();
  }
  size_t nd = xs.size() - 2;
  Shape spatial(xs.begin() + 2, xs.end());
  FailureOr<std::optional<Shape>> ks = attrInts("kernel_shape");
  FailureOr<int64_t> ceil = attrInt("ceil_mode", 0), cip = failure(),
                     order = failure();
  if (failed(ks) || failed(ceil) ||
      failed(cip = attrInt("count_include_pad", 0)) ||
      failed(order = attrInt("storage_order", 0)))
    return failure();
  if (!*ks) {
    err() << "attribute 'kernel_shape' is required";
    return failure();
  }
  if ((*ks)->size() != nd) {
    err() << "attribute 'kernel_shape' needs " << nd << " entries, got "
          << (*ks)->size();
    return failure();
  }
  if ((*ceil != 0 && *ceil != 1) || (*cip != 0 && *cip != 1) ||
      (*order != 0 && *order != 1)) {
    err() << "attributes 'ceil_mode', 'count_include_pad' and "
             "'storage_order' must be 0 or 1";
    return failure();
  }
  FailureOr<Window> win = windowAttrs(spatial, **ks, *ceil);
  if (failed(win))
    return failure();
  if (!isMax && llvm::any_of(win->dilation, [](int64_t d) { return d != 1; })) {
    err() << "attribute 'dilations' is not supported for AveragePool";
    return failure();
  }
  Shape outSp, endPad;
  for (size_t i = 0; i < nd; ++i) {
    int64_t k = win->kernel[i], s = win->stride[i], d = win->dilation[i];
    int64_t pb = win->padBegin[i], pe = win->padEnd[i];
    if (pb >= (k - 1) * d + 1 || pe >= (k - 1) * d + 1) {
      err() << "attribute 'pads' " << pb << ", " << pe
            << " must be smaller than the kernel extent " << (k - 1) * d + 1;
      return failure();
    }
    int64_t o = windowOutput(spatial[i], k, s, d, pb, pe, *ceil);
    if (o < 1) {
      err() << "the output would be empty: input " << shapeStr(xs)
            << ", kernel " << shapeStr(win->kernel);
      return failure();
    }
    outSp.push_back(o);
    int64_t need = (o - 1) * s + (k - 1) * d + 1;
    endPad.push_back(std::max<int64_t>(need - spatial[i] - pb, pe));
  }
  if (nd > 2 || llvm::any_of(win->dilation, [](int64_t d) { return d != 1; }))
    return setOutput(0, poolND(x, *win, endPad, outSp, isMax, *cip));
  auto to2D = [&](Shape s, int64_t fill) {
    if (nd == 1)
      s.insert(s.begin(), fill);
    return s;
  };
  if (nd == 1)
    x = reshape(x, {xs[0], xs[1], 1, xs[2]});
  Shape k2 = to2D(win->kernel, 1), s2 = to2D(win->stride, 1),
        pb2 = to2D(win->padBegin, 0), pe2 = to2D(endPad, 0),
        in2 = to2D(spatial, 1), o2 = to2D(outSp, 1);
  Value y;
  bool symmetric = pb2 == pe2 && pb2[0] <= k2[0] / 2 && pb2[1] <= k2[1] / 2;
  auto strideAttr = b.getDenseI64ArrayAttr(s2);
  if (isMax) {
    if (symmetric) {
      y = b.create<nn::MaxPool2DOp>(loc, x, k2, strideAttr, pb2);
    } else {
      float ninf = -std::numeric_limits<float>::infinity();
      for (int i = 0; i < 2; ++i)
        x = padAxis(x, 2 + i, pb2[i], pe2[i], ninf);
      y = b.create<nn::MaxPool2DOp>(loc, x, k2, strideAttr, Shape{0, 0});
    }
  } else {
    // Divisor of each output element: the positions of its window that
    // count (inside the input, plus the explicit padding with
    // count_include_pad); nn.avg_pool2d divides by the kernel size.
    Shape peE = to2D(win->padEnd, 0);
    SmallVector<float> scale;
    bool uniform = true;
    int64_t kk = k2[0] * k2[1];
    for (int64_t oh = 0; oh < o2[0]; ++oh)
      for (int64_t ow = 0; ow < o2[1]; ++ow) {
        int64_t count = 0;
        for (int64_t kh = 0; kh < k2[0]; ++kh)
          for (int64_t kw = 0; kw < k2[1]; ++kw) {
            int64_t h = oh * s2[0] + kh - pb2[0], w = ow * s2[1] + kw - pb2[1];
            bool inH = *cip ? h >= -pb2[0] && h < in2[0] + peE[0]
                            : h >= 0 && h < in2[0];
            bool inW = *cip ? w >= -pb2[1] && w < in2[1] + peE[1]
                            : w >= 0 && w < in2[1];
            count += inH && inW;
          }
        scale.push_back((float)kk / (float)std::max<int64_t>(count, 1));
        uniform &= count == kk;
      }
    if (uniform && symmetric) {
      y = b.create<nn::AvgPool2DOp>(loc, x, k2, strideAttr, pb2);
    } else {
      for (int i = 0; i < 2; ++i)
        x = padAxis(x, 2 + i, pb2[i], pe2[i], 0.0f);
      y = b.create<nn::AvgPool2DOp>(loc, x, k2, strideAttr, Shape{0, 0});
      if (!uniform)
        y = mul(y, constF32({o2[0], o2[1]}, scale));
    }
  }
  if (nd == 1)
    y = reshape(y, {xs[0], xs[1], outSp[0]});
  return setOutput(0, y);
}

Value Importer::poolND(Value x, const Window &win, ArrayRef<int64_t> endPad,
                       ArrayRef<int64_t> out, bool isMax, bool countPad) {
  // Pooling over any number of spatial dimensions, separably: one axis
  // after the other, the maximum or sum of one strided slice of the padded
  // input per kernel tap of that axis (sum(K_i) slices, not prod(K_i)).
  Shape xs = shapeOf(x);
  size_t nd = xs.size() - 2;
  float fill = isMax ? -std::numeric_limits<float>::infinity() : 0.0f;
  for (size_t i = 0; i < nd; ++i)
    x = padAxis(x, 2 + i, win.padBegin[i], endPad[i], fill);
  Value y = x;
  for (size_t i = 0; i < nd; ++i) {
    Shape sizes = shapeOf(y), strides(sizes.size(), 1);
    sizes[2 + i] = out[i];
    strides[2 + i] = win.stride[i];
    Value acc;
    for (int64_t k = 0; k < win.kernel[i]; ++k) {
      Shape off(sizes.size(), 0);
      off[2 + i] = k * win.dilation[i];
      Value v = slice(y, off, sizes, strides);
      acc = !acc    ? v
            : isMax ? Value(b.create<nn::MaximumOp>(loc, acc, v))
                    : add(acc, v);
    }
    y = acc;
  }
  if (isMax)
    return y;
  // Divisors: the window positions inside the input (and inside the
  // explicit padding with count_include_pad).
  int64_t n = numel(out);
  SmallVector<float> inv(n);
  bool uniform = true;
  for (int64_t lin = 0; lin < n; ++lin) {
    int64_t rem = lin, count = 1;
    for (int64_t i = nd - 1; i >= 0; --i) {
      int64_t o = rem % out[i];
      rem /= out[i];
      int64_t c = 0;
      for (int64_t k = 0; k < win.kernel[i]; ++k) {
        int64_t p = o * win.stride[i] + k * win.dilation[i] - win.padBegin[i];
        c += countPad ? p >= -win.padBegin[i] && p < xs[2 + i] + win.padEnd[i]
                      : p >= 0 && p < xs[2 + i];
      }
      count *= c;
    }
    inv[lin] = 1.0f / (float)std::max<int64_t>(count, 1);
    uniform &= inv[lin] == inv[0];
  }
  return mul(y, uniform ? scalarF32(inv[0]) : constF32(out, inv));
}

LogicalResult Importer::importGlobalAveragePool() {
  FailureOr<Value> x = f32Input(0);
  if (failed(x))
    return failure();
  Shape s = shapeOf(*x);
  if (s.size() < 3) {
    err() << "expects an input [N, C, ...] of rank >= 3, got " << shapeStr(s);
    return failure();
  }
  if (s.size() == 4 && s[2] > 0 && s[3] > 0)
    return setOutput(
        0, reshape(b.create<nn::GlobalAvgPoolOp>(loc, *x), {s[0], s[1], 1, 1}));
  Shape axes;
  for (size_t i = 2; i < s.size(); ++i)
    axes.push_back(i);
  return setOutput(0, b.create<nn::ReduceMeanOp>(loc, *x, axes, true));
}

//===----------------------------------------------------------------------===//
// Normalization and dropout
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Recurrent layers
//===----------------------------------------------------------------------===//

FailureOr<Value> Importer::recurrentDirection(
    llvm::StringRef op, Value x, Value w, Value r, Value bias, Value h0,
    Value c0, Value peep, int64_t H, bool reverse, bool linearBeforeReset,
    std::optional<float> clip, Value &hLast, Value &cLast) {
  Shape xs = shapeOf(x); // [B, T, I]
  int64_t B = xs[0], T = xs[1], I = xs[2];
  int64_t G = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
  Value wb = bias ? sliceAxis(bias, 0, 0, G * H) : splatF32({G * H}, 0.0f);
  Value rb = bias ? sliceAxis(bias, 0, G * H, G * H) : splatF32({G * H}, 0.0f);
  auto block = [&](Value v, int64_t k) { return sliceAxis(v, 1, k * H, H); };
  auto clipped = [&](Value v) -> Value {
    if (!clip)
      return v;
    Value hi = scalarF32(*clip), lo = scalarF32(-*clip);
    return b.create<nn::MinimumOp>(loc, b.create<nn::MaximumOp>(loc, v, lo),
                                   hi);
  };
  Value wt = transpose(w, {1, 0}); // [I, G*H]
  Value rt = transpose(r, {1, 0}); // [H, G*H]
  Value h = h0 ? h0 : splatF32({B, H}, 0.0f);
  Value c = c0 ? c0 : splatF32({B, H}, 0.0f);
  SmallVector<Value> steps(T);
  for (int64_t k = 0; k < T; ++k) {
    int64_t t = reverse ? T - 1 - k : k;
    Value xt = reshape(slice(x, {0, t, 0}, {B, 1, I}), {B, I});
    Value xw = add(matmul(xt, wt), wb); // [B, G*H]
    if (op == "LSTM") {
      Value a = add(xw, add(matmul(h, rt), rb));
      // ONNX gate order: i, o, f, c.
      Value gi = block(a, 0), go = block(a, 1), gf = block(a, 2),
            gc = block(a, 3);
      if (peep) {
        gi = add(gi, mul(sliceAxis(peep, 0, 0, H), c));
        gf = add(gf, mul(sliceAxis(peep, 0, 2 * H, H), c));
      }
      Value i = sigmoid(clipped(gi)), f = sigmoid(clipped(gf));
      Value g = tanh(clipped(gc));
      c = add(mul(f, c), mul(i, g));
      if (peep)
        go = add(go, mul(sliceAxis(peep, 0, H, H), c));
      Value o = sigmoid(clipped(go));
      h = mul(o, tanh(c));
    } else if (op == "GRU") {
      // ONNX gate order: z, r, h.
      Value hr = matmul(h, rt); // [B, 3H], without the bias
      Value z = sigmoid(clipped(
          add(block(xw, 0), add(block(hr, 0), sliceAxis(rb, 0, 0, H)))));
      Value rg = sigmoid(clipped(
          add(block(xw, 1), add(block(hr, 1), sliceAxis(rb, 0, H, H)))));
      Value rbh = sliceAxis(rb, 0, 2 * H, H);
      Value rh;
      if (linearBeforeReset) {
        rh = mul(rg, add(block(hr, 2), rbh));
      } else {
        Value rth = sliceAxis(rt, 1, 2 * H, H); // [H, H]
        rh = add(matmul(mul(rg, h), rth), rbh);
      }
      Value n = tanh(clipped(add(block(xw, 2), rh)));
      h = add(mul(sub(scalarF32(1.0f), z), n), mul(z, h));
    } else {
      Value a = clipped(add(xw, add(matmul(h, rt), rb)));
      h = op == "RNNRelu" ? Value(b.create<nn::ReluOp>(loc, a)) : tanh(a);
    }
    steps[t] = reshape(h, {B, 1, H});
  }
  hLast = h;
  cLast = c;
  return concat(steps, 1);
}

LogicalResult Importer::importRecurrent(llvm::StringRef op) {
  int64_t G = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
  FailureOr<Value> xv = f32Input(0), wv = failure(), rv = failure();
  if (failed(xv) || failed(wv = f32Input(1)) || failed(rv = f32Input(2)))
    return failure();
  FailureOr<int64_t> layout = attrInt("layout", 0), hs = failure(),
                     lbr = failure(), inputForget = failure();
  FailureOr<std::string> direction = attrString("direction", "forward");
  if (failed(layout) || failed(hs = attrInt("hidden_size", -1)) ||
      failed(lbr = attrInt("linear_before_reset", 0)) ||
      failed(inputForget = attrInt("input_forget", 0)) || failed(direction))
    return failure();
  if (*layout != 0 && *layout != 1) {
    err() << "attribute 'layout' must be 0 or 1, got " << *layout;
    return failure();
  }
  if (*direction != "forward" && *direction != "reverse" &&
      *direction != "bidirectional") {
    err() << "attribute 'direction' must be forward, reverse or "
             "bidirectional, got '"
          << *direction << "'";
    return failure();
  }
  if (*inputForget != 0) {
    err() << "attribute 'input_forget' = 1 is not supported";
    return failure();
  }
  if (attr("activation_alpha") || attr("activation_beta")) {
    err() << "attributes 'activation_alpha' and 'activation_beta' are not "
             "supported";
    return failure();
  }
  std::string kind = op.str();
  if (const onnx::AttributeProto *a = attr("activations")) {
    std::vector<std::string> acts(a->strings().begin(), a->strings().end());
    std::vector<std::string> dflt =
        op == "LSTM"  ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
        : op == "GRU" ? std::vector<std::string>{"Sigmoid", "Tanh"}
                      : std::vector<std::string>{"Tanh"};
    int64_t dirs = *direction == "bidirectional" ? 2 : 1;
    bool ok = acts.size() == dflt.size() * dirs;
    for (size_t i = 0; ok && i < acts.size(); ++i) {
      const std::string &want = dflt[i % dflt.size()];
      if (op == "RNN" && (acts[i] == "Relu" || acts[i] == "Tanh") &&
          acts[i] == acts[0])
        continue;
      ok = acts[i] == want;
    }
    if (!ok) {
      err() << "attribute 'activations' supports only the defaults (and "
               "Relu for RNN)";
      return failure();
    }
    if (op == "RNN" && acts[0] == "Relu")
      kind = "RNNRelu";
  }
  std::optional<float> clip;
  if (attr("clip")) {
    FailureOr<float> cv = attrFloat("clip", 0);
    if (failed(cv))
      return failure();
    if (!(*cv > 0)) {
      err() << "attribute 'clip' must be > 0, got " << *cv;
      return failure();
    }
    clip = *cv;
  }
  Value x = *xv;
  Shape xs = shapeOf(x), ws = shapeOf(*wv), rs = shapeOf(*rv);
  if (xs.size() != 3 || ws.size() != 3 || rs.size() != 3) {
    err() << "expects X, W and R of rank 3, got " << shapeStr(xs) << ", "
          << shapeStr(ws) << " and " << shapeStr(rs);
    return failure();
  }
  if (*layout == 0)
    x = transpose(x, {1, 0, 2});
  Shape bx = shapeOf(x); // [B, T, I]
  int64_t B = bx[0], T = bx[1], I = bx[2];
  int64_t D = *direction == "bidirectional" ? 2 : 1;
  int64_t H = rs[2];
  if (*hs >= 0 && *hs != H) {
    err() << "attribute 'hidden_size' = " << *hs << " but R is "
          << shapeStr(rs);
    return failure();
  }
  if (ws != Shape{D, G * H, I} || rs != Shape{D, G * H, H}) {
    err() << "expects W " << shapeStr({D, G * H, I}) << " and R "
          << shapeStr({D, G * H, H}) << ", got " << shapeStr(ws) << " and "
          << shapeStr(rs);
    return failure();
  }
  if (T < 1) {
    err() << "the sequence length must be >= 1";
    return failure();
  }
  Value bias, h0, c0, peep;
  auto optInput = [&](int i, Shape want, Value &out) -> LogicalResult {
    if (!hasInput(i))
      return success();
    FailureOr<Value> v = f32Input(i);
    if (failed(v))
      return failure();
    if (shapeOf(*v) != want) {
      err() << "input " << i << " must have shape " << shapeStr(want)
            << ", got " << shapeStr(shapeOf(*v));
      return failure();
    }
    out = *v;
    return success();
  };
  Shape stateShape = *layout == 0 ? Shape{D, B, H} : Shape{B, D, H};
  if (failed(optInput(3, {D, 2 * G * H}, bias)) ||
      failed(optInput(5, stateShape, h0)))
    return failure();
  if (op == "LSTM" && (failed(optInput(6, stateShape, c0)) ||
                       failed(optInput(7, {D, 3 * H}, peep))))
    return failure();
  if (hasInput(4)) {
    FailureOr<std::vector<int64_t>> lens = staticInts(4);
    if (failed(lens))
      return failure();
    if ((int64_t)lens->size() != B ||
        llvm::any_of(*lens, [&](int64_t l) { return l != T; })) {
      err() << "input 'sequence_lens' must equal the sequence length " << T
            << " for every batch entry (variable lengths are not supported)";
      return failure();
    }
  }
  auto perDir = [&](Value v, int64_t d, Shape s) -> Value {
    if (!v)
      return v;
    Shape full = shapeOf(v);
    Shape off(full.size(), 0), sz = full;
    int64_t axis = (v == h0 || v == c0) && *layout == 1 ? 1 : 0;
    off[axis] = d;
    sz[axis] = 1;
    return reshape(slice(v, off, sz), s);
  };
  SmallVector<Value> ys, hs2, cs;
  for (int64_t d = 0; d < D; ++d) {
    bool reverse = *direction == "reverse" || d == 1;
    Value wd = perDir(*wv, d, {G * H, I}), rd = perDir(*rv, d, {G * H, H});
    Value bd = perDir(bias, d, {2 * G * H});
    Value hd = perDir(h0, d, {B, H}), cd = perDir(c0, d, {B, H});
    Value pd = perDir(peep, d, {3 * H});
    Value y, hLast, cLast;
    bool nnOp = !reverse && !hd && !cd && !pd && !clip && !wantsOutput(2) &&
                (op != "GRU" || *lbr);
    if (nnOp) {
      // Kiln's layers take PyTorch's gate order: LSTM i, f, g, o (ONNX
      // i, o, f, c), GRU r, z, n (ONNX z, r, h).
      SmallVector<int64_t> order = op == "LSTM"
                                       ? SmallVector<int64_t>{0, 2, 3, 1}
                                   : op == "GRU" ? SmallVector<int64_t>{1, 0, 2}
                                                 : SmallVector<int64_t>{0};
      auto reorder = [&](Value v) {
        SmallVector<Value> parts;
        for (int64_t k : order)
          parts.push_back(sliceAxis(v, 0, k * H, H));
        return concat(parts, 0);
      };
      Value wb = bd ? sliceAxis(bd, 0, 0, G * H) : splatF32({G * H}, 0.0f);
      Value rb = bd ? sliceAxis(bd, 0, G * H, G * H) : splatF32({G * H}, 0.0f);
      Type yt = tensorOf({B, T, H}, f32());
      if (op == "LSTM")
        y = b.create<nn::LSTMOp>(loc, yt, x, reorder(wd), reorder(rd),
                                 reorder(wb), reorder(rb));
      else if (op == "GRU")
        y = b.create<nn::GRUOp>(loc, yt, x, reorder(wd), reorder(rd),
                                reorder(wb), reorder(rb));
      else
        y = b.create<nn::RNNOp>(loc, yt, x, wd, rd, wb, rb,
                                kind == "RNNRelu" ? nn::RNNNonlinearity::relu
                                                  : nn::RNNNonlinearity::tanh);
      hLast = reshape(slice(y, {0, T - 1, 0}, {B, 1, H}), {B, H});
    } else {
      FailureOr<Value> yv =
          recurrentDirection(kind, x, wd, rd, bd, hd, cd, pd, H, reverse,
                             *lbr != 0, clip, hLast, cLast);
      if (failed(yv))
        return failure();
      y = *yv;
    }
    ys.push_back(reshape(y, {B, T, 1, H}));
    hs2.push_back(hLast);
    cs.push_back(cLast);
  }
  // Y: [T, D, B, H] (layout 0) or [B, T, D, H] (layout 1).
  Value y = concat(ys, 2);
  if (*layout == 0)
    y = transpose(y, {1, 2, 0, 3});
  auto stack = [&](ArrayRef<Value> states) {
    SmallVector<Value> parts;
    for (Value s : states)
      parts.push_back(*layout == 0 ? reshape(s, {1, B, H})
                                   : reshape(s, {B, 1, H}));
    return concat(parts, *layout == 0 ? 0 : 1);
  };
  (void)setOutput(0, y);
  (void)setOutput(1, stack(hs2));
  if (op == "LSTM" && wantsOutput(2))
    (void)setOutput(2, stack(cs));
  return success();
}

//===----------------------------------------------------------------------===//
// Losses and optimizers
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

static bool isSupportedOp(llvm::StringRef domain, llvm::StringRef op) {
  if (domain == "ai.onnx.preview.training")
    return op == "Adam" || op == "Momentum";
  if (!domain.empty() && domain != "ai.onnx")
    return false;
  static const char *const ops[] = {"Relu",
                                    "Sigmoid",
                                    "Tanh",
                                    "Exp",
                                    "Log",
                                    "Sqrt",
                                    "Neg",
                                    "Abs",
                                    "LeakyRelu",
                                    "Elu",
                                    "Identity",
                                    "Add",
                                    "Sub",
                                    "Mul",
                                    "Div",
                                    "Pow",
                                    "MatMul",
                                    "Gemm",
                                    "Transpose",
                                    "Reshape",
                                    "Flatten",
                                    "Concat",
                                    "Softmax",
                                    "LogSoftmax",
                                    "ReduceSum",
                                    "ReduceMean",
                                    "ReduceMax",
                                    "ReduceMin",
                                    "ReduceProd",
                                    "ReduceL1",
                                    "ReduceL2",
                                    "ReduceSumSquare",
                                    "ReduceLogSum",
                                    "ReduceLogSumExp",
                                    "Conv",
                                    "MaxPool",
                                    "AveragePool",
                                    "GlobalAveragePool",
                                    "BatchNormalization",
                                    "Dropout",
                                    "LSTM",
                                    "GRU",
                                    "RNN",
                                    "SoftmaxCrossEntropyLoss",
                                    "NegativeLogLikelihoodLoss",
                                    "Constant",
                                    "Shape"};
  return llvm::is_contained(ops, op);
}

/// Node inputs whose value the importer needs at compile time.
static bool isStaticOperand(llvm::StringRef op, int i, int64_t opset) {
  if (op == "Reshape")
    return i == 1;
  if (op == "ReduceSum")
    return i == 1 && opset >= 13;
  if (op == "Dropout")
    return i >= 1;
  if (op == "LSTM" || op == "GRU" || op == "RNN")
    return i == 4;
  if (op == "Adam" || op == "Momentum")
    return i == 1;
  return false;
}

LogicalResult Importer::importNode(const onnx::NodeProto &n) {
  llvm::StringRef op = n.op_type();
  if (op == "Relu" || op == "Sigmoid" || op == "Tanh" || op == "Exp" ||
      op == "Log" || op == "Sqrt" || op == "Neg" || op == "Abs" ||
      op == "LeakyRelu" || op == "Elu" || op == "Identity")
    return importUnary(op);
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow")
    return importBinary(op);
  if (op == "MatMul")
    return importMatMul();
  if (op == "Gemm")
    return importGemm();
  if (op == "Transpose")
    return importTranspose();
  if (op == "Reshape")
    return importReshape();
  if (op == "Flatten")
    return importFlatten();
  if (op == "Concat")
    return importConcat();
  if (op == "Softmax")
    return importSoftmax(false);
  if (op == "LogSoftmax")
    return importSoftmax(true);
  if (op.starts_with("Reduce"))
    return importReduce(op);
  if (op == "Conv")
    return importConv();
  if (op == "MaxPool")
    return importPool(true);
  if (op == "AveragePool")
    return importPool(false);
  if (op == "GlobalAveragePool")
    return importGlobalAveragePool();
  if (op == "BatchNormalization")
    return importBatchNorm();
  if (op == "Dropout")
    return importDropout();
  if (op == "LSTM" || op == "GRU" || op == "RNN")
    return importRecurrent(op);
  if (op == "SoftmaxCrossEntropyLoss")
    return importLoss(true);
  if (op == "NegativeLogLikelihoodLoss")
    return importLoss(false);
  if (op == "Adam")
    return importOptimizer(true);
  if (op == "Momentum")
    return importOptimizer(false);
  if (op == "Constant")
    return importConstant();
  if (op == "Shape")
    return importShape();
  err() << "unsupported operator";
  return failure();
}

LogicalResult Importer::addTrainingLoss(func::FuncOp func,
                                        SmallVectorImpl<Value> &results,
                                        SmallVectorImpl<Type> &resultTypes) {
  if (results.empty() || !isF32(results[0])) {
    emitError(loc) << "--train-loss needs a float first output";
    return failure();
  }
  Value out = results[0];
  Shape s = shapeOf(out);
  Block &entry = func.getBody().front();
  Value loss;
  if (opts.trainLoss == "cross_entropy") {
    if (s.size() != 2) {
      emitError(loc) << "--train-loss cross_entropy needs logits [N, C] as "
                        "the first output, got "
                     << shapeStr(s);
      return failure();
    }
    auto lt = tensorOf({s[0]}, b.getI64Type());
    Value labels = entry.addArgument(lt, loc);
    (void)labels;
    argNameAttrs.push_back("labels");
    loss = b.create<nn::CrossEntropyOp>(loc, out, labels, nn::Reduction::mean);
  } else if (opts.trainLoss == "mse") {
    Value target = entry.addArgument(typeOf(out), loc);
    (void)target;
    argNameAttrs.push_back("target");
    loss = b.create<nn::MseOp>(loc, out, target);
  } else {
    emitError(loc) << "unknown --train-loss '" << opts.trainLoss
                   << "' (cross_entropy or mse)";
    return failure();
  }
  static const char *const optimizers[] = {"sgd", "momentum", "adam", "adamw",
                                           "rmsprop"};
  if (!llvm::is_contained(optimizers, opts.optimizer)) {
    emitError(loc) << "unknown --optimizer '" << opts.optimizer
                   << "' (sgd, momentum, adam, adamw, rmsprop)";
    return failure();
  }
  if (!(opts.learningRate > 0) || !std::isfinite(opts.learningRate)) {
    emitError(loc) << "--lr must be finite and > 0";
    return failure();
  }
  results.insert(results.begin(), loss);
  resultTypes.insert(resultTypes.begin(), loss.getType());
  func->setAttr(
      "nn.train",
      b.getDictionaryAttr(
          {b.getNamedAttr("optimizer", b.getStringAttr(opts.optimizer)),
           b.getNamedAttr("lr", b.getF64FloatAttr(opts.learningRate))}));
  return success();
}

ONNXImportResult Importer::run(const onnx::ModelProto &model) {
  // Opsets.
  bool haveOnnx = false;
  for (const auto &imp : model.opset_import()) {
    const std::string &d = imp.domain();
    if (d.empty() || d == "ai.onnx") {
      haveOnnx = true;
      opset = imp.version();
      if (opset < 1 || opset > kMaxOpset) {
        emitError(loc) << "unsupported opset: ai.onnx version " << opset
                       << " (Kiln supports versions 1 to " << kMaxOpset << ")";
        return std::move(result);
      }
    } else if (d == "ai.onnx.preview.training") {
      if (imp.version() < 1 || imp.version() > kMaxTrainingOpset) {
        emitError(loc) << "unsupported opset: ai.onnx.preview.training "
                          "version "
                       << imp.version() << " (Kiln supports version 1)";
        return std::move(result);
      }
    } else if (d != "ai.onnx.ml") {
      emitError(loc) << "unknown opset domain '" << d << "' (version "
                     << imp.version() << ")";
      return std::move(result);
    }
  }
  if (!haveOnnx) {
    bool training = llvm::any_of(model.opset_import(), [](const auto &imp) {
      return imp.domain() == "ai.onnx.preview.training";
    });
    if (!training) {
      emitError(loc) << "the model imports no ai.onnx opset";
      return std::move(result);
    }
    opset = kMaxOpset;
  }
  const onnx::GraphProto &graph = model.graph();

  // Unsupported operators: one error naming all of them.
  std::string unsupported;
  int numUnsupported = 0;
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &n = graph.node(i);
    if (isSupportedOp(n.domain(), n.op_type()))
      continue;
    std::string op = n.domain().empty() || n.domain() == "ai.onnx"
                         ? n.op_type()
                         : n.domain() + "." + n.op_type();
    unsupported += (numUnsupported++ ? ", '" : "'") +
                   (n.name().empty() ? "#" + std::to_string(i) : n.name()) +
                   "' (" + op + ")";
  }
  if (numUnsupported) {
    emitError(loc) << numUnsupported
                   << (numUnsupported == 1 ? " node uses an unsupported "
                                             "operator: "
                                           : " nodes use unsupported "
                                             "operators: ")
                   << unsupported;
    return std::move(result);
  }

  for (const onnx::NodeProto &n : graph.node()) {
    for (int i = 0; i < n.input_size(); ++i) {
      if (isStaticOperand(n.op_type(), i, opset))
        staticNames.insert(n.input(i));
      if (n.op_type() == "BatchNormalization" && (i == 3 || i == 4))
        bufferInitializers.insert(n.input(i));
    }
  }
  for (const onnx::TensorProto &t : graph.initializer()) {
    consts[t.name()] = &t;
    initializerNames.insert(t.name());
  }

  // The function: inputs that are not initializers and not folded.
  auto module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  std::string fname =
      opts.functionName.empty() ? cIdentifier(graph.name()) : opts.functionName;
  result.functionName = fname;
  auto func = b.create<func::FuncOp>(loc, fname, b.getFunctionType({}, {}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToEnd(entry);
  bool ok = true;
  llvm::StringSet<> argNames;
  // nn.name of each argument, set once the function type is known.
  argNameAttrs.clear();
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (initializerNames.contains(in.name()))
      continue;
    if (staticNames.contains(in.name())) {
      auto it = opts.inputValues.find(in.name());
      if (it != opts.inputValues.end()) {
        auto t = std::make_unique<onnx::TensorProto>();
        if (!t->ParseFromString(it->second)) {
          emitError(loc) << "the value given for input '" << in.name()
                         << "' is not a valid TensorProto";
          ok = false;
          continue;
        }
        consts[in.name()] = t.get();
        owned.push_back(std::move(t));
        continue;
      }
    }
    if (!in.type().has_tensor_type()) {
      emitError(loc) << "input '" << in.name() << "' is not a tensor";
      ok = false;
      continue;
    }
    const auto &tt = in.type().tensor_type();
    FailureOr<Type> et = elementType(tt.elem_type());
    if (failed(et)) {
      emitError(loc) << "input '" << in.name() << "' has element type "
                     << dtypeName(tt.elem_type())
                     << ", which is not supported (float, int32, int64)";
      ok = false;
      continue;
    }
    if (!tt.has_shape()) {
      emitError(loc) << "input '" << in.name()
                     << "' has no shape: Kiln needs static shapes";
      ok = false;
      continue;
    }
    Shape shape;
    for (int k = 0; k < tt.shape().dim_size(); ++k) {
      const auto &d = tt.shape().dim(k);
      if (!d.has_dim_value() || d.dim_value() < 0) {
        emitError(loc) << "input '" << in.name() << "' has a dynamic "
                       << "dimension " << k
                       << (d.has_dim_param() ? " ('" + d.dim_param() + "')"
                                             : std::string())
                       << ": Kiln needs static shapes (export the model "
                          "with fixed input sizes)";
        ok = false;
        break;
      }
      shape.push_back(d.dim_value());
    }
    if (!ok)
      continue;
    Value arg = entry->addArgument(tensorOf(shape, *et), loc);
    std::string an = sanitizeName(in.name());
    for (int k = 1; argNames.contains(an); ++k)
      an = sanitizeName(in.name()) + "_" + std::to_string(k);
    argNames.insert(an);
    argNameAttrs.push_back(an);
    values[in.name()] = arg;
    result.argumentInputs.push_back(in.name());
  }
  // setArgAttr needs the function type to know the arguments.
  auto argTypes = llvm::to_vector(entry->getArgumentTypes());
  if (!ok) {
    module.erase();
    return std::move(result);
  }

  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &n = graph.node(i);
    node = &n;
    nodeName = n.name().empty() ? "#" + std::to_string(i) : n.name();
    loc =
        NameLoc::get(StringAttr::get(ctx, nodeName + " (" + n.op_type() + ")"),
                     FileLineColLoc::get(ctx, source, 0, 0));
    if (failed(importNode(n))) {
      module.erase();
      return std::move(result);
    }
  }
  node = nullptr;
  loc = FileLineColLoc::get(ctx, source, 0, 0);

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    auto it = values.find(out.name());
    Value v;
    if (it != values.end()) {
      v = it->second;
    } else if (consts.count(out.name())) {
      FailureOr<Value> m = materialize(out.name());
      if (failed(m)) {
        module.erase();
        return std::move(result);
      }
      v = *m;
    } else {
      emitError(loc) << "output '" << out.name() << "' is not computed";
      module.erase();
      return std::move(result);
    }
    // Declared static shapes must agree with the imported ones.
    if (out.type().has_tensor_type() && out.type().tensor_type().has_shape()) {
      const auto &sh = out.type().tensor_type().shape();
      Shape declared;
      bool known = true;
      for (const auto &d : sh.dim()) {
        known &= d.has_dim_value();
        declared.push_back(d.dim_value());
      }
      if (known && declared != shapeOf(v)) {
        emitError(loc) << "output '" << out.name() << "' is declared "
                       << shapeStr(declared) << " but computes "
                       << shapeStr(shapeOf(v));
        module.erase();
        return std::move(result);
      }
    }
    bool isBool = typeOf(v).getElementType().isInteger(1);
    if (isBool)
      v = boolToF32(v);
    result.boolOutputs.push_back(isBool);
    results.push_back(v);
    resultTypes.push_back(v.getType());
  }
  if (!opts.trainLoss.empty() &&
      failed(addTrainingLoss(func, results, resultTypes))) {
    module.erase();
    return std::move(result);
  }
  b.create<func::ReturnOp>(loc, results);
  func.setType(b.getFunctionType(entry->getArgumentTypes(), resultTypes));
  for (size_t i = 0; i < argNameAttrs.size(); ++i)
    func.setArgAttr(i, "nn.name", b.getStringAttr(argNameAttrs[i]));
  (void)argTypes;
  if (failed(mlir::verify(module))) {
    module.erase();
    return std::move(result);
  }
  result.module = module;
  return std::move(result);
}

ONNXImportResult kiln::importONNX(llvm::StringRef bytes,
                                  llvm::StringRef sourceName,
                                  MLIRContext *context,
                                  const ONNXImportOptions &options) {
  context->loadDialect<nn::NNDialect, func::FuncDialect>();
  onnx::ModelProto model;
  if (bytes.size() > (size_t)std::numeric_limits<int>::max() ||
      !model.ParseFromArray(bytes.data(), (int)bytes.size())) {
    emitError(FileLineColLoc::get(context, sourceName, 0, 0))
        << "cannot parse '" << sourceName
        << "' as an ONNX model: the file is truncated or corrupt";
    return {};
  }
  if (!model.has_graph()) {
    emitError(FileLineColLoc::get(context, sourceName, 0, 0))
        << "'" << sourceName << "' has no graph: it is not an ONNX model";
    return {};
  }
  Importer importer(context, sourceName, options);
  return importer.run(model);
}

ONNXImportResult kiln::importONNXFile(llvm::StringRef path,
                                      MLIRContext *context,
                                      const ONNXImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false);
  if (!buffer) {
    context->loadDialect<nn::NNDialect, func::FuncDialect>();
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot read '" << path << "': " << buffer.getError().message();
    return {};
  }
  return importONNX((*buffer)->getBuffer(), llvm::sys::path::filename(path),
                    context, options);
}
