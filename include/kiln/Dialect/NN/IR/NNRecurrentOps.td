//===- NNRecurrentOps.td - nn recurrent ops ---*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// rnn, lstm and gru over a whole sequence, and their backward ops.
// Included by NNOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNRECURRENTOPS_TD
#define KILN_DIALECT_NN_IR_NNRECURRENTOPS_TD

#endif // KILN_DIALECT_NN_IR_NNRECURRENTOPS_TD
