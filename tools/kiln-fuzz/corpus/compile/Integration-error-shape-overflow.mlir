// A tensor whose byte size does not fit in 64 bits is rejected by the
// verifier (shape_c1); kilnc reports it and exits 1.


func.func @f(%x: tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32> {
  %0 = nn.relu %x : tensor<4611686018427387904x4xf32>
  return %0 : tensor<4611686018427387904x4xf32>
}
