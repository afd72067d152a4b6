//===- NNOps.td - nn dialect operations ---------------------*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Every op has a summary, a description with an example, a declarative
// assembly format and an inferred result type where the operands determine
// it. Verifier constraints are numbered `<op>_c<N>`; docs/Spec.md lists them
// and test/Dialect/NN/invalid.mlir has a case for each.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNOPS_TD
#define KILN_DIALECT_NN_IR_NNOPS_TD

include "kiln/Dialect/NN/IR/NNBase.td"
include "kiln/Dialect/NN/IR/NNInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// Every nn op rejects tensor types whose byte size overflows 64 bits
/// (constraint `shape_c1`).
def NN_ElementCountFits : NativeOpTrait<"ElementCountFits"> {
  let cppNamespace = "::kiln::nn::OpTrait";
}

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, !listconcat(traits, [NN_ElementCountFits])>;

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class NN_UnaryOp<string mnemonic, string formula, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType,
                                           DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>])> {
  let summary = "elementwise " # formula;
  let description = [{
    Applies `}] # formula # [{` to every element. The result has the type of
    the operand.

    Example:
    ```mlir
    %y = nn.}] # mnemonic # [{ %x : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def NN_NegOp : NN_UnaryOp<"neg", "y = -x"> { let hasFolder = 1; }
def NN_AbsOp : NN_UnaryOp<"abs", "y = |x|">;
def NN_ExpOp : NN_UnaryOp<"exp", "y = e^x">;
def NN_LogOp : NN_UnaryOp<"log", "y = ln(x)">;
def NN_SqrtOp : NN_UnaryOp<"sqrt", "y = sqrt(x)">;
def NN_RsqrtOp : NN_UnaryOp<"rsqrt", "y = 1 / sqrt(x)">;
def NN_ReluOp : NN_UnaryOp<"relu", "y = max(x, 0)">;
def NN_SigmoidOp : NN_UnaryOp<"sigmoid", "y = 1 / (1 + e^-x)">;
def NN_TanhOp : NN_UnaryOp<"tanh", "y = tanh(x)">;

class NN_AlphaActivationOp<string mnemonic, string formula, string defaultAlpha>
    : NN_Op<mnemonic, [Pure, SameOperandsAndResultType,
                       DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "elementwise " # formula;
  let description = [{
    Applies `}] # formula # [{` to every element. `alpha` defaults to
    }] # defaultAlpha # [{.

    Example:
    ```mlir
    %y = nn.}] # mnemonic # [{ %x alpha = 2.000000e-01 : tensor<4x8xf32>
    %z = nn.}] # mnemonic # [{ %x : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input,
                   DefaultValuedAttr<F32Attr, defaultAlpha>:$alpha);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat =
      "$input (`alpha` `=` $alpha^)? attr-dict `:` type($input)";
}

def NN_LeakyReluOp : NN_AlphaActivationOp<"leaky_relu",
    "y = x if x > 0 else alpha * x", "0.01">;
def NN_EluOp : NN_AlphaActivationOp<"elu",
    "y = x if x > 0 else alpha * (e^x - 1)", "1.0">;

class NN_SoftmaxLikeOp<string mnemonic, string formula>
    : NN_Op<mnemonic, [Pure, SameOperandsAndResultType,
                       DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = formula # " along one axis";
  let description = [{
    Computes `}] # formula # [{` along dimension `axis`, subtracting the
    maximum along that axis first so that large inputs do not overflow.
    Constraint `}] # mnemonic # [{_c1`: `0 <= axis < rank(input)`.

    Example:
    ```mlir
    %p = nn.}] # mnemonic # [{ %logits axis = 1 : tensor<32x10xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, I64Attr:$axis);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NN_SoftmaxOp : NN_SoftmaxLikeOp<"softmax", "y_i = e^x_i / sum_j e^x_j">;
def NN_LogSoftmaxOp : NN_SoftmaxLikeOp<"log_softmax",
    "y_i = x_i - log(sum_j e^x_j)">;

//===----------------------------------------------------------------------===//
// Elementwise binary ops with broadcasting
//===----------------------------------------------------------------------===//

class NN_BroadcastBinaryOp<string mnemonic, string formula,
                           list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor,
                                           DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>])> {
  let summary = "elementwise " # formula # " with broadcasting";
  let description = [{
    Computes `}] # formula # [{` elementwise after broadcasting both operands
    to a common shape with NumPy's rule: shapes are aligned at their trailing
    dimension, and each pair of dimensions must be equal or contain a 1
    (constraint `broadcast_c1`).

    Example:
    ```mlir
    %z = nn.}] # mnemonic # [{ %x, %b : tensor<32x10xf32>, tensor<10xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$lhs, NN_F32Tensor:$rhs);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::kiln::nn::inferBroadcastType(
          location, getOperationName(),
          {adaptor.getLhs().getType(), adaptor.getRhs().getType()},
          ::mlir::Float32Type::get(context), types);
    }
  }];
}

def NN_AddOp : NN_BroadcastBinaryOp<"add", "z = x + y", [Commutative]>;
def NN_SubOp : NN_BroadcastBinaryOp<"sub", "z = x - y">;
def NN_MulOp : NN_BroadcastBinaryOp<"mul", "z = x * y", [Commutative]>;
def NN_DivOp : NN_BroadcastBinaryOp<"div", "z = x / y">;
def NN_PowOp : NN_BroadcastBinaryOp<"pow", "z = x ^ y">;
def NN_MaximumOp : NN_BroadcastBinaryOp<"maximum", "z = max(x, y)",
                                        [Commutative]>;
def NN_MinimumOp : NN_BroadcastBinaryOp<"minimum", "z = min(x, y)",
                                        [Commutative]>;

def NN_CompareOp : NN_Op<"compare", [Pure, InferTypeOpAdaptor]> {
  let summary = "elementwise comparison with broadcasting";
  let description = [{
    Compares two tensors elementwise after broadcasting (constraint
    `broadcast_c1`) and yields an `i1` mask. Both operands have the same
    element type (constraint `compare_c1`). Predicates: `eq`, `ne`, `lt`,
    `le`, `gt`, `ge` (ordered comparisons for floats: NaN compares false
    except under `ne`).

    Example:
    ```mlir
    %m = nn.compare gt, %x, %zero : tensor<4x8xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins NN_ComparePredicate:$predicate, NN_CompareTensor:$lhs,
                   NN_CompareTensor:$rhs);
  let results = (outs NN_MaskTensor:$result);
  let assemblyFormat = "$predicate `,` $lhs `,` $rhs attr-dict `:` "
                       "type($lhs) `,` type($rhs)";
}

