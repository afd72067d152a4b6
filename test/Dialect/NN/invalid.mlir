// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Every numbered constraint of docs/Spec.md has a case here, named by the
// comment above it, plus the main ODS type-constraint failures and a parse
// error.

//===----------------------------------------------------------------------===//
// shape_c1: byte sizes fit in 64 bits
//===----------------------------------------------------------------------===//

/// shape_c1: an operand whose byte size overflows int64.
func.func @shape_c1_operand(%x: tensor<9223372036854775807x2xf32>) {
  // expected-error @+1 {{'nn.neg' op (shape_c1) operand #0 of type 'tensor<9223372036854775807x2xf32>' has more bytes than fit in 64 bits}}
  %0 = nn.neg %x : tensor<9223372036854775807x2xf32>
  return
}

// -----

/// shape_c1: the element count fits but the byte count (x4) does not.
func.func @shape_c1_bytes() {
  // expected-error @+1 {{'nn.param' op (shape_c1) result #0 of type 'tensor<4611686018427387904xf32>' has more bytes than fit in 64 bits}}
  %0 = nn.param "w" zeros : tensor<4611686018427387904xf32>
  return
}

// -----

/// shape_c1: the operands fit, their broadcast result does not.
func.func @shape_c1_broadcast_result(%x: tensor<2147483648x1xf32>, %y: tensor<1x2147483648xf32>) {
  // expected-error @+1 {{'nn.add' op (shape_c1) result #0 of type 'tensor<2147483648x2147483648xf32>' has more bytes than fit in 64 bits}}
  %0 = nn.add %x, %y : tensor<2147483648x1xf32>, tensor<1x2147483648xf32>
  return
}

// -----

/// shape_c1: concatenating two dimensions of 2^62 overflows int64.
func.func @shape_c1_concat(%x: tensor<4611686018427387904xi1>) {
  // expected-error @+1 {{'nn.concat' op (shape_c1) the concatenated dimension 0 overflows 64 bits}}
  %0 = nn.concat %x, %x, %x axis = 0 : tensor<4611686018427387904xi1>, tensor<4611686018427387904xi1>, tensor<4611686018427387904xi1>
  return
}

//===----------------------------------------------------------------------===//
// broadcast_c1: NumPy broadcasting
//===----------------------------------------------------------------------===//

// -----

/// broadcast_c1: trailing dimensions 3 and 4 differ and neither is 1.
func.func @broadcast_c1_add(%x: tensor<2x3xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'nn.add' op (broadcast_c1) operand shapes 2x3, 4 are not broadcast-compatible}}
  %0 = nn.add %x, %y : tensor<2x3xf32>, tensor<4xf32>
  return
}

// -----

/// broadcast_c1: compare broadcasts too.
func.func @broadcast_c1_compare(%x: tensor<2x3xf32>, %y: tensor<2x1x2xf32>) {
  // expected-error @+1 {{'nn.compare' op (broadcast_c1) operand shapes 2x3, 2x1x2 are not broadcast-compatible}}
  %0 = nn.compare lt, %x, %y : tensor<2x3xf32>, tensor<2x1x2xf32>
  return
}

// -----

/// broadcast_c1: select broadcasts all three operands.
func.func @broadcast_c1_select(%c: tensor<5xi1>, %x: tensor<4xf32>, %y: tensor<f32>) {
  // expected-error @+1 {{'nn.select' op (broadcast_c1) operand shapes 5, 4, scalar are not broadcast-compatible}}
  %0 = nn.select %c, %x, %y : tensor<5xi1>, tensor<4xf32>, tensor<f32>
  return
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

// -----

/// ODS: unary ops take f32 tensors, not masks.
func.func @unary_i1(%x: tensor<4xi1>) {
  // expected-error @+1 {{'nn.neg' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<4xi1>'}}
  %0 = nn.neg %x : tensor<4xi1>
  return
}

// -----

/// ODS: dynamic shapes are not part of the dialect.
func.func @unary_dynamic(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'nn.exp' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<?x4xf32>'}}
  %0 = nn.exp %x : tensor<?x4xf32>
  return
}

// -----

/// ODS: alpha is an f32 attribute.
func.func @alpha_f64(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.leaky_relu' op attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %0 = "nn.leaky_relu"(%x) {alpha = 1.0 : f64} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

/// softmax_c1: a negative axis is out of range (no Python-style wrap).
func.func @softmax_c1(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.softmax' op (softmax_c1) axis -1 is out of range for rank 2}}
  %0 = nn.softmax %x axis = -1 : tensor<4x3xf32>
  return
}

// -----

/// log_softmax_c1: axis == rank is out of range.
func.func @log_softmax_c1(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.log_softmax' op (log_softmax_c1) axis 2 is out of range for rank 2}}
  %0 = nn.log_softmax %x axis = 2 : tensor<4x3xf32>
  return
}

// -----

/// softmax_c1: a scalar has no axis at all.
func.func @softmax_c1_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'nn.softmax' op (softmax_c1) axis 0 is out of range for rank 0}}
  %0 = nn.softmax %x axis = 0 : tensor<f32>
  return
}

// -----

