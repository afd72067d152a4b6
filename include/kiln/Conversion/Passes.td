//===- Passes.td - Kiln conversion passes ------------------*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CONVERSION_PASSES_TD
#define KILN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnConvertNNToLinalg : Pass<"kiln-convert-nn-to-linalg"> {
  let summary = "Lower nn ops to linalg, arith, math and tensor";
  let description = [{
    Lowers every `nn` op except `nn.param` (run `kiln-promote-params` first)
    onto linalg structured ops on tensors, with arith, math and tensor for
    the rest. Broadcasting becomes indexing maps, reductions become
    `linalg.generic` with reduction iterators, and the losses become their
    numerically stable formulations. The result still has value semantics;
    bufferization comes later in the pipeline.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // KILN_CONVERSION_PASSES_TD