def NN_SelectOp : NN_Op<"select", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "elementwise choice between two tensors by a mask";
  let description = [{
    Yields `on_true` where `condition` is true and `on_false` elsewhere, after
    broadcasting all three operands to a common shape (constraint
    `broadcast_c1`).

    Example:
    ```mlir
    %y = nn.select %m, %x, %zero : tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins NN_MaskTensor:$condition, NN_F32Tensor:$on_true,
                   NN_F32Tensor:$on_false);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$condition `,` $on_true `,` $on_false attr-dict `:` "
                       "type($condition) `,` type($on_true) `,` "
                       "type($on_false)";
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def NN_MatmulOp : NN_Op<"matmul", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "matrix product, plain or batched";
  let description = [{
    Multiplies `[M, K] x [K, N] -> [M, N]`, or batched
    `[B, M, K] x [B, K, N] -> [B, M, N]`.
    - `matmul_c1`: both operands have rank 2, or both have rank 3.
    - `matmul_c2`: the contracting dimensions (`K`) are equal.
    - `matmul_c3`: for rank 3, the batch dimensions (`B`) are equal.

    Example:
    ```mlir
    %y = nn.matmul %x, %w : tensor<32x784xf32>, tensor<784x512xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$lhs, NN_F32Tensor:$rhs);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def NN_TransposeOp : NN_Op<"transpose", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "permutes the dimensions of a tensor";
  let description = [{
    `dim(result, i) = dim(input, perm[i])`.
    - `transpose_c1`: `perm` has one entry per dimension of `input`.
    - `transpose_c2`: `perm` is a permutation of `0 .. rank-1`.

    Example:
    ```mlir
    %t = nn.transpose %w perm = [1, 0] : tensor<784x512xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = "$input `perm` `=` $perm attr-dict `:` type($input)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def NN_ReshapeOp : NN_Op<"reshape", [Pure,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "reinterprets a tensor with a new shape";
  let description = [{
    Keeps the elements in row-major order and changes the shape.
    - `reshape_c1`: input and result have the same number of elements.
    - `reshape_c2`: input and result have the same element type.

    Example:
    ```mlir
    %f = nn.reshape %img : tensor<32x1x28x28xf32> -> tensor<32x784xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_BroadcastToOp : NN_Op<"broadcast_to", [Pure,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "broadcasts a tensor to a larger shape";
  let description = [{
    Broadcasts `input` to the result shape with NumPy's rule.
    - `broadcast_to_c1`: the result rank is at least the input rank.
    - `broadcast_to_c2`: each input dimension equals the aligned result
      dimension or is 1.
    - `broadcast_to_c3`: input and result have the same element type.

    Example:
    ```mlir
    %b = nn.broadcast_to %bias : tensor<10xf32> -> tensor<32x10xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NN_ConcatOp : NN_Op<"concat", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "joins tensors along one axis";
  let description = [{
    - `concat_c1`: at least one input.
    - `concat_c2`: all inputs have the same rank and element type.
    - `concat_c3`: `0 <= axis < rank`.
    - `concat_c4`: all dimensions other than `axis` are equal.

    Example:
    ```mlir
    %c = nn.concat %a, %b axis = 1 : tensor<4x3xf32>, tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Variadic<NN_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat =
      "$inputs `axis` `=` $axis attr-dict `:` type($inputs)";
  let hasFolder = 1;
}

def NN_SliceOp : NN_Op<"slice", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "extracts a strided box of a tensor";
  let description = [{
    `result[i] = input[offsets + i * strides]` for each index `i` in
    `sizes`.
    - `slice_c1`: `offsets`, `sizes` and `strides` have one entry per
      dimension.
    - `slice_c2`: `offsets >= 0`, `sizes >= 1`, `strides >= 1`.
    - `slice_c3`: `offsets + (sizes - 1) * strides < dim` in every dimension.

    Example:
    ```mlir
    %s = nn.slice %x offsets = [0, 2] sizes = [4, 3] strides = [1, 2]
        : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$offsets,
                   DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = "$input `offsets` `=` $offsets `sizes` `=` $sizes "
                       "`strides` `=` $strides attr-dict `:` type($input)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class NN_ReduceOp<string mnemonic, string what>
    : NN_Op<mnemonic, [Pure, InferTypeOpAdaptor,
                       DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = what # " over the given axes";
  let description = [{
    Reduces `input` over `axes` with the }] # what # [{. Without `keepdims`
    the reduced dimensions are removed; with it they stay as size 1.
    - `reduce_c1`: every axis is in `[0, rank)`.
    - `reduce_c2`: no axis is repeated.

    Example:
    ```mlir
    %s = nn.}] # mnemonic # [{ %x axes = [1] : tensor<32x10xf32>
    %k = nn.}] # mnemonic # [{ %x axes = [0, 1] keepdims : tensor<32x10xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, DenseI64ArrayAttr:$axes,
                   UnitAttr:$keepdims);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input `axes` `=` $axes (`keepdims` $keepdims^)? "
                       "attr-dict `:` type($input)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::kiln::nn::inferReduceType(location, getOperationName(),
          adaptor.getInput().getType(), adaptor.getAxes(),
          adaptor.getKeepdims(), types);
    }
  }];
}