/// ODS: the axis is an i64 attribute, not a string.
func.func @softmax_axis_type(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.softmax' op attribute 'axis' failed to satisfy constraint: 64-bit signless integer attribute}}
  %0 = "nn.softmax"(%x) {axis = "one"} : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Binary ops, compare, select
//===----------------------------------------------------------------------===//

// -----

/// ODS: arithmetic is f32 only.
func.func @binary_i32(%x: tensor<4xi32>) {
  // expected-error @+1 {{'nn.mul' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<4xi32>'}}
  %0 = nn.mul %x, %x : tensor<4xi32>, tensor<4xi32>
  return
}

// -----

/// ODS (inferred type): a generic op must state the inferred result type.
func.func @binary_wrong_result(%x: tensor<4x3xf32>) {
  // expected-error @+2 {{'nn.sub' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<4x4xf32>'}}
  // expected-error @+1 {{'nn.sub' op failed to infer returned types}}
  %0 = "nn.sub"(%x, %x) : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x4xf32>
  return
}

// -----

/// compare_c1: f32 cannot be compared with i32.
func.func @compare_c1(%x: tensor<4xf32>, %y: tensor<4xi32>) {
  // expected-error @+1 {{'nn.compare' op (compare_c1) operands have different element types}}
  %0 = nn.compare eq, %x, %y : tensor<4xf32>, tensor<4xi32>
  return
}

// -----

/// ODS: masks cannot be compared.
func.func @compare_i1(%x: tensor<4xi1>) {
  // expected-error @+1 {{'nn.compare' op operand #0 must be statically shaped tensor of 32-bit float or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xi1>'}}
  %0 = nn.compare eq, %x, %x : tensor<4xi1>, tensor<4xi1>
  return
}

// -----

/// ODS: the predicate enum has six cases.
func.func @compare_predicate(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.compare' op attribute 'predicate' failed to satisfy constraint: elementwise comparison predicate}}
  %0 = "nn.compare"(%x, %x) {predicate = 6 : i32} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return
}

// -----

/// ODS: the select condition is an i1 mask.
func.func @select_condition(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.select' op operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = nn.select %x, %x, %x : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

// -----

/// matmul_c1: ranks 2 and 3 do not mix.
func.func @matmul_c1_mixed(%x: tensor<4x3xf32>, %y: tensor<2x3x5xf32>) {
  // expected-error @+1 {{'nn.matmul' op (matmul_c1) expects two rank-2 or two rank-3 operands, got 4x3 and 2x3x5}}
  %0 = nn.matmul %x, %y : tensor<4x3xf32>, tensor<2x3x5xf32>
  return
}

// -----

/// matmul_c1: vectors are not matrices.
func.func @matmul_c1_rank1(%x: tensor<3xf32>) {
  // expected-error @+1 {{'nn.matmul' op (matmul_c1) expects two rank-2 or two rank-3 operands, got 3 and 3}}
  %0 = nn.matmul %x, %x : tensor<3xf32>, tensor<3xf32>
  return
}

// -----

/// matmul_c2: contracting dimensions differ.
func.func @matmul_c2(%x: tensor<4x3xf32>, %y: tensor<4x5xf32>) {
  // expected-error @+1 {{'nn.matmul' op (matmul_c2) contracting dimensions differ: 3 vs 4}}
  %0 = nn.matmul %x, %y : tensor<4x3xf32>, tensor<4x5xf32>
  return
}

// -----

/// matmul_c3: batch dimensions differ (no batch broadcasting).
func.func @matmul_c3(%x: tensor<2x4x3xf32>, %y: tensor<1x3x5xf32>) {
  // expected-error @+1 {{'nn.matmul' op (matmul_c3) batch dimensions differ: 2 vs 1}}
  %0 = nn.matmul %x, %y : tensor<2x4x3xf32>, tensor<1x3x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

// -----

/// transpose_c1: an empty perm for a rank-2 input.
func.func @transpose_c1(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.transpose' op (transpose_c1) perm has 0 entries but the input has rank 2}}
  %0 = nn.transpose %x perm = [] : tensor<4x3xf32>
  return
}

// -----

/// transpose_c2: a repeated entry.
func.func @transpose_c2_repeat(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.transpose' op (transpose_c2) perm is not a permutation of 0..1}}
  %0 = nn.transpose %x perm = [1, 1] : tensor<4x3xf32>
  return
}

// -----

/// transpose_c2: a negative entry.
func.func @transpose_c2_negative(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.transpose' op (transpose_c2) perm is not a permutation of 0..1}}
  %0 = nn.transpose %x perm = [-1, 0] : tensor<4x3xf32>
  return
}

// -----

/// ODS: perm is a dense i64 array, not an array attribute.
func.func @transpose_perm_type(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.transpose' op attribute 'perm' failed to satisfy constraint: i64 dense array attribute}}
  %0 = "nn.transpose"(%x) {perm = [1, 0]} : (tensor<4x3xf32>) -> tensor<3x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// reshape, broadcast_to
//===----------------------------------------------------------------------===//

// -----

/// reshape_c1: 12 elements cannot become 10.
func.func @reshape_c1(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op (reshape_c1) cannot reshape 3x4 (12 elements) to 2x5 (10 elements)}}
  %0 = nn.reshape %x : tensor<3x4xf32> -> tensor<2x5xf32>
  return
}

// -----

/// reshape_c2: reshape does not convert.
func.func @reshape_c2(%x: tensor<3x4xi32>) {
  // expected-error @+1 {{'nn.reshape' op (reshape_c2) element types differ: 'i32' vs 'i64'}}
  %0 = nn.reshape %x : tensor<3x4xi32> -> tensor<12xi64>
  return
}

// -----

/// broadcast_to_c1: the result rank is lower than the input rank.
func.func @broadcast_to_c1(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'nn.broadcast_to' op (broadcast_to_c1) cannot broadcast rank 2 to lower rank 1}}
  %0 = nn.broadcast_to %x : tensor<1x3xf32> -> tensor<3xf32>
  return
}

// -----

/// broadcast_to_c2: dimension 0 is 2, neither 1 nor the target 4.
func.func @broadcast_to_c2(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.broadcast_to' op (broadcast_to_c2) cannot broadcast 2x3 to 5x4x3: dimension 0 is 2}}
  %0 = nn.broadcast_to %x : tensor<2x3xf32> -> tensor<5x4x3xf32>
  return
}

// -----

/// broadcast_to_c3: broadcast_to does not convert.
func.func @broadcast_to_c3(%x: tensor<3xf32>) {
  // expected-error @+1 {{'nn.broadcast_to' op (broadcast_to_c3) element types differ: 'f32' vs 'i1'}}
  %0 = nn.broadcast_to %x : tensor<3xf32> -> tensor<2x3xi1>
  return
}

//===----------------------------------------------------------------------===//
// concat, slice
//===----------------------------------------------------------------------===//

// -----

/// concat_c1: no input (only the generic form can say this).
func.func @concat_c1() {
  // expected-error @+2 {{'nn.concat' op (concat_c1) expects an input}}
  // expected-error @+1 {{'nn.concat' op failed to infer returned types}}
  %0 = "nn.concat"() {axis = 0 : i64} : () -> tensor<4xf32>
  return
}

// -----

/// concat_c2: ranks differ.
func.func @concat_c2_rank(%x: tensor<4x3xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'nn.concat' op (concat_c2) inputs differ in rank or element type}}
  %0 = nn.concat %x, %y axis = 0 : tensor<4x3xf32>, tensor<4xf32>
  return
}

// -----

/// concat_c2: element types differ.
func.func @concat_c2_element(%x: tensor<4xf32>, %y: tensor<4xi32>) {
  // expected-error @+1 {{'nn.concat' op (concat_c2) inputs differ in rank or element type}}
  %0 = nn.concat %x, %y axis = 0 : tensor<4xf32>, tensor<4xi32>
  return
}

// -----

/// concat_c3: axis out of range.
func.func @concat_c3(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.concat' op (concat_c3) axis 2 is out of range for rank 2}}
  %0 = nn.concat %x, %x axis = 2 : tensor<4x3xf32>, tensor<4x3xf32>
  return
}

// -----

/// concat_c3: a scalar cannot be concatenated.
func.func @concat_c3_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'nn.concat' op (concat_c3) axis 0 is out of range for rank 0}}
  %0 = nn.concat %x, %x axis = 0 : tensor<f32>, tensor<f32>
  return
}

// -----

/// concat_c4: the non-axis dimension 0 differs.
func.func @concat_c4(%x: tensor<4x3xf32>, %y: tensor<5x3xf32>) {
  // expected-error @+1 {{'nn.concat' op (concat_c4) inputs differ in dimension 0: 4x3 vs 5x3}}
  %0 = nn.concat %x, %y axis = 1 : tensor<4x3xf32>, tensor<5x3xf32>
  return
}

// -----

/// slice_c1: sizes has too few entries.
func.func @slice_c1(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.slice' op (slice_c1) offsets, sizes and strides need 2 entries each}}
  %0 = nn.slice %x offsets = [0, 0] sizes = [4] strides = [1, 1] : tensor<4x8xf32>
  return
}

