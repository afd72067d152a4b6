// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round trip of every nn op through the custom and the generic form. The
// inferred result types are checked through their uses or through a
// `func.return` whose type must match.

/// Unary ops keep the operand type.
// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
func.func @unary(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[NEG:.*]] = nn.neg %[[X]] : tensor<4x8xf32>
  // CHECK: %[[ABS:.*]] = nn.abs %[[NEG]] : tensor<4x8xf32>
  // CHECK: %[[EXP:.*]] = nn.exp %[[ABS]] : tensor<4x8xf32>
  // CHECK: %[[LOG:.*]] = nn.log %[[EXP]] : tensor<4x8xf32>
  // CHECK: %[[SQRT:.*]] = nn.sqrt %[[LOG]] : tensor<4x8xf32>
  // CHECK: %[[RSQRT:.*]] = nn.rsqrt %[[SQRT]] : tensor<4x8xf32>
  // CHECK: %[[RELU:.*]] = nn.relu %[[RSQRT]] : tensor<4x8xf32>
  // CHECK: %[[SIG:.*]] = nn.sigmoid %[[RELU]] : tensor<4x8xf32>
  // CHECK: %[[TANH:.*]] = nn.tanh %[[SIG]] : tensor<4x8xf32>
  // CHECK: return %[[TANH]] : tensor<4x8xf32>
  %0 = nn.neg %x : tensor<4x8xf32>
  %1 = nn.abs %0 : tensor<4x8xf32>
  %2 = nn.exp %1 : tensor<4x8xf32>
  %3 = nn.log %2 : tensor<4x8xf32>
  %4 = nn.sqrt %3 : tensor<4x8xf32>
  %5 = nn.rsqrt %4 : tensor<4x8xf32>
  %6 = nn.relu %5 : tensor<4x8xf32>
  %7 = nn.sigmoid %6 : tensor<4x8xf32>
  %8 = nn.tanh %7 : tensor<4x8xf32>
  return %8 : tensor<4x8xf32>
}

/// A rank-0 tensor is a valid operand.
// CHECK-LABEL: func.func @unary_scalar
// CHECK: nn.exp %{{.*}} : tensor<f32>
func.func @unary_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = nn.exp %x : tensor<f32>
  return %0 : tensor<f32>
}

/// alpha is printed only when it differs from its default.
// CHECK-LABEL: func.func @alpha_activations
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
func.func @alpha_activations(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[A:.*]] = nn.leaky_relu %[[X]] alpha = 2.000000e-01 : tensor<4x8xf32>
  // CHECK: %[[B:.*]] = nn.leaky_relu %[[A]] : tensor<4x8xf32>
  // CHECK: %[[C:.*]] = nn.elu %[[B]] alpha = 5.000000e-01 : tensor<4x8xf32>
  // CHECK: %[[D:.*]] = nn.elu %[[C]] : tensor<4x8xf32>
  // CHECK: return %[[D]]
  %0 = nn.leaky_relu %x alpha = 0.2 : tensor<4x8xf32>
  %1 = nn.leaky_relu %0 : tensor<4x8xf32>
  %2 = nn.elu %1 alpha = 0.5 : tensor<4x8xf32>
  %3 = nn.elu %2 alpha = 1.0 : tensor<4x8xf32>
  return %3 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<32x10xf32>)
func.func @softmax(%x: tensor<32x10xf32>) -> tensor<32x10xf32> {
  // CHECK: %[[S:.*]] = nn.softmax %[[X]] axis = 1 : tensor<32x10xf32>
  // CHECK: %[[L:.*]] = nn.log_softmax %[[S]] axis = 0 : tensor<32x10xf32>
  // CHECK: return %[[L]]
  %0 = nn.softmax %x axis = 1 : tensor<32x10xf32>
  %1 = nn.log_softmax %0 axis = 0 : tensor<32x10xf32>
  return %1 : tensor<32x10xf32>
}

