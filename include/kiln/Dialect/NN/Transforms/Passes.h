//===- Passes.h - nn dialect transformation passes --------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_TRANSFORMS_PASSES_H
#define KILN_DIALECT_NN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace kiln::nn {

#define GEN_PASS_DECL
#include "kiln/Dialect/NN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "kiln/Dialect/NN/Transforms/Passes.h.inc"

/// Name of the argument attribute that describes a promoted parameter.
constexpr llvm::StringLiteral kParamAttrName = "nn.param";
/// Name of the module attribute that holds the ABI signature text.
constexpr llvm::StringLiteral kSignatureAttrName = "kiln.signature";
/// Function attribute that asks kiln-train-step for a training step: a
/// dictionary naming the optimizer and its hyperparameters.
constexpr llvm::StringLiteral kTrainAttrName = "nn.train";
/// Function attribute of a training step: the name of the model function it
/// trains (its evaluation entry point).
constexpr llvm::StringLiteral kTrainOfAttrName = "nn.train_of";
/// Argument attribute of optimizer state: `{name = "w.exp_avg", of = "w"}`.
constexpr llvm::StringLiteral kStateAttrName = "nn.state";
/// Unit argument attribute of the step count (`tensor<i64>`).
constexpr llvm::StringLiteral kStepAttrName = "nn.step";
/// Result attribute naming the parameter or state a result replaces; the
/// exported entry point writes such results into that argument's buffer.
constexpr llvm::StringLiteral kUpdateAttrName = "nn.update";
/// Function attribute of one phase of a multi-phase training step: the
/// phase's name (`phase=` in the signature).
constexpr llvm::StringLiteral kPhaseAttrName = "nn.phase";
/// Result attribute of an image output (`image=` in the signature): the
/// trainer writes it as a PNG grid after each evaluation.
constexpr llvm::StringLiteral kImageAttrName = "nn.image";
/// Unit argument attribute of an entry point's workspace, the last argument
/// that kiln-plan-buffers adds (docs/Codegen.md, "Memory planning").
constexpr llvm::StringLiteral kWorkspaceAttrName = "kiln.workspace";
/// Function attribute of an entry point with a workspace: the byte offset
/// and size of each buffer in it, `array<i64: offset0, size0, ...>`. The
/// translation to LLVM IR gives each buffer an alias scope from it.
constexpr llvm::StringLiteral kWorkspaceBuffersAttrName =
    "kiln.workspace_buffers";
/// Function attribute of a function that kiln-parallelize-loops outlines:
/// its buffer arguments are views of distinct buffers, none overlapping
/// another while the function runs. The translation to LLVM IR makes its
/// pointer arguments `noalias`.
constexpr llvm::StringLiteral kDistinctBuffersAttrName =
    "kiln.distinct_buffers";
/// Prefix of the destination-passing entry-point wrappers.
constexpr llvm::StringLiteral kEntryPrefix = "_kiln_entry_";

} // namespace kiln::nn

#endif // KILN_DIALECT_NN_TRANSFORMS_PASSES_H
