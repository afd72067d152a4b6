// RUN: kiln-opt %s -kiln-autodiff -split-input-file | FileCheck %s
// RUN: kiln-opt %s -kiln-autodiff=functions=by_option | FileCheck %s --check-prefix=OPTION

/// The original stays as it was, minus the request; the gradient function
/// returns the loss and then the gradient of every target, named by
/// nn.grad_of. Each unary rule reuses the op's result where it is cheaper.
// CHECK-LABEL: func.func @unary(
// CHECK-NOT: nn.differentiate
// CHECK-LABEL: func.func @unary_grad(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32> {nn.grad_of = "arg0"})
// CHECK: %[[EXP:.*]] = nn.exp %[[X]]
// CHECK: %[[LOG:.*]] = nn.log %[[EXP]]
// CHECK: %[[SQRT:.*]] = nn.sqrt %[[LOG]]
// CHECK: %[[RSQRT:.*]] = nn.rsqrt %[[SQRT]]
// CHECK: %[[ABS:.*]] = nn.abs %[[RSQRT]]
// CHECK: %[[NEG:.*]] = nn.neg %[[ABS]]
// CHECK: %[[LOSS:.*]] = nn.reduce_sum %[[NEG]] axes = [0]
// CHECK: %[[ONE:.*]] = nn.constant dense<1.000000e+00> : tensor<f32>
// reduce_sum: reshape to the kept shape, broadcast back.
// CHECK: %[[K:.*]] = nn.reshape %[[ONE]] : tensor<f32> -> tensor<1xf32>
// CHECK: %[[B:.*]] = nn.broadcast_to %[[K]] : tensor<1xf32> -> tensor<4xf32>
// neg
// CHECK: %[[DABS:.*]] = nn.neg %[[B]]
// abs: sign(x), 0 at 0.
// CHECK: %[[ZERO:.*]] = nn.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[POS:.*]] = nn.compare gt, %[[RSQRT]], %[[ZERO]]
// CHECK: %[[NEGM:.*]] = nn.compare lt, %[[RSQRT]], %[[ZERO]]
// CHECK: %[[FLIP:.*]] = nn.neg %[[DABS]]
// CHECK: %[[INNER:.*]] = nn.select %[[NEGM]], %[[FLIP]], %[[ZERO]]
// CHECK: %[[DRSQRT:.*]] = nn.select %[[POS]], %[[DABS]], %[[INNER]]
// rsqrt: -0.5 * y^3.
// CHECK: %[[Y2:.*]] = nn.mul %[[RSQRT]], %[[RSQRT]]
// CHECK: %[[Y3:.*]] = nn.mul %[[Y2]], %[[RSQRT]]
// CHECK: %[[MHALF:.*]] = nn.constant dense<-5.000000e-01> : tensor<f32>
// CHECK: %[[T0:.*]] = nn.mul %[[DRSQRT]], %[[MHALF]]
// CHECK: %[[DSQRT:.*]] = nn.mul %[[T0]], %[[Y3]]
// sqrt: 0.5 / y.
// CHECK: %[[HALF:.*]] = nn.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[T1:.*]] = nn.mul %[[DSQRT]], %[[HALF]]
// CHECK: %[[DLOG:.*]] = nn.div %[[T1]], %[[SQRT]]
// log: 1 / x.
// CHECK: %[[DEXP:.*]] = nn.div %[[DLOG]], %[[EXP]]
// exp: y.
// CHECK: %[[DX:.*]] = nn.mul %[[DEXP]], %[[EXP]]
// CHECK: return %[[LOSS]], %[[DX]] : tensor<f32>, tensor<4xf32>
func.func @unary(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %0 = nn.exp %x : tensor<4xf32>
  %1 = nn.log %0 : tensor<4xf32>
  %2 = nn.sqrt %1 : tensor<4xf32>
  %3 = nn.rsqrt %2 : tensor<4xf32>
  %4 = nn.abs %3 : tensor<4xf32>
  %5 = nn.neg %4 : tensor<4xf32>
  %6 = nn.reduce_sum %5 axes = [0] : tensor<4xf32>
  return %6 : tensor<f32>
}

// -----

