func.func @transposed_a_200x37x70(%x: tensor<37x200xf32>, %dy: tensor<37x70xf32>) -> tensor<200x70xf32> {
  %t = nn.transpose %x perm = [1, 0] : tensor<37x200xf32>
  %0 = nn.matmul %t, %dy : tensor<200x37xf32>, tensor<37x70xf32>
  return %0 : tensor<200x70xf32>
}
