//===- Utils.h - Builders shared by the nn to linalg patterns ---*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Small IR builders used by several op families of the nn -> linalg lowering:
// broadcasting indexing maps, filled init tensors, elementwise and reduction
// `linalg.generic`s, and the reshape that restores `keepdims` dimensions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CONVERSION_NNTOLINALG_UTILS_H
#define KILN_CONVERSION_NNTOLINALG_UTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace kiln::nn_to_linalg {

/// Builds the scalar computation of a generic body from its block arguments
/// (inputs, then the output or accumulator) and returns the value to yield.
using BodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// Returns the map from a loop nest over `resultShape` to the indices of an
/// operand of shape `operandShape` broadcast to it with NumPy's rule: shapes
/// align at their trailing dimension, missing leading dimensions are dropped
/// and size-1 dimensions that are broadcast read index 0.
mlir::AffineMap getBroadcastMap(llvm::ArrayRef<int64_t> operandShape,
                                llvm::ArrayRef<int64_t> resultShape,
                                mlir::MLIRContext *context);

/// Returns the map from a loop nest of `rank` loops that drops the loops in
/// `axes`: how a reduction reads or writes its reduced tensor.
mlir::AffineMap getDropAxesMap(int64_t rank, llvm::ArrayRef<int64_t> axes,
                               mlir::MLIRContext *context);

/// Returns `shape` without the dimensions in `axes`.
llvm::SmallVector<int64_t> dropAxes(llvm::ArrayRef<int64_t> shape,
                                    llvm::ArrayRef<int64_t> axes);

/// Returns the f32 constant `value`.
mlir::Value createF32Constant(mlir::OpBuilder &b, mlir::Location loc,
                              float value);

/// Returns the f32 constant -infinity (the identity of a max reduction).
mlir::Value createNegInfConstant(mlir::OpBuilder &b, mlir::Location loc);

/// Returns `tensor.empty` of `type` filled with the scalar `value`.
mlir::Value createFilledTensor(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::RankedTensorType type, mlir::Value value);

/// Builds an all-parallel `linalg.generic` producing `resultType` from
/// `inputs`, each broadcast to the result shape (see getBroadcastMap). `body`
/// receives the input scalars (then the unused output scalar).
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             mlir::ValueRange inputs, BodyBuilder body);

/// Builds a `linalg.generic` over a loop nest of `loopRank` loops that
/// reduces the loops in `axes` into `init` (whose rank is `loopRank` minus the
/// number of axes). `inputMaps` gives each input's indexing map. `body`
/// receives the input scalars then the accumulator and returns the new
/// accumulator.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::ValueRange inputs,
                           llvm::ArrayRef<mlir::AffineMap> inputMaps,
                           int64_t loopRank, llvm::ArrayRef<int64_t> axes,
                           mlir::Value init, BodyBuilder body);

/// Reshapes the reduced tensor `value` to `keptType`, which has the same
/// shape plus size-1 dimensions at `axes`, with `tensor.expand_shape`.
mlir::Value expandReducedDims(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value value,
                              mlir::RankedTensorType keptType,
                              llvm::ArrayRef<int64_t> axes);

/// Reshapes `value` to `resultType` (same element count) with
/// `tensor.collapse_shape` / `tensor.expand_shape`: directly when one shape
/// refines the other, through a 1-D tensor otherwise.
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value value, mlir::RankedTensorType resultType);

} // namespace kiln::nn_to_linalg

#endif // KILN_CONVERSION_NNTOLINALG_UTILS_H
