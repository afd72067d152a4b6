//===- Random.cpp - dropout and random_normal to linalg ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/NNToLinalg/NNToLinalg.h"

void kiln::populateNNRandomToLinalgPatterns(mlir::RewritePatternSet &patterns) {}
