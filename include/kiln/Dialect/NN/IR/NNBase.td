//===- NNBase.td - nn dialect definition, types and enums --*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The `nn` dialect: Kiln's model IR. Value semantics on ranked, statically
// shaped tensors; f32 for data, i32/i64 for labels, i1 for masks.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNBASE_TD
#define KILN_DIALECT_NN_IR_NNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::kiln::nn";
  let summary = "Kiln's tensor dialect for describing models";
  let description = [{
    The `nn` dialect describes a model: its layers, its loss and its
    parameters. Every value is a ranked, statically shaped tensor. Data is
    `f32`, class labels are `i32` or `i64`, and masks are `i1`. Elementwise
    operations broadcast their operands with NumPy's rule (see
    `docs/Spec.md`). Every verifier constraint has a number (such as
    `matmul_c2`) that appears in the diagnostic and in `docs/Spec.md`.
  }];
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def NN_F32Tensor : StaticShapeTensorOf<[F32]>;
def NN_MaskTensor : StaticShapeTensorOf<[I1]>;
def NN_LabelTensor : StaticShapeTensorOf<[I32, I64]>;
def NN_CompareTensor : StaticShapeTensorOf<[F32, I32, I64]>;
def NN_AnyTensor : StaticShapeTensorOf<[F32, I1, I32, I64]>;

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def NN_InitKind : I32EnumAttr<"InitKind", "parameter initializer", [
    I32EnumAttrCase<"zeros", 0>, I32EnumAttrCase<"ones", 1>,
    I32EnumAttrCase<"uniform", 2>, I32EnumAttrCase<"normal", 3>,
    I32EnumAttrCase<"xavier_uniform", 4>, I32EnumAttrCase<"xavier_normal", 5>,
    I32EnumAttrCase<"he_uniform", 6>, I32EnumAttrCase<"he_normal", 7>]> {
  let cppNamespace = "::kiln::nn";
}

def NN_Reduction : I32EnumAttr<"Reduction", "loss reduction", [
    I32EnumAttrCase<"mean", 0>, I32EnumAttrCase<"sum", 1>]> {
  let cppNamespace = "::kiln::nn";
}

def NN_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "elementwise comparison predicate", [
    I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
    I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
    I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::kiln::nn";
}

#endif // KILN_DIALECT_NN_IR_NNBASE_TD
