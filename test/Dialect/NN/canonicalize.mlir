// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s

// Every folder and canonicalization pattern of lib/Dialect/NN/IR/NNOps.cpp,
// each followed by a case that must not fold.

/// neg(neg(x)) -> x
// CHECK-LABEL: func.func @neg_neg
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NOT: nn.neg
// CHECK: return %[[X]]
func.func @neg_neg(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.neg %x : tensor<4xf32>
  %1 = nn.neg %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

/// A single neg stays; so does neg(neg(neg(x))) -> neg(x).
// CHECK-LABEL: func.func @neg_odd
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[N:.*]] = nn.neg %[[X]]
// CHECK-NOT: nn.neg
// CHECK: return %[[N]]
func.func @neg_odd(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.neg %x : tensor<4xf32>
  %1 = nn.neg %0 : tensor<4xf32>
  %2 = nn.neg %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

/// transpose(x, identity) -> x
// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: nn.transpose
// CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.transpose %x perm = [0, 1, 2] : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

/// A non-identity permutation stays, even when the shape does not change.
// CHECK-LABEL: func.func @transpose_square
// CHECK: %[[T:.*]] = nn.transpose %{{.*}} perm = [1, 0] : tensor<3x3xf32>
// CHECK: return %[[T]]
func.func @transpose_square(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = nn.transpose %x perm = [1, 0] : tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

/// transpose(transpose(x, p), q) -> transpose(x, [p[q[i]]])
// CHECK-LABEL: func.func @transpose_compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[T:.*]] = nn.transpose %[[X]] perm = [2, 1, 0] : tensor<2x3x4xf32>
// CHECK-NOT: nn.transpose
// CHECK: return %[[T]] : tensor<4x3x2xf32>
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %0 = nn.transpose %x perm = [1, 2, 0] : tensor<2x3x4xf32>
  %1 = nn.transpose %0 perm = [1, 0, 2] : tensor<3x4x2xf32>
  return %1 : tensor<4x3x2xf32>
}

// -----

/// Two transposes that cancel leave x.
// CHECK-LABEL: func.func @transpose_cancel
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: nn.transpose
// CHECK: return %[[X]]
func.func @transpose_cancel(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.transpose %x perm = [1, 2, 0] : tensor<2x3x4xf32>
  %1 = nn.transpose %0 perm = [2, 0, 1] : tensor<3x4x2xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

/// reshape(x : T -> T) -> x
// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>)
// CHECK-NOT: nn.reshape
// CHECK: return %[[X]]
func.func @reshape_identity(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = nn.reshape %x : tensor<3x4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

/// reshape(reshape(x)) -> reshape(x)
// CHECK-LABEL: func.func @reshape_compose
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>)
// CHECK: %[[R:.*]] = nn.reshape %[[X]] : tensor<3x4xf32> -> tensor<2x6xf32>
// CHECK-NOT: nn.reshape
// CHECK: return %[[R]]
func.func @reshape_compose(%x: tensor<3x4xf32>) -> tensor<2x6xf32> {
  %0 = nn.reshape %x : tensor<3x4xf32> -> tensor<12xf32>
  %1 = nn.reshape %0 : tensor<12xf32> -> tensor<2x6xf32>
  return %1 : tensor<2x6xf32>
}

// -----

/// reshape(reshape(x : T -> U) : U -> T) -> x
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xi64>)
// CHECK-NOT: nn.reshape
// CHECK: return %[[X]]
func.func @reshape_round_trip(%x: tensor<3x4xi64>) -> tensor<3x4xi64> {
  %0 = nn.reshape %x : tensor<3x4xi64> -> tensor<12xi64>
  %1 = nn.reshape %0 : tensor<12xi64> -> tensor<3x4xi64>
  return %1 : tensor<3x4xi64>
}

// -----

/// reshape(constant) -> constant, keeping row-major order.
// CHECK-LABEL: func.func @reshape_constant
// CHECK: %[[C:.*]] = nn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NOT: nn.reshape
// CHECK: return %[[C]]
func.func @reshape_constant() -> tensor<2x3xf32> {
  %0 = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %1 = nn.reshape %0 : tensor<3x2xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

/// A reshape of a non-constant that changes the shape stays.
// CHECK-LABEL: func.func @reshape_keep
// CHECK: %[[R:.*]] = nn.reshape %{{.*}} : tensor<3x4xf32> -> tensor<12xf32>
// CHECK: return %[[R]]
func.func @reshape_keep(%x: tensor<3x4xf32>) -> tensor<12xf32> {
  %0 = nn.reshape %x : tensor<3x4xf32> -> tensor<12xf32>
  return %0 : tensor<12xf32>
}

// -----

/// broadcast_to(x : T -> T) -> x
// CHECK-LABEL: func.func @broadcast_to_identity
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK-NOT: nn.broadcast_to
// CHECK: return %[[X]]
func.func @broadcast_to_identity(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = nn.broadcast_to %x : tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

/// broadcast_to(splat) -> splat
// CHECK-LABEL: func.func @broadcast_to_splat
// CHECK: %[[C:.*]] = nn.constant dense<2.500000e+00> : tensor<4x3xf32>
// CHECK-NOT: nn.broadcast_to
// CHECK: return %[[C]]
func.func @broadcast_to_splat() -> tensor<4x3xf32> {
  %0 = nn.constant dense<2.5> : tensor<f32>
  %1 = nn.broadcast_to %0 : tensor<f32> -> tensor<4x3xf32>
  return %1 : tensor<4x3xf32>
}

// -----

/// A non-splat constant is not expanded by broadcast_to.
// CHECK-LABEL: func.func @broadcast_to_non_splat
// CHECK: %[[C:.*]] = nn.constant dense<[1, 2, 3]> : tensor<3xi32>
// CHECK: %[[B:.*]] = nn.broadcast_to %[[C]] : tensor<3xi32> -> tensor<4x3xi32>
// CHECK: return %[[B]]
func.func @broadcast_to_non_splat() -> tensor<4x3xi32> {
  %0 = nn.constant dense<[1, 2, 3]> : tensor<3xi32>
  %1 = nn.broadcast_to %0 : tensor<3xi32> -> tensor<4x3xi32>
  return %1 : tensor<4x3xi32>
}

// -----

/// concat(x) -> x
// CHECK-LABEL: func.func @concat_single
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: nn.concat
// CHECK: return %[[X]]
func.func @concat_single(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.concat %x axis = 1 : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// A concat of two inputs stays.
// CHECK-LABEL: func.func @concat_two
// CHECK: %[[C:.*]] = nn.concat %{{.*}}, %{{.*}} axis = 0 : tensor<4x3xf32>, tensor<4x3xf32>
// CHECK: return %[[C]]
func.func @concat_two(%x: tensor<4x3xf32>) -> tensor<8x3xf32> {
  %0 = nn.concat %x, %x axis = 0 : tensor<4x3xf32>, tensor<4x3xf32>
  return %0 : tensor<8x3xf32>
}

// -----

/// slice(x) covering all of x -> x
// CHECK-LABEL: func.func @slice_full
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: nn.slice
// CHECK: return %[[X]]
func.func @slice_full(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.slice %x offsets = [0, 0] sizes = [4, 3] strides = [1, 1] : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// The stride of a size-1 dimension is never used: still a full slice.
// CHECK-LABEL: func.func @slice_full_unit_dim
// CHECK-SAME: (%[[X:.*]]: tensor<1x3xf32>)
// CHECK-NOT: nn.slice
// CHECK: return %[[X]]
func.func @slice_full_unit_dim(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %0 = nn.slice %x offsets = [0, 0] sizes = [1, 3] strides = [5, 1] : tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

/// Partial slices stay: an offset, or a stride that skips elements.
// CHECK-LABEL: func.func @slice_partial
// CHECK: %[[A:.*]] = nn.slice %{{.*}} offsets = [1, 0] sizes = [3, 3] strides = [1, 1] : tensor<4x3xf32>
// CHECK: %[[B:.*]] = nn.slice %{{.*}} offsets = [0, 0] sizes = [2, 3] strides = [2, 1] : tensor<4x3xf32>
// CHECK: return %[[A]], %[[B]]
func.func @slice_partial(%x: tensor<4x3xf32>) -> (tensor<3x3xf32>, tensor<2x3xf32>) {
  %0 = nn.slice %x offsets = [1, 0] sizes = [3, 3] strides = [1, 1] : tensor<4x3xf32>
  %1 = nn.slice %x offsets = [0, 0] sizes = [2, 3] strides = [2, 1] : tensor<4x3xf32>
  return %0, %1 : tensor<3x3xf32>, tensor<2x3xf32>
}

// -----

/// nn.constant folds to its value, so equal constants are uniqued and an
/// unused one disappears.
// CHECK-LABEL: func.func @constant_unique
// CHECK: %[[C:.*]] = nn.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NOT: nn.constant
// CHECK: return %[[C]], %[[C]]
func.func @constant_unique() -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = nn.constant dense<1.0> : tensor<2xf32>
  %1 = nn.constant dense<1.0> : tensor<2xf32>
  %2 = nn.constant dense<3.0> : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

/// Constants of different types are not merged.
// CHECK-LABEL: func.func @constant_distinct
// CHECK-DAG: nn.constant dense<1> : tensor<2xi32>
// CHECK-DAG: nn.constant dense<1> : tensor<2xi64>
func.func @constant_distinct() -> (tensor<2xi32>, tensor<2xi64>) {
  %0 = nn.constant dense<1> : tensor<2xi32>
  %1 = nn.constant dense<1> : tensor<2xi64>
  return %0, %1 : tensor<2xi32>, tensor<2xi64>
}

// -----

/// Ops without a folder (here exp and matmul) are left alone, and nn ops are
/// pure: an unused result is dead code, an nn.param included.
// CHECK-LABEL: func.func @no_fold
// CHECK-NOT: nn.param "unused"
// CHECK: %[[W:.*]] = nn.param "w" xavier_uniform seed = 4 : tensor<3x2xf32>
// CHECK: %[[E:.*]] = nn.exp
// CHECK: %[[M:.*]] = nn.matmul %[[E]], %[[W]]
// CHECK: return %[[M]]
func.func @no_fold(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %u = nn.param "unused" zeros : tensor<7xf32>
  %w = nn.param "w" xavier_uniform seed = 4 : tensor<3x2xf32>
  %e = nn.exp %x : tensor<4x3xf32>
  %n = nn.neg %e : tensor<4x3xf32>
  %m = nn.matmul %e, %w : tensor<4x3xf32>, tensor<3x2xf32>
  return %m : tensor<4x2xf32>
}

// -----

/// flatten is a reshape to [N, prod]; reshapes then fold as usual.
// CHECK-LABEL: func.func @flatten_to_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x5xf32>)
// CHECK-NOT: nn.flatten
// CHECK: %[[R:.*]] = nn.reshape %[[X]] : tensor<2x3x4x5xf32> -> tensor<2x60xf32>
// CHECK: return %[[R]]
func.func @flatten_to_reshape(%x: tensor<2x3x4x5xf32>) -> tensor<2x60xf32> {
  %0 = nn.flatten %x : tensor<2x3x4x5xf32>
  return %0 : tensor<2x60xf32>
}

// -----

/// A flatten of a rank-2 tensor is the identity once it is a reshape.
// CHECK-LABEL: func.func @flatten_rank2
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xi32>)
// CHECK-NEXT: return %[[X]]
func.func @flatten_rank2(%x: tensor<4x3xi32>) -> tensor<4x3xi32> {
  %0 = nn.flatten %x : tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}

// -----

/// The convolution and pooling ops have no folds; unused ones are dead.
// CHECK-LABEL: func.func @conv_pool_kept
// CHECK-NOT: nn.avg_pool2d
// CHECK: %[[C:.*]] = nn.conv2d
// CHECK: %[[M:.*]] = nn.max_pool2d %[[C]]
// CHECK: return %[[M]]
func.func @conv_pool_kept(%x: tensor<1x1x6x6xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %0 = nn.conv2d %x, %w : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>
  %1 = nn.avg_pool2d %0 kernel = [2, 2] : tensor<1x2x4x4xf32>
  %2 = nn.max_pool2d %0 kernel = [2, 2] : tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x2x2xf32>
}
