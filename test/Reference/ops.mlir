// RUN: kiln-interp %s --entry unary --print | FileCheck %s --check-prefix=UNARY
// RUN: kiln-interp %s --entry binary | FileCheck %s --check-prefix=BINARY
// RUN: kiln-interp %s --entry compare | FileCheck %s --check-prefix=COMPARE
// RUN: kiln-interp %s --entry shapes | FileCheck %s --check-prefix=SHAPES
// RUN: kiln-interp %s --entry reduce | FileCheck %s --check-prefix=REDUCE
// RUN: kiln-interp %s --entry losses | FileCheck %s --check-prefix=LOSSES
// RUN: kiln-interp %s --entry softmax --f64 | FileCheck %s --check-prefix=SOFTMAX
// RUN: kiln-interp %s --entry calls | FileCheck %s --check-prefix=CALLS

/// Every op family of the nn dialect on constants, values worked out by
/// hand. f32 outputs are printed rounded to f32 (8 significant digits).

// UNARY:      output 0: 4 f32
// UNARY-NEXT: [2., -0.5, -0., -4.]
// UNARY-NEXT: output 1: 4 f32
// UNARY-NEXT: [0., 0.5, 0., 4.]
// UNARY-NEXT: output 2: 4 f32
// UNARY-NEXT: [0.5, 0.25, 2., 0.5]
// UNARY-NEXT: output 3: 4 f32
// UNARY-NEXT: [-0.40000001, 0.5, 0., 4.]
// UNARY-NEXT: output 4: 4 f32
// UNARY-NEXT: [0.11920292, 0.62245935, 0.5, 0.98201376]
func.func @unary() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
                       tensor<4xf32>, tensor<4xf32>) {
  %x = nn.constant dense<[-2.0, 0.5, 0.0, 4.0]> : tensor<4xf32>
  %sq = nn.constant dense<[4.0, 16.0, 0.25, 4.0]> : tensor<4xf32>
  %0 = nn.neg %x : tensor<4xf32>
  %1 = nn.relu %x : tensor<4xf32>
  %2 = nn.rsqrt %sq : tensor<4xf32>
  %3 = nn.leaky_relu %x alpha = 0.2 : tensor<4xf32>
  %4 = nn.sigmoid %x : tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
                              tensor<4xf32>, tensor<4xf32>
}

// BINARY:      output 0: 2x3 f32
// BINARY-NEXT: {{\[\[}}11., 22., 33.],
// BINARY-NEXT:  [14., 25., 36.]]
// BINARY-NEXT: output 1: 2x3 f32
// BINARY-NEXT: {{\[\[}}1., 4., 9.],
// BINARY-NEXT:  [64., 125., 216.]]
// BINARY-NEXT: output 2: 2x3 f32
// BINARY-NEXT: {{\[\[}}10., 20., 30.],
// BINARY-NEXT:  [10., 20., 30.]]
// BINARY-NEXT: output 3: 2 f32
// BINARY-NEXT: [nan, 1.]
func.func @binary() -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
                        tensor<2xf32>) {
  %x = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = nn.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %p = nn.constant dense<[[2.0], [3.0]]> : tensor<2x1xf32>
  %0 = nn.add %x, %b : tensor<2x3xf32>, tensor<3xf32>
  %1 = nn.pow %x, %p : tensor<2x3xf32>, tensor<2x1xf32>
  %2 = nn.maximum %b, %x : tensor<3xf32>, tensor<2x3xf32>
  %n = nn.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %z = nn.constant dense<0.0> : tensor<f32>
  %3 = nn.maximum %n, %z : tensor<2xf32>, tensor<f32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
                          tensor<2xf32>
}

// COMPARE:      output 0: 3 i1
// COMPARE-NEXT: [0, 1, 0]
// COMPARE-NEXT: output 1: 3 i1
// COMPARE-NEXT: [1, 1, 1]
// COMPARE-NEXT: output 2: 3 f32
// COMPARE-NEXT: [-1., 5., -1.]
func.func @compare() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xf32>) {
  %x = nn.constant dense<[1.0, 5.0, 0x7FC00000]> : tensor<3xf32>
  %t = nn.constant dense<2.0> : tensor<f32>
  %m = nn.constant dense<-1.0> : tensor<f32>
  %0 = nn.compare gt, %x, %t : tensor<3xf32>, tensor<f32>
  %1 = nn.compare ne, %x, %t : tensor<3xf32>, tensor<f32>
  %2 = nn.select %0, %x, %m : tensor<3xi1>, tensor<3xf32>, tensor<f32>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xf32>
}

