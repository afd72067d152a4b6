//===- NNToLinalg.h - nn to linalg conversion -------------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CONVERSION_NNTOLINALG_NNTOLINALG_H
#define KILN_CONVERSION_NNTOLINALG_NNTOLINALG_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln {

#define GEN_PASS_DECL_KILNCONVERTNNTOLINALG
#include "kiln/Conversion/Passes.h.inc"

/// Adds the patterns that lower every nn op (except nn.param) to linalg,
/// arith, math and tensor ops. It is the union of the family populators below.
void populateNNToLinalgConversionPatterns(mlir::RewritePatternSet &patterns);

/// Unary math ops, activations, broadcasting binary ops, compare and select
/// -> `linalg.generic`.
void populateNNElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// softmax and log_softmax -> max-subtracted reductions and a `linalg.generic`.
void populateNNSoftmaxToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// matmul -> `linalg.matmul` / `linalg.batch_matmul`; transpose ->
/// `linalg.transpose`.
void populateNNLinearAlgebraToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// reshape, broadcast_to, concat, slice and constant -> tensor, linalg and
/// arith ops.
void populateNNShapeToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// reduce_sum, reduce_mean and reduce_max -> reduction `linalg.generic`s.
void populateNNReductionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// mse, binary_cross_entropy and cross_entropy -> reduction `linalg.generic`s.
void populateNNLossToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// lr_schedule -> scalar arith and `tensor.from_elements`; sgd, momentum,
/// rmsprop, adam and adamw -> one multi-result `linalg.generic` each, with
/// their scalars read by `tensor.extract` before it; l1_penalty and
/// l2_penalty -> a reduction `linalg.generic` scaled by `lambda`.
void populateNNOptimizerToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// rnn, lstm, gru and their backward ops -> an `scf.for` over the time steps
/// whose body is linalg on slices of the sequence (Recurrent.cpp).
void populateNNRecurrentToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// batch_norm and batch_norm_train -> reductions and `linalg.generic`s
/// (Normalization.cpp).
void populateNNNormalizationToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// dropout and random_normal -> `linalg.generic`s that hash the element index
/// (Random.cpp).
void populateNNRandomToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// check_finite: a counting reduction and a call to the runtime's
/// `kiln_numerics_fail` when it finds a NaN or an infinity (Numerics.cpp).
void populateNNNumericsToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_CONVERSION_NNTOLINALG_NNTOLINALG_H
