// Gradient checks of the elementwise ops: unary neg abs exp log sqrt rsqrt,
// broadcasting binary add sub mul div pow maximum minimum, and select (with
// compare, which has no gradient). Each loss is reduce_sum(op output * x)
// with x a random input in [-1, 1), so every gradient element differs.
// Tolerance: the defaults, |g - fd| <= 1e-5 + 1e-3 * |fd| with eps 1e-4.
// Domains avoid the non-differentiable points: log/sqrt/rsqrt/pow bases and
// div denominators are uniform in [0.5, 2]; abs inputs are at least 0.1 away
// from 0; maximum/minimum operands lie in disjoint interleaved ranges.

// RUN: kiln-gradcheck %s --function f_neg --function f_abs --function f_exp \
// RUN:   --function f_log --function f_sqrt --function f_rsqrt | FileCheck %s --check-prefix=UNARY
// RUN: kiln-gradcheck %s --function f_add --function f_sub --function f_mul \
// RUN:   --function f_div --function f_pow | FileCheck %s --check-prefix=BINARY
// RUN: kiln-gradcheck %s --function f_maximum --function f_minimum \
// RUN:   --function f_select | FileCheck %s --check-prefix=MINMAX

// UNARY-LABEL: gradcheck @f_neg: 1 target, {{.*}}, eps 0.0001, rtol 0.001, atol 1e-05
// UNARY:       w{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// UNARY:       direction (12 elements){{.*}}PASS
func.func @f_neg(%x: tensor<3x4xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 1 {low = -1.0, high = 1.0} : tensor<3x4xf32>
  %0 = nn.neg %w : tensor<3x4xf32>
  %1 = nn.mul %0, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// Both signs of abs: |w - 1.1| with w in [0, 1) and |w + 0.1|.
// UNARY-LABEL: gradcheck @f_abs: 1 target
// UNARY:       w{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// UNARY:       direction{{.*}}PASS
func.func @f_abs(%x: tensor<3x4xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 2 {low = 0.0, high = 1.0} : tensor<3x4xf32>
  %c = nn.constant dense<[1.1, 1.1, -0.1, -0.1]> : tensor<4xf32>
  %0 = nn.sub %w, %c : tensor<3x4xf32>, tensor<4xf32>
  %1 = nn.abs %0 : tensor<3x4xf32>
  %2 = nn.mul %1, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<3x4xf32>
  return %3 : tensor<f32>
}

// UNARY-LABEL: gradcheck @f_exp: 1 target
// UNARY:       w{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// UNARY:       direction{{.*}}PASS
func.func @f_exp(%x: tensor<3x4xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 3 {low = -1.0, high = 1.0} : tensor<3x4xf32>
  %0 = nn.exp %w : tensor<3x4xf32>
  %1 = nn.mul %0, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// UNARY-LABEL: gradcheck @f_log: 1 target
// UNARY:       w{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// UNARY:       direction{{.*}}PASS
func.func @f_log(%x: tensor<3x4xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 4 {low = 0.5, high = 2.0} : tensor<3x4xf32>
  %0 = nn.log %w : tensor<3x4xf32>
  %1 = nn.mul %0, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// UNARY-LABEL: gradcheck @f_sqrt: 1 target
// UNARY:       w{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// UNARY:       direction{{.*}}PASS
func.func @f_sqrt(%x: tensor<3x4xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 5 {low = 0.5, high = 2.0} : tensor<3x4xf32>
  %0 = nn.sqrt %w : tensor<3x4xf32>
  %1 = nn.mul %0, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// UNARY-LABEL: gradcheck @f_rsqrt: 1 target
// UNARY:       w{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// UNARY:       direction{{.*}}PASS
// UNARY:       gradcheck: 6 params passed, 0 failed
func.func @f_rsqrt(%x: tensor<3x4xf32>) -> tensor<f32> {
  %w = nn.param "w" uniform seed = 6 {low = 0.5, high = 2.0} : tensor<3x4xf32>
  %0 = nn.rsqrt %w : tensor<3x4xf32>
  %1 = nn.mul %0, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// Binary ops with broadcasting on both sides: [3,4] op [4] and [3,1] op [1,4].
// BINARY-LABEL: gradcheck @f_add: 3 targets
// BINARY:       a{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// BINARY:       b{{ +}}4{{ +}}4/4{{ .*}}PASS
// BINARY:       c{{ +}}3x1{{ +}}3/3{{ .*}}PASS
// BINARY:       direction (19 elements){{.*}}PASS
func.func @f_add(%x: tensor<3x4xf32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 11 {low = -1.0, high = 1.0} : tensor<3x4xf32>
  %b = nn.param "b" uniform seed = 12 {low = -1.0, high = 1.0} : tensor<4xf32>
  %c = nn.param "c" uniform seed = 13 {low = -1.0, high = 1.0} : tensor<3x1xf32>
  %0 = nn.add %a, %b : tensor<3x4xf32>, tensor<4xf32>
  %1 = nn.add %c, %0 : tensor<3x1xf32>, tensor<3x4xf32>
  %2 = nn.mul %1, %1 : tensor<3x4xf32>, tensor<3x4xf32>
  %3 = nn.mul %2, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1] : tensor<3x4xf32>
  return %4 : tensor<f32>
}

// BINARY-LABEL: gradcheck @f_sub: 2 targets
// BINARY:       a{{ +}}3x1{{ +}}3/3{{ .*}}PASS
// BINARY:       b{{ +}}1x4{{ +}}4/4{{ .*}}PASS
// BINARY:       direction{{.*}}PASS
func.func @f_sub(%x: tensor<3x4xf32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 14 {low = -1.0, high = 1.0} : tensor<3x1xf32>
  %b = nn.param "b" uniform seed = 15 {low = -1.0, high = 1.0} : tensor<1x4xf32>
  %0 = nn.sub %a, %b : tensor<3x1xf32>, tensor<1x4xf32>
  %1 = nn.mul %0, %0 : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.mul %1, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<3x4xf32>
  return %3 : tensor<f32>
}

// BINARY-LABEL: gradcheck @f_mul: 2 targets
// BINARY:       a{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// BINARY:       s{{ +}}scalar{{ +}}1/1{{ .*}}PASS
// BINARY:       direction{{.*}}PASS
func.func @f_mul(%x: tensor<3x4xf32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 16 {low = -1.0, high = 1.0} : tensor<3x4xf32>
  %s = nn.param "s" uniform seed = 17 {low = 0.5, high = 2.0} : tensor<f32>
  %0 = nn.mul %a, %s : tensor<3x4xf32>, tensor<f32>
  %1 = nn.mul %0, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// BINARY-LABEL: gradcheck @f_div: 2 targets
// BINARY:       n{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// BINARY:       d{{ +}}4{{ +}}4/4{{ .*}}PASS
// BINARY:       direction{{.*}}PASS
func.func @f_div(%x: tensor<3x4xf32>) -> tensor<f32> {
  %n = nn.param "n" uniform seed = 18 {low = -1.0, high = 1.0} : tensor<3x4xf32>
  %d = nn.param "d" uniform seed = 19 {low = 0.5, high = 2.0} : tensor<4xf32>
  %0 = nn.div %n, %d : tensor<3x4xf32>, tensor<4xf32>
  %1 = nn.mul %0, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// Both the base and the exponent are parameters.
// BINARY-LABEL: gradcheck @f_pow: 2 targets
// BINARY:       base{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// BINARY:       e{{ +}}3x1{{ +}}3/3{{ .*}}PASS
// BINARY:       direction{{.*}}PASS
// BINARY:       gradcheck: 11 params passed, 0 failed
func.func @f_pow(%x: tensor<3x4xf32>) -> tensor<f32> {
  %b = nn.param "base" uniform seed = 20 {low = 0.5, high = 2.0} : tensor<3x4xf32>
  %e = nn.param "e" uniform seed = 21 {low = -1.5, high = 2.5} : tensor<3x1xf32>
  %0 = nn.pow %b, %e : tensor<3x4xf32>, tensor<3x1xf32>
  %1 = nn.mul %0, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// maximum/minimum: column k of `a` lies in [0, 1) and `b` alternates between
// 1.5 + [0, 1) (b wins) and -1.5 + [0, 1) (a wins), so no ties or near-ties.
// MINMAX-LABEL: gradcheck @f_maximum: 2 targets
// MINMAX:       a{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// MINMAX:       b{{ +}}4{{ +}}4/4{{ .*}}PASS
// MINMAX:       direction{{.*}}PASS
func.func @f_maximum(%x: tensor<3x4xf32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 22 {low = 0.0, high = 1.0} : tensor<3x4xf32>
  %b = nn.param "b" uniform seed = 23 {low = 0.0, high = 1.0} : tensor<4xf32>
  %c = nn.constant dense<[1.5, -1.5, 1.5, -1.5]> : tensor<4xf32>
  %0 = nn.add %b, %c : tensor<4xf32>, tensor<4xf32>
  %1 = nn.maximum %a, %0 : tensor<3x4xf32>, tensor<4xf32>
  %2 = nn.mul %1, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<3x4xf32>
  return %3 : tensor<f32>
}

// MINMAX-LABEL: gradcheck @f_minimum: 2 targets
// MINMAX:       a{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// MINMAX:       b{{ +}}4{{ +}}4/4{{ .*}}PASS
// MINMAX:       direction{{.*}}PASS
func.func @f_minimum(%x: tensor<3x4xf32>) -> tensor<f32> {
  %a = nn.param "a" uniform seed = 24 {low = 0.0, high = 1.0} : tensor<3x4xf32>
  %b = nn.param "b" uniform seed = 25 {low = 0.0, high = 1.0} : tensor<4xf32>
  %c = nn.constant dense<[1.5, -1.5, 1.5, -1.5]> : tensor<4xf32>
  %0 = nn.add %b, %c : tensor<4xf32>, tensor<4xf32>
  %1 = nn.minimum %0, %a : tensor<4xf32>, tensor<3x4xf32>
  %2 = nn.mul %1, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<3x4xf32>
  return %3 : tensor<f32>
}

// select on a mask computed from the input (compare is off the path); both
// branches are parameters, the false one broadcast.
// MINMAX-LABEL: gradcheck @f_select: 2 targets
// MINMAX:       t{{ +}}3x4{{ +}}12/12{{ .*}}PASS
// MINMAX:       f{{ +}}1x4{{ +}}4/4{{ .*}}PASS
// MINMAX:       direction{{.*}}PASS
// MINMAX:       gradcheck: 6 params passed, 0 failed
func.func @f_select(%x: tensor<3x4xf32>) -> tensor<f32> {
  %t = nn.param "t" uniform seed = 26 {low = -1.0, high = 1.0} : tensor<3x4xf32>
  %f = nn.param "f" uniform seed = 27 {low = -1.0, high = 1.0} : tensor<1x4xf32>
  %z = nn.constant dense<0.0> : tensor<f32>
  %m = nn.compare gt, %x, %z : tensor<3x4xf32>, tensor<f32>
  %0 = nn.select %m, %t, %f : tensor<3x4xi1>, tensor<3x4xf32>, tensor<1x4xf32>
  %1 = nn.mul %0, %0 : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = nn.mul %1, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<3x4xf32>
  return %3 : tensor<f32>
}