/// Activations: relu/leaky_relu/elu route by x > 0 (the value at 0 takes
/// the x <= 0 branch), sigmoid and tanh use the result, and elu's negative
/// slope is y + alpha.
// CHECK-LABEL: func.func @activations_grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4xf32>
// CHECK: %[[RELU:.*]] = nn.relu %[[X]]
// CHECK: %[[SIG:.*]] = nn.sigmoid %[[RELU]]
// CHECK: %[[TANH:.*]] = nn.tanh %[[SIG]]
// CHECK: %[[LEAKY:.*]] = nn.leaky_relu %[[TANH]] alpha = 2.000000e-01
// CHECK: %[[ELU:.*]] = nn.elu %[[LEAKY]] alpha = 5.000000e-01
// CHECK: nn.reduce_mean %[[ELU]]
// reduce_mean: broadcast back, times 1/4.
// CHECK: %[[QUARTER:.*]] = nn.constant dense<2.500000e-01> : tensor<f32>
// CHECK: %[[SCALED:.*]] = nn.mul %{{.*}}, %[[QUARTER]] : tensor<1xf32>, tensor<f32>
// CHECK: %[[CT:.*]] = nn.broadcast_to %[[SCALED]] : tensor<1xf32> -> tensor<4xf32>
// elu
// CHECK: %[[P0:.*]] = nn.compare gt, %[[LEAKY]], %{{.*}}
// CHECK: %[[A:.*]] = nn.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[SLOPE:.*]] = nn.add %[[ELU]], %[[A]]
// CHECK: %[[NEGPART:.*]] = nn.mul %[[CT]], %[[SLOPE]]
// CHECK: %[[DLEAKY:.*]] = nn.select %[[P0]], %[[CT]], %[[NEGPART]]
// leaky_relu
// CHECK: %[[P1:.*]] = nn.compare gt, %[[TANH]], %{{.*}}
// CHECK: %[[ALPHA:.*]] = nn.constant dense<2.000000e-01> : tensor<f32>
// CHECK: %[[LN:.*]] = nn.mul %[[DLEAKY]], %[[ALPHA]]
// CHECK: %[[DTANH:.*]] = nn.select %[[P1]], %[[DLEAKY]], %[[LN]]
// tanh: 1 - y^2
// CHECK: %[[TT:.*]] = nn.mul %[[TANH]], %[[TANH]]
// CHECK: %[[TD:.*]] = nn.sub %{{.*}}, %[[TT]]
// CHECK: %[[DSIG:.*]] = nn.mul %[[DTANH]], %[[TD]]
// sigmoid: y (1 - y)
// CHECK: %[[OMY:.*]] = nn.sub %{{.*}}, %[[SIG]]
// CHECK: %[[SD:.*]] = nn.mul %[[SIG]], %[[OMY]]
// CHECK: %[[DRELU:.*]] = nn.mul %[[DSIG]], %[[SD]]
// relu
// CHECK: %[[P2:.*]] = nn.compare gt, %[[X]], %{{.*}}
// CHECK: %[[DX:.*]] = nn.select %[[P2]], %[[DRELU]], %{{.*}} : tensor<4xi1>, tensor<4xf32>, tensor<f32>
// CHECK: return %{{.*}}, %[[DX]]
func.func @activations(%x: tensor<4xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %0 = nn.relu %x : tensor<4xf32>
  %1 = nn.sigmoid %0 : tensor<4xf32>
  %2 = nn.tanh %1 : tensor<4xf32>
  %3 = nn.leaky_relu %2 alpha = 0.2 : tensor<4xf32>
  %4 = nn.elu %3 alpha = 0.5 : tensor<4xf32>
  %5 = nn.reduce_mean %4 axes = [0] : tensor<4xf32>
  return %5 : tensor<f32>
}

// -----