/// Binary ops infer the NumPy broadcast of their operand shapes.
// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[X:.*]]: tensor<2x1x3xf32>, %[[Y:.*]]: tensor<4x1xf32>, %[[S:.*]]: tensor<f32>)
func.func @binary(%x: tensor<2x1x3xf32>, %y: tensor<4x1xf32>, %s: tensor<f32>) -> tensor<2x4x3xf32> {
  // CHECK: %[[ADD:.*]] = nn.add %[[X]], %[[Y]] : tensor<2x1x3xf32>, tensor<4x1xf32>
  // CHECK: %[[SUB:.*]] = nn.sub %[[ADD]], %[[S]] : tensor<2x4x3xf32>, tensor<f32>
  // CHECK: %[[MUL:.*]] = nn.mul %[[S]], %[[SUB]] : tensor<f32>, tensor<2x4x3xf32>
  // CHECK: %[[DIV:.*]] = nn.div %[[MUL]], %[[Y]] : tensor<2x4x3xf32>, tensor<4x1xf32>
  // CHECK: %[[POW:.*]] = nn.pow %[[DIV]], %[[S]] : tensor<2x4x3xf32>, tensor<f32>
  // CHECK: %[[MAX:.*]] = nn.maximum %[[POW]], %[[X]] : tensor<2x4x3xf32>, tensor<2x1x3xf32>
  // CHECK: %[[MIN:.*]] = nn.minimum %[[MAX]], %[[MAX]] : tensor<2x4x3xf32>, tensor<2x4x3xf32>
  // CHECK: return %[[MIN]] : tensor<2x4x3xf32>
  %0 = nn.add %x, %y : tensor<2x1x3xf32>, tensor<4x1xf32>
  %1 = nn.sub %0, %s : tensor<2x4x3xf32>, tensor<f32>
  %2 = nn.mul %s, %1 : tensor<f32>, tensor<2x4x3xf32>
  %3 = nn.div %2, %y : tensor<2x4x3xf32>, tensor<4x1xf32>
  %4 = nn.pow %3, %s : tensor<2x4x3xf32>, tensor<f32>
  %5 = nn.maximum %4, %x : tensor<2x4x3xf32>, tensor<2x1x3xf32>
  %6 = nn.minimum %5, %5 : tensor<2x4x3xf32>, tensor<2x4x3xf32>
  return %6 : tensor<2x4x3xf32>
}

/// compare yields an i1 mask of the broadcast shape, for every predicate and
/// for f32, i32 and i64 operands; select broadcasts its three operands.
// CHECK-LABEL: func.func @compare_select
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[Z:.*]]: tensor<f32>, %[[I:.*]]: tensor<3xi32>, %[[L:.*]]: tensor<3xi64>)
func.func @compare_select(%x: tensor<4x8xf32>, %z: tensor<f32>, %i: tensor<3xi32>, %l: tensor<3xi64>)
    -> (tensor<4x8xf32>, tensor<3xi1>, tensor<3xi1>) {
  // CHECK: %[[EQ:.*]] = nn.compare eq, %[[X]], %[[Z]] : tensor<4x8xf32>, tensor<f32>
  // CHECK: nn.compare ne, %[[X]], %[[Z]] : tensor<4x8xf32>, tensor<f32>
  // CHECK: nn.compare lt, %[[X]], %[[Z]] : tensor<4x8xf32>, tensor<f32>
  // CHECK: nn.compare le, %[[X]], %[[Z]] : tensor<4x8xf32>, tensor<f32>
  // CHECK: nn.compare gt, %[[X]], %[[Z]] : tensor<4x8xf32>, tensor<f32>
  // CHECK: %[[GE:.*]] = nn.compare ge, %[[I]], %[[I]] : tensor<3xi32>, tensor<3xi32>
  // CHECK: %[[LGT:.*]] = nn.compare gt, %[[L]], %[[L]] : tensor<3xi64>, tensor<3xi64>
  // CHECK: %[[SEL:.*]] = nn.select %[[EQ]], %[[X]], %[[Z]] : tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>
  // CHECK: return %[[SEL]], %[[GE]], %[[LGT]] : tensor<4x8xf32>, tensor<3xi1>, tensor<3xi1>
  %eq = nn.compare eq, %x, %z : tensor<4x8xf32>, tensor<f32>
  %ne = nn.compare ne, %x, %z : tensor<4x8xf32>, tensor<f32>
  %lt = nn.compare lt, %x, %z : tensor<4x8xf32>, tensor<f32>
  %le = nn.compare le, %x, %z : tensor<4x8xf32>, tensor<f32>
  %gt = nn.compare gt, %x, %z : tensor<4x8xf32>, tensor<f32>
  %ge = nn.compare ge, %i, %i : tensor<3xi32>, tensor<3xi32>
  %lgt = nn.compare gt, %l, %l : tensor<3xi64>, tensor<3xi64>
  %s = nn.select %eq, %x, %z : tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>
  return %s, %ge, %lgt : tensor<4x8xf32>, tensor<3xi1>, tensor<3xi1>
}

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3x5xf32>, %[[C:.*]]: tensor<2x4x3xf32>, %[[D:.*]]: tensor<2x3x5xf32>)
func.func @matmul(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>, %c: tensor<2x4x3xf32>, %d: tensor<2x3x5xf32>)
    -> (tensor<4x5xf32>, tensor<2x4x5xf32>) {
  // CHECK: %[[M:.*]] = nn.matmul %[[A]], %[[B]] : tensor<4x3xf32>, tensor<3x5xf32>
  // CHECK: %[[BM:.*]] = nn.matmul %[[C]], %[[D]] : tensor<2x4x3xf32>, tensor<2x3x5xf32>
  // CHECK: return %[[M]], %[[BM]] : tensor<4x5xf32>, tensor<2x4x5xf32>
  %0 = nn.matmul %a, %b : tensor<4x3xf32>, tensor<3x5xf32>
  %1 = nn.matmul %c, %d : tensor<2x4x3xf32>, tensor<2x3x5xf32>
  return %0, %1 : tensor<4x5xf32>, tensor<2x4x5xf32>
}

