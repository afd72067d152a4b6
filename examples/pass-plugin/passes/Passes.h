//===- Passes.h - Passes of the example pass plugin -------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The passes of KilnExamplePassPlugin.so. They work on `nn` ops by name, so
// that the plugin does not link a second copy of the nn dialect library.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_EXAMPLE_PASSES_H
#define KILN_EXAMPLE_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace kiln::example {

#define GEN_PASS_DECL
#include "Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Passes.h.inc"

/// Adds the patterns of `kiln-example-simplify` to `patterns`: mul by one ->
/// operand, and, if `assumeFinite`, x - x -> zeros.
void populateSimplifyPatterns(mlir::RewritePatternSet &patterns,
                              bool assumeFinite);

} // namespace kiln::example

#endif // KILN_EXAMPLE_PASSES_H
