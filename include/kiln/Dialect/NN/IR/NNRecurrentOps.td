//===- NNRecurrentOps.td - nn recurrent ops ---*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// rnn, lstm and gru over a whole sequence, and their backward ops.
// Included by NNOps.td.
//
// PyTorch's one-layer, unidirectional torch.nn.RNN / LSTM / GRU with
// `batch_first = True`, biases and a zero initial state, with PyTorch's
// weight layouts and gate order. Shapes: the input sequence `x` is
// `[B, T, I]` (batch, time, input features), the weights are
// `w_ih [G*H, I]` and `w_hh [G*H, H]`, the biases `b_ih [G*H]` and
// `b_hh [G*H]`, where `H` is the hidden size and `G` the number of gate
// blocks stacked along the first dimension: 1 for rnn, 4 for lstm (i, f, g,
// o), 3 for gru (r, z, n). The result `[B, T, H]` holds the hidden state
// after every step (PyTorch's `output`; the last step is
// `nn.slice ... offsets = [0, T-1, 0]`).
//
// `W_k` and `b_k` below are block `k` (rows `k*H .. k*H + H - 1`) of a
// weight or bias, `x_t = x[:, t, :]`, and `sigma(v) = 1 / (1 + e^-v)`.
//
// Constraint numbers are shared within the family: `<op>_c1` .. `<op>_c6`
// check the same operand shapes for the three layers and their backward
// ops. docs/Spec.md lists them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNRECURRENTOPS_TD
#define KILN_DIALECT_NN_IR_NNRECURRENTOPS_TD

def NN_RNNNonlinearity : I32EnumAttr<"RNNNonlinearity",
    "activation of nn.rnn", [
    I32EnumAttrCase<"tanh", 0>, I32EnumAttrCase<"relu", 1>]> {
  let cppNamespace = "::kiln::nn";
}

//===----------------------------------------------------------------------===//
// Forward ops
//===----------------------------------------------------------------------===//

/// The operands, result and syntax of nn.rnn, nn.lstm and nn.gru; `gates` is
/// G, the number of weight blocks.
class NN_RecurrentOp<string mnemonic, int gates, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure,
        DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>])> {
  let results = (outs NN_F32Tensor:$result);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// G: the number of `[H, *]` blocks stacked in the weights and biases.
    static constexpr int64_t getNumGates() { return }] # !cast<string>(gates) # [{; }
  }];
}

/// The constraint list shared by the forward ops, for `op` with G = `g`.
class NN_RecurrentConstraints<string op, string g> {
  string text = [{
    Every operand and the result are f32 (ODS).
    - `}] # op # [{_c1`: `x` and the result have rank 3, the weights rank 2,
      the biases rank 1.
    - `}] # op # [{_c2`: the sequence length `T = dim(x, 1)` is `>= 1`.
    - `}] # op # [{_c3`: `w_hh` is `[}] # g # [{*H, H]` with `H >= 1`.
    - `}] # op # [{_c4`: `dim(w_ih, 0) == dim(w_hh, 0)` (the same hidden
      size `H`).
    - `}] # op # [{_c5`: `dim(w_ih, 1) == I`, the input features of `x`.
    - `}] # op # [{_c6`: `b_ih` and `b_hh` have shape `[}] # g # [{*H]`.
    - `}] # op # [{_c7`: the result has shape `[B, T, H]`.
  }];
}