/// transpose works on every element type and on rank 0 (empty perm).
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[M:.*]]: tensor<2x3xi1>, %[[S:.*]]: tensor<i64>)
func.func @transpose(%x: tensor<2x3x4xf32>, %m: tensor<2x3xi1>, %s: tensor<i64>)
    -> (tensor<4x2x3xf32>, tensor<3x2xi1>, tensor<i64>) {
  // CHECK: %[[T:.*]] = nn.transpose %[[X]] perm = [2, 0, 1] : tensor<2x3x4xf32>
  // CHECK: %[[TM:.*]] = nn.transpose %[[M]] perm = [1, 0] : tensor<2x3xi1>
  // CHECK: %[[TS:.*]] = nn.transpose %[[S]] perm = [] : tensor<i64>
  // CHECK: return %[[T]], %[[TM]], %[[TS]] : tensor<4x2x3xf32>, tensor<3x2xi1>, tensor<i64>
  %0 = nn.transpose %x perm = [2, 0, 1] : tensor<2x3x4xf32>
  %1 = nn.transpose %m perm = [1, 0] : tensor<2x3xi1>
  %2 = nn.transpose %s perm = [] : tensor<i64>
  return %0, %1, %2 : tensor<4x2x3xf32>, tensor<3x2xi1>, tensor<i64>
}

// CHECK-LABEL: func.func @reshape_broadcast_to
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf32>, %[[B:.*]]: tensor<3x1xi32>)
func.func @reshape_broadcast_to(%x: tensor<2x6xf32>, %b: tensor<3x1xi32>)
    -> (tensor<3x4xf32>, tensor<f32>, tensor<2x3x5xi32>) {
  // CHECK: %[[R:.*]] = nn.reshape %[[X]] : tensor<2x6xf32> -> tensor<3x4xf32>
  // CHECK: %[[ONE:.*]] = nn.slice
  // CHECK: %[[S:.*]] = nn.reshape %[[ONE]] : tensor<1x1xf32> -> tensor<f32>
  // CHECK: %[[BC:.*]] = nn.broadcast_to %[[B]] : tensor<3x1xi32> -> tensor<2x3x5xi32>
  // CHECK: return %[[R]], %[[S]], %[[BC]]
  %0 = nn.reshape %x : tensor<2x6xf32> -> tensor<3x4xf32>
  %1 = nn.slice %x offsets = [1, 5] sizes = [1, 1] strides = [1, 1] : tensor<2x6xf32>
  %2 = nn.reshape %1 : tensor<1x1xf32> -> tensor<f32>
  %3 = nn.broadcast_to %b : tensor<3x1xi32> -> tensor<2x3x5xi32>
  return %0, %2, %3 : tensor<3x4xf32>, tensor<f32>, tensor<2x3x5xi32>
}

