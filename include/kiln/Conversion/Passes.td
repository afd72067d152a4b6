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

    An `nn.param` left in the input is an error at its location that asks
    for `kiln-promote-params`.

    Before:
    ```mlir
    %0 = nn.add %x, %b : tensor<4x3xf32>, tensor<3xf32>
    ```
    After:
    ```mlir
    %e = tensor.empty() : tensor<4x3xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>],
                         iterator_types = ["parallel", "parallel"]}
        ins(%x, %b : tensor<4x3xf32>, tensor<3xf32>)
        outs(%e : tensor<4x3xf32>) {
    ^bb0(%a: f32, %c: f32, %out: f32):
      %s = arith.addf %a, %c : f32
      linalg.yield %s : f32
    } -> tensor<4x3xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // KILN_CONVERSION_PASSES_TD