/// softmax: y * (ct - sum(ct * y)); log_softmax: ct - e^y * sum(ct); both
/// along the op's axis. reduce_max shares the cotangent among the tied
/// maxima.
// CHECK-LABEL: func.func @softmax_grad(
// CHECK: %[[SM:.*]] = nn.softmax %{{.*}} axis = 1
// CHECK: %[[LSM:.*]] = nn.log_softmax %[[SM]] axis = 0
// CHECK: %[[MAX:.*]] = nn.reduce_max %[[LSM]] axes = [0, 1]
// CHECK: %[[MAXK:.*]] = nn.reshape %[[MAX]] : tensor<f32> -> tensor<1x1xf32>
// CHECK: %[[ISMAX:.*]] = nn.compare eq, %[[LSM]], %[[MAXK]]
// CHECK: %[[ONES:.*]] = nn.select %[[ISMAX]], %{{.*}}, %{{.*}} : tensor<2x3xi1>, tensor<f32>, tensor<f32>
// CHECK: %[[TIES:.*]] = nn.reduce_sum %[[ONES]] axes = [0, 1] keepdims
// CHECK: %[[SHARE:.*]] = nn.div %{{.*}}, %[[TIES]] : tensor<1x1xf32>, tensor<1x1xf32>
// CHECK: %[[DLSM:.*]] = nn.select %[[ISMAX]], %[[SHARE]], %{{.*}}
// CHECK: %[[TOT:.*]] = nn.reduce_sum %[[DLSM]] axes = [0] keepdims
// CHECK: %[[E:.*]] = nn.exp %[[LSM]]
// CHECK: %[[ET:.*]] = nn.mul %[[E]], %[[TOT]] : tensor<2x3xf32>, tensor<1x3xf32>
// CHECK: %[[DSM:.*]] = nn.sub %[[DLSM]], %[[ET]]
// CHECK: %[[CY:.*]] = nn.mul %[[DSM]], %[[SM]]
// CHECK: %[[DOT:.*]] = nn.reduce_sum %[[CY]] axes = [1] keepdims
// CHECK: %[[DIFF:.*]] = nn.sub %[[DSM]], %[[DOT]] : tensor<2x3xf32>, tensor<2x1xf32>
// CHECK: %[[DX:.*]] = nn.mul %[[SM]], %[[DIFF]]
// CHECK: return %[[MAX]], %[[DX]]
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %0 = nn.softmax %x axis = 1 : tensor<2x3xf32>
  %1 = nn.log_softmax %0 axis = 0 : tensor<2x3xf32>
  %2 = nn.reduce_max %1 axes = [0, 1] : tensor<2x3xf32>
  return %2 : tensor<f32>
}

// -----

/// Broadcasting binaries sum the cotangent over the broadcast dimensions
/// (reduce_sum keepdims) and reshape it to the operand's shape.
// CHECK-LABEL: func.func @broadcasting_grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>, %[[Y:[^:]*]]: tensor<3xf32> {nn.name = "y"}, %[[Z:[^:]*]]: tensor<2x1xf32>, %[[S:[^:]*]]: tensor<f32>)
// CHECK-SAME: -> (tensor<f32>, tensor<2x3xf32> {nn.grad_of = "arg0"}, tensor<3xf32> {nn.grad_of = "y"}, tensor<2x1xf32> {nn.grad_of = "arg2"}, tensor<f32> {nn.grad_of = "arg3"})
// CHECK: %[[ADD:.*]] = nn.add %[[X]], %[[Y]]
// CHECK: %[[SUB:.*]] = nn.sub %[[ADD]], %[[Z]]
// CHECK: %[[MUL:.*]] = nn.mul %[[SUB]], %[[S]]
// CHECK: %[[DIV:.*]] = nn.div %[[MUL]], %[[Z]]
// CHECK: %[[CT:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// div: dx = ct / z, dz = -(ct * r / z), summed over dimension 1.
// CHECK: %[[DMUL:.*]] = nn.div %[[CT]], %[[Z]] : tensor<2x3xf32>, tensor<2x1xf32>
// CHECK: %[[Q:.*]] = nn.mul %[[CT]], %[[DIV]]
// CHECK: %[[Q2:.*]] = nn.div %[[Q]], %[[Z]]
// CHECK: %[[Q3:.*]] = nn.neg %[[Q2]]
// CHECK: %[[DZ1:.*]] = nn.reduce_sum %[[Q3]] axes = [1] keepdims : tensor<2x3xf32>
// CHECK-NOT: nn.reshape %[[DZ1]]
// mul by a scalar operand: summed over everything, reshaped to rank 0.
// CHECK: %[[DSUB:.*]] = nn.mul %[[DMUL]], %[[S]]
// CHECK: %[[M:.*]] = nn.mul %[[DMUL]], %[[SUB]]
// CHECK: %[[MS:.*]] = nn.reduce_sum %[[M]] axes = [0, 1] keepdims
// CHECK: %[[DS:.*]] = nn.reshape %[[MS]] : tensor<1x1xf32> -> tensor<f32>
// sub
// CHECK: %[[NZ:.*]] = nn.neg %[[DSUB]]
// CHECK: %[[NZS:.*]] = nn.reduce_sum %[[NZ]] axes = [1] keepdims
// CHECK: %[[DZ:.*]] = nn.add %[[DZ1]], %[[NZS]] : tensor<2x1xf32>, tensor<2x1xf32>
// add: the leading dimension of y is summed away.
// CHECK: %[[YS:.*]] = nn.reduce_sum %[[DSUB]] axes = [0] keepdims
// CHECK: %[[DY:.*]] = nn.reshape %[[YS]] : tensor<1x3xf32> -> tensor<3xf32>
// CHECK: return %{{.*}}, %[[DSUB]], %[[DY]], %[[DZ]], %[[DS]]
func.func @broadcasting(%x: tensor<2x3xf32>, %y: tensor<3xf32> {nn.name = "y"},
                        %z: tensor<2x1xf32>, %s: tensor<f32>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1, 2, 3]} {
  %0 = nn.add %x, %y : tensor<2x3xf32>, tensor<3xf32>
  %1 = nn.sub %0, %z : tensor<2x3xf32>, tensor<2x1xf32>
  %2 = nn.mul %1, %s : tensor<2x3xf32>, tensor<f32>
  %3 = nn.div %2, %z : tensor<2x3xf32>, tensor<2x1xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1] : tensor<2x3xf32>
  return %4 : tensor<f32>
}

