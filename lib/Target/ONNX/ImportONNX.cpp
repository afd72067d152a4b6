//===- ImportONNX.cpp - ONNX model importer -------------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Translates an onnx::ModelProto into one func.func of `nn` ops. Each ONNX
// node is imported by one member function that validates its attributes
// and composes `nn` ops (docs/ONNX.md has the table); those live in one
// file per operator family (Elementwise.cpp, LinearAlgebra.cpp, Shape.cpp,
// ConvPool.cpp, Normalization.cpp, Recurrent.cpp, LossesOptimizers.cpp),
// with the shared state in Importer.h. This file has the tensors, inputs
// and attributes, the graph, and the public entry points. Shapes are static
// throughout: every value's type is known when its node is imported, so
// every composition is decided at import time.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace kiln::onnx_import;

FailureOr<std::vector<double>>
Importer::tensorValues(const onnx::TensorProto &t, llvm::StringRef what) {
  std::string error;
  FailureOr<std::vector<double>> values = kiln::readONNXTensorValues(t, error);
  if (failed(values))
    err() << what << " '" << t.name() << "' " << error;
  return values;
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
  // tensorValues checks the shape and the data before anything is read.
  FailureOr<std::vector<double>> vals = tensorValues(t, what);
  if (failed(vals))
    return failure();
  auto type = tensorOf(shape, *et);
  // int64 data keeps its exact value (doubles lose bits beyond 2^53).
  if (t.data_type() == DT_INT64 && t.has_raw_data()) {
    std::vector<int64_t> v(vals->size());
    memcpy(v.data(), t.raw_data().data(), v.size() * 8);
    return DenseElementsAttr::get(type, ArrayRef(v));
  }
  if (t.data_type() == DT_INT64) {
    std::vector<int64_t> v(t.int64_data().begin(), t.int64_data().end());
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
    // Unique among the parameters and the inputs: the entry points name
    // their arguments by both.
    for (int k = 1; paramNames.contains(unique) ||
                    llvm::is_contained(argNameAttrs, unique);
         ++k)
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
  // The loss's input is named like this in the entry points: no input or
  // parameter may have the name already.
  llvm::StringRef lossInput =
      opts.trainLoss == "cross_entropy" ? "labels" : "target";
  if ((opts.trainLoss == "cross_entropy" || opts.trainLoss == "mse") &&
      (llvm::is_contained(argNameAttrs, lossInput) ||
       paramNames.contains(lossInput))) {
    emitError(loc) << "--train-loss " << opts.trainLoss << " adds an input '"
                   << lossInput << "', but the model has an input or "
                   << "initializer of that name already";
    return failure();
  }
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
    if (failed(nn::getCheckedElementCount(tensorOf(shape, *et)))) {
      emitError(loc) << "input '" << in.name() << "' has shape "
                     << shapeStr(shape)
                     << ", whose size in bytes overflows 64 bits";
      ok = false;
      continue;
    }
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
