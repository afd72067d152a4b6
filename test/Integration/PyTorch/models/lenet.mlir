// LeNet-5 for compare_models.py (models.test): conv 1->6 5x5 pad 2, ReLU,
// max pool 2, conv 6->16 5x5, ReLU, max pool 2, flatten, 400-120-84-10 with
// ReLU, mean cross-entropy, batch 64, Adam. The PyTorch twin is
// compare_models.py's LeNet (torch.nn.Conv2d / MaxPool2d / Linear). The
// initializers do not matter: the script loads the initial weights with
// --init-params. Conv weights are [F, C, KH, KW] as in PyTorch; matmul
// weights are [in, out], the transpose of torch.nn.Linear's.
func.func @lenet(%x: tensor<64x1x28x28xf32> {nn.name = "x"},
                 %y: tensor<64xi64> {nn.name = "y"})
    -> (tensor<f32>, tensor<64x10xf32>)
    attributes {nn.train = {optimizer = "adam", lr = 1.0e-3}} {
  %c1w = nn.param "conv1.w" zeros : tensor<6x1x5x5xf32>
  %c1b = nn.param "conv1.b" zeros : tensor<6xf32>
  %c2w = nn.param "conv2.w" zeros : tensor<16x6x5x5xf32>
  %c2b = nn.param "conv2.b" zeros : tensor<16xf32>
  %f1w = nn.param "fc1.w" zeros : tensor<400x120xf32>
  %f1b = nn.param "fc1.b" zeros : tensor<120xf32>
  %f2w = nn.param "fc2.w" zeros : tensor<120x84xf32>
  %f2b = nn.param "fc2.b" zeros : tensor<84xf32>
  %f3w = nn.param "fc3.w" zeros : tensor<84x10xf32>
  %f3b = nn.param "fc3.b" zeros : tensor<10xf32>
  %0 = nn.conv2d %x, %c1w, %c1b padding = [2, 2] : tensor<64x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>
  %1 = nn.relu %0 : tensor<64x6x28x28xf32>
  %2 = nn.max_pool2d %1 kernel = [2, 2] : tensor<64x6x28x28xf32>
  %3 = nn.conv2d %2, %c2w, %c2b : tensor<64x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>
  %4 = nn.relu %3 : tensor<64x16x10x10xf32>
  %5 = nn.max_pool2d %4 kernel = [2, 2] : tensor<64x16x10x10xf32>
  %6 = nn.flatten %5 : tensor<64x16x5x5xf32>
  %7 = nn.matmul %6, %f1w : tensor<64x400xf32>, tensor<400x120xf32>
  %8 = nn.add %7, %f1b : tensor<64x120xf32>, tensor<120xf32>
  %9 = nn.relu %8 : tensor<64x120xf32>
  %10 = nn.matmul %9, %f2w : tensor<64x120xf32>, tensor<120x84xf32>
  %11 = nn.add %10, %f2b : tensor<64x84xf32>, tensor<84xf32>
  %12 = nn.relu %11 : tensor<64x84xf32>
  %13 = nn.matmul %12, %f3w : tensor<64x84xf32>, tensor<84x10xf32>
  %logits = nn.add %13, %f3b : tensor<64x10xf32>, tensor<10xf32>
  %loss = nn.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi64>
  return %loss, %logits : tensor<f32>, tensor<64x10xf32>
}