/// concat infers the summed axis; slice infers `sizes`.
// CHECK-LABEL: func.func @concat_slice
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<4x5xf32>, %[[M:.*]]: tensor<2xi1>)
func.func @concat_slice(%a: tensor<4x3xf32>, %b: tensor<4x5xf32>, %m: tensor<2xi1>)
    -> (tensor<4x11xf32>, tensor<2x3xf32>, tensor<4xi1>) {
  // CHECK: %[[C:.*]] = nn.concat %[[A]], %[[B]], %[[A]] axis = 1 : tensor<4x3xf32>, tensor<4x5xf32>, tensor<4x3xf32>
  // CHECK: %[[S:.*]] = nn.slice %[[C]] offsets = [1, 2] sizes = [2, 3] strides = [2, 4] : tensor<4x11xf32>
  // CHECK: %[[CM:.*]] = nn.concat %[[M]], %[[M]] axis = 0 : tensor<2xi1>, tensor<2xi1>
  // CHECK: return %[[C]], %[[S]], %[[CM]] : tensor<4x11xf32>, tensor<2x3xf32>, tensor<4xi1>
  %0 = nn.concat %a, %b, %a axis = 1 : tensor<4x3xf32>, tensor<4x5xf32>, tensor<4x3xf32>
  %1 = nn.slice %0 offsets = [1, 2] sizes = [2, 3] strides = [2, 4] : tensor<4x11xf32>
  %2 = nn.concat %m, %m axis = 0 : tensor<2xi1>, tensor<2xi1>
  return %0, %1, %2 : tensor<4x11xf32>, tensor<2x3xf32>, tensor<4xi1>
}

/// Reductions drop the reduced axes, or keep them as 1 with keepdims.
// CHECK-LABEL: func.func @reductions
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @reductions(%x: tensor<2x3x4xf32>)
    -> (tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>, tensor<2x3x4xf32>) {
  // CHECK: %[[S:.*]] = nn.reduce_sum %[[X]] axes = [1] : tensor<2x3x4xf32>
  // CHECK: %[[M:.*]] = nn.reduce_mean %[[X]] axes = [2, 0] keepdims : tensor<2x3x4xf32>
  // CHECK: %[[X2:.*]] = nn.reduce_max %[[X]] axes = [0, 1, 2] : tensor<2x3x4xf32>
  // CHECK: %[[N:.*]] = nn.reduce_sum %[[X]] axes = [] : tensor<2x3x4xf32>
  // CHECK: return %[[S]], %[[M]], %[[X2]], %[[N]] : tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>, tensor<2x3x4xf32>
  %0 = nn.reduce_sum %x axes = [1] : tensor<2x3x4xf32>
  %1 = nn.reduce_mean %x axes = [2, 0] keepdims : tensor<2x3x4xf32>
  %2 = nn.reduce_max %x axes = [0, 1, 2] : tensor<2x3x4xf32>
  %3 = nn.reduce_sum %x axes = [] : tensor<2x3x4xf32>
  return %0, %1, %2, %3 : tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2xf32>, tensor<f32>, tensor<2x2xi1>, tensor<3xi64>, tensor<1xi32>) {
  // CHECK: %[[A:.*]] = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  // CHECK: %[[B:.*]] = nn.constant dense<5.000000e-01> : tensor<f32>
  // CHECK: %[[C:.*]] = nn.constant dense<{{\[\[}}true, false], [false, true]]> : tensor<2x2xi1>
  // CHECK: %[[D:.*]] = nn.constant dense<[0, 1, -2]> : tensor<3xi64>
  // CHECK: %[[E:.*]] = nn.constant dense<7> : tensor<1xi32>
  // CHECK: return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]]
  %a = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = nn.constant dense<0.5> : tensor<f32>
  %c = nn.constant dense<[[true, false], [false, true]]> : tensor<2x2xi1>
  %d = nn.constant dense<[0, 1, -2]> : tensor<3xi64>
  %e = nn.constant dense<7> : tensor<1xi32>
  return %a, %b, %c, %d, %e : tensor<2xf32>, tensor<f32>, tensor<2x2xi1>, tensor<3xi64>, tensor<1xi32>
}

/// Every initializer; the seed is printed only when it is not 0.
// CHECK-LABEL: func.func @params
func.func @params() {
  // CHECK: nn.param "z" zeros : tensor<3xf32>
  // CHECK: nn.param "o" ones seed = 2 : tensor<3xf32>
  // CHECK: nn.param "u" uniform seed = 3 {high = 5.000000e-01 : f64, low = -5.000000e-01 : f64} : tensor<8xf32>
  // CHECK: nn.param "n" normal {mean = 1.000000e+00 : f64, std = 2.000000e-01 : f64} : tensor<2x2xf32>
  // CHECK: nn.param "fc1.w" xavier_uniform seed = 1 : tensor<784x512xf32>
  // CHECK: nn.param "xn" xavier_normal seed = -1 : tensor<4x4xf32>
  // CHECK: nn.param "conv.w" he_uniform seed = 9223372036854775807 : tensor<8x3x3x3xf32>
  // CHECK: nn.param "hn" he_normal : tensor<f32>
  %0 = nn.param "z" zeros : tensor<3xf32>
  %1 = nn.param "o" ones seed = 2 : tensor<3xf32>
  %2 = nn.param "u" uniform seed = 3 {low = -0.5, high = 0.5} : tensor<8xf32>
  %3 = nn.param "n" normal {mean = 1.0, std = 0.2} : tensor<2x2xf32>
  %4 = nn.param "fc1.w" xavier_uniform seed = 1 : tensor<784x512xf32>
  %5 = nn.param "xn" xavier_normal seed = -1 : tensor<4x4xf32>
  %6 = nn.param "conv.w" he_uniform seed = 9223372036854775807 : tensor<8x3x3x3xf32>
  %7 = nn.param "hn" he_normal seed = 0 : tensor<f32>
  return
}

