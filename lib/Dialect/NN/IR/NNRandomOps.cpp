//===- NNRandomOps.cpp - dropout and random_normal ---===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/IR/NNOps.h"
