func.func @transposed_b_37x70x200(%dy: tensor<37x70xf32>, %w: tensor<200x70xf32>) -> tensor<37x200xf32> {
  %t = nn.transpose %w perm = [1, 0] : tensor<200x70xf32>
  %0 = nn.matmul %dy, %t : tensor<37x70xf32>, tensor<70x200xf32>
  return %0 : tensor<37x200xf32>
}
