//===- NNNormalizationOps.cpp - batch norm verifiers and rules ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
