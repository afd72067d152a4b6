// A model that does not parse (used by errors.mlir).
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = nn.bogus %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}