/// Losses return tensor<f32>; `reduction = mean` is the default and elided.
// CHECK-LABEL: func.func @losses
// CHECK-SAME: (%[[P:.*]]: tensor<32x1xf32>, %[[T:.*]]: tensor<32x1xf32>, %[[X:.*]]: tensor<32x10xf32>, %[[L:.*]]: tensor<32xi64>, %[[L32:.*]]: tensor<32xi32>)
func.func @losses(%p: tensor<32x1xf32>, %t: tensor<32x1xf32>, %x: tensor<32x10xf32>, %l: tensor<32xi64>, %l32: tensor<32xi32>)
    -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  // CHECK: %[[A:.*]] = nn.mse %[[P]], %[[T]] : tensor<32x1xf32>
  // CHECK: %[[B:.*]] = nn.mse %[[P]], %[[T]] reduction = sum : tensor<32x1xf32>
  // CHECK: %[[C:.*]] = nn.cross_entropy %[[X]], %[[L]] : tensor<32x10xf32>, tensor<32xi64>
  // CHECK: %[[D:.*]] = nn.cross_entropy %[[X]], %[[L32]] reduction = sum : tensor<32x10xf32>, tensor<32xi32>
  // CHECK: %[[E:.*]] = nn.binary_cross_entropy %[[P]], %[[T]] : tensor<32x1xf32>
  // CHECK: %[[F:.*]] = nn.binary_cross_entropy %[[P]], %[[T]] reduction = sum : tensor<32x1xf32>
  // CHECK: return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]], %[[F]]
  %0 = nn.mse %p, %t : tensor<32x1xf32>
  %1 = nn.mse %p, %t reduction = sum : tensor<32x1xf32>
  %2 = nn.cross_entropy %x, %l reduction = mean : tensor<32x10xf32>, tensor<32xi64>
  %3 = nn.cross_entropy %x, %l32 reduction = sum : tensor<32x10xf32>, tensor<32xi32>
  %4 = nn.binary_cross_entropy %p, %t : tensor<32x1xf32>
  %5 = nn.binary_cross_entropy %p, %t reduction = sum : tensor<32x1xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}

/// Zero-sized dimensions are valid shapes outside nn.param.
// CHECK-LABEL: func.func @empty_tensors
// CHECK: nn.reshape %{{.*}} : tensor<0x3xf32> -> tensor<0x5xf32>
// CHECK: nn.reduce_sum %{{.*}} axes = [0] : tensor<0x3xf32>
func.func @empty_tensors(%x: tensor<0x3xf32>) -> (tensor<0x5xf32>, tensor<3xf32>) {
  %0 = nn.reshape %x : tensor<0x3xf32> -> tensor<0x5xf32>
  %1 = nn.reduce_sum %x axes = [0] : tensor<0x3xf32>
  return %0, %1 : tensor<0x5xf32>, tensor<3xf32>
}

/// Learning-rate schedules: the step is a tensor<i64>, the result a
/// tensor<f32>; neither type is printed.
// CHECK-LABEL: func.func @lr_schedules
// CHECK-SAME: (%[[S:.*]]: tensor<i64>)
func.func @lr_schedules(%step: tensor<i64>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  // CHECK: %[[A:.*]] = nn.lr_schedule %[[S]] constant {lr = 1.000000e-02 : f64}
  // CHECK: %[[B:.*]] = nn.lr_schedule %[[S]] step {gamma = 5.000000e-01 : f64, lr = 1.000000e-01 : f64, step_size = 10 : i64}
  // CHECK: %[[C:.*]] = nn.lr_schedule %[[S]] cosine {lr = 1.000000e-01 : f64, min_lr = 1.000000e-03 : f64, total_steps = 100 : i64}
  // CHECK: %[[D:.*]] = nn.lr_schedule %[[S]] cosine {lr = 1.000000e-01 : f64, total_steps = 5 : i64}
  // CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
  %0 = nn.lr_schedule %step constant {lr = 0.01}
  %1 = nn.lr_schedule %step step {lr = 0.1, step_size = 10, gamma = 0.5}
  %2 = nn.lr_schedule %step cosine {lr = 0.1, total_steps = 100, min_lr = 0.001}
  %3 = nn.lr_schedule %step cosine {lr = 0.1, total_steps = 5}
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}

