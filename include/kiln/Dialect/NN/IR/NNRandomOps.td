//===- NNRandomOps.td - nn random ops ---*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// dropout and random_normal: counter-based random numbers keyed by seed,
// step and element. Included by NNOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNRANDOMOPS_TD
#define KILN_DIALECT_NN_IR_NNRANDOMOPS_TD

#endif // KILN_DIALECT_NN_IR_NNRANDOMOPS_TD
