//===- NNNormalizationOps.td - nn normalization ops ---*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// batch_norm (inference) and batch_norm_train. Included by NNOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNNORMALIZATIONOPS_TD
#define KILN_DIALECT_NN_IR_NNNORMALIZATIONOPS_TD

#endif // KILN_DIALECT_NN_IR_NNNORMALIZATIONOPS_TD