/// Updates print one type: the parameter's, shared by the gradient, the
/// state and every result. Default hyperparameters are elided.
// CHECK-LABEL: func.func @updates
// CHECK-SAME: (%[[P:.*]]: tensor<4x3xf32>, %[[G:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<4x3xf32>, %[[V:.*]]: tensor<4x3xf32>, %[[S:.*]]: tensor<i64>, %[[LR:.*]]: tensor<f32>)
func.func @updates(%p: tensor<4x3xf32>, %g: tensor<4x3xf32>, %b: tensor<4x3xf32>, %v: tensor<4x3xf32>, %step: tensor<i64>, %lr: tensor<f32>)
    -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  // CHECK: %[[SGD:.*]] = nn.sgd %[[P]], %[[G]], %[[LR]] : tensor<4x3xf32>
  // CHECK: %[[SGDWD:.*]] = nn.sgd %[[P]], %[[G]], %[[LR]] {weight_decay = 1.000000e-04 : f64} : tensor<4x3xf32>
  // CHECK: %[[MP:.*]], %{{.*}} = nn.momentum %[[P]], %[[G]], %[[B]], %[[S]], %[[LR]] : tensor<4x3xf32>
  // CHECK: %{{.*}}, %[[NB:.*]] = nn.momentum %[[P]], %[[G]], %[[B]], %[[S]], %[[LR]] {momentum = 8.000000e-01 : f64, nesterov, weight_decay = 1.000000e-02 : f64} : tensor<4x3xf32>
  // CHECK: %{{.*}}, %[[RS:.*]] = nn.rmsprop %[[P]], %[[G]], %[[V]], %[[LR]] {alpha = 9.000000e-01 : f64} : tensor<4x3xf32>
  // CHECK: %[[AP:.*]], %{{.*}}, %[[AV:.*]] = nn.adam %[[P]], %[[G]], %[[B]], %[[V]], %[[S]], %[[LR]] : tensor<4x3xf32>
  // CHECK: %{{.*}}, %[[WM:.*]], %{{.*}} = nn.adamw %[[P]], %[[G]], %[[B]], %[[V]], %[[S]], %[[LR]] {beta2 = 5.000000e-01 : f64, weight_decay = 0.000000e+00 : f64} : tensor<4x3xf32>
  // CHECK: return %[[SGD]], %[[SGDWD]], %[[MP]], %[[NB]], %[[RS]], %[[AP]], %[[AV]], %[[WM]] :
  %0 = nn.sgd %p, %g, %lr : tensor<4x3xf32>
  %1 = nn.sgd %p, %g, %lr {weight_decay = 1.0e-4} : tensor<4x3xf32>
  %2:2 = nn.momentum %p, %g, %b, %step, %lr {momentum = 0.9} : tensor<4x3xf32>
  %3:2 = nn.momentum %p, %g, %b, %step, %lr {momentum = 0.8, weight_decay = 0.01, nesterov} : tensor<4x3xf32>
  %4:2 = nn.rmsprop %p, %g, %v, %lr {alpha = 0.9} : tensor<4x3xf32>
  %5:3 = nn.adam %p, %g, %b, %v, %step, %lr : tensor<4x3xf32>
  %6:3 = nn.adamw %p, %g, %b, %v, %step, %lr {beta2 = 0.5, weight_decay = 0.0} : tensor<4x3xf32>
  return %0, %1, %2#0, %3#1, %4#1, %5#0, %5#2, %6#1 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