// -----

/// slice_c2: a negative offset.
func.func @slice_c2_offset(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.slice' op (slice_c2) dimension 1 needs offset >= 0, size >= 1 and stride >= 1}}
  %0 = nn.slice %x offsets = [0, -1] sizes = [4, 2] strides = [1, 1] : tensor<4x8xf32>
  return
}

// -----

/// slice_c2: a zero stride.
func.func @slice_c2_stride(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.slice' op (slice_c2) dimension 0 needs offset >= 0, size >= 1 and stride >= 1}}
  %0 = nn.slice %x offsets = [0, 0] sizes = [4, 2] strides = [0, 1] : tensor<4x8xf32>
  return
}

// -----

/// slice_c3: 2 + (3 - 1) * 3 = 8 reads past the size 8.
func.func @slice_c3(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.slice' op (slice_c3) dimension 1 reads past its size 8}}
  %0 = nn.slice %x offsets = [0, 2] sizes = [4, 3] strides = [1, 3] : tensor<4x8xf32>
  return
}

// -----

/// slice_c3: the last index overflows int64 and must not wrap around.
func.func @slice_c3_overflow(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.slice' op (slice_c3) dimension 1 reads past its size 8}}
  %0 = nn.slice %x offsets = [0, 1] sizes = [4, 3] strides = [1, 9223372036854775807] : tensor<4x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

/// reduce_c1: axis out of range.
func.func @reduce_c1(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.reduce_sum' op (reduce_c1) axis 2 is out of range for rank 2}}
  %0 = nn.reduce_sum %x axes = [2] : tensor<4x3xf32>
  return
}

// -----

/// reduce_c1: negative axes do not wrap.
func.func @reduce_c1_negative(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.reduce_max' op (reduce_c1) axis -1 is out of range for rank 2}}
  %0 = nn.reduce_max %x axes = [-1] : tensor<4x3xf32>
  return
}

// -----

/// reduce_c2: a repeated axis.
func.func @reduce_c2(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.reduce_mean' op (reduce_c2) axis 1 is repeated}}
  %0 = nn.reduce_mean %x axes = [1, 1] : tensor<4x3xf32>
  return
}

// -----

/// ODS (inferred type): the generic form must match keepdims.
func.func @reduce_wrong_result(%x: tensor<4x3xf32>) {
  // expected-error @+2 {{'nn.reduce_sum' op inferred type(s) 'tensor<4x1xf32>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{'nn.reduce_sum' op failed to infer returned types}}
  %0 = "nn.reduce_sum"(%x) {axes = array<i64: 1>, keepdims} : (tensor<4x3xf32>) -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// constant, param
//===----------------------------------------------------------------------===//

// -----

/// ODS: i8 is not an nn element type.
func.func @constant_i8() {
  // expected-error @+1 {{'nn.constant' op result #0 must be statically shaped tensor of 32-bit float or 1-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xi8>'}}
  %0 = nn.constant dense<1> : tensor<2xi8>
  return
}

// -----

/// ODS: the value is an elements attribute.
func.func @constant_scalar_attr() {
  // expected-error @+1 {{'nn.constant' op attribute 'value' failed to satisfy constraint: constant vector/tensor attribute}}
  %0 = "nn.constant"() {value = 1.0 : f32} : () -> tensor<f32>
  return
}

// -----

/// param_c1: an empty name.
func.func @param_c1_empty() {
  // expected-error @+1 {{'nn.param' op (param_c1) parameter name '' must be non-empty printable ASCII without whitespace}}
  %0 = nn.param "" zeros : tensor<3xf32>
  return
}

// -----

/// param_c1: whitespace would split the signature line.
func.func @param_c1_space() {
  // expected-error @+1 {{'nn.param' op (param_c1) parameter name 'fc 1' must be non-empty printable ASCII without whitespace}}
  %0 = nn.param "fc 1" zeros : tensor<3xf32>
  return
}

// -----

/// param_c2: uniform without bounds.
func.func @param_c2_uniform_missing() {
  // expected-error @+1 {{'nn.param' op (param_c2) 'uniform' needs finite attributes low < high}}
  %0 = nn.param "w" uniform : tensor<3xf32>
  return
}

// -----

/// param_c2: uniform with low == high.
func.func @param_c2_uniform_empty() {
  // expected-error @+1 {{'nn.param' op (param_c2) 'uniform' needs finite attributes low < high}}
  %0 = nn.param "w" uniform {low = 1.0, high = 1.0} : tensor<3xf32>
  return
}

// -----

/// param_c2: uniform with an infinite bound.
func.func @param_c2_uniform_inf() {
  // expected-error @+1 {{'nn.param' op (param_c2) 'uniform' needs finite attributes low < high}}
  %0 = nn.param "w" uniform {low = 0xFFF0000000000000 : f64, high = 1.0} : tensor<3xf32>
  return
}

// -----

/// param_c2: normal with std = 0.
func.func @param_c2_normal_std() {
  // expected-error @+1 {{'nn.param' op (param_c2) 'normal' needs finite attributes mean and std > 0}}
  %0 = nn.param "w" normal {mean = 0.0, std = 0.0} : tensor<3xf32>
  return
}

// -----

/// param_c2: normal with a NaN mean.
func.func @param_c2_normal_nan() {
  // expected-error @+1 {{'nn.param' op (param_c2) 'normal' needs finite attributes mean and std > 0}}
  %0 = nn.param "w" normal {mean = 0x7FF8000000000000 : f64, std = 1.0} : tensor<3xf32>
  return
}

// -----

/// param_c2: bounds on an initializer that takes none.
func.func @param_c2_extra_bounds() {
  // expected-error @+1 {{'nn.param' op (param_c2) only 'uniform' takes 'low' and 'high'}}
  %0 = nn.param "w" xavier_uniform {low = -1.0, high = 1.0} : tensor<3x3xf32>
  return
}

// -----

/// param_c2: mean/std on uniform.
func.func @param_c2_extra_moments() {
  // expected-error @+1 {{'nn.param' op (param_c2) only 'normal' takes 'mean' and 'std'}}
  %0 = nn.param "w" uniform {low = -1.0, high = 1.0, std = 1.0} : tensor<3xf32>
  return
}

// -----

/// param_c3: a name declared twice in one function.
func.func @param_c3() {
  %0 = nn.param "w" zeros : tensor<3xf32>
  // expected-error @+1 {{'nn.param' op (param_c3) parameter 'w' is declared twice in this function}}
  %1 = nn.param "w" ones : tensor<3xf32>
  return
}

// -----

/// param_c4: a parameter without elements.
func.func @param_c4() {
  // expected-error @+1 {{'nn.param' op (param_c4) parameter 'w' has a zero dimension: 0x4}}
  %0 = nn.param "w" he_uniform : tensor<0x4xf32>
  return
}

// -----

/// ODS: the initializer enum has eight cases.
func.func @param_init_enum() {
  // expected-error @+1 {{'nn.param' op attribute 'init' failed to satisfy constraint: parameter initializer}}
  %0 = "nn.param"() {name = "w", init = 8 : i32} : () -> tensor<3xf32>
  return
}

// -----

/// ODS: low is an f64 attribute.
func.func @param_low_type() {
  // expected-error @+1 {{'nn.param' op attribute 'low' failed to satisfy constraint: 64-bit float attribute}}
  %0 = "nn.param"() {name = "w", init = 2 : i32, low = 0 : i64, high = 1.0} : () -> tensor<3xf32>
  return
}

// -----

/// ODS: parameters are f32.
func.func @param_i32() {
  // expected-error @+1 {{'nn.param' op result #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<3xi32>'}}
  %0 = nn.param "w" zeros : tensor<3xi32>
  return
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

// -----

/// cross_entropy_c1: labels must be rank 1.
func.func @cross_entropy_c1(%x: tensor<4x3xf32>, %l: tensor<4x1xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op (cross_entropy_c1) expects logits [N, C] and labels [N], got 4x3 and 4x1}}
  %0 = nn.cross_entropy %x, %l : tensor<4x3xf32>, tensor<4x1xi64>
  return
}

// -----

/// cross_entropy_c2: 4 rows of logits, 5 labels.
func.func @cross_entropy_c2(%x: tensor<4x3xf32>, %l: tensor<5xi32>) {
  // expected-error @+1 {{'nn.cross_entropy' op (cross_entropy_c2) batch sizes differ: 4 logits rows vs 5 labels}}
  %0 = nn.cross_entropy %x, %l : tensor<4x3xf32>, tensor<5xi32>
  return
}

// -----

/// ODS: labels are integers, not f32 (use binary_cross_entropy or mse).
func.func @cross_entropy_f32_labels(%x: tensor<4x3xf32>, %l: tensor<4xf32>) {
  // expected-error @+1 {{'nn.cross_entropy' op operand #1 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = nn.cross_entropy %x, %l : tensor<4x3xf32>, tensor<4xf32>
  return
}

// -----

/// ODS: mse takes two operands of the same type (no broadcasting).
func.func @mse_types(%x: tensor<4xf32>, %y: tensor<1xf32>) {
  // expected-error @+1 {{'nn.mse' op requires all operands to have the same type}}
  %0 = "nn.mse"(%x, %y) : (tensor<4xf32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

/// ODS: losses return a rank-0 tensor.
func.func @loss_result(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.binary_cross_entropy' op result #0 must be 0D tensor of 32-bit float values, but got 'tensor<1xf32>'}}
  %0 = "nn.binary_cross_entropy"(%x, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<1xf32>
  return
}

// -----

/// ODS: the reduction enum is mean or sum.
func.func @loss_reduction(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.mse' op attribute 'reduction' failed to satisfy constraint: loss reduction}}
  %0 = "nn.mse"(%x, %x) {reduction = 2 : i32} : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return
}

//===----------------------------------------------------------------------===//
// Parse errors
//===----------------------------------------------------------------------===//

// -----

/// Parse error: `max` is not a reduction.
func.func @parse_reduction(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'reduction' [mean, sum]}}
  %0 = nn.mse %x, %x reduction = max : tensor<4xf32>
  return
}

// -----

/// Parse error: the operand type contradicts the value's type.
// expected-note @+1 {{prior use here}}
func.func @parse_type_mismatch(%x: tensor<4xf32>) {
  // expected-error @+1 {{use of value '%x' expects different type than prior uses: 'tensor<5xf32>' vs 'tensor<4xf32>'}}
  %0 = nn.relu %x : tensor<5xf32>
  return
}

//===----------------------------------------------------------------------===//
// Learning-rate schedules, updates and penalties
//===----------------------------------------------------------------------===//

// -----

/// lr_schedule_c1: a negative learning rate.
func.func @lr_schedule_c1(%s: tensor<i64>) {
  // expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c1) 'lr' must be finite and >= 0, got -0.1}}
  %0 = nn.lr_schedule %s constant {lr = -0.1}
  return
}

// -----

/// lr_schedule_c2: `step` needs `gamma`.
func.func @lr_schedule_c2_missing(%s: tensor<i64>) {
  // expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c2) 'step' needs attribute 'gamma'}}
  %0 = nn.lr_schedule %s step {lr = 0.1, step_size = 10}
  return
}

// -----

/// lr_schedule_c2: `constant` takes no `total_steps`.
func.func @lr_schedule_c2_extra(%s: tensor<i64>) {
  // expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c2) 'constant' does not take attribute 'total_steps'}}
  %0 = nn.lr_schedule %s constant {lr = 0.1, total_steps = 10}
  return
}

// -----

/// lr_schedule_c2: only `cosine` takes `min_lr`.
func.func @lr_schedule_c2_min_lr(%s: tensor<i64>) {
  // expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c2) 'step' does not take attribute 'min_lr'}}
  %0 = nn.lr_schedule %s step {lr = 0.1, step_size = 10, gamma = 0.5, min_lr = 0.0}
  return
}

// -----

/// lr_schedule_c3: a step size of 0 would divide by zero.
func.func @lr_schedule_c3_step_size(%s: tensor<i64>) {
  // expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c3) 'step_size' must be >= 1, got 0}}
  %0 = nn.lr_schedule %s step {lr = 0.1, step_size = 0, gamma = 0.5}
  return
}

// -----

/// lr_schedule_c3: a cosine schedule needs at least one step.
func.func @lr_schedule_c3_total_steps(%s: tensor<i64>) {
  // expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c3) 'total_steps' must be >= 1, got 0}}
  %0 = nn.lr_schedule %s cosine {lr = 0.1, total_steps = 0}
  return
}

// -----

/// lr_schedule_c3: a negative decay factor.
func.func @lr_schedule_c3_gamma(%s: tensor<i64>) {
  // expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c3) 'gamma' must be finite and >= 0, got -0.5}}
  %0 = nn.lr_schedule %s step {lr = 0.1, step_size = 10, gamma = -0.5}
  return
}

// -----

/// lr_schedule_c3: the floor of a cosine schedule is above its start.
func.func @lr_schedule_c3_min_lr(%s: tensor<i64>) {
  // expected-error @+1 {{'nn.lr_schedule' op (lr_schedule_c3) 'min_lr' must be finite and >= 0 and <= 0.1, got 0.2}}
  %0 = nn.lr_schedule %s cosine {lr = 0.1, total_steps = 10, min_lr = 0.2}
  return
}

// -----

/// ODS: the step count is a tensor<i64>.
func.func @lr_schedule_step_type(%s: tensor<i32>) {
  // expected-error @+1 {{'nn.lr_schedule' op operand #0 must be 0D tensor of 64-bit signless integer values, but got 'tensor<i32>'}}
  %0 = "nn.lr_schedule"(%s) <{kind = 0 : i32, lr = 0.1 : f64}> : (tensor<i32>) -> tensor<f32>
  return
}

// -----

/// Parse error: `linear` is not a schedule.
func.func @parse_lr_schedule_kind(%s: tensor<i64>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [constant, step, cosine]}}
  %0 = nn.lr_schedule %s linear {lr = 0.1}
  return
}

