// Gradient check of a two-layer MLP classifier: matmul, broadcast add,
// tanh, leaky_relu, a second layer and cross_entropy, with gradients with
// respect to the four parameters and (via `nn.differentiate = [0]`) the
// input x. Without --function, every marked function is checked. w1 has more
// than --samples elements, so only that many are checked.
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.

// RUN: kiln-gradcheck %s | FileCheck %s
// RUN: kiln-gradcheck %s --samples 16 --seed 7 | FileCheck %s --check-prefix=SAMPLED
// RUN: kiln-gradcheck %s --function private_loss | FileCheck %s --check-prefix=PRIVATE

// CHECK-LABEL: gradcheck @mlp: 5 targets, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// CHECK:       fc1.w{{ +}}10x24{{ +}}64/240{{ .*}}PASS
// CHECK:       fc1.b{{ +}}24{{ +}}24/24{{ .*}}PASS
// CHECK:       fc2.w{{ +}}24x5{{ +}}64/120{{ .*}}PASS
// CHECK:       fc2.b{{ +}}5{{ +}}5/5{{ .*}}PASS
// CHECK:       x{{ +}}8x10{{ +}}64/80{{ .*}}PASS
// CHECK:       direction (469 elements){{.*}}PASS

// The second result (the logits) is passed through and not checked.
// CHECK-LABEL: gradcheck @mse_head: 1 target
// CHECK:       head.w{{ +}}10x1{{ +}}10/10{{ .*}}PASS
// CHECK:       direction (10 elements){{.*}}PASS
// CHECK:       gradcheck: 6 params passed, 0 failed

// SAMPLED:     fc1.w{{ +}}10x24{{ +}}16/240{{ .*}}PASS
// SAMPLED:     gradcheck: 6 params passed, 0 failed

func.func @mlp(%x: tensor<8x10xf32> {nn.name = "x"}, %l: tensor<8xi64>)
    -> tensor<f32> attributes {nn.differentiate = [0]} {
  %w1 = nn.param "fc1.w" xavier_uniform seed = 1 : tensor<10x24xf32>
  %b1 = nn.param "fc1.b" uniform seed = 2 {low = -0.1, high = 0.1} : tensor<24xf32>
  %w2 = nn.param "fc2.w" xavier_normal seed = 3 : tensor<24x5xf32>
  %b2 = nn.param "fc2.b" uniform seed = 4 {low = -0.1, high = 0.1} : tensor<5xf32>
  %0 = nn.matmul %x, %w1 : tensor<8x10xf32>, tensor<10x24xf32>
  %1 = nn.add %0, %b1 : tensor<8x24xf32>, tensor<24xf32>
  %2 = nn.tanh %1 : tensor<8x24xf32>
  %3 = nn.matmul %2, %w2 : tensor<8x24xf32>, tensor<24x5xf32>
  %4 = nn.add %3, %b2 : tensor<8x5xf32>, tensor<5xf32>
  %5 = nn.cross_entropy %4, %l : tensor<8x5xf32>, tensor<8xi64>
  return %5 : tensor<f32>
}

func.func @mse_head(%x: tensor<6x10xf32>, %t: tensor<6x1xf32>)
    -> (tensor<f32>, tensor<6x1xf32>) attributes {nn.differentiate} {
  %w = nn.param "head.w" he_normal seed = 5 : tensor<10x1xf32>
  %0 = nn.matmul %x, %w : tensor<6x10xf32>, tensor<10x1xf32>
  %1 = nn.sigmoid %0 : tensor<6x1xf32>
  %2 = nn.mse %1, %t : tensor<6x1xf32>
  return %2, %0 : tensor<f32>, tensor<6x1xf32>
}

// Not marked: not checked without --function.
func.func @unmarked(%x: tensor<4xf32>) -> tensor<f32> {
  %w = nn.param "u" ones : tensor<4xf32>
  %0 = nn.mul %x, %w : tensor<4xf32>, tensor<4xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<4xf32>
  return %1 : tensor<f32>
}

// A private function can be checked too (its gradient function is exported).
// PRIVATE:     gradcheck @private_loss: 1 target
// PRIVATE:     p{{ +}}3{{ +}}3/3{{ .*}}PASS
// PRIVATE:     gradcheck: 1 params passed, 0 failed
func.func private @private_loss(%x: tensor<3xf32>) -> tensor<f32> {
  %w = nn.param "p" uniform seed = 6 {low = -1.0, high = 1.0} : tensor<3xf32>
  %0 = nn.mul %w, %w : tensor<3xf32>, tensor<3xf32>
  %1 = nn.mul %0, %x : tensor<3xf32>, tensor<3xf32>
  %2 = nn.reduce_sum %1 axes = [0] : tensor<3xf32>
  return %2 : tensor<f32>
}
