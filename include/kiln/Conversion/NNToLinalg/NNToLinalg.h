//===- NNToLinalg.h - nn to linalg conversion -------------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CONVERSION_NNTOLINALG_NNTOLINALG_H
#define KILN_CONVERSION_NNTOLINALG_NNTOLINALG_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln {

#define GEN_PASS_DECL_KILNCONVERTNNTOLINALG
#include "kiln/Conversion/Passes.h.inc"

/// Adds the patterns that lower every nn op (except nn.param) to linalg,
/// arith, math and tensor ops.
void populateNNToLinalgConversionPatterns(mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_CONVERSION_NNTOLINALG_NNTOLINALG_H
