// An integer input that is not the labels of a cross_entropy (used by
// errors.mlir: --rand-inputs needs --label-range for it).
func.func @f(%k: tensor<3xi32>) -> tensor<3xi32> {
  return %k : tensor<3xi32>
}
