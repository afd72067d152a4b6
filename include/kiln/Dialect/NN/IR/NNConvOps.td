//===- NNConvOps.td - nn convolution and pooling ops --------*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Convolution, pooling and flattening over NCHW images (PyTorch's layout and
// semantics, torch.nn.functional), and the helper ops their gradient rules
// build: the two products of a convolution's backward pass and the backward
// pass of max pooling. Included by NNOps.td.
//
// Shapes: images are `[N, C, H, W]`, filters `[F, C/groups, KH, KW]`. Every
// spatial attribute (`stride`, `padding`, `dilation`, `kernel`) is a pair
// `[height, width]`; padding is symmetric and implicit (zeros for
// convolution and average pooling, ignored positions for max pooling).
// Output sizes round down, as PyTorch's `ceil_mode = False`.
//
// Constraint numbers are shared within a family: `<op>_c1` .. `<op>_c7` of
// the three convolution ops check the same geometry, and so do
// `<op>_c1` .. `<op>_c5` of the pooling ops. docs/Spec.md lists them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNCONVOPS_TD
#define KILN_DIALECT_NN_IR_NNCONVOPS_TD

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

def NN_Conv2DOp : NN_Op<"conv2d", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "2-D convolution over NCHW images (torch conv2d)";
  let description = [{
    `torch.nn.functional.conv2d(input, filter, bias, stride, padding,
    dilation, groups)`: input `[N, C, H, W]`, filter
    `[F, C/groups, KH, KW]`, optional bias `[F]`, result `[N, F, OH, OW]`
    with `OH = floor((H + 2*padding[0] - dilation[0]*(KH-1) - 1) /
    stride[0]) + 1` (and `OW` likewise). With `Cg = C/groups`,
    `Fg = F/groups` and `g = floor(f / Fg)`:
    ```
    y[n, f, oh, ow] = bias[f] + sum_{c < Cg, kh < KH, kw < KW}
        xpad[n, g*Cg + c, oh*stride[0] + kh*dilation[0] - padding[0],
                          ow*stride[1] + kw*dilation[1] - padding[1]]
        * filter[f, c, kh, kw]
    ```
    where `xpad` reads 0 outside the input. Defaults: stride `[1, 1]`,
    padding `[0, 0]`, dilation `[1, 1]`, groups 1; they are elided when
    printing.
    - `conv2d_c1`: input and filter have rank 4.
    - `conv2d_c2`: `stride`, `padding` and `dilation` have 2 entries each.
    - `conv2d_c3`: `stride >= 1`, `padding >= 0`, `dilation >= 1`,
      `groups >= 1`.
    - `conv2d_c4`: `groups` divides `C` and `F`.
    - `conv2d_c5`: `dim(filter, 1) == C / groups`.
    - `conv2d_c6`: `KH >= 1` and `KW >= 1`.
    - `conv2d_c7`: `OH >= 1` and `OW >= 1` (computed without overflow).
    - `conv2d_c8`: the bias, if any, has shape `[F]`.

    Example:
    ```mlir
    %y = nn.conv2d %x, %w, %b padding = [2, 2] : tensor<32x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>
    %z = nn.conv2d %x, %v stride = [2, 2] dilation = [2, 2] groups = 2 : tensor<4x6x9x9xf32>, tensor<8x3x3x3xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, NN_F32Tensor:$filter,
                   Optional<NN_F32Tensor>:$bias,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$stride,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$padding,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilation,
                   DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? (`stride` `=` $stride^)?
    (`padding` `=` $padding^)? (`dilation` `=` $dilation^)?
    (`groups` `=` $groups^)? attr-dict `:` type($input) `,` type($filter)
    (`,` type($bias)^)?
  }];
}

def NN_Conv2DBackwardInputOp : NN_Op<"conv2d_backward_input", [Pure,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "gradient of conv2d with respect to its input";
  let description = [{
    The vector-Jacobian product of `nn.conv2d` with respect to its input
    (a transposed convolution, `torch.nn.grad.conv2d_input`): for an output
    gradient `[N, F, OH, OW]` and a filter `[F, C/groups, KH, KW]`, the
    result `[N, C, H, W]` (its type is written, since `H` and `W` do not
    follow from `OH` and `OW` when `stride > 1`) is
    ```
    result[n, g*Cg + c, h, w] = sum over f in group g, kh, kw, oh, ow with
        oh*stride[0] + kh*dilation[0] - padding[0] == h and
        ow*stride[1] + kw*dilation[1] - padding[1] == w
      of output_grad[n, f, oh, ow] * filter[f, c, kh, kw]
    ```
    The attributes and constraints are those of `nn.conv2d` with the result
    as its input:
    - `conv2d_backward_input_c1`: output gradient, filter and result have
      rank 4.
    - `conv2d_backward_input_c2` .. `c7`: as `conv2d_c2` .. `conv2d_c7` for a
      conv2d of the result with the filter.
    - `conv2d_backward_input_c8`: the output gradient has the shape of that
      conv2d's result.

    Example:
    ```mlir
    %dx = nn.conv2d_backward_input %dy, %w stride = [2, 2] : tensor<4x8x4x4xf32>, tensor<8x3x3x3xf32> -> tensor<4x3x9x9xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$output_grad, NN_F32Tensor:$filter,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$stride,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$padding,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilation,
                   DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $output_grad `,` $filter (`stride` `=` $stride^)?
    (`padding` `=` $padding^)? (`dilation` `=` $dilation^)?
    (`groups` `=` $groups^)? attr-dict `:` type($output_grad) `,`
    type($filter) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_Conv2DBackwardFilterOp : NN_Op<"conv2d_backward_filter", [Pure,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "gradient of conv2d with respect to its filter";
  let description = [{
    The vector-Jacobian product of `nn.conv2d` with respect to its filter
    (`torch.nn.grad.conv2d_weight`): for an output gradient
    `[N, F, OH, OW]` and the convolution's input `[N, C, H, W]`, the result
    `[F, C/groups, KH, KW]` (its type is written, since `KH` and `KW` do not
    follow from the other shapes when `stride > 1`) is
    ```
    result[f, c, kh, kw] = sum_{n, oh, ow} output_grad[n, f, oh, ow] *
        xpad[n, g*Cg + c, oh*stride[0] + kh*dilation[0] - padding[0],
                          ow*stride[1] + kw*dilation[1] - padding[1]]
    ```
    with `g = floor(f / (F/groups))` and `xpad` reading 0 outside the input.
    - `conv2d_backward_filter_c1`: output gradient, input and result have
      rank 4.
    - `conv2d_backward_filter_c2` .. `c7`: as `conv2d_c2` .. `conv2d_c7` for
      a conv2d of the input with a filter of the result's shape.
    - `conv2d_backward_filter_c8`: the output gradient has the shape of that
      conv2d's result.

    Example:
    ```mlir
    %dw = nn.conv2d_backward_filter %dy, %x stride = [2, 2] : tensor<4x8x4x4xf32>, tensor<4x3x9x9xf32> -> tensor<8x3x3x3xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$output_grad, NN_F32Tensor:$input,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$stride,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$padding,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilation,
                   DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $output_grad `,` $input (`stride` `=` $stride^)?
    (`padding` `=` $padding^)? (`dilation` `=` $dilation^)?
    (`groups` `=` $groups^)? attr-dict `:` type($output_grad) `,`
    type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

class NN_Pool2DOp<string mnemonic, string summaryText, string formula,
                  string paddingText>
    : NN_Op<mnemonic, [Pure, InferTypeOpAdaptor,
        DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = summaryText;
  let description = [{
    `torch.nn.functional.}] # mnemonic # [{(input, kernel, stride, padding)`
    over `[N, C, H, W]`: the result is `[N, C, OH, OW]` with
    `OH = floor((H + 2*padding[0] - kernel[0]) / stride[0]) + 1` (and `OW`
    likewise), and each element combines the window
    `h = oh*stride[0] - padding[0] + kh`, `w = ow*stride[1] - padding[1] + kw`
    for `kh < kernel[0]`, `kw < kernel[1]`:
    }] # formula # [{
    }] # paddingText # [{ `stride` defaults to `kernel` (as in PyTorch);
    `padding` defaults to `[0, 0]`.
    - `}] # mnemonic # [{_c1`: the input has rank 4.
    - `}] # mnemonic # [{_c2`: `kernel`, `stride` and `padding` have 2
      entries each.
    - `}] # mnemonic # [{_c3`: `kernel >= 1`, `stride >= 1`, `padding >= 0`.
    - `}] # mnemonic # [{_c4`: `padding <= kernel / 2` (PyTorch's rule), so
      every window holds an input element.
    - `}] # mnemonic # [{_c5`: `OH >= 1` and `OW >= 1`.

    Example:
    ```mlir
    %p = nn.}] # mnemonic # [{ %x kernel = [2, 2] : tensor<32x6x28x28xf32>
    %q = nn.}] # mnemonic # [{ %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<32x6x28x28xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input, DenseI64ArrayAttr:$kernel,
                   OptionalAttr<DenseI64ArrayAttr>:$stride,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$padding);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel (`stride` `=` $stride^)?
    (`padding` `=` $padding^)? attr-dict `:` type($input)
  }];
  let extraClassDeclaration = [{
    /// The stride: the `stride` attribute, or `kernel` when it is absent.
    ::llvm::ArrayRef<int64_t> getStrideOrKernel() {
      return getStride() ? *getStride() : getKernel();
    }
  }];
}

def NN_MaxPool2DOp : NN_Pool2DOp<"max_pool2d", "2-D max pooling (torch max_pool2d)",
    "`y[n, c, oh, ow] = max over the window of x[n, c, h, w]`, NaN-propagating.",
    "Padded positions are not part of any window (PyTorch's implicit `-inf` "
    "padding).">;

def NN_AvgPool2DOp : NN_Pool2DOp<"avg_pool2d",
    "2-D average pooling (torch avg_pool2d)",
    "`y[n, c, oh, ow] = (sum over the window of xpad[n, c, h, w]) / "
    "(kernel[0] * kernel[1])`.",
    "Padded positions read 0 and count in the divisor (PyTorch's "
    "`count_include_pad = True`, its default).">;

def NN_MaxPool2DBackwardOp : NN_Op<"max_pool2d_backward", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "gradient of max_pool2d with respect to its input";
  let description = [{
    Routes each element of the output gradient `[N, C, OH, OW]` to the
    position of its window's maximum in `input` (the input of the
    `nn.max_pool2d` with the same attributes) and sums what each position
    receives (windows overlap when `stride < kernel`). The result has the
    input's type. Each window selects, scanning its positions inside the
    input in row-major order (`kh`, then `kw`), the last NaN if it holds one
    and otherwise the first position of its maximum; padded positions are
    never selected. These are the indices PyTorch's max_pool2d returns.
    - `max_pool2d_backward_c1` .. `c5`: as `max_pool2d_c1` .. `max_pool2d_c5`
      for `input`.
    - `max_pool2d_backward_c6`: the output gradient has the shape of
      max_pool2d's result.

    Example:
    ```mlir
    %dx = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<32x6x14x14xf32>, tensor<32x6x28x28xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$output_grad, NN_F32Tensor:$input,
                   DenseI64ArrayAttr:$kernel,
                   OptionalAttr<DenseI64ArrayAttr>:$stride,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$padding);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = [{
    $output_grad `,` $input `kernel` `=` $kernel (`stride` `=` $stride^)?
    (`padding` `=` $padding^)? attr-dict `:` type($output_grad) `,`
    type($input)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The stride: the `stride` attribute, or `kernel` when it is absent.
    ::llvm::ArrayRef<int64_t> getStrideOrKernel() {
      return getStride() ? *getStride() : getKernel();
    }
  }];
}

def NN_GlobalAvgPoolOp : NN_Op<"global_avg_pool", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "mean over the spatial dimensions, [N, C, H, W] -> [N, C]";
  let description = [{
    `y[n, c] = (sum_{h, w} x[n, c, h, w]) / (H * W)`, PyTorch's
    `x.mean(dim=(2, 3))` (`adaptive_avg_pool2d(x, 1).flatten(1)`).
    - `global_avg_pool_c1`: the input has rank 4.
    - `global_avg_pool_c2`: `H >= 1` and `W >= 1`.

    Example:
    ```mlir
    %y = nn.global_avg_pool %x : tensor<32x64x7x7xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$input);
  let results = (outs NN_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Flatten
//===----------------------------------------------------------------------===//

def NN_FlattenOp : NN_Op<"flatten", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>]> {
  let summary = "flattens all dimensions after the first, [N, ...] -> [N, prod]";
  let description = [{
    `torch.flatten(x, 1)`: keeps the elements in row-major order and
    reshapes `[N, d_1, ..., d_k]` to `[N, d_1 * ... * d_k]`. Canonicalization
    rewrites it into the equivalent `nn.reshape`.
    - `flatten_c1`: the input has rank >= 2.

    Example:
    ```mlir
    %f = nn.flatten %x : tensor<32x16x5x5xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasCanonicalizer = 1;
}

#endif // KILN_DIALECT_NN_IR_NNCONVOPS_TD