// -----

/// pow differentiates both operands (d/dy = z * log(x)); maximum and minimum
/// route by ge/le, so ties go to the left operand; select's mask gets no
/// gradient.
// CHECK-LABEL: func.func @pow_max_min_select_grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<3xf32>, %[[Y:[^:]*]]: tensor<3xf32>, %[[M:[^:]*]]: tensor<3xi1>)
// CHECK-SAME: -> (tensor<f32>, tensor<3xf32> {nn.grad_of = "arg0"}, tensor<3xf32> {nn.grad_of = "arg1"})
// CHECK: %[[POW:.*]] = nn.pow %[[X]], %[[Y]]
// CHECK: %[[MAX:.*]] = nn.maximum %[[POW]], %[[X]]
// CHECK: %[[MIN:.*]] = nn.minimum %[[MAX]], %[[Y]]
// CHECK: %[[SEL:.*]] = nn.select %[[M]], %[[MIN]], %[[X]]
// CHECK: %[[DMIN:.*]] = nn.select %[[M]], %[[CT:.*]], %[[Z0:.*]] : tensor<3xi1>, tensor<3xf32>, tensor<f32>
// CHECK: %[[DX0:.*]] = nn.select %[[M]], %[[Z0]], %[[CT]] : tensor<3xi1>, tensor<f32>, tensor<3xf32>
// CHECK: %[[LE:.*]] = nn.compare le, %[[MAX]], %[[Y]]
// CHECK: %[[DMAX:.*]] = nn.select %[[LE]], %[[DMIN]], %{{.*}}
// CHECK: %[[DY0:.*]] = nn.select %[[LE]], %{{.*}}, %[[DMIN]]
// CHECK: %[[GE:.*]] = nn.compare ge, %[[POW]], %[[X]]
// CHECK: %[[DPOW:.*]] = nn.select %[[GE]], %[[DMAX]], %{{.*}}
// CHECK: %[[DX1:.*]] = nn.select %[[GE]], %{{.*}}, %[[DMAX]]
// CHECK: %[[SX:.*]] = nn.add %[[DX0]], %[[DX1]]
// CHECK: %[[YM1:.*]] = nn.sub %[[Y]], %{{.*}} : tensor<3xf32>, tensor<f32>
// CHECK: %[[P:.*]] = nn.pow %[[X]], %[[YM1]]
// CHECK: %[[YP:.*]] = nn.mul %[[Y]], %[[P]]
// CHECK: %[[DX2:.*]] = nn.mul %[[DPOW]], %[[YP]]
// CHECK: %[[LOGX:.*]] = nn.log %[[X]]
// CHECK: %[[ZL:.*]] = nn.mul %[[POW]], %[[LOGX]]
// CHECK: %[[DY1:.*]] = nn.mul %[[DPOW]], %[[ZL]]
// CHECK: %[[DX:.*]] = nn.add %[[SX]], %[[DX2]]
// CHECK: %[[DY:.*]] = nn.add %[[DY0]], %[[DY1]]
// CHECK: return %{{.*}}, %[[DX]], %[[DY]]
func.func @pow_max_min_select(%x: tensor<3xf32>, %y: tensor<3xf32>,
                              %m: tensor<3xi1>) -> tensor<f32>
    attributes {nn.differentiate = [0, 1]} {
  %0 = nn.pow %x, %y : tensor<3xf32>, tensor<3xf32>
  %1 = nn.maximum %0, %x : tensor<3xf32>, tensor<3xf32>
  %2 = nn.minimum %1, %y : tensor<3xf32>, tensor<3xf32>
  %3 = nn.select %m, %2, %x : tensor<3xi1>, tensor<3xf32>, tensor<3xf32>
  %4 = nn.reduce_sum %3 axes = [0] : tensor<3xf32>
  return %4 : tensor<f32>
}