// -----

/// sgd_c1: the gradient has another shape than the parameter.
func.func @sgd_c1(%p: tensor<4xf32>, %g: tensor<3xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.sgd' op failed to verify that (sgd_c1) all of {param, grad, new_param} have the same type}}
  %0 = "nn.sgd"(%p, %g, %lr) : (tensor<4xf32>, tensor<3xf32>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

/// sgd_c2: negative weight decay.
func.func @sgd_c2(%p: tensor<4xf32>, %g: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.sgd' op (sgd_c2) 'weight_decay' must be finite and >= 0, got -0.01}}
  %0 = nn.sgd %p, %g, %lr {weight_decay = -0.01} : tensor<4xf32>
  return
}

// -----

/// ODS: the learning rate is a scalar, not a tensor of rates.
func.func @sgd_lr_type(%p: tensor<4xf32>, %g: tensor<4xf32>, %lr: tensor<4xf32>) {
  // expected-error @+1 {{'nn.sgd' op operand #2 must be 0D tensor of 32-bit float values, but got 'tensor<4xf32>'}}
  %0 = "nn.sgd"(%p, %g, %lr) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

/// momentum_c1: the buffer has another shape than the parameter.
func.func @momentum_c1(%p: tensor<4xf32>, %b: tensor<2x2xf32>, %s: tensor<i64>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.momentum' op failed to verify that (momentum_c1) all of {param, grad, buf, new_param, new_buf} have the same type}}
  %0:2 = "nn.momentum"(%p, %p, %b, %s, %lr) : (tensor<4xf32>, tensor<4xf32>, tensor<2x2xf32>, tensor<i64>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

/// momentum_c2: negative momentum.
func.func @momentum_c2(%p: tensor<4xf32>, %s: tensor<i64>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.momentum' op (momentum_c2) 'momentum' must be finite and >= 0, got -0.9}}
  %0:2 = nn.momentum %p, %p, %p, %s, %lr {momentum = -0.9} : tensor<4xf32>
  return
}

// -----

/// momentum_c2: dampening may be any finite value, but not NaN.
func.func @momentum_c2_dampening(%p: tensor<4xf32>, %s: tensor<i64>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.momentum' op (momentum_c2) 'dampening' must be finite, got nan}}
  %0:2 = nn.momentum %p, %p, %p, %s, %lr {dampening = 0x7FF8000000000000 : f64} : tensor<4xf32>
  return
}

// -----

/// momentum_c3: Nesterov momentum with dampening.
func.func @momentum_c3(%p: tensor<4xf32>, %s: tensor<i64>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.momentum' op (momentum_c3) 'nesterov' needs momentum > 0 and dampening == 0, got momentum 0.9 and dampening 0.1}}
  %0:2 = nn.momentum %p, %p, %p, %s, %lr {dampening = 0.1, nesterov} : tensor<4xf32>
  return
}

// -----

/// ODS: the step count is a tensor<i64>, not a float.
func.func @momentum_step_type(%p: tensor<4xf32>, %s: tensor<f32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.momentum' op operand #3 must be 0D tensor of 64-bit signless integer values, but got 'tensor<f32>'}}
  %0:2 = "nn.momentum"(%p, %p, %p, %s, %lr) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

/// rmsprop_c1: a result type that differs from the parameter's.
func.func @rmsprop_c1(%p: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.rmsprop' op failed to verify that (rmsprop_c1) all of {param, grad, square_avg, new_param, new_square_avg} have the same type}}
  %0:2 = "nn.rmsprop"(%p, %p, %p, %lr) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<5xf32>)
  return
}

// -----

/// rmsprop_c2: the smoothing constant is above 1.
func.func @rmsprop_c2(%p: tensor<4xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.rmsprop' op (rmsprop_c2) 'alpha' must be finite and >= 0 and <= 1, got 1.5}}
  %0:2 = nn.rmsprop %p, %p, %p, %lr {alpha = 1.5} : tensor<4xf32>
  return
}

// -----

/// adam_c1: the second moment has another shape than the parameter.
func.func @adam_c1(%p: tensor<4xf32>, %v: tensor<5xf32>, %s: tensor<i64>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.adam' op failed to verify that (adam_c1) all of {param, grad, exp_avg, exp_avg_sq, new_param, new_exp_avg, new_exp_avg_sq} have the same type}}
  %0:3 = "nn.adam"(%p, %p, %p, %v, %s, %lr) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<5xf32>, tensor<i64>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

/// adam_c2: beta1 = 1 makes the bias correction 0.
func.func @adam_c2(%p: tensor<4xf32>, %s: tensor<i64>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.adam' op (adam_c2) 'beta1' must be finite and >= 0 and < 1, got 1}}
  %0:3 = nn.adam %p, %p, %p, %p, %s, %lr {beta1 = 1.0} : tensor<4xf32>
  return
}

// -----

/// adamw_c1: the gradient is f32 but of another shape.
func.func @adamw_c1(%p: tensor<4xf32>, %g: tensor<1x4xf32>, %s: tensor<i64>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.adamw' op failed to verify that (adamw_c1) all of {param, grad, exp_avg, exp_avg_sq, new_param, new_exp_avg, new_exp_avg_sq} have the same type}}
  %0:3 = "nn.adamw"(%p, %g, %p, %p, %s, %lr) : (tensor<4xf32>, tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<i64>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

/// adamw_c2: a negative epsilon.
func.func @adamw_c2(%p: tensor<4xf32>, %s: tensor<i64>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nn.adamw' op (adamw_c2) 'eps' must be finite and >= 0, got -1e-08}}
  %0:3 = nn.adamw %p, %p, %p, %p, %s, %lr {eps = -1.0e-8} : tensor<4xf32>
  return
}

// -----

/// l1_penalty_c1: a negative strength.
func.func @l1_penalty_c1(%w: tensor<4xf32>) {
  // expected-error @+1 {{'nn.l1_penalty' op (l1_penalty_c1) 'lambda' must be finite and >= 0, got -1}}
  %0 = nn.l1_penalty %w lambda = -1.0 : tensor<4xf32>
  return
}

// -----

/// l2_penalty_c1: an infinite strength.
func.func @l2_penalty_c1(%w: tensor<4xf32>) {
  // expected-error @+1 {{'nn.l2_penalty' op (l2_penalty_c1) 'lambda' must be finite and >= 0, got inf}}
  %0 = nn.l2_penalty %w lambda = 0x7FF0000000000000 : tensor<4xf32>
  return
}

// -----

/// conv2d_c1: the input has no batch dimension.
func.func @conv2d_c1(%x: tensor<1x28x28xf32>, %w: tensor<6x1x5x5xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c1) expects input [N, C, H, W] and filter [F, C/groups, KH, KW], got 1x28x28 and 6x1x5x5}}
  %0 = nn.conv2d %x, %w : tensor<1x28x28xf32>, tensor<6x1x5x5xf32>
  return
}

// -----

/// conv2d_c2: a one-entry stride.
func.func @conv2d_c2(%x: tensor<1x1x8x8xf32>, %w: tensor<2x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c2) stride, padding and dilation need 2 entries each}}
  %0 = nn.conv2d %x, %w stride = [1] : tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>
  return
}

// -----

/// conv2d_c3: a zero stride.
func.func @conv2d_c3_stride(%x: tensor<1x1x8x8xf32>, %w: tensor<2x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c3) needs stride >= 1, padding >= 0, dilation >= 1 and groups >= 1, got stride [0, 1], padding [0, 0], dilation [1, 1], groups 1}}
  %0 = nn.conv2d %x, %w stride = [0, 1] : tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>
  return
}