def NN_RNNOp : NN_RecurrentOp<"rnn", 1> {
  let summary = "Elman recurrent layer over a sequence (torch.nn.RNN)";
  let description = [{
    `torch.nn.RNN(I, H, nonlinearity, batch_first=True)` with a zero initial
    state: for `t = 0 .. T-1`, with `h_{-1} = 0`,
    ```
    h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
    result[:, t, :] = h_t
    ```
    where `act` is `tanh` (the default) or `relu` (`max(v, 0)`), chosen by
    `nonlinearity`. Shapes: `x [B, T, I]`, `w_ih [H, I]`, `w_hh [H, H]`,
    `b_ih [H]`, `b_hh [H]`, result `[B, T, H]`.
    }] # NN_RecurrentConstraints<"rnn", "1">.text # [{

    Example:
    ```mlir
    %y = nn.rnn %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<8x5x4xf32>
    %z = nn.rnn %x, %w_ih, %w_hh, %b_ih, %b_hh nonlinearity = relu : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<8x5x4xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$x, NN_F32Tensor:$w_ih,
                   NN_F32Tensor:$w_hh, NN_F32Tensor:$b_ih,
                   NN_F32Tensor:$b_hh,
                   DefaultValuedAttr<NN_RNNNonlinearity,
                                     "RNNNonlinearity::tanh">:$nonlinearity);
  let assemblyFormat = [{
    $x `,` $w_ih `,` $w_hh `,` $b_ih `,` $b_hh
    (`nonlinearity` `=` $nonlinearity^)? attr-dict `:` type($x) `,`
    type($w_ih) `,` type($w_hh) `,` type($b_ih) `,` type($b_hh) `->`
    type($result)
  }];
}

def NN_LSTMOp : NN_RecurrentOp<"lstm", 4> {
  let summary = "long short-term memory layer over a sequence (torch.nn.LSTM)";
  let description = [{
    `torch.nn.LSTM(I, H, batch_first=True)` with zero initial states: for
    `t = 0 .. T-1`, with `h_{-1} = c_{-1} = 0` and `a_k = x_t W_ih,k^T +
    b_ih,k + h_{t-1} W_hh,k^T + b_hh,k` for the four blocks `k = 0 .. 3`:
    ```
    i = sigma(a_0)   f = sigma(a_1)   g = tanh(a_2)   o = sigma(a_3)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)
    result[:, t, :] = h_t
    ```
    Shapes: `x [B, T, I]`, `w_ih [4H, I]`, `w_hh [4H, H]`, `b_ih [4H]`,
    `b_hh [4H]`, result `[B, T, H]`. The cell state is internal.
    }] # NN_RecurrentConstraints<"lstm", "4">.text # [{

    Example:
    ```mlir
    %y = nn.lstm %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<8x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<8x5x4xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$x, NN_F32Tensor:$w_ih,
                   NN_F32Tensor:$w_hh, NN_F32Tensor:$b_ih,
                   NN_F32Tensor:$b_hh);
  let assemblyFormat = [{
    $x `,` $w_ih `,` $w_hh `,` $b_ih `,` $b_hh attr-dict `:` type($x) `,`
    type($w_ih) `,` type($w_hh) `,` type($b_ih) `,` type($b_hh) `->`
    type($result)
  }];
}

def NN_GRUOp : NN_RecurrentOp<"gru", 3> {
  let summary = "gated recurrent unit layer over a sequence (torch.nn.GRU)";
  let description = [{
    `torch.nn.GRU(I, H, batch_first=True)` with a zero initial state: for
    `t = 0 .. T-1`, with `h_{-1} = 0`, `u_k = x_t W_ih,k^T + b_ih,k` and
    `v_k = h_{t-1} W_hh,k^T + b_hh,k` for the three blocks `k = 0 .. 2`:
    ```
    r = sigma(u_0 + v_0)   z = sigma(u_1 + v_1)
    n = tanh(u_2 + r * v_2)
    h_t = (1 - z) * n + z * h_{t-1}
    result[:, t, :] = h_t
    ```
    (PyTorch's form: the reset gate multiplies `h_{t-1} W_hn^T + b_hn`.)
    Shapes: `x [B, T, I]`, `w_ih [3H, I]`, `w_hh [3H, H]`, `b_ih [3H]`,
    `b_hh [3H]`, result `[B, T, H]`.
    }] # NN_RecurrentConstraints<"gru", "3">.text # [{

    Example:
    ```mlir
    %y = nn.gru %x, %w_ih, %w_hh, %b_ih, %b_hh : tensor<8x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<8x5x4xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$x, NN_F32Tensor:$w_ih,
                   NN_F32Tensor:$w_hh, NN_F32Tensor:$b_ih,
                   NN_F32Tensor:$b_hh);
  let assemblyFormat = [{
    $x `,` $w_ih `,` $w_hh `,` $b_ih `,` $b_hh attr-dict `:` type($x) `,`
    type($w_ih) `,` type($w_hh) `,` type($b_ih) `,` type($b_hh) `->`
    type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Backward ops
//===----------------------------------------------------------------------===//

/// The backward op of a recurrent layer: the operands of the layer, its
/// result `y` and the cotangent `dy` of `y`; one gradient per operand of the
/// layer, each of its operand's type.
class NN_RecurrentBackwardOp<string mnemonic, string forward, int gates>
    : NN_Op<mnemonic, [Pure,
        NN_AllTypesMatch<mnemonic # "_c8", ["x", "dx"]>,
        NN_AllTypesMatch<mnemonic # "_c8", ["w_ih", "dw_ih"]>,
        NN_AllTypesMatch<mnemonic # "_c8", ["w_hh", "dw_hh"]>,
        NN_AllTypesMatch<mnemonic # "_c8", ["b_ih", "db_ih"]>,
        NN_AllTypesMatch<mnemonic # "_c8", ["b_hh", "db_hh"]>]> {
  let summary = "gradients of nn." # forward # " (backpropagation through time)";
  let description = [{
    The vector-Jacobian products of `y = nn.}] # forward # [{(x, w_ih, w_hh,
    b_ih, b_hh)` for the cotangent `dy` of `y`: `dx`, `dw_ih`, `dw_hh`,
    `db_ih`, `db_hh` with
    `sum(dy * J p') = sum(dp * p')` for every operand `p` and direction
    `p'`, where `J` is the Jacobian of `y` with respect to `p`. The
    gradient rule of `nn.}] # forward # [{` builds it, with `y` the
    layer's result on the same operands: the op reads the hidden states
    `h_{t-1} = y[:, t-1, :]` from it instead of running the recurrence
    again, and recomputes the gates (and lstm's cell states) from them.
    docs/Spec.md gives the formulas of backpropagation through time, which
    define the result for any `y`. The operands and attributes are those of
    `nn.}] # forward # [{` plus `y` and `dy`; each gradient has the type of
    its operand.
    - `}] # mnemonic # [{_c1` .. `_c6`: as `}] # forward # [{_c1` ..
      `}] # forward # [{_c6` (`_c1` also requires `y` and `dy` of rank 3).
    - `}] # mnemonic # [{_c7`: `y` and `dy` have shape `[B, T, H]`.
    - `}] # mnemonic # [{_c8`: each gradient has the type of its operand
      (ODS; the custom syntax infers them).

    It has no gradient rule itself (second derivatives of recurrent layers
    are not needed for training).

    Example:
    ```mlir
    %dx, %dw_ih, %dw_hh, %db_ih, %db_hh = nn.}] # mnemonic # [{ %x, %w_ih, %w_hh, %b_ih, %b_hh, %y, %dy : tensor<8x5x3xf32>, tensor<}] # !cast<string>(!mul(gates, 4)) # [{x3xf32>, tensor<}] # !cast<string>(!mul(gates, 4)) # [{x4xf32>, tensor<}] # !cast<string>(!mul(gates, 4)) # [{xf32>, tensor<}] # !cast<string>(!mul(gates, 4)) # [{xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>
    ```
  }];
  let results = (outs NN_F32Tensor:$dx, NN_F32Tensor:$dw_ih,
                 NN_F32Tensor:$dw_hh, NN_F32Tensor:$db_ih,
                 NN_F32Tensor:$db_hh);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// G: the number of `[H, *]` blocks stacked in the weights and biases.
    static constexpr int64_t getNumGates() { return }] # !cast<string>(gates) # [{; }
  }];
}