// -----

/// Functions can also be named by the pass option. matmul: dA = dC B^T and
/// dB = A^T dC (batch-wise for rank 3); transpose uses the inverse
/// permutation. The parameter keeps its nn.param op. Without the option
/// the function is left alone.
// CHECK-LABEL: func.func @by_option(
// CHECK-NOT: func.func @by_option_grad
// OPTION-LABEL: func.func @by_option_grad(
// OPTION-SAME: %[[A:[^:]*]]: tensor<2x4x3xf32>, %[[X:[^:]*]]: tensor<4x3xf32>)
// OPTION-SAME: -> (tensor<f32>, tensor<2x3x5xf32> {nn.grad_of = "w"}, tensor<3x5xf32> {nn.grad_of = "v"})
// OPTION: %[[W:.*]] = nn.param "w"
// OPTION: %[[V:.*]] = nn.param "v"
// OPTION: %[[BMM:.*]] = nn.matmul %[[A]], %[[W]]
// OPTION: %[[T:.*]] = nn.transpose %[[BMM]] perm = [2, 0, 1]
// OPTION: %[[MM:.*]] = nn.matmul %[[X]], %[[V]]
// OPTION: %[[DMM:.*]] = nn.broadcast_to %{{.*}} -> tensor<4x5xf32>
// OPTION: %[[XT:.*]] = nn.transpose %[[X]] perm = [1, 0] : tensor<4x3xf32>
// OPTION: %[[DV:.*]] = nn.matmul %[[XT]], %[[DMM]] : tensor<3x4xf32>, tensor<4x5xf32>
// OPTION: %[[DT:.*]] = nn.broadcast_to %{{.*}} -> tensor<5x2x4xf32>
// OPTION: %[[DBMM:.*]] = nn.transpose %[[DT]] perm = [1, 2, 0] : tensor<5x2x4xf32>
// OPTION: %[[AT:.*]] = nn.transpose %[[A]] perm = [0, 2, 1] : tensor<2x4x3xf32>
// OPTION: %[[DW:.*]] = nn.matmul %[[AT]], %[[DBMM]] : tensor<2x3x4xf32>, tensor<2x4x5xf32>
// OPTION: return %{{.*}}, %[[DW]], %[[DV]]
func.func @by_option(%a: tensor<2x4x3xf32>, %x: tensor<4x3xf32>)
    -> tensor<f32> {
  %w = nn.param "w" xavier_uniform seed = 1 : tensor<2x3x5xf32>
  %v = nn.param "v" xavier_uniform seed = 2 : tensor<3x5xf32>
  %0 = nn.matmul %a, %w : tensor<2x4x3xf32>, tensor<2x3x5xf32>
  %1 = nn.transpose %0 perm = [2, 0, 1] : tensor<2x4x5xf32>
  %2 = nn.reduce_sum %1 axes = [0, 1, 2] : tensor<5x2x4xf32>
  %3 = nn.matmul %x, %v : tensor<4x3xf32>, tensor<3x5xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1] : tensor<4x5xf32>
  %5 = nn.add %2, %4 : tensor<f32>, tensor<f32>
  return %5 : tensor<f32>
}

// -----