def NN_ReduceSumOp : NN_ReduceOp<"reduce_sum", "sum">;
def NN_ReduceMeanOp : NN_ReduceOp<"reduce_mean", "arithmetic mean">;
def NN_ReduceMaxOp : NN_ReduceOp<"reduce_max", "maximum">;

//===----------------------------------------------------------------------===//
// Constants and parameters
//===----------------------------------------------------------------------===//

def NN_ConstantOp : NN_Op<"constant",
    [ConstantLike, Pure, InferTypeOpAdaptor,
     DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "a constant tensor";
  let description = [{
    Materializes a dense constant. The result type is the type of `value`.
    A constant is stored in the compiled program, so its size is limited:
    - `constant_c1`: at most 2^24 elements (64 MiB of f32). Larger data
      belongs in a parameter (`nn.param`, loaded with `--init-params`) or
      an input.

    Example:
    ```mlir
    %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def NN_ParamOp : NN_Op<"param", [Pure,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "a named trainable parameter";
  let description = [{
    Declares a trainable parameter: its name, shape and initializer. The
    initializer is reproducible: element `i` (row-major) is a function of
    `seed` (read as the unsigned 64-bit value of its bits) and `i` only; the
    generator is specified in `docs/Spec.md` and `docs/Runtime.md`.
    `kiln-promote-params` turns parameters into function arguments that the
    runtime initializes and owns.
    - `param_c1`: the name is non-empty printable ASCII without whitespace.
    - `param_c2`: `uniform` needs finite `low < high`; `normal` needs finite
      `mean` and finite `std > 0`; other initializers take neither pair.
    - `param_c3`: a name is declared at most once per function.
    - `param_c4`: every dimension is at least 1.

    With `buffer`, the parameter is a persistent buffer rather than a
    trainable weight (PyTorch's `register_buffer`): it is initialized,
    checkpointed and saved like a parameter, but never differentiated nor
    updated by an optimizer. Batch norm's running statistics are buffers;
    the training step updates them (docs/Training.md).

    Initializers: `zeros`, `ones`, `uniform` (`low`, `high`), `normal`
    (`mean`, `std`), `xavier_uniform`, `xavier_normal`, `he_uniform`,
    `he_normal`. Fan-in and fan-out are `dim 0` and `dim 1` for a rank-2
    `[in, out]` weight, `dim 0` for rank 1, 1 for rank 0, and
    `dim 1 * receptive field` and `dim 0 * receptive field` for rank >= 3
    (`[out, in, kh, kw]`, receptive field `kh * kw * ...`).

    Example:
    ```mlir
    %w = nn.param "fc1.w" xavier_uniform seed = 1 : tensor<784x512xf32>
    %b = nn.param "fc1.b" zeros : tensor<512xf32>
    %u = nn.param "u" uniform seed = 3 {high = 5.0e-01 : f64, low = -5.0e-01 : f64} : tensor<8xf32>
    %m = nn.param "bn1.running_mean" zeros buffer : tensor<64xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, NN_InitKind:$init,
                   DefaultValuedAttr<I64Attr, "0">:$seed,
                   OptionalAttr<F64Attr>:$low, OptionalAttr<F64Attr>:$high,
                   OptionalAttr<F64Attr>:$mean, OptionalAttr<F64Attr>:$std,
                   UnitAttr:$buffer);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$name $init (`seed` `=` $seed^)? (`buffer` $buffer^)? "
                       "attr-dict `:` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Fan-in and fan-out of this parameter's shape (see the description).
    std::pair<int64_t, int64_t> getFans();
  }];
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

