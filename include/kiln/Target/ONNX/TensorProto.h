//===- TensorProto.h - Reading ONNX tensors ---------------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The one reader of onnx::TensorProto values, shared by the importer
/// (initializers, Constant nodes, folded inputs) and kiln-onnx-conformance
/// (the test data's input_*.pb and output_*.pb). Users include
/// <onnx/onnx_pb.h> themselves (with ONNX_ML=1 and ONNX_NAMESPACE=onnx, as
/// lib/Target/ONNX/CMakeLists.txt defines them).
///
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_ONNX_TENSORPROTO_H
#define KILN_TARGET_ONNX_TENSORPROTO_H

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace kiln {

/// Reads the elements of `t` as doubles, in row-major order: float, double,
/// int32, int64 (exact up to 2^53), bool and uint8 tensors, from raw_data
/// (little-endian) or from the typed field. Fails, with `error` set to a
/// phrase that follows the tensor's name (`has 3 elements but its shape 2x2
/// needs 4`), for external data, a negative or overflowing shape, another
/// element type, or data whose size does not match the shape.
mlir::FailureOr<std::vector<double>>
readONNXTensorValues(const onnx::TensorProto &t, std::string &error);

/// A shape as the importer's messages write it: "2x3", or "scalar".
std::string formatONNXShape(llvm::ArrayRef<int64_t> shape);

/// The name of an ONNX element type (TensorProto.DataType): "float",
/// "int64", ..., or "unknown".
const char *onnxDataTypeName(int32_t dataType);

} // namespace kiln

#endif // KILN_TARGET_ONNX_TENSORPROTO_H
