//===- ImportONNX.h - ONNX model importer -----------------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Imports an ONNX model (a serialized onnx::ModelProto, as written by
/// torch.onnx.export) into a module with one `func.func` whose body is `nn`
/// ops. The graph inputs become the function's arguments (static shapes
/// only, `{nn.name = ...}`), the graph outputs its results. docs/ONNX.md
/// lists the supported operators, how each maps to `nn` ops, and the
/// errors.
///
/// Errors are MLIR diagnostics at the location of the offending node
/// (`NameLoc("node name (OpType)", "model.onnx":0:0)`); the importer never
/// asserts on bad input.
///
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_ONNX_IMPORTONNX_H
#define KILN_TARGET_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>
#include <vector>

namespace kiln {

struct ONNXImportOptions {
  /// Name of the function; empty: the graph's name made a C identifier
  /// (or `model`).
  std::string functionName;
  /// If non-empty, float initializers become `nn.param "<name>" zeros`
  /// (batch norm statistics: `buffer`) and their values are written to
  /// `<paramsDir>/<name>.npy` for the trainer's `--init-params`. Otherwise
  /// they become `nn.constant`.
  std::string paramsDir;
  /// Values of graph inputs (serialized onnx::TensorProto) that may be
  /// folded into constants where the importer needs a compile-time value
  /// (a Reshape shape, Reduce axes, a Dropout ratio, ...). Inputs that are
  /// folded are not arguments of the function.
  std::map<std::string, std::string> inputValues;
  /// Appends a loss for training: "" (none), "cross_entropy" (a label input
  /// `labels` of i64 [N] against the first output, the logits [N, C]) or
  /// "mse" (a `target` input of the first output's type). The loss becomes
  /// the first result, followed by the graph outputs.
  std::string trainLoss;
  /// With trainLoss: the `nn.train` optimizer ("sgd", "momentum", "adam",
  /// "adamw", "rmsprop") and learning rate.
  std::string optimizer = "sgd";
  double learningRate = 0.01;
};

/// What the importer made of the graph's inputs and outputs.
struct ONNXImportResult {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// The function's name.
  std::string functionName;
  /// The ONNX names of the graph inputs that are function arguments, in
  /// argument order (inputs folded into constants are not listed).
  std::vector<std::string> argumentInputs;
  /// For each graph output: whether it is a bool tensor returned as f32
  /// 0/1 (the entry-point ABI has no i1).
  std::vector<bool> boolOutputs;
  /// The names of the parameters written to paramsDir.
  std::vector<std::string> params;
};

/// Imports the serialized ModelProto in `bytes`; `sourceName` names it in
/// locations. On failure, the diagnostics have been emitted in `context`
/// and the result's module is null.
ONNXImportResult importONNX(llvm::StringRef bytes, llvm::StringRef sourceName,
                            mlir::MLIRContext *context,
                            const ONNXImportOptions &options);

/// Reads the file `path` and imports it; a file that cannot be read is
/// reported as an error at `path`.
ONNXImportResult importONNXFile(llvm::StringRef path,
                                mlir::MLIRContext *context,
                                const ONNXImportOptions &options);

} // namespace kiln

#endif // KILN_TARGET_ONNX_IMPORTONNX_H
