func.func @triplet(%a: tensor<8x16xf32>, %p: tensor<8x16xf32>, %n: tensor<8x16xf32>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = nn.triplet_margin_loss %a, %p, %n margin = 1.0 : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  %1 = nn.triplet_margin_loss %a, %p, %n margin = 0.0 eps = 0.0 reduction = sum : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  %2 = nn.triplet_margin_loss %a, %p, %n margin = 2.5 eps = 1.0e-2 : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  %3 = nn.triplet_margin_loss %a, %a, %n margin = 0.5 reduction = sum : tensor<8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}
