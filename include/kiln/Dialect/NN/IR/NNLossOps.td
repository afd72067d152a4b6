//===- NNLossOps.td - nn losses ---*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// focal_loss, triplet_margin_loss and kl_divergence. Included by NNOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNLOSSOPS_TD
#define KILN_DIALECT_NN_IR_NNLOSSOPS_TD

#endif // KILN_DIALECT_NN_IR_NNLOSSOPS_TD
