//===- NNNumericsOps.td - nn numerics checks ---*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// check_finite: the op kiln-check-numerics inserts after every f32 result of
// a model so that the compiled code stops at the first NaN or Inf and names
// the op that produced it (`kilnc --check-numerics`, docs/Training.md).
// Included by NNOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNNUMERICSOPS_TD
#define KILN_DIALECT_NN_IR_NNNUMERICSOPS_TD

def NN_CheckFiniteOp : NN_Op<"check_finite"> {
  let summary = "report the first tensor with a NaN or an infinity";
  let description = [{
    Counts the NaN and the infinite elements of `input`. When there is at
    least one, the compiled code calls the runtime's
    `kiln_numerics_fail(site, nans, infs, elements)` (docs/Runtime.md),
    which records the first such report of a call; the runtime then stops
    with an error that names `site` and, in training, the step. `site` is
    the text of the report: `kiln-check-numerics` writes the producing op's
    name and its location in the model file.

    The op has no result and a side effect (the report), so it is never
    removed or merged with another. The reference interpreter treats it as
    a no-op. It has no gradient: `kiln-check-numerics` inserts it after
    differentiation.

    Example:
    ```mlir
    nn.check_finite %h "nn.log at model.mlir:12:8" : tensor<32x10xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, StrAttr:$site);
  let assemblyFormat = "$input $site attr-dict `:` type($input)";
}

#endif // KILN_DIALECT_NN_IR_NNNUMERICSOPS_TD
