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
/// Prefix of the destination-passing entry-point wrappers.
constexpr llvm::StringLiteral kEntryPrefix = "_kiln_entry_";

} // namespace kiln::nn

#endif // KILN_DIALECT_NN_TRANSFORMS_PASSES_H