// -----

/// conv2d_c3: negative padding.
func.func @conv2d_c3_padding(%x: tensor<1x1x8x8xf32>, %w: tensor<2x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c3) needs stride >= 1, padding >= 0, dilation >= 1 and groups >= 1, got stride [1, 1], padding [0, -1], dilation [1, 1], groups 1}}
  %0 = nn.conv2d %x, %w padding = [0, -1] : tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>
  return
}

// -----

/// conv2d_c3: zero groups.
func.func @conv2d_c3_groups(%x: tensor<1x1x8x8xf32>, %w: tensor<2x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c3) needs stride >= 1, padding >= 0, dilation >= 1 and groups >= 1, got stride [1, 1], padding [0, 0], dilation [1, 1], groups 0}}
  %0 = nn.conv2d %x, %w groups = 0 : tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>
  return
}

// -----

/// conv2d_c4: 2 groups of 3 input channels do not exist.
func.func @conv2d_c4(%x: tensor<1x3x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c4) groups 2 must divide the input channels 3 and the filters 4}}
  %0 = nn.conv2d %x, %w groups = 2 : tensor<1x3x8x8xf32>, tensor<4x1x3x3xf32>
  return
}

// -----

/// conv2d_c5: the filter's channels do not match the input's.
func.func @conv2d_c5(%x: tensor<1x6x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c5) filter has 2 channels but C / groups = 6 / 1 = 6}}
  %0 = nn.conv2d %x, %w : tensor<1x6x8x8xf32>, tensor<4x2x3x3xf32>
  return
}