/// Penalties return tensor<f32>, like losses.
// CHECK-LABEL: func.func @penalties
// CHECK-SAME: (%[[W:.*]]: tensor<4x3xf32>)
func.func @penalties(%w: tensor<4x3xf32>) -> (tensor<f32>, tensor<f32>) {
  // CHECK: %[[L1:.*]] = nn.l1_penalty %[[W]] lambda = 1.000000e-04 : tensor<4x3xf32>
  // CHECK: %[[L2:.*]] = nn.l2_penalty %[[W]] lambda = 5.000000e-01 : tensor<4x3xf32>
  // CHECK: return %[[L1]], %[[L2]]
  %0 = nn.l1_penalty %w lambda = 1.0e-4 : tensor<4x3xf32>
  %1 = nn.l2_penalty %w lambda = 0.5 : tensor<4x3xf32>
  return %0, %1 : tensor<f32>, tensor<f32>
}

/// conv2d infers [N, F, OH, OW]; the bias is optional, and default
/// attributes (stride 1, padding 0, dilation 1, groups 1) are elided.
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x9x9xf32>, %[[W:.*]]: tensor<6x4x3x3xf32>, %[[B:.*]]: tensor<6xf32>, %[[G:.*]]: tensor<6x2x3x2xf32>)
func.func @conv2d(%x: tensor<2x4x9x9xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<6xf32>, %g: tensor<6x2x3x2xf32>)
    -> (tensor<2x6x7x7xf32>, tensor<2x6x9x9xf32>, tensor<2x6x3x8xf32>, tensor<2x6x9x9xf32>) {
  // CHECK: %[[A:.*]] = nn.conv2d %[[X]], %[[W]] : tensor<2x4x9x9xf32>, tensor<6x4x3x3xf32>
  // CHECK: %[[P:.*]] = nn.conv2d %[[X]], %[[W]], %[[B]] padding = [1, 1] : tensor<2x4x9x9xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>
  // CHECK: %[[S:.*]] = nn.conv2d %[[X]], %[[G]], %[[B]] stride = [2, 1] padding = [0, 1] dilation = [2, 3] groups = 2 : tensor<2x4x9x9xf32>, tensor<6x2x3x2xf32>, tensor<6xf32>
  // CHECK: %[[D:.*]] = nn.conv2d %[[X]], %[[W]] padding = [1, 1] : tensor<2x4x9x9xf32>, tensor<6x4x3x3xf32>
  // CHECK: return %[[A]], %[[P]], %[[S]], %[[D]] : tensor<2x6x7x7xf32>, tensor<2x6x9x9xf32>, tensor<2x6x3x8xf32>, tensor<2x6x9x9xf32>
  %0 = nn.conv2d %x, %w : tensor<2x4x9x9xf32>, tensor<6x4x3x3xf32>
  %1 = nn.conv2d %x, %w, %b padding = [1, 1] : tensor<2x4x9x9xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>
  %2 = nn.conv2d %x, %g, %b stride = [2, 1] padding = [0, 1] dilation = [2, 3] groups = 2 : tensor<2x4x9x9xf32>, tensor<6x2x3x2xf32>, tensor<6xf32>
  %3 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x4x9x9xf32>, tensor<6x4x3x3xf32>
  return %0, %1, %2, %3 : tensor<2x6x7x7xf32>, tensor<2x6x9x9xf32>, tensor<2x6x3x8xf32>, tensor<2x6x9x9xf32>
}

/// The backward helpers spell their result type.
// CHECK-LABEL: func.func @conv2d_backward
// CHECK-SAME: (%[[DY:.*]]: tensor<2x6x4x4xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>, %[[X:.*]]: tensor<2x4x9x9xf32>)
func.func @conv2d_backward(%dy: tensor<2x6x4x4xf32>, %w: tensor<6x2x3x3xf32>, %x: tensor<2x4x9x9xf32>)
    -> (tensor<2x4x9x9xf32>, tensor<2x4x10x10xf32>, tensor<6x2x3x3xf32>) {
  // CHECK: %[[DX:.*]] = nn.conv2d_backward_input %[[DY]], %[[W]] stride = [2, 2] groups = 2 : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x9x9xf32>
  // CHECK: %[[DX2:.*]] = nn.conv2d_backward_input %[[DY]], %[[W]] stride = [2, 2] groups = 2 : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x10x10xf32>
  // CHECK: %[[DW:.*]] = nn.conv2d_backward_filter %[[DY]], %[[X]] stride = [2, 2] groups = 2 : tensor<2x6x4x4xf32>, tensor<2x4x9x9xf32> -> tensor<6x2x3x3xf32>
  // CHECK: return %[[DX]], %[[DX2]], %[[DW]]
  %0 = nn.conv2d_backward_input %dy, %w stride = [2, 2] groups = 2 : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x9x9xf32>
  %1 = nn.conv2d_backward_input %dy, %w stride = [2, 2] groups = 2 : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x10x10xf32>
  %2 = nn.conv2d_backward_filter %dy, %x stride = [2, 2] groups = 2 : tensor<2x6x4x4xf32>, tensor<2x4x9x9xf32> -> tensor<6x2x3x3xf32>
  return %0, %1, %2 : tensor<2x4x9x9xf32>, tensor<2x4x10x10xf32>, tensor<6x2x3x3xf32>
}

