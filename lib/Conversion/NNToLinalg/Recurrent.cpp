//===- Recurrent.cpp - recurrent ops to scf and linalg ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"

void kiln::populateNNRecurrentToLinalgPatterns(mlir::RewritePatternSet &patterns) {}
