//===- TensorProto.cpp - Reading ONNX tensors -----------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/ONNX/TensorProto.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <limits>

using namespace mlir;

/// Element `i` of raw tensor data holding `T`s (ONNX stores them little
/// endian, as x86 does), read without alignment assumptions.
template <typename T> static T rawElement(const char *data, int64_t i) {
  T value;
  memcpy(&value, data + sizeof(T) * i, sizeof(T));
  return value;
}

const char *kiln::onnxDataTypeName(int32_t dataType) {
  switch (dataType) {
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

std::string kiln::formatONNXShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string r;
  for (size_t i = 0; i < shape.size(); ++i)
    r += (i ? "x" : "") + std::to_string(shape[i]);
  return r;
}

FailureOr<std::vector<double>>
kiln::readONNXTensorValues(const onnx::TensorProto &t, std::string &error) {
  using TP = onnx::TensorProto;
  if (t.data_location() == TP::EXTERNAL) {
    error = "uses external data, which is not supported";
    return failure();
  }
  std::vector<int64_t> shape(t.dims().begin(), t.dims().end());
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && n > std::numeric_limits<int64_t>::max() / d)) {
      error = "has an invalid shape";
      return failure();
    }
    n *= d;
  }
  size_t elemSize = 0;
  switch (t.data_type()) {
  case TP::FLOAT:
  case TP::INT32:
    elemSize = 4;
    break;
  case TP::DOUBLE:
  case TP::INT64:
    elemSize = 8;
    break;
  case TP::BOOL:
  case TP::UINT8:
    elemSize = 1;
    break;
  default:
    error = std::string("has element type ") +
            onnxDataTypeName(t.data_type()) + ", which is not supported";
    return failure();
  }

  std::vector<double> out;
  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    // n * elemSize may wrap around: compare by division.
    if (raw.size() % elemSize != 0 || raw.size() / elemSize != (size_t)n) {
      error = "has " + std::to_string(raw.size()) +
              " bytes of data but its shape " + formatONNXShape(shape) +
              " needs " + std::to_string((size_t)n * elemSize);
      return failure();
    }
    out.resize(n);
    const char *p = raw.data();
    for (int64_t i = 0; i < n; ++i) {
      switch (t.data_type()) {
      case TP::FLOAT:
        out[i] = rawElement<float>(p, i);
        break;
      case TP::DOUBLE:
        out[i] = rawElement<double>(p, i);
        break;
      case TP::INT32:
        out[i] = rawElement<int32_t>(p, i);
        break;
      case TP::INT64:
        out[i] = (double)rawElement<int64_t>(p, i);
        break;
      default:
        out[i] = (unsigned char)p[i];
        break;
      }
    }
    return out;
  }

  // The typed fields: float_data, double_data, int64_data, and int32_data
  // for int32, bool and uint8.
  int64_t have = 0;
  switch (t.data_type()) {
  case TP::FLOAT:
    have = t.float_data_size();
    break;
  case TP::DOUBLE:
    have = t.double_data_size();
    break;
  case TP::INT64:
    have = t.int64_data_size();
    break;
  default:
    have = t.int32_data_size();
    break;
  }
  if (have != n) {
    error = "has " + std::to_string(have) + " elements but its shape " +
            formatONNXShape(shape) + " needs " + std::to_string(n);
    return failure();
  }
  out.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    switch (t.data_type()) {
    case TP::FLOAT:
      out[i] = t.float_data(i);
      break;
    case TP::DOUBLE:
      out[i] = t.double_data(i);
      break;
    case TP::INT64:
      out[i] = (double)t.int64_data(i);
      break;
    default:
      out[i] = t.int32_data(i);
      break;
    }
  }
  return out;
}