/// Pooling infers [N, C, OH, OW]; stride defaults to the kernel and is
/// printed only when given, padding only when nonzero.
// CHECK-LABEL: func.func @pooling
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x9x8xf32>)
func.func @pooling(%x: tensor<2x3x9x8xf32>)
    -> (tensor<2x3x4x4xf32>, tensor<2x3x5x3xf32>, tensor<2x3x7x7xf32>, tensor<2x3xf32>) {
  // CHECK: %[[M:.*]] = nn.max_pool2d %[[X]] kernel = [2, 2] : tensor<2x3x9x8xf32>
  // CHECK: %[[A:.*]] = nn.avg_pool2d %[[X]] kernel = [3, 3] stride = [2, 2] padding = [1, 0] : tensor<2x3x9x8xf32>
  // CHECK: %[[S:.*]] = nn.max_pool2d %[[X]] kernel = [3, 2] stride = [1, 1] : tensor<2x3x9x8xf32>
  // CHECK: %[[G:.*]] = nn.global_avg_pool %[[X]] : tensor<2x3x9x8xf32>
  // CHECK: return %[[M]], %[[A]], %[[S]], %[[G]] : tensor<2x3x4x4xf32>, tensor<2x3x5x3xf32>, tensor<2x3x7x7xf32>, tensor<2x3xf32>
  %0 = nn.max_pool2d %x kernel = [2, 2] : tensor<2x3x9x8xf32>
  %1 = nn.avg_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 0] : tensor<2x3x9x8xf32>
  %2 = nn.max_pool2d %x kernel = [3, 2] stride = [1, 1] padding = [0, 0] : tensor<2x3x9x8xf32>
  %3 = nn.global_avg_pool %x : tensor<2x3x9x8xf32>
  return %0, %1, %2, %3 : tensor<2x3x4x4xf32>, tensor<2x3x5x3xf32>, tensor<2x3x7x7xf32>, tensor<2x3xf32>
}

/// max_pool2d_backward has the input's type.
// CHECK-LABEL: func.func @max_pool2d_backward
// CHECK-SAME: (%[[DY:.*]]: tensor<2x3x5x3xf32>, %[[X:.*]]: tensor<2x3x9x8xf32>)
func.func @max_pool2d_backward(%dy: tensor<2x3x5x3xf32>, %x: tensor<2x3x9x8xf32>) -> tensor<2x3x9x8xf32> {
  // CHECK: %[[DX:.*]] = nn.max_pool2d_backward %[[DY]], %[[X]] kernel = [3, 3] stride = [2, 2] padding = [1, 0] : tensor<2x3x5x3xf32>, tensor<2x3x9x8xf32>
  // CHECK: return %[[DX]] : tensor<2x3x9x8xf32>
  %0 = nn.max_pool2d_backward %dy, %x kernel = [3, 3] stride = [2, 2] padding = [1, 0] : tensor<2x3x5x3xf32>, tensor<2x3x9x8xf32>
  return %0 : tensor<2x3x9x8xf32>
}

/// flatten keeps the first dimension and multiplies the others; any element
/// type.
// CHECK-LABEL: func.func @flatten
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x5xf32>, %[[I:.*]]: tensor<7x2xi64>)
func.func @flatten(%x: tensor<2x3x4x5xf32>, %i: tensor<7x2xi64>) -> (tensor<2x60xf32>, tensor<7x2xi64>) {
  // CHECK: %[[F:.*]] = nn.flatten %[[X]] : tensor<2x3x4x5xf32>
  // CHECK: %[[G:.*]] = nn.flatten %[[I]] : tensor<7x2xi64>
  // CHECK: return %[[F]], %[[G]] : tensor<2x60xf32>, tensor<7x2xi64>
  %0 = nn.flatten %x : tensor<2x3x4x5xf32>
  %1 = nn.flatten %i : tensor<7x2xi64>
  return %0, %1 : tensor<2x60xf32>, tensor<7x2xi64>
}