// -----

/// conv2d_c6: an empty kernel.
func.func @conv2d_c6(%x: tensor<1x6x8x8xf32>, %w: tensor<4x6x0x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c6) kernel 0x3 must be at least 1x1}}
  %0 = nn.conv2d %x, %w : tensor<1x6x8x8xf32>, tensor<4x6x0x3xf32>
  return
}

// -----

/// conv2d_c7: a 7x7 kernel does not fit in a 5x5 image (floor division:
/// (5 - 6 - 1) / 2 = -1).
func.func @conv2d_c7_height(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x7x7xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c7) output height (H + 2*pad - dil*(KH-1) - 1) / stride + 1 = (5 + 2*0 - 1*(7-1) - 1) / 2 + 1 = 0 must be >= 1}}
  %0 = nn.conv2d %x, %w stride = [2, 2] : tensor<1x1x5x5xf32>, tensor<1x1x7x7xf32>
  return
}

// -----

/// conv2d_c7: dilation widens the kernel past the image.
func.func @conv2d_c7_width(%x: tensor<1x1x8x4xf32>, %w: tensor<1x1x1x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c7) output width (W + 2*pad - dil*(KW-1) - 1) / stride + 1 = (4 + 2*0 - 2*(3-1) - 1) / 1 + 1 = 0 must be >= 1}}
  %0 = nn.conv2d %x, %w dilation = [1, 2] : tensor<1x1x8x4xf32>, tensor<1x1x1x3xf32>
  return
}

// -----

/// conv2d_c7: padding so large that the extent overflows.
func.func @conv2d_c7_overflow(%x: tensor<1x1x8x8xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c7) output height (H + 2*pad - dil*(KH-1) - 1) / stride + 1 = (8 + 2*4611686018427387904 - 1*(3-1) - 1) / 1 + 1 overflows 64 bits}}
  %0 = nn.conv2d %x, %w padding = [4611686018427387904, 0] : tensor<1x1x8x8xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

/// conv2d_c8: one bias per filter.
func.func @conv2d_c8(%x: tensor<1x1x8x8xf32>, %w: tensor<6x1x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'nn.conv2d' op (conv2d_c8) bias must have shape 6, got 4}}
  %0 = nn.conv2d %x, %w, %b : tensor<1x1x8x8xf32>, tensor<6x1x3x3xf32>, tensor<4xf32>
  return
}

// -----

/// conv2d_backward_input_c1: a rank-3 output gradient.
func.func @conv2d_backward_input_c1(%dy: tensor<1x4x6xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op (conv2d_backward_input_c1) expects output gradient [N, F, OH, OW], filter [F, C/groups, KH, KW] and result [N, C, H, W], got 1x4x6, 4x3x3x3 and 1x3x8x8}}
  %0 = nn.conv2d_backward_input %dy, %w : tensor<1x4x6xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

/// conv2d_backward_input_c2: a three-entry stride.
func.func @conv2d_backward_input_c2(%dy: tensor<1x4x6x6xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op (conv2d_backward_input_c2) stride, padding and dilation need 2 entries each}}
  %0 = nn.conv2d_backward_input %dy, %w stride = [1, 1, 1] : tensor<1x4x6x6xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

/// conv2d_backward_input_c3: a zero dilation.
func.func @conv2d_backward_input_c3(%dy: tensor<1x4x6x6xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op (conv2d_backward_input_c3) needs stride >= 1, padding >= 0, dilation >= 1 and groups >= 1, got stride [1, 1], padding [0, 0], dilation [0, 1], groups 1}}
  %0 = nn.conv2d_backward_input %dy, %w dilation = [0, 1] : tensor<1x4x6x6xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

/// conv2d_backward_input_c4: 2 groups of 3 input channels do not exist.
func.func @conv2d_backward_input_c4(%dy: tensor<1x4x6x6xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op (conv2d_backward_input_c4) groups 2 must divide the input channels 3 and the filters 4}}
  %0 = nn.conv2d_backward_input %dy, %w groups = 2 : tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

/// conv2d_backward_input_c5: the filter's channels do not match the result's.
func.func @conv2d_backward_input_c5(%dy: tensor<1x4x6x6xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op (conv2d_backward_input_c5) filter has 3 channels but C / groups = 6 / 1 = 6}}
  %0 = nn.conv2d_backward_input %dy, %w : tensor<1x4x6x6xf32>, tensor<4x3x3x3xf32> -> tensor<1x6x8x8xf32>
  return
}

// -----

/// conv2d_backward_input_c6: an empty kernel.
func.func @conv2d_backward_input_c6(%dy: tensor<1x4x6x6xf32>, %w: tensor<4x3x3x0xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op (conv2d_backward_input_c6) kernel 3x0 must be at least 1x1}}
  %0 = nn.conv2d_backward_input %dy, %w : tensor<1x4x6x6xf32>, tensor<4x3x3x0xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

