//===- NNRecurrentGradients.cpp - reverse-mode rules of recurrent ops ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