/// Shape ops: a strided slice scatters its cotangent back with interleaved
/// zeros, trimming and zero padding; concat hands each input its slice;
/// reshape reshapes back; broadcast_to sums over the broadcast dimensions.
// CHECK-LABEL: func.func @shape_grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x6xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<3x1xf32> {nn.grad_of = "b"}, tensor<2x6xf32> {nn.grad_of = "arg0"})
// CHECK: %[[CT:.*]] = nn.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x2xf32>
// Dimension 0: stride 2, offset 1, input extent 4.
// CHECK: %[[S0:.*]] = nn.reshape %[[CT]] : tensor<2x2xf32> -> tensor<2x1x2xf32>
// CHECK: %[[Z0:.*]] = nn.constant dense<0.000000e+00> : tensor<2x1x2xf32>
// CHECK: %[[C0:.*]] = nn.concat %[[S0]], %[[Z0]] axis = 1
// CHECK: %[[R0:.*]] = nn.reshape %[[C0]] : tensor<2x2x2xf32> -> tensor<4x2xf32>
// CHECK: %[[T0:.*]] = nn.slice %[[R0]] offsets = [0, 0] sizes = [3, 2] strides = [1, 1]
// CHECK: %[[P0:.*]] = nn.constant dense<0.000000e+00> : tensor<1x2xf32>
// CHECK: %[[D0:.*]] = nn.concat %[[P0]], %[[T0]] axis = 0 : tensor<1x2xf32>, tensor<3x2xf32>
// Dimension 1: stride 3, offset 1, input extent 6.
// CHECK: %[[S1:.*]] = nn.reshape %[[D0]] : tensor<4x2xf32> -> tensor<4x2x1xf32>
// CHECK: %[[Z1:.*]] = nn.constant dense<0.000000e+00> : tensor<4x2x2xf32>
// CHECK: %[[C1:.*]] = nn.concat %[[S1]], %[[Z1]] axis = 2
// CHECK: %[[R1:.*]] = nn.reshape %[[C1]] : tensor<4x2x3xf32> -> tensor<4x6xf32>
// CHECK: %[[T1:.*]] = nn.slice %[[R1]] offsets = [0, 0] sizes = [4, 5] strides = [1, 1]
// CHECK: %[[P1:.*]] = nn.constant dense<0.000000e+00> : tensor<4x1xf32>
// CHECK: %[[DC:.*]] = nn.concat %[[P1]], %[[T1]] axis = 1 : tensor<4x1xf32>, tensor<4x5xf32>
// concat
// CHECK: %[[DX:.*]] = nn.slice %[[DC]] offsets = [0, 0] sizes = [2, 6] strides = [1, 1]
// CHECK: %[[DR:.*]] = nn.slice %[[DC]] offsets = [2, 0] sizes = [2, 6] strides = [1, 1]
// reshape, broadcast_to
// CHECK: %[[DBC:.*]] = nn.reshape %[[DR]] : tensor<2x6xf32> -> tensor<2x3x2xf32>
// CHECK: %[[SUM:.*]] = nn.reduce_sum %[[DBC]] axes = [0, 2] keepdims
// CHECK: %[[DB:.*]] = nn.reshape %[[SUM]] : tensor<1x3x1xf32> -> tensor<3x1xf32>
// CHECK: return %{{.*}}, %[[DB]], %[[DX]]
func.func @shape(%x: tensor<2x6xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %b = nn.param "b" zeros : tensor<3x1xf32>
  %0 = nn.broadcast_to %b : tensor<3x1xf32> -> tensor<2x3x2xf32>
  %1 = nn.reshape %0 : tensor<2x3x2xf32> -> tensor<2x6xf32>
  %2 = nn.concat %x, %1 axis = 0 : tensor<2x6xf32>, tensor<2x6xf32>
  %3 = nn.slice %2 offsets = [1, 1] sizes = [2, 2] strides = [2, 3]
      : tensor<4x6xf32>
  %4 = nn.reduce_sum %3 axes = [0, 1] : tensor<2x2xf32>
  return %4 : tensor<f32>
}

// -----

