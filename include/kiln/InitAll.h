//===- InitAll.h - Register every Kiln dialect and pass ---------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_INITALL_H
#define KILN_INITALL_H

#include "kiln/Codegen/Passes.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Dialect/NN/IR/NNDialect.h"
#include "kiln/Dialect/NN/Transforms/Passes.h"
#include "kiln/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"

namespace kiln {

/// Adds Kiln's dialects to `registry`.
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<nn::NNDialect>();
}

/// Registers Kiln's passes and named pipelines with the global registry.
inline void registerAllPasses() {
  nn::registerNNPasses();
  registerKilnConversionPasses();
  registerKilnCodegenPasses();
  registerKilnPipelines();
}

} // namespace kiln

#endif // KILN_INITALL_H
