func.func @batch_transposed_2x9x17x21(%a: tensor<2x17x9xf32>, %b: tensor<2x21x17xf32>) -> tensor<2x9x21xf32> {
  %ta = nn.transpose %a perm = [0, 2, 1] : tensor<2x17x9xf32>
  %tb = nn.transpose %b perm = [0, 2, 1] : tensor<2x21x17xf32>
  %0 = nn.matmul %ta, %tb : tensor<2x9x17xf32>, tensor<2x17x21xf32>
  return %0 : tensor<2x9x21xf32>
}