def NN_RNNBackwardOp : NN_RecurrentBackwardOp<"rnn_backward", "rnn", 1> {
  let arguments = (ins NN_F32Tensor:$x, NN_F32Tensor:$w_ih,
                   NN_F32Tensor:$w_hh, NN_F32Tensor:$b_ih,
                   NN_F32Tensor:$b_hh, NN_F32Tensor:$y, NN_F32Tensor:$dy,
                   DefaultValuedAttr<NN_RNNNonlinearity,
                                     "RNNNonlinearity::tanh">:$nonlinearity);
  let assemblyFormat = [{
    $x `,` $w_ih `,` $w_hh `,` $b_ih `,` $b_hh `,` $y `,` $dy
    (`nonlinearity` `=` $nonlinearity^)? attr-dict `:` type($x) `,`
    type($w_ih) `,` type($w_hh) `,` type($b_ih) `,` type($b_hh) `,`
    type($y) `,` type($dy)
  }];
}

def NN_LSTMBackwardOp : NN_RecurrentBackwardOp<"lstm_backward", "lstm", 4> {
  let arguments = (ins NN_F32Tensor:$x, NN_F32Tensor:$w_ih,
                   NN_F32Tensor:$w_hh, NN_F32Tensor:$b_ih,
                   NN_F32Tensor:$b_hh, NN_F32Tensor:$y, NN_F32Tensor:$dy);
  let assemblyFormat = [{
    $x `,` $w_ih `,` $w_hh `,` $b_ih `,` $b_hh `,` $y `,` $dy attr-dict `:`
    type($x) `,` type($w_ih) `,` type($w_hh) `,` type($b_ih) `,`
    type($b_hh) `,` type($y) `,` type($dy)
  }];
}

def NN_GRUBackwardOp : NN_RecurrentBackwardOp<"gru_backward", "gru", 3> {
  let arguments = (ins NN_F32Tensor:$x, NN_F32Tensor:$w_ih,
                   NN_F32Tensor:$w_hh, NN_F32Tensor:$b_ih,
                   NN_F32Tensor:$b_hh, NN_F32Tensor:$y, NN_F32Tensor:$dy);
  let assemblyFormat = [{
    $x `,` $w_ih `,` $w_hh `,` $b_ih `,` $b_hh `,` $y `,` $dy attr-dict `:`
    type($x) `,` type($w_ih) `,` type($w_hh) `,` type($b_ih) `,`
    type($b_hh) `,` type($y) `,` type($dy)
  }];
}

#endif // KILN_DIALECT_NN_IR_NNRECURRENTOPS_TD
