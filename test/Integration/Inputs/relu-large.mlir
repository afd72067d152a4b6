// A ReLU over 1.2 MB (kiln-parallelize-loops runs it in 8 parts); used by
// parallel-parts-noalias.test.
func.func @relu(%x: tensor<64x6x28x28xf32>) -> tensor<64x6x28x28xf32> {
  %0 = nn.relu %x : tensor<64x6x28x28xf32>
  return %0 : tensor<64x6x28x28xf32>
}
