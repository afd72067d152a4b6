//===- Normalization.cpp - batch norm to linalg ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"

void kiln::populateNNNormalizationToLinalgPatterns(mlir::RewritePatternSet &patterns) {}