/// A stride-1 slice that starts at 0 only pads after; an integer concat
/// operand (labels) gets no gradient.
// CHECK-LABEL: func.func @slice_pad_after_grad(
// CHECK: %[[D:.*]] = nn.broadcast_to %{{.*}} -> tensor<2xf32>
// CHECK: %[[Z:.*]] = nn.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: %[[G:.*]] = nn.concat %[[D]], %[[Z]] axis = 0 : tensor<2xf32>, tensor<3xf32>
// CHECK: return %{{.*}}, %[[G]]
func.func @slice_pad_after(%x: tensor<5xf32>) -> tensor<f32>
    attributes {nn.differentiate = [0]} {
  %0 = nn.slice %x offsets = [0] sizes = [2] strides = [1] : tensor<5xf32>
  %1 = nn.reduce_sum %0 axes = [0] : tensor<2xf32>
  return %1 : tensor<f32>
}

// -----

/// Losses: cross_entropy's one-hot mask compares the labels [N, 1] with a
/// constant [[0 .. C-1]] of the labels' type; labels get no gradient. mse
/// and binary_cross_entropy also differentiate their second operand.
// CHECK-LABEL: func.func @losses_grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32>, %[[L:[^:]*]]: tensor<4xi32>, %[[T:[^:]*]]: tensor<4x3xf32>)
// CHECK-SAME: -> (tensor<f32>, tensor<4x3xf32> {nn.grad_of = "arg0"}, tensor<4x3xf32> {nn.grad_of = "arg2"})
// CHECK: %[[ONE:.*]] = nn.constant dense<1.000000e+00> : tensor<f32>
// mse (mean over 12 elements): 2/12 (x - t), and its negation for t.
// CHECK: %[[SIXTH:.*]] = nn.constant dense<0.166666672> : tensor<f32>
// CHECK: %[[F0:.*]] = nn.mul %[[ONE]], %[[SIXTH]]
// CHECK: %[[DIFF:.*]] = nn.sub %[[X]], %[[T]]
// CHECK: %[[MX:.*]] = nn.mul %[[F0]], %[[DIFF]]
// CHECK: %[[MT:.*]] = nn.neg %[[MX]]
// binary_cross_entropy (sum): sigmoid(x) - t and -x.
// CHECK: %[[F1:.*]] = nn.mul %[[ONE]], %{{.*}}
// CHECK: %[[SIG:.*]] = nn.sigmoid %[[X]]
// CHECK: %[[SD:.*]] = nn.sub %[[SIG]], %[[T]]
// CHECK: %[[BX:.*]] = nn.mul %[[F1]], %[[SD]]
// CHECK: %[[NX:.*]] = nn.neg %[[X]]
// CHECK: %[[BT:.*]] = nn.mul %[[F1]], %[[NX]]
// CHECK: %[[AX:.*]] = nn.add %[[MX]], %[[BX]]
// CHECK: %[[DT:.*]] = nn.add %[[MT]], %[[BT]]
// cross_entropy (mean over 4 rows): softmax - onehot.
// CHECK: %[[IOTA:.*]] = nn.constant dense<{{\[\[}}0, 1, 2]]> : tensor<1x3xi32>
// CHECK: %[[LC:.*]] = nn.reshape %[[L]] : tensor<4xi32> -> tensor<4x1xi32>
// CHECK: %[[HOT:.*]] = nn.compare eq, %[[LC]], %[[IOTA]] : tensor<4x1xi32>, tensor<1x3xi32>
// CHECK: %[[SM:.*]] = nn.softmax %[[X]] axis = 1
// CHECK: %[[SM1:.*]] = nn.sub %[[SM]], %{{.*}} : tensor<4x3xf32>, tensor<f32>
// CHECK: %[[G:.*]] = nn.select %[[HOT]], %[[SM1]], %[[SM]]
// CHECK: %[[QUARTER:.*]] = nn.constant dense<2.500000e-01> : tensor<f32>
// CHECK: %[[F2:.*]] = nn.mul %[[ONE]], %[[QUARTER]]
// CHECK: %[[CX:.*]] = nn.mul %[[F2]], %[[G]]
// CHECK: %[[DX:.*]] = nn.add %[[AX]], %[[CX]]
// CHECK: return %{{.*}}, %[[DX]], %[[DT]]
func.func @losses(%x: tensor<4x3xf32>, %l: tensor<4xi32>, %t: tensor<4x3xf32>)
    -> tensor<f32> attributes {nn.differentiate = [0, 2]} {
  %0 = nn.cross_entropy %x, %l : tensor<4x3xf32>, tensor<4xi32>
  %1 = nn.binary_cross_entropy %x, %t reduction = sum : tensor<4x3xf32>
  %2 = nn.mse %x, %t : tensor<4x3xf32>
  %3 = nn.add %0, %1 : tensor<f32>, tensor<f32>
  %4 = nn.add %3, %2 : tensor<f32>, tensor<f32>
  return %4 : tensor<f32>
}

