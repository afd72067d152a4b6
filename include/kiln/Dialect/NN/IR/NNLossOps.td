//===- NNLossOps.td - nn focal, triplet and KL losses -------*- tablegen -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// focal_loss, triplet_margin_loss and kl_divergence. Included by NNOps.td.
//
// Like the losses of NNOps.td (`NN_LossOp`), each reduces to a rank-0 f32
// tensor with the `reduction` enum: `mean` (the default, elided when
// printing) divides the sum of the per-sample losses by the batch size `N`,
// `sum` returns the sum. Hyperparameters are f32 attributes, so compiled
// code and the reference interpreter use the same value. The gradient rules
// (NNLossOps.cpp) are built from existing nn ops; docs/Autodiff.md lists
// them. Constraint numbers are per op; docs/Spec.md lists them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_IR_NNLOSSOPS_TD
#define KILN_DIALECT_NN_IR_NNLOSSOPS_TD

def NN_FocalLossOp : NN_LossOp<"focal_loss"> {
  let summary = "softmax focal loss of logits against class labels";
  let description = [{
    The multi-class focal loss of Lin et al. ("Focal Loss for Dense Object
    Detection"): for logits `[N, C]` and integer labels `[N]`, with
    `p = softmax(logits[n, :])` and `y = labels[n]`,
    ```
    log p_y = logits[n, y] - logsumexp(logits[n, :])   (max subtracted first)
    loss_n  = -alpha * (1 - p_y)^gamma * log p_y
    ```
    The mean (default) or sum over `n`. `gamma = 0`, `alpha = 1` is
    `nn.cross_entropy`; `0^0 = 1`.
    - `focal_loss_c1`: logits have rank 2 and labels rank 1.
    - `focal_loss_c2`: the batch sizes (`N`) are equal.
    - `focal_loss_c3`: `gamma` is finite and `>= 0`.
    - `focal_loss_c4`: `alpha` is finite and `> 0`.
    Labels outside `[0, C)` are a runtime error of the data, not of the IR
    (as for `nn.cross_entropy`).

    Example:
    ```mlir
    %l = nn.focal_loss %logits, %labels gamma = 2.0 alpha = 0.25 : tensor<32x10xf32>, tensor<32xi64>
    %s = nn.focal_loss %logits, %labels gamma = 0.5 alpha = 1.0 reduction = sum : tensor<32x10xf32>, tensor<32xi64>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$logits, NN_LabelTensor:$labels,
                   F32Attr:$gamma, F32Attr:$alpha,
                   DefaultValuedAttr<NN_Reduction, "Reduction::mean">:$reduction);
  let assemblyFormat = [{
    $logits `,` $labels `gamma` `=` $gamma `alpha` `=` $alpha
    (`reduction` `=` $reduction^)? attr-dict `:` type($logits) `,`
    type($labels)
  }];
  let hasVerifier = 1;
}

def NN_TripletMarginLossOp : NN_LossOp<"triplet_margin_loss"> {
  let summary = "triplet margin loss with the Euclidean distance";
  let description = [{
    `torch.nn.functional.triplet_margin_loss(anchor, positive, negative,
    margin, p=2, eps, swap=False)` for three f32 tensors `[N, D]`:
    ```
    d(x, y)_n = sqrt(sum_d (x[n, d] - y[n, d] + eps)^2)
    loss_n    = max(d(anchor, positive)_n - d(anchor, negative)_n + margin, 0)
    ```
    (`eps` is added to every difference, as PyTorch's `pairwise_distance`
    does.) The mean (default) or sum over `n`. `eps` defaults to `1.0e-6`
    and is elided when printing.
    - `triplet_margin_loss_c1`: the anchor has rank 2.
    - `triplet_margin_loss_c2`: positive and negative have the anchor's
      shape.
    - `triplet_margin_loss_c3`: `margin` is finite and `>= 0`.
    - `triplet_margin_loss_c4`: `eps` is finite and `>= 0`.

    Example:
    ```mlir
    %l = nn.triplet_margin_loss %a, %p, %n margin = 1.0 : tensor<32x128xf32>, tensor<32x128xf32>, tensor<32x128xf32>
    %s = nn.triplet_margin_loss %a, %p, %n margin = 0.5 eps = 0.0 reduction = sum : tensor<32x128xf32>, tensor<32x128xf32>, tensor<32x128xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$anchor, NN_F32Tensor:$positive,
                   NN_F32Tensor:$negative, F32Attr:$margin,
                   DefaultValuedAttr<F32Attr, "1.0e-6">:$eps,
                   DefaultValuedAttr<NN_Reduction, "Reduction::mean">:$reduction);
  let assemblyFormat = [{
    $anchor `,` $positive `,` $negative `margin` `=` $margin
    (`eps` `=` $eps^)? (`reduction` `=` $reduction^)? attr-dict `:`
    type($anchor) `,` type($positive) `,` type($negative)
  }];
  let hasVerifier = 1;
}

def NN_KLDivergenceOp : NN_LossOp<"kl_divergence"> {
  let summary = "KL divergence of a diagonal Gaussian from N(0, I)";
  let description = [{
    The KL term of a variational autoencoder: for the mean `mu` and the log
    variance `logvar` of a diagonal Gaussian, both `[N, Z]`,
    ```
    loss_n = KL(N(mu_n, exp(logvar_n)) || N(0, I))
           = -0.5 * sum_z (1 + logvar[n, z] - mu[n, z]^2 - exp(logvar[n, z]))
    ```
    The mean over the rows `n` (default), or the sum over every element
    (`sum_n loss_n`).
    - `kl_divergence_c1`: `mu` has rank 2.
    - `kl_divergence_c2`: `logvar` has the shape of `mu`.

    Example:
    ```mlir
    %kl = nn.kl_divergence %mu, %logvar : tensor<32x20xf32>, tensor<32x20xf32>
    %s = nn.kl_divergence %mu, %logvar reduction = sum : tensor<32x20xf32>, tensor<32x20xf32>
    ```
  }];
  let arguments = (ins NN_F32Tensor:$mu, NN_F32Tensor:$logvar,
                   DefaultValuedAttr<NN_Reduction, "Reduction::mean">:$reduction);
  let assemblyFormat = [{
    $mu `,` $logvar (`reduction` `=` $reduction^)? attr-dict `:` type($mu)
    `,` type($logvar)
  }];
  let hasVerifier = 1;
}

#endif // KILN_DIALECT_NN_IR_NNLOSSOPS_TD