/// conv2d_backward_input_c7: the result is smaller than the kernel.
func.func @conv2d_backward_input_c7(%dy: tensor<1x4x1x6xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op (conv2d_backward_input_c7) output height (H + 2*pad - dil*(KH-1) - 1) / stride + 1 = (2 + 2*0 - 1*(3-1) - 1) / 1 + 1 = 0 must be >= 1}}
  %0 = nn.conv2d_backward_input %dy, %w : tensor<1x4x1x6xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x2x8xf32>
  return
}

// -----

/// conv2d_backward_input_c8: the output gradient does not fit the result.
func.func @conv2d_backward_input_c8(%dy: tensor<1x4x5x6xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op (conv2d_backward_input_c8) output gradient has shape 1x4x5x6 but conv2d of 1x3x8x8 with filter 4x3x3x3 gives 1x4x6x6}}
  %0 = nn.conv2d_backward_input %dy, %w : tensor<1x4x5x6xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

/// conv2d_backward_filter_c1: a rank-3 output gradient.
func.func @conv2d_backward_filter_c1(%dy: tensor<4x6x6xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op (conv2d_backward_filter_c1) expects output gradient [N, F, OH, OW], input [N, C, H, W] and result [F, C/groups, KH, KW], got 4x6x6, 1x3x8x8 and 4x3x3x3}}
  %0 = nn.conv2d_backward_filter %dy, %x : tensor<4x6x6xf32>, tensor<1x3x8x8xf32> -> tensor<4x3x3x3xf32>
  return
}

// -----

/// conv2d_backward_filter_c2: a one-entry padding.
func.func @conv2d_backward_filter_c2(%dy: tensor<1x4x6x6xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op (conv2d_backward_filter_c2) stride, padding and dilation need 2 entries each}}
  %0 = nn.conv2d_backward_filter %dy, %x padding = [1] : tensor<1x4x6x6xf32>, tensor<1x3x8x8xf32> -> tensor<4x3x3x3xf32>
  return
}

// -----

/// conv2d_backward_filter_c3: zero groups.
func.func @conv2d_backward_filter_c3(%dy: tensor<1x4x6x6xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op (conv2d_backward_filter_c3) needs stride >= 1, padding >= 0, dilation >= 1 and groups >= 1, got stride [1, 1], padding [0, 0], dilation [1, 1], groups 0}}
  %0 = nn.conv2d_backward_filter %dy, %x groups = 0 : tensor<1x4x6x6xf32>, tensor<1x3x8x8xf32> -> tensor<4x3x3x3xf32>
  return
}

// -----

/// conv2d_backward_filter_c4: 3 groups divide 3 channels but not 4 filters.
func.func @conv2d_backward_filter_c4(%dy: tensor<1x4x6x6xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op (conv2d_backward_filter_c4) groups 3 must divide the input channels 3 and the filters 4}}
  %0 = nn.conv2d_backward_filter %dy, %x groups = 3 : tensor<1x4x6x6xf32>, tensor<1x3x8x8xf32> -> tensor<4x1x3x3xf32>
  return
}

// -----

/// conv2d_backward_filter_c5: the result's channels do not match the input's
/// channels per group.
func.func @conv2d_backward_filter_c5(%dy: tensor<1x4x6x6xf32>, %x: tensor<1x6x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op (conv2d_backward_filter_c5) filter has 2 channels but C / groups = 6 / 2 = 3}}
  %0 = nn.conv2d_backward_filter %dy, %x groups = 2 : tensor<1x4x6x6xf32>, tensor<1x6x8x8xf32> -> tensor<4x2x3x3xf32>
  return
}

// -----

/// conv2d_backward_filter_c6: an empty kernel.
func.func @conv2d_backward_filter_c6(%dy: tensor<1x4x6x6xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op (conv2d_backward_filter_c6) kernel 0x0 must be at least 1x1}}
  %0 = nn.conv2d_backward_filter %dy, %x : tensor<1x4x6x6xf32>, tensor<1x3x8x8xf32> -> tensor<4x3x0x0xf32>
  return
}

// -----

/// conv2d_backward_filter_c7: a dilated kernel larger than the input.
func.func @conv2d_backward_filter_c7(%dy: tensor<1x4x6x6xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op (conv2d_backward_filter_c7) output height (H + 2*pad - dil*(KH-1) - 1) / stride + 1 = (8 + 2*0 - 4*(3-1) - 1) / 1 + 1 = 0 must be >= 1}}
  %0 = nn.conv2d_backward_filter %dy, %x dilation = [4, 1] : tensor<1x4x6x6xf32>, tensor<1x3x8x8xf32> -> tensor<4x3x3x3xf32>
  return
}

// -----

/// conv2d_backward_filter_c8: the output gradient has another batch size.
func.func @conv2d_backward_filter_c8(%dy: tensor<2x4x6x6xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op (conv2d_backward_filter_c8) output gradient has shape 2x4x6x6 but conv2d of 1x3x8x8 with filter 4x3x3x3 gives 1x4x6x6}}
  %0 = nn.conv2d_backward_filter %dy, %x : tensor<2x4x6x6xf32>, tensor<1x3x8x8xf32> -> tensor<4x3x3x3xf32>
  return
}

// -----

/// max_pool2d_c1: no batch dimension.
func.func @max_pool2d_c1(%x: tensor<3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op (max_pool2d_c1) expects an input [N, C, H, W], got 3x8x8}}
  %0 = nn.max_pool2d %x kernel = [2, 2] : tensor<3x8x8xf32>
  return
}

// -----

/// max_pool2d_c2: a one-entry kernel.
func.func @max_pool2d_c2(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op (max_pool2d_c2) kernel, stride and padding need 2 entries each}}
  %0 = nn.max_pool2d %x kernel = [2] : tensor<1x3x8x8xf32>
  return
}

// -----

/// max_pool2d_c3: an empty kernel (the stride defaults to it).
func.func @max_pool2d_c3(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op (max_pool2d_c3) needs kernel >= 1, stride >= 1 and padding >= 0, got kernel [0, 2], stride [0, 2], padding [0, 0]}}
  %0 = nn.max_pool2d %x kernel = [0, 2] : tensor<1x3x8x8xf32>
  return
}

// -----

/// max_pool2d_c4: padding beyond half the kernel.
func.func @max_pool2d_c4(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op (max_pool2d_c4) padding [2, 0] must be at most half the kernel [2, 2]}}
  %0 = nn.max_pool2d %x kernel = [2, 2] padding = [2, 0] : tensor<1x3x8x8xf32>
  return
}

// -----

/// max_pool2d_c5: the kernel is taller than the image.
func.func @max_pool2d_c5(%x: tensor<1x1x3x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op (max_pool2d_c5) output height (H + 2*pad - kernel) / stride + 1 = (3 + 2*0 - 4) / 4 + 1 = 0 must be >= 1}}
  %0 = nn.max_pool2d %x kernel = [4, 2] : tensor<1x1x3x8xf32>
  return
}

// -----

/// avg_pool2d_c1: a matrix is not an image.
func.func @avg_pool2d_c1(%x: tensor<8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op (avg_pool2d_c1) expects an input [N, C, H, W], got 8x8}}
  %0 = nn.avg_pool2d %x kernel = [2, 2] : tensor<8x8xf32>
  return
}