class NN_LossOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor,
                                           DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>])> {
  let results = (outs 0DTensorOf<[F32]>:$result);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location>,
        Adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(::mlir::RankedTensorType::get(
          {}, ::mlir::Float32Type::get(context)));
      return ::mlir::success();
    }
  }];
}

def NN_MseOp : NN_LossOp<"mse", [SameTypeOperands]> {
  let summary = "mean squared error";
  let description = [{
    `(pred - target)^2` summed over every element, divided by the element
    count under the default `mean` reduction. The operands have the same type.

    Example:
    ```mlir
    %l = nn.mse %pred, %target : tensor<32x1xf32>
    %s = nn.mse %pred, %target reduction = sum : tensor<32x1xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$pred, NN_F32Tensor:$target,
                   DefaultValuedAttr<NN_Reduction, "Reduction::mean">:$reduction);
  let assemblyFormat = "$pred `,` $target (`reduction` `=` $reduction^)? "
                       "attr-dict `:` type($pred)";
}

def NN_CrossEntropyOp : NN_LossOp<"cross_entropy"> {
  let summary = "softmax cross-entropy of logits against class labels";
  let description = [{
    For logits `[N, C]` and integer labels `[N]`:
    `loss_n = logsumexp(logits[n, :]) - logits[n, labels[n]]`, computed with
    the maximum subtracted first. The mean (default) or sum over `n`.
    - `cross_entropy_c1`: logits have rank 2 and labels rank 1.
    - `cross_entropy_c2`: the batch sizes (`N`) are equal.
    Labels outside `[0, C)` are a runtime error of the data, not of the IR.

    Example:
    ```mlir
    %l = nn.cross_entropy %logits, %labels : tensor<32x10xf32>, tensor<32xi64>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$logits, NN_LabelTensor:$labels,
                   DefaultValuedAttr<NN_Reduction, "Reduction::mean">:$reduction);
  let assemblyFormat = "$logits `,` $labels (`reduction` `=` $reduction^)? "
                       "attr-dict `:` type($logits) `,` type($labels)";
  let hasVerifier = 1;
}

def NN_BinaryCrossEntropyOp : NN_LossOp<"binary_cross_entropy",
                                        [SameTypeOperands]> {
  let summary = "binary cross-entropy with logits";
  let description = [{
    For logits `x` and targets `t` in `[0, 1]` of the same shape:
    `loss = max(x, 0) - x * t + log(1 + e^-|x|)`, the numerically stable form
    of `-(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x)))`. The mean (default)
    or sum over every element.

    Example:
    ```mlir
    %l = nn.binary_cross_entropy %logits, %targets : tensor<32x1xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$logits, NN_F32Tensor:$targets,
                   DefaultValuedAttr<NN_Reduction, "Reduction::mean">:$reduction);
  let assemblyFormat = "$logits `,` $targets (`reduction` `=` $reduction^)? "
                       "attr-dict `:` type($logits)";
}

include "kiln/Dialect/NN/IR/NNOptimizerOps.td"
include "kiln/Dialect/NN/IR/NNConvOps.td"
include "kiln/Dialect/NN/IR/NNRecurrentOps.td"
include "kiln/Dialect/NN/IR/NNNormalizationOps.td"
include "kiln/Dialect/NN/IR/NNRandomOps.td"
include "kiln/Dialect/NN/IR/NNLossOps.td"
include "kiln/Dialect/NN/IR/NNNumericsOps.td"

#endif // KILN_DIALECT_NN_IR_NNOPS_TD
