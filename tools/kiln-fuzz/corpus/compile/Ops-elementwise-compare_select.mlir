func.func @compare_select(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %zero = nn.constant dense<0.0> : tensor<f32>
  %one = nn.constant dense<1.0> : tensor<f32>
  %eq = nn.compare eq, %a, %a : tensor<3x4xf32>, tensor<3x4xf32>
  %ne = nn.compare ne, %a, %b : tensor<3x4xf32>, tensor<4xf32>
  %lt = nn.compare lt, %a, %b : tensor<3x4xf32>, tensor<4xf32>
  %le = nn.compare le, %b, %a : tensor<4xf32>, tensor<3x4xf32>
  %gt = nn.compare gt, %a, %zero : tensor<3x4xf32>, tensor<f32>
  %ge = nn.compare ge, %a, %b : tensor<3x4xf32>, tensor<4xf32>
  %0 = nn.select %eq, %one, %zero : tensor<3x4xi1>, tensor<f32>, tensor<f32>
  %1 = nn.select %ne, %one, %zero : tensor<3x4xi1>, tensor<f32>, tensor<f32>
  %2 = nn.select %lt, %a, %b : tensor<3x4xi1>, tensor<3x4xf32>, tensor<4xf32>
  %3 = nn.select %le, %a, %zero : tensor<3x4xi1>, tensor<3x4xf32>, tensor<f32>
  %4 = nn.select %gt, %a, %b : tensor<3x4xi1>, tensor<3x4xf32>, tensor<4xf32>
  %5 = nn.select %ge, %one, %b : tensor<3x4xi1>, tensor<f32>, tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}
