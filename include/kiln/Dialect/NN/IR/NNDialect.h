//===- NNDialect.h - nn dialect declaration ---------------------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNDIALECT_H
#define KILN_DIALECT_NN_IR_NNDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dialect.h"

#include "kiln/Dialect/NN/IR/NNOpsDialect.h.inc"

#endif // KILN_DIALECT_NN_IR_NNDIALECT_H
