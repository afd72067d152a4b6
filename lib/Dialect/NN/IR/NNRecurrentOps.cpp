//===- NNRecurrentOps.cpp - verifiers of the recurrent ops ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