// -----

/// Fan-out: a value used twice gets the sum of both cotangents. Other
/// results are returned after the loss; a parameter that does not reach the
/// loss gets zeros; parameters come in program order.
// CHECK-LABEL: func.func @fan_out_grad(
// CHECK-SAME: -> (tensor<f32>, tensor<4x2xf32> {nn.kept}, tensor<2xf32> {nn.grad_of = "b"}, tensor<4xf32> {nn.grad_of = "unused"}, tensor<2xf32> {nn.grad_of = "c"})
// CHECK: %[[B:.*]] = nn.param "b"
// CHECK: %[[U:.*]] = nn.param "unused"
// CHECK: %[[C:.*]] = nn.param "c"
// CHECK: %[[H:.*]] = nn.mul %{{.*}}, %[[B]]
// CHECK: %[[Q:.*]] = nn.mul %[[H]], %[[H]]
// CHECK: %[[R:.*]] = nn.add %[[Q]], %[[C]]
// CHECK: %[[DQ:.*]] = nn.broadcast_to %{{.*}} -> tensor<4x2xf32>
// CHECK: %[[CS:.*]] = nn.reduce_sum %[[DQ]] axes = [0] keepdims
// CHECK: %[[DC:.*]] = nn.reshape %[[CS]] : tensor<1x2xf32> -> tensor<2xf32>
// CHECK: %[[D1:.*]] = nn.mul %[[DQ]], %[[H]]
// CHECK: %[[D2:.*]] = nn.mul %[[DQ]], %[[H]]
// CHECK: %[[DH:.*]] = nn.add %[[D1]], %[[D2]] : tensor<4x2xf32>, tensor<4x2xf32>
// CHECK: %[[DBF:.*]] = nn.mul %[[DH]], %{{.*}}
// CHECK: %[[DBS:.*]] = nn.reduce_sum %[[DBF]] axes = [0] keepdims
// CHECK: %[[DB:.*]] = nn.reshape %[[DBS]]
// CHECK: %[[DU:.*]] = nn.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK: return %{{.*}}, %[[R]], %[[DB]], %[[DU]], %[[DC]]
func.func @fan_out(%x: tensor<4x2xf32>) -> (tensor<f32>, tensor<4x2xf32> {nn.kept})
    attributes {nn.differentiate} {
  %b = nn.param "b" ones : tensor<2xf32>
  %u = nn.param "unused" ones : tensor<4xf32>
  %c = nn.param "c" zeros : tensor<2xf32>
  %0 = nn.mul %x, %b : tensor<4x2xf32>, tensor<2xf32>
  %1 = nn.mul %0, %0 : tensor<4x2xf32>, tensor<4x2xf32>
  %2 = nn.add %1, %c : tensor<4x2xf32>, tensor<2xf32>
  %3 = nn.reduce_sum %2 axes = [0, 1] : tensor<4x2xf32>
  return %3, %2 : tensor<f32>, tensor<4x2xf32>
}

// -----

/// Ops outside the path need no rule: the other-dialect op only computes an
/// input, and the integer reshape feeds the labels.
// CHECK-LABEL: func.func @off_path_grad(
// CHECK: arith.constant
// CHECK: nn.reshape %{{.*}} : tensor<2x2xi64> -> tensor<4xi64>
// CHECK: nn.cross_entropy
// CHECK: return
func.func @off_path(%l: tensor<2x2xi64>) -> tensor<f32>
    attributes {nn.differentiate} {
  %w = nn.param "w" ones : tensor<4x3xf32>
  %c = arith.constant dense<2.0> : tensor<4x3xf32>
  %0 = nn.mul %w, %c : tensor<4x3xf32>, tensor<4x3xf32>
  %1 = nn.reshape %l : tensor<2x2xi64> -> tensor<4xi64>
  %2 = nn.cross_entropy %0, %1 : tensor<4x3xf32>, tensor<4xi64>
  return %2 : tensor<f32>
}
