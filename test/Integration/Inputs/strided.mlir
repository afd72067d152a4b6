// Slicing with strides and concatenating lowers to copies between
// non-contiguous buffers (`memrefCopy` calls), which executables get from the
// runtime and the JIT from kilnc.
//
// x = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]] gives
// [[3, 9, 3, 9], [4, 10, 4, 10], [5, 11, 5, 11]].
func.func @pick(%x: tensor<4x3xf32>) -> tensor<3x4xf32> {
  %0 = nn.transpose %x perm = [1, 0] : tensor<4x3xf32>
  %1 = nn.slice %0 offsets = [0, 1] sizes = [3, 2] strides = [1, 2] : tensor<3x4xf32>
  %2 = nn.concat %1, %1 axis = 1 : tensor<3x2xf32>, tensor<3x2xf32>
  return %2 : tensor<3x4xf32>
}