// -----

/// avg_pool2d_c2: a three-entry stride.
func.func @avg_pool2d_c2(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op (avg_pool2d_c2) kernel, stride and padding need 2 entries each}}
  %0 = nn.avg_pool2d %x kernel = [2, 2] stride = [1, 1, 1] : tensor<1x3x8x8xf32>
  return
}

// -----

/// avg_pool2d_c3: negative padding.
func.func @avg_pool2d_c3(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op (avg_pool2d_c3) needs kernel >= 1, stride >= 1 and padding >= 0, got kernel [2, 2], stride [1, 1], padding [-1, 0]}}
  %0 = nn.avg_pool2d %x kernel = [2, 2] stride = [1, 1] padding = [-1, 0] : tensor<1x3x8x8xf32>
  return
}

// -----

/// avg_pool2d_c4: padding beyond half the kernel in width.
func.func @avg_pool2d_c4(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op (avg_pool2d_c4) padding [1, 2] must be at most half the kernel [3, 3]}}
  %0 = nn.avg_pool2d %x kernel = [3, 3] padding = [1, 2] : tensor<1x3x8x8xf32>
  return
}

// -----

/// avg_pool2d_c5: the kernel is wider than the image.
func.func @avg_pool2d_c5(%x: tensor<1x1x8x2xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op (avg_pool2d_c5) output width (W + 2*pad - kernel) / stride + 1 = (2 + 2*0 - 3) / 1 + 1 = 0 must be >= 1}}
  %0 = nn.avg_pool2d %x kernel = [3, 3] stride = [1, 1] : tensor<1x1x8x2xf32>
  return
}

// -----

/// max_pool2d_backward_c1: no batch dimension.
func.func @max_pool2d_backward_c1(%dy: tensor<3x4x4xf32>, %x: tensor<3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_backward' op (max_pool2d_backward_c1) expects an input [N, C, H, W], got 3x8x8}}
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<3x4x4xf32>, tensor<3x8x8xf32>
  return
}

// -----

/// max_pool2d_backward_c2: a one-entry padding.
func.func @max_pool2d_backward_c2(%dy: tensor<1x3x4x4xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_backward' op (max_pool2d_backward_c2) kernel, stride and padding need 2 entries each}}
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] padding = [0] : tensor<1x3x4x4xf32>, tensor<1x3x8x8xf32>
  return
}

// -----

/// max_pool2d_backward_c3: a zero stride.
func.func @max_pool2d_backward_c3(%dy: tensor<1x3x4x4xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_backward' op (max_pool2d_backward_c3) needs kernel >= 1, stride >= 1 and padding >= 0, got kernel [2, 2], stride [2, 0], padding [0, 0]}}
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] stride = [2, 0] : tensor<1x3x4x4xf32>, tensor<1x3x8x8xf32>
  return
}

// -----

/// max_pool2d_backward_c4: padding beyond half the kernel.
func.func @max_pool2d_backward_c4(%dy: tensor<1x3x4x4xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_backward' op (max_pool2d_backward_c4) padding [1, 1] must be at most half the kernel [1, 1]}}
  %0 = nn.max_pool2d_backward %dy, %x kernel = [1, 1] padding = [1, 1] : tensor<1x3x4x4xf32>, tensor<1x3x8x8xf32>
  return
}

// -----

/// max_pool2d_backward_c5: the kernel is larger than the image.
func.func @max_pool2d_backward_c5(%dy: tensor<1x3x1x1xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_backward' op (max_pool2d_backward_c5) output height (H + 2*pad - kernel) / stride + 1 = (8 + 2*0 - 9) / 9 + 1 = 0 must be >= 1}}
  %0 = nn.max_pool2d_backward %dy, %x kernel = [9, 9] : tensor<1x3x1x1xf32>, tensor<1x3x8x8xf32>
  return
}

// -----

/// max_pool2d_backward_c6: the output gradient does not fit the input.
func.func @max_pool2d_backward_c6(%dy: tensor<1x3x3x3xf32>, %x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_backward' op (max_pool2d_backward_c6) output gradient has shape 1x3x3x3 but max_pool2d of 1x3x8x8 gives 1x3x4x4}}
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<1x3x3x3xf32>, tensor<1x3x8x8xf32>
  return
}

// -----

/// global_avg_pool_c1: a matrix is not an image.
func.func @global_avg_pool_c1(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.global_avg_pool' op (global_avg_pool_c1) expects an input [N, C, H, W], got 4x8}}
  %0 = nn.global_avg_pool %x : tensor<4x8xf32>
  return
}

// -----

/// global_avg_pool_c2: no pixel to average.
func.func @global_avg_pool_c2(%x: tensor<1x2x0x3xf32>) {
  // expected-error @+1 {{'nn.global_avg_pool' op (global_avg_pool_c2) spatial size 0x3 must be at least 1x1}}
  %0 = nn.global_avg_pool %x : tensor<1x2x0x3xf32>
  return
}

// -----

/// flatten_c1: a vector has no dimension to flatten.
func.func @flatten_c1(%x: tensor<5xf32>) {
  // expected-error @+1 {{'nn.flatten' op (flatten_c1) expects an input of rank >= 2, got 5}}
  %0 = nn.flatten %x : tensor<5xf32>
  return
}

// -----

/// shape_c1: an empty tensor whose flattened dimension overflows.
func.func @flatten_overflow(%x: tensor<0x4294967296x4294967296xi1>) {
  // expected-error @+1 {{'nn.flatten' op (shape_c1) the flattened dimension overflows 64 bits}}
  %0 = nn.flatten %x : tensor<0x4294967296x4294967296xi1>
  return
}

// -----

/// Dynamic shapes are an ODS type error (no constraint number); type
/// inference leaves them to ODS instead of computing with unknown sizes.
func.func @max_pool2d_dynamic(%x: tensor<1x1x?x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<1x1x?x8xf32>'}}
  %0 = nn.max_pool2d %x kernel = [2, 2] : tensor<1x1x?x8xf32>
  return
}

// -----

/// Convolutions are f32 only.
func.func @conv2d_integer(%x: tensor<1x1x8x8xi32>, %w: tensor<2x1x3x3xi32>) {
  // expected-error @+1 {{'nn.conv2d' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<1x1x8x8xi32>'}}
  %0 = nn.conv2d %x, %w : tensor<1x1x8x8xi32>, tensor<2x1x3x3xi32>
  return
}

// -----

/// The generic form must state the inferred result type.
func.func @conv2d_wrong_result(%x: tensor<1x1x8x8xf32>, %w: tensor<2x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op inferred type(s) 'tensor<1x2x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x2x6x5xf32>'}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = "nn.conv2d"(%x, %w) : (tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x6x5xf32>
  return
}

// -----

func.func @constant_c1() -> tensor<4097x4097xf32> {
  // expected-error @+1 {{'nn.constant' op (constant_c1) a constant is stored in the program and may have at most 16777216 elements; this one has 16785409 (use a parameter or an input for large data)}}
  %c = nn.constant dense<0.0> : tensor<4097x4097xf32>
  return %c : tensor<4097x4097xf32>
}
