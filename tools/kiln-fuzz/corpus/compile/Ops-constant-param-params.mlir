func.func @params(%a: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %z = nn.param "z" zeros : tensor<4x3xf32>
  %o = nn.param "o" ones : tensor<3xf32>
  %u = nn.param "u" uniform seed = 3 {high = 2.0 : f64, low = -1.0 : f64} : tensor<4x3xf32>
  %n = nn.param "n" normal seed = 4 {mean = 1.0 : f64, std = 0.5 : f64} : tensor<4x3xf32>
  %xu = nn.param "xu" xavier_uniform seed = 5 : tensor<4x3xf32>
  %xn = nn.param "xn" xavier_normal seed = 6 : tensor<4x3xf32>
  %hu = nn.param "hu" he_uniform seed = 7 : tensor<4x3xf32>
  %hn = nn.param "hn" he_normal seed = 8 : tensor<4x3xf32>
  %0 = nn.add %z, %o : tensor<4x3xf32>, tensor<3xf32>
  %1 = nn.add %u, %n : tensor<4x3xf32>, tensor<4x3xf32>
  %2 = nn.add %xu, %xn : tensor<4x3xf32>, tensor<4x3xf32>
  %3 = nn.sub %hu, %hn : tensor<4x3xf32>, tensor<4x3xf32>
  %4 = nn.mul %3, %a : tensor<4x3xf32>, tensor<4x3xf32>
  return %0, %1, %2, %4 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