// SHAPES:      output 0: 3x2 f32
// SHAPES-NEXT: {{\[\[}}0., 3.],
// SHAPES-NEXT:  [1., 4.],
// SHAPES-NEXT:  [2., 5.]]
// SHAPES-NEXT: output 1: 2x2 f32
// SHAPES-NEXT: {{\[\[}}1., 5.],
// SHAPES-NEXT:  [1., 5.]]
// SHAPES-NEXT: output 2: 2x1 f32
// SHAPES-NEXT: {{\[\[}}3.],
// SHAPES-NEXT:  [12.]]
// SHAPES-NEXT: output 3: 6 i64
// SHAPES-NEXT: [7, 8, 9, 7, 8, 9]
func.func @shapes() -> (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2x1xf32>,
                        tensor<6xi64>) {
  %x = nn.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>
  %0 = nn.transpose %x perm = [1, 0] : tensor<2x3xf32>
  %flat = nn.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %s = nn.slice %flat offsets = [1] sizes = [2] strides = [4] : tensor<6xf32>
  %1 = nn.broadcast_to %s : tensor<2xf32> -> tensor<2x2xf32>
  %w = nn.constant dense<[[1.0], [1.0], [1.0]]> : tensor<3x1xf32>
  %2 = nn.matmul %x, %w : tensor<2x3xf32>, tensor<3x1xf32>
  %l = nn.constant dense<[7, 8, 9]> : tensor<3xi64>
  %3 = nn.concat %l, %l axis = 0 : tensor<3xi64>, tensor<3xi64>
  return %0, %1, %2, %3 : tensor<3x2xf32>, tensor<2x2xf32>, tensor<2x1xf32>,
                          tensor<6xi64>
}

// REDUCE:      output 0: 2 f32
// REDUCE-NEXT: [6., -3.]
// REDUCE-NEXT: output 1: 1x3 f32
// REDUCE-NEXT: {{\[\[}}2.5, 3.5, -1.5]]
// REDUCE-NEXT: output 2: scalar f32
// REDUCE-NEXT: 5.
func.func @reduce() -> (tensor<2xf32>, tensor<1x3xf32>, tensor<f32>) {
  %x = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, -12.0]]> : tensor<2x3xf32>
  %h = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, -6.0]]> : tensor<2x3xf32>
  %0 = nn.reduce_sum %x axes = [1] : tensor<2x3xf32>
  %1 = nn.reduce_mean %h axes = [0] keepdims : tensor<2x3xf32>
  %2 = nn.reduce_max %h axes = [0, 1] : tensor<2x3xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<1x3xf32>, tensor<f32>
}

/// mse: ((1-0)^2 + (3-1)^2) / 2 = 2.5. cross_entropy of uniform logits over
/// 4 classes: log 4 = 1.3862944. BCE at x = 0: log 2 = 0.69314718.
// LOSSES:      output 0: scalar f32
// LOSSES-NEXT: 2.5
// LOSSES-NEXT: output 1: scalar f32
// LOSSES-NEXT: 2.7725887
// LOSSES-NEXT: output 2: scalar f32
// LOSSES-NEXT: 0.69314718
func.func @losses() -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %p = nn.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %t = nn.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = nn.mse %p, %t : tensor<2xf32>
  %x = nn.constant dense<0.0> : tensor<2x4xf32>
  %l = nn.constant dense<[0, 3]> : tensor<2xi32>
  %1 = nn.cross_entropy %x, %l reduction = sum : tensor<2x4xf32>, tensor<2xi32>
  %z = nn.constant dense<0.0> : tensor<2xf32>
  %2 = nn.binary_cross_entropy %z, %t : tensor<2xf32>
  return %0, %1, %2 : tensor<f32>, tensor<f32>, tensor<f32>
}

/// --f64 keeps the double result: -log 4 to 16 digits; softmax subtracts
/// the maximum, so huge logits do not overflow.
// SOFTMAX:      output 0: 2x2 f64
// SOFTMAX-NEXT: {{\[\[}}-1.386294361119891, -1.386294361119891],
// SOFTMAX-NEXT:  [-1.386294361119891, -1.386294361119891]]
// SOFTMAX-NEXT: output 1: 2x2 f64
// SOFTMAX-NEXT: {{\[\[}}0.5, 0.5],
// SOFTMAX-NEXT:  [0.5, 0.5]]
func.func @softmax() -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %z = nn.constant dense<0.0> : tensor<2x2xf32>
  %r = nn.reshape %z : tensor<2x2xf32> -> tensor<4xf32>
  %l = nn.log_softmax %r axis = 0 : tensor<4xf32>
  %0 = nn.reshape %l : tensor<4xf32> -> tensor<2x2xf32>
  %big = nn.constant dense<1.0e+30> : tensor<2x2xf32>
  %1 = nn.softmax %big axis = 1 : tensor<2x2xf32>
  return %0, %1 : tensor<2x2xf32>, tensor<2x2xf32>
}

// CALLS:      output 0: 2 f32
// CALLS-NEXT: [4., 9.]
func.func private @square(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = nn.mul %x, %x : tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @calls() -> tensor<2xf32> {
  %x = nn.constant dense<[2.0, -3.0]> : tensor<2xf32>
  %0 = func.call @square(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
