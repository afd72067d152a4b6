//===- FusionGraph.h - kilnc --emit=fusion-dot ------------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILNC_FUSIONGRAPH_H
#define KILN_TOOLS_KILNC_FUSIONGRAPH_H

#include "kiln/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {

/// Writes the Graphviz graph of `module` (nn, after buildNNPreparePipeline)
/// with its fused groups as clusters: tags every nn op, lowers a copy
/// through kiln-convert-nn-to-linalg and buildLinalgFusionPipeline, and puts
/// nn ops whose code ended up in one linalg op into one cluster.
mlir::LogicalResult emitFusionGraph(mlir::ModuleOp module,
                                    const PipelineOptions &options,
                                    llvm::raw_ostream &os);

} // namespace kiln

#endif // KILN_TOOLS_KILNC_FUSIONGRAPH_H
