// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// conv2d with one group: zero padding, the im2col matrix cols[C*KH*KW,
/// N*OH*OW] (a 6-D copy reading the padded input at oh*2 + kh and
/// ow*2 + kw*2, collapsed to 27x32), the filter collapsed to [F, C*KH*KW],
/// their linalg.matmul into zeros, and one generic adding the bias to the
/// product, read transposed through a linearizing map (no reshape of the
/// product).
// CHECK-DAG: #[[IM2COL:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 * 2 + d1, d5 * 2 + d2 * 2)>
// CHECK-DAG: #[[ID6:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-DAG: #[[PROD:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, (d0 * 4 + d2) * 4 + d3)>
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv2d(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 1, 2]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<2x3x8x8xf32> to tensor<2x3x10x12xf32>
// CHECK: %[[W2:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<4x3x3x3xf32> into tensor<4x27xf32>
// CHECK-NOT: scf.for
// CHECK: %[[WIN:.*]] = linalg.generic {indexing_maps = [#[[IM2COL]], #[[ID6]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[XP]] : tensor<2x3x10x12xf32>) outs(%{{.*}} : tensor<3x3x3x2x4x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[WIN]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<3x3x3x2x4x4xf32> into tensor<27x32xf32>
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4x32xf32>)
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[W2]], %[[COLS]] : tensor<4x27xf32>, tensor<27x32xf32>) outs(%[[Z]] : tensor<4x32xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x4x4x4xf32>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[PROD]], #[[BIAS]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[P]], %[[B]] : tensor<4x32xf32>, tensor<4xf32>) outs(%[[E]] : tensor<2x4x4x4xf32>)
// CHECK-NEXT: ^bb0(%[[PV:.*]]: f32, %[[BV:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[BV]], %[[PV]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[Y]]
// CHECK-NOT: nn.
// CHECK-NOT: linalg.conv
func.func @conv2d(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x4xf32> {
  %0 = nn.conv2d %x, %w, %b stride = [2, 2] padding = [1, 2] dilation = [1, 2] : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>
  return %0 : tensor<2x4x4x4xf32>
}

// -----

/// When the im2col matrix of the batch would exceed 64K elements (here
/// 144 x 3*256), it is built and multiplied in blocks of examples (the
/// largest divisor of N whose block fits, here 1), in an scf.for: each block
/// reads its examples of the input with tensor.extract_slice and inserts its
/// part of the result with tensor.insert_slice. Three blocks do not split
/// into two parts: the loop is serial.
// CHECK-DAG: #[[PROD:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, (d0 * 16 + d2) * 16 + d3)>
// CHECK-LABEL: func.func @conv2d_blocks(
// CHECK-SAME: %[[X:.*]]: tensor<3x16x18x18xf32>, %[[W:.*]]: tensor<4x16x3x3xf32>
// CHECK: %[[W2:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<4x16x3x3xf32> into tensor<4x144xf32>
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<3x4x16x16xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NOT: scf.forall
// CHECK: %[[Y:.*]] = scf.for %[[N0:.*]] = %[[C0]] to %[[C3]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[INIT]]) -> (tensor<3x4x16x16xf32>) {
// CHECK: %[[XB:.*]] = tensor.extract_slice %[[X]][%[[N0]], 0, 0, 0] [1, 16, 18, 18] [1, 1, 1, 1] : tensor<3x16x18x18xf32> to tensor<1x16x18x18xf32>
// CHECK: %[[WIN:.*]] = linalg.generic {{.*}} ins(%[[XB]] : tensor<1x16x18x18xf32>) outs(%{{.*}} : tensor<16x3x3x1x16x16xf32>)
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[WIN]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<16x3x3x1x16x16xf32> into tensor<144x256xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[W2]], %[[COLS]] : tensor<4x144xf32>, tensor<144x256xf32>) outs(%{{.*}} : tensor<4x256xf32>)
// CHECK: %[[YB:.*]] = linalg.generic {indexing_maps = [#[[PROD]], {{.*}}]{{.*}} ins(%[[P]] : tensor<4x256xf32>) outs(%{{.*}} : tensor<1x4x16x16xf32>)
// CHECK: %[[NEXT:.*]] = tensor.insert_slice %[[YB]] into %[[ACC]][%[[N0]], 0, 0, 0] [1, 4, 16, 16] [1, 1, 1, 1] : tensor<1x4x16x16xf32> into tensor<3x4x16x16xf32>
// CHECK: scf.yield %[[NEXT]] : tensor<3x4x16x16xf32>
// CHECK: return %[[Y]]
func.func @conv2d_blocks(%x: tensor<3x16x18x18xf32>, %w: tensor<4x16x3x3xf32>) -> tensor<3x4x16x16xf32> {
  %0 = nn.conv2d %x, %w : tensor<3x16x18x18xf32>, tensor<4x16x3x3xf32>
  return %0 : tensor<3x4x16x16xf32>
}

// -----

/// Four blocks of one example split into two parts of two blocks, which may
/// run at once: an scf.forall over the parts, each an scf.for over its
/// blocks that fills its slice of the result (examples 2 * part + i) and
/// inserts it with tensor.parallel_insert_slice.
// CHECK-LABEL: func.func @conv2d_parts(
// CHECK-SAME: %[[X:.*]]: tensor<4x16x18x18xf32>
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4x4x16x16xf32>
// CHECK: %[[Y:.*]] = scf.forall (%[[PART:.*]]) in (2) shared_outs(%[[OUT:.*]] = %[[INIT]]) -> (tensor<4x4x16x16xf32>) {
// CHECK: %[[START:.*]] = arith.muli %[[PART]], %{{.*}} : index
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][%[[START]], 0, 0, 0] [2, 4, 16, 16] [1, 1, 1, 1] : tensor<4x4x16x16xf32> to tensor<2x4x16x16xf32>
// CHECK: %[[YP:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[SLICE]]) -> (tensor<2x4x16x16xf32>) {
// CHECK: %[[FIRST:.*]] = arith.addi %[[START]], %[[I]] : index
// CHECK: tensor.extract_slice %[[X]][%[[FIRST]], 0, 0, 0] [1, 16, 18, 18] [1, 1, 1, 1]
// CHECK: linalg.matmul
// CHECK: %[[NEXT:.*]] = tensor.insert_slice %{{.*}} into %[[ACC]][%[[I]], 0, 0, 0] [1, 4, 16, 16] [1, 1, 1, 1] : tensor<1x4x16x16xf32> into tensor<2x4x16x16xf32>
// CHECK: scf.yield %[[NEXT]]
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[YP]] into %[[OUT]][%[[START]], 0, 0, 0] [2, 4, 16, 16] [1, 1, 1, 1] : tensor<2x4x16x16xf32> into tensor<4x4x16x16xf32>
// CHECK: return %[[Y]]
func.func @conv2d_parts(%x: tensor<4x16x18x18xf32>, %w: tensor<4x16x3x3xf32>) -> tensor<4x4x16x16xf32> {
  %0 = nn.conv2d %x, %w : tensor<4x16x18x18xf32>, tensor<4x16x3x3xf32>
  return %0 : tensor<4x4x16x16xf32>
}

// -----

/// Groups keep the direct form (no im2col): no padding, a zero accumulator,
/// and the grouped NGCHW convolution on views that split the channels and
/// filters into groups.
// CHECK-LABEL: func.func @conv2d_groups(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x6x6xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.matmul
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x6x4x4xf32>)
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6]
// CHECK: %[[WG:.*]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[IG:.*]] = tensor.expand_shape %[[INIT]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 3, 4, 4]
// CHECK: %[[YG:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[XG]], %[[WG]] : tensor<1x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>) outs(%[[IG]] : tensor<1x2x3x4x4xf32>)
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[YG]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x4x4xf32> into tensor<1x6x4x4xf32>
// CHECK: return %[[Y]]
func.func @conv2d_groups(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %0 = nn.conv2d %x, %w groups = 2 : tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----
/// The input gradient with stride 2 and padding 1, by col2im: one product
/// cols[(n, oh, ow), (c, kh, kw)] of the output gradient's positions (a
/// transposing copy to [N, OH, OW, F], as rows) and the filter as stored
/// ([F, C*KH*KW]); then for each (kh, kw), in order, the matching column of
/// cols is added into the zero-padded gradient at rows kh + 2*oh and
/// columns kw + 2*ow (a strided slice, read through a linearizing map), and
/// the padding is cropped.
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-DAG: #[[K00:.*]] = affine_map<(d0, d1, d2, d3) -> ((d0 * 4 + d2) * 4 + d3, d1 * 9)>
// CHECK-DAG: #[[K01:.*]] = affine_map<(d0, d1, d2, d3) -> ((d0 * 4 + d2) * 4 + d3, d1 * 9 + 1)>
// CHECK-DAG: #[[K22:.*]] = affine_map<(d0, d1, d2, d3) -> ((d0 * 4 + d2) * 4 + d3, d1 * 9 + 8)>
// CHECK-LABEL: func.func @conv2d_backward_input(
// CHECK-SAME: %[[DY:.*]]: tensor<2x4x4x4xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<4x3x3x3xf32> into tensor<4x27xf32>
// CHECK: %[[T:.*]] = linalg.generic {indexing_maps = [#[[ROWS]], {{.*}}]{{.*}} ins(%[[DY]] : tensor<2x4x4x4xf32>) outs(%{{.*}} : tensor<2x4x4x4xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[T]] {{\[}}[0, 1, 2], [3]] : tensor<2x4x4x4xf32> into tensor<32x4xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[R]], %[[F]] : tensor<32x4xf32>, tensor<4x27xf32>)
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3x10x10xf32>)
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[Z]][0, 0, 0, 0] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK: %[[A0:.*]] = linalg.generic {indexing_maps = [#[[K00]], {{.*}}]{{.*}} ins(%[[P]] : tensor<32x27xf32>) outs(%[[S0]] : tensor<2x3x4x4xf32>)
// CHECK: arith.addf
// CHECK: %[[G0:.*]] = tensor.insert_slice %[[A0]] into %[[Z]][0, 0, 0, 0] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK: %[[S1:.*]] = tensor.extract_slice %[[G0]][0, 0, 0, 1] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK: linalg.generic {indexing_maps = [#[[K01]], {{.*}}]{{.*}} ins(%[[P]] : tensor<32x27xf32>) outs(%[[S1]] : tensor<2x3x4x4xf32>)
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 2, 2] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK: %[[A8:.*]] = linalg.generic {indexing_maps = [#[[K22]], {{.*}}]
// CHECK: %[[G8:.*]] = tensor.insert_slice %[[A8]] into %{{.*}}[0, 0, 2, 2] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK: %[[DX:.*]] = tensor.extract_slice %[[G8]][0, 0, 1, 1] [2, 3, 8, 8] [1, 1, 1, 1] : tensor<2x3x10x10xf32> to tensor<2x3x8x8xf32>
// CHECK: return %[[DX]]
func.func @conv2d_backward_input(%dy: tensor<2x4x4x4xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x3x8x8xf32> {
  %0 = nn.conv2d_backward_input %dy, %w stride = [2, 2] padding = [1, 1] : tensor<2x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<2x3x8x8xf32>
  return %0 : tensor<2x3x8x8xf32>
}

// -----

/// Stride 1: the frame is a tensor.pad; with groups the convolution is the
/// grouped one (no im2col), and without padding nothing is cropped.
// CHECK-LABEL: func.func @conv2d_backward_input_stride1(
// CHECK-SAME: %[[DY:.*]]: tensor<1x4x4x4xf32>
// CHECK-NOT: tensor.insert_slice
// CHECK-NOT: linalg.matmul
// CHECK: %[[FRAME:.*]] = tensor.pad %[[DY]] low[0, 0, 2, 2] high[0, 0, 2, 2]
// CHECK: } : tensor<1x4x4x4xf32> to tensor<1x4x8x8xf32>
// CHECK: %[[FG:.*]] = tensor.expand_shape %[[FRAME]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 8, 8]
// CHECK: %[[R:.*]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[FG]], %{{.*}} : tensor<1x2x2x8x8xf32>, tensor<2x1x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x1x6x6xf32>)
// CHECK: %[[DX:.*]] = tensor.collapse_shape %[[R]]
// CHECK-NOT: tensor.extract_slice
// CHECK: return %[[DX]] : tensor<1x2x6x6xf32>
func.func @conv2d_backward_input_stride1(%dy: tensor<1x4x4x4xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x2x6x6xf32> {
  %0 = nn.conv2d_backward_input %dy, %w groups = 2 : tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32> -> tensor<1x2x6x6xf32>
  return %0 : tensor<1x2x6x6xf32>
}

// -----

/// The filter gradient, transposed: the same im2col matrix as conv2d's,
/// cols[C*KH*KW, N*OH*OW] (reading oh*2 + kh and ow*2 + kw*3), times dy
/// transposed to [N, OH, OW, F] by a copy and collapsed to [N*OH*OW, F],
/// into zeros; a copy gives the [C*KH*KW, F] product the filter's shape.
// CHECK-DAG: #[[IM2COL:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 * 2 + d1, d5 * 2 + d2 * 3)>
// CHECK-DAG: #[[TRANS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[PROD:.*]] = affine_map<(d0, d1, d2, d3) -> ((d1 * 3 + d2) * 3 + d3, d0)>
// CHECK-LABEL: func.func @conv2d_backward_filter(
// CHECK-SAME: %[[DY:.*]]: tensor<2x4x4x2xf32>, %[[X:.*]]: tensor<2x3x8x8xf32>
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<27x4xf32>)
// CHECK: %[[WIN:.*]] = linalg.generic {indexing_maps = [#[[IM2COL]], {{.*}}]{{.*}} ins(%[[XP]] : tensor<2x3x10x10xf32>) outs(%{{.*}} : tensor<3x3x3x2x4x2xf32>)
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[WIN]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<3x3x3x2x4x2xf32> into tensor<27x16xf32>
// CHECK: %[[DYT:.*]] = linalg.generic {indexing_maps = [#[[TRANS]], #[[ID4]]]{{.*}} ins(%[[DY]] : tensor<2x4x4x2xf32>) outs(%{{.*}} : tensor<2x4x2x4xf32>)
// CHECK: %[[G:.*]] = tensor.collapse_shape %[[DYT]] {{\[}}[0, 1, 2], [3]] : tensor<2x4x2x4xf32> into tensor<16x4xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[COLS]], %[[G]] : tensor<27x16xf32>, tensor<16x4xf32>) outs(%[[Z]] : tensor<27x4xf32>)
// CHECK: %[[DW:.*]] = linalg.generic {indexing_maps = [#[[PROD]], #[[ID4]]]{{.*}} ins(%[[P]] : tensor<27x4xf32>) outs(%{{.*}} : tensor<4x3x3x3xf32>)
// CHECK: return %[[DW]]
func.func @conv2d_backward_filter(%dy: tensor<2x4x4x2xf32>, %x: tensor<2x3x8x8xf32>) -> tensor<4x3x3x3xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x stride = [2, 2] padding = [1, 1] dilation = [1, 3] : tensor<2x4x4x2xf32>, tensor<2x3x8x8xf32> -> tensor<4x3x3x3xf32>
  return %0 : tensor<4x3x3x3xf32>
}

// -----

/// The filter gradient in blocks of 3 examples (cols would have 72 x 6*256
/// elements, a block of 3 has 55,296), split into two parts: each part sums
/// its blocks' products into its own zero-filled [C*KH*KW, F] matrix, row
/// `part` of a [2, C*KH*KW, F] tensor, and the two partial sums are added
/// in part order, whatever the number of threads.
// CHECK-DAG: #[[PART0:.*]] = affine_map<(d0, d1) -> (0, d0, d1)>
// CHECK-DAG: #[[PART1:.*]] = affine_map<(d0, d1) -> (1, d0, d1)>
// CHECK-LABEL: func.func @conv2d_backward_filter_blocks(
// CHECK-SAME: %[[DY:.*]]: tensor<6x5x16x16xf32>, %[[X:.*]]: tensor<6x8x18x18xf32>
// CHECK: %[[PARTS:.*]] = tensor.empty() : tensor<2x72x5xf32>
// CHECK: %[[SUMS:.*]] = scf.forall (%[[PART:.*]]) in (2) shared_outs(%[[OUT:.*]] = %[[PARTS]]) -> (tensor<2x72x5xf32>) {
// CHECK: %[[START:.*]] = arith.muli %[[PART]], %{{.*}} : index
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<72x5xf32>)
// CHECK: %[[R:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[Z]]) -> (tensor<72x5xf32>) {
// CHECK: %[[N0:.*]] = arith.addi %[[START]], %[[I]] : index
// CHECK: %[[XB:.*]] = tensor.extract_slice %[[X]][%[[N0]], 0, 0, 0] [3, 8, 18, 18] [1, 1, 1, 1]
// CHECK: %[[WIN:.*]] = linalg.generic {{.*}} ins(%[[XB]] : tensor<3x8x18x18xf32>) outs(%{{.*}} : tensor<8x3x3x3x16x16xf32>)
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[WIN]] {{.*}} into tensor<72x768xf32>
// CHECK: %[[DYB:.*]] = tensor.extract_slice %[[DY]][%[[N0]], 0, 0, 0] [3, 5, 16, 16] [1, 1, 1, 1]
// CHECK: %[[DYT:.*]] = linalg.generic {{.*}} ins(%[[DYB]] : tensor<3x5x16x16xf32>) outs(%{{.*}} : tensor<3x16x16x5xf32>)
// CHECK: %[[G:.*]] = tensor.collapse_shape %[[DYT]] {{.*}} into tensor<768x5xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[COLS]], %[[G]] : tensor<72x768xf32>, tensor<768x5xf32>) outs(%[[ACC]] : tensor<72x5xf32>)
// CHECK: scf.yield %[[P]] : tensor<72x5xf32>
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[R]] into %[[OUT]][%[[PART]], 0, 0] [1, 72, 5] [1, 1, 1] : tensor<72x5xf32> into tensor<2x72x5xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[PART0]], #[[PART1]], {{.*}}]{{.*}} ins(%[[SUMS]], %[[SUMS]] : tensor<2x72x5xf32>, tensor<2x72x5xf32>) outs(%{{.*}} : tensor<72x5xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[AB:.*]] = arith.addf %[[A]], %[[B]] : f32
// CHECK: %[[DW:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<72x5xf32>) outs(%{{.*}} : tensor<5x8x3x3xf32>)
// CHECK: return %[[DW]]
func.func @conv2d_backward_filter_blocks(%dy: tensor<6x5x16x16xf32>, %x: tensor<6x8x18x18xf32>) -> tensor<5x8x3x3xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x : tensor<6x5x16x16xf32>, tensor<6x8x18x18xf32> -> tensor<5x8x3x3xf32>
  return %0 : tensor<5x8x3x3xf32>
}

// -----

/// Batch 1, no bias: the forward result is the product read through the
/// linearizing map with nothing added, and the filter gradient's product is
/// 8x16 x 16x3.
// CHECK-LABEL: func.func @conv2d_batch1(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x5x5xf32>, %[[W:.*]]: tensor<3x2x2x2xf32>, %[[DY:.*]]: tensor<1x3x4x4xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<3x8xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<3x16xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[P]] : tensor<3x16xf32>) outs(%{{.*}} : tensor<1x3x4x4xf32>)
// CHECK-NEXT: ^bb0(%[[PV:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[PV]] : f32
// CHECK: %[[DWP:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x3xf32>) outs(%{{.*}} : tensor<8x3xf32>)
// CHECK: %[[DW:.*]] = linalg.generic {{.*}} ins(%[[DWP]] : tensor<8x3xf32>) outs(%{{.*}} : tensor<3x2x2x2xf32>)
// CHECK: return %[[Y]], %[[DW]]
func.func @conv2d_batch1(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x2x2xf32>, %dy: tensor<1x3x4x4xf32>) -> (tensor<1x3x4x4xf32>, tensor<3x2x2x2xf32>) {
  %0 = nn.conv2d %x, %w : tensor<1x2x5x5xf32>, tensor<3x2x2x2xf32>
  %1 = nn.conv2d_backward_filter %dy, %x : tensor<1x3x4x4xf32>, tensor<1x2x5x5xf32> -> tensor<3x2x2x2xf32>
  return %0, %1 : tensor<1x3x4x4xf32>, tensor<3x2x2x2xf32>
}

// -----

/// The filter gradient with groups keeps the direct form: one contraction
/// over (n, oh, ow) reading the padded input at oh * stride + kh *
/// dilation, on group-split views.
// CHECK-DAG: #[[GRAD:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d0, d1, d6, d7)>
// CHECK-DAG: #[[INPUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d0, d2, d6 * 2 + d3, d7 * 2 + d4 * 3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv2d_backward_filter_groups(
// CHECK-SAME: %[[DY:.*]]: tensor<2x4x4x2xf32>, %[[X:.*]]: tensor<2x4x8x8xf32>
// CHECK-NOT: linalg.matmul
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[G:.*]] = tensor.expand_shape %[[DY]] {{\[}}[0], [1, 2], [3], [4]] output_shape [2, 2, 2, 4, 2]
// CHECK: %[[I:.*]] = tensor.expand_shape %[[XP]] {{\[}}[0], [1, 2], [3], [4]] output_shape [2, 2, 2, 10, 10]
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4x2x3x3xf32>)
// CHECK: %[[ZG:.*]] = tensor.expand_shape %[[Z]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 2, 2, 3, 3]
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[GRAD]], #[[INPUT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[G]], %[[I]] : tensor<2x2x2x4x2xf32>, tensor<2x2x2x10x10xf32>) outs(%[[ZG]] : tensor<2x2x2x3x3xf32>)
// CHECK: %[[P:.*]] = arith.mulf
// CHECK: %[[S:.*]] = arith.addf %{{.*}}, %[[P]]
// CHECK: linalg.yield %[[S]]
// CHECK: %[[DW:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0, 1], [2], [3], [4]] : tensor<2x2x2x3x3xf32> into tensor<4x2x3x3xf32>
// CHECK: return %[[DW]]
func.func @conv2d_backward_filter_groups(%dy: tensor<2x4x4x2xf32>, %x: tensor<2x4x8x8xf32>) -> tensor<4x2x3x3xf32> {
  %0 = nn.conv2d_backward_filter %dy, %x stride = [2, 2] padding = [1, 1] dilation = [1, 3] groups = 2 : tensor<2x4x4x2xf32>, tensor<2x4x8x8xf32> -> tensor<4x2x3x3xf32>
  return %0 : tensor<4x2x3x3xf32>
}

// -----

/// max_pool2d pads with -inf and uses linalg's NCHW max pooling with a
/// window operand of the kernel's shape.
// CHECK-LABEL: func.func @max_pool2d(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x9x9xf32>
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEGINF]] : f32
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<2x3x5x5xf32>)
// CHECK: %[[Y:.*]] = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[XP]], %[[WIN]] : tensor<2x3x11x11xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<2x3x5x5xf32>)
// CHECK: return %[[Y]]
func.func @max_pool2d(%x: tensor<2x3x9x9xf32>) -> tensor<2x3x5x5xf32> {
  %0 = nn.max_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x5x5xf32>
}

// -----

/// avg_pool2d: sum pooling (stride defaults to the kernel), then a division
/// by the window size.
// CHECK-LABEL: func.func @avg_pool2d(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x9x9xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[S:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 3]> : tensor<2xi64>} ins(%[[X]], %[[WIN]] : tensor<2x3x9x9xf32>, tensor<2x3xf32>) outs(%{{.*}} : tensor<2x3x4x3xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<2x3x4x3xf32>)
// CHECK: %[[SIX:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: arith.divf %{{.*}}, %[[SIX]] : f32
// CHECK: return %[[Y]]
func.func @avg_pool2d(%x: tensor<2x3x9x9xf32>) -> tensor<2x3x4x3xf32> {
  %0 = nn.avg_pool2d %x kernel = [2, 3] : tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x4x3xf32>
}

// -----

/// max_pool2d_backward whose windows tile the input (stride = kernel, no
/// padding, 8 = 4 * 2): one parallel generic over (n, c, oh, ow, kh, kw)
/// reads the window's four elements from the input viewed as
/// [N, C, OH, KH, OW, KW], picks the first maximum (a position wins if it is
/// NaN or greater than the best so far) and writes the gradient at that
/// position only.
// CHECK-DAG: #[[DYMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[W00:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, 0, d3, 0)>
// CHECK-DAG: #[[W01:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, 0, d3, 1)>
// CHECK-DAG: #[[W10:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, 1, d3, 0)>
// CHECK-DAG: #[[W11:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, 1, d3, 1)>
// CHECK-DAG: #[[DXMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d4, d3, d5)>
// CHECK-LABEL: func.func @max_pool2d_backward(
// CHECK-SAME: %[[DY:.*]]: tensor<2x3x4x4xf32>, %[[X:.*]]: tensor<2x3x8x8xf32>
// CHECK: %[[XT:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1], [2, 3], [4, 5]] output_shape [2, 3, 4, 2, 4, 2]
// CHECK: %[[DXT:.*]] = linalg.generic {indexing_maps = [#[[DYMAP]], #[[W00]], #[[W01]], #[[W10]], #[[W11]], #[[DXMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[DY]], %[[XT]], %[[XT]], %[[XT]], %[[XT]] : {{.*}}) outs(%{{.*}} : tensor<2x3x4x2x4x2xf32>)
// CHECK: ^bb0(%[[G:.*]]: f32, %[[V0:.*]]: f32, %[[V1:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[NAN1:.*]] = arith.cmpf uno, %[[V1]], %[[V1]]
// CHECK: %[[GT1:.*]] = arith.cmpf ogt, %[[V1]], %[[V0]]
// CHECK: %[[WIN1:.*]] = arith.ori %[[NAN1]], %[[GT1]]
// CHECK: arith.select %[[WIN1]], %[[V1]], %[[V0]]
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf ogt
// CHECK: %[[BEST:.*]] = arith.select %{{.*}} : index
// CHECK: linalg.index 4
// CHECK: linalg.index 5
// CHECK: %[[MINE:.*]] = arith.cmpi eq, %{{.*}}, %[[BEST]] : index
// CHECK: %[[R:.*]] = arith.select %[[MINE]], %[[G]], %{{.*}} : f32
// CHECK: linalg.yield %[[R]]
// CHECK: %[[DX:.*]] = tensor.collapse_shape %[[DXT]] {{\[}}[0], [1], [2, 3], [4, 5]] : tensor<2x3x4x2x4x2xf32> into tensor<2x3x8x8xf32>
// CHECK-NOT: tensor.insert_slice
// CHECK: return %[[DX]]
func.func @max_pool2d_backward(%dy: tensor<2x3x4x4xf32>, %x: tensor<2x3x8x8xf32>) -> tensor<2x3x8x8xf32> {
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x8x8xf32>
  return %0 : tensor<2x3x8x8xf32>
}

// -----

/// max_pool2d_backward without overlap whose windows leave the last row and
/// column out (9 = 4 * 2 + 1): an arg-max reduction (with a window operand
/// for the kernel loops), then per window offset the gradient where the
/// arg-max matches, inserted with the stride; nothing is read back.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[WINMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[OUTMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool2d_backward_untiled(
// CHECK-SAME: %[[DY:.*]]: tensor<2x3x4x4xf32>, %[[X:.*]]: tensor<2x3x9x9xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[SENTINEL:.*]] = arith.constant 4 : i64
// CHECK: %[[AM:.*]]:2 = linalg.generic {indexing_maps = [#[[IN]], #[[WINMAP]], #[[OUTMAP]], #[[OUTMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[X]], %{{.*}} : tensor<2x3x9x9xf32>, tensor<2x2xf32>) outs(%{{.*}}, %{{.*}} : tensor<2x3x4x4xf32>, tensor<2x3x4x4xi64>)
// CHECK: linalg.index 4
// CHECK: linalg.index 5
// CHECK: arith.cmpf uno
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3x9x9xf32>)
// CHECK: %[[R0:.*]] = linalg.generic {{.*}} ins(%[[DY]], %[[AM]]#1 : tensor<2x3x4x4xf32>, tensor<2x3x4x4xi64>)
// CHECK: arith.constant 0 : i64
// CHECK: %[[A0:.*]] = tensor.insert_slice %[[R0]] into %[[Z]][0, 0, 0, 0] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK: %[[R1:.*]] = linalg.generic {{.*}} ins(%[[DY]], %[[AM]]#1
// CHECK: arith.constant 1 : i64
// CHECK: %[[A1:.*]] = tensor.insert_slice %[[R1]] into %[[A0]][0, 0, 0, 1] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK: %[[A2:.*]] = tensor.insert_slice %{{.*}} into %[[A1]][0, 0, 1, 0] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK: %[[A3:.*]] = tensor.insert_slice %{{.*}} into %[[A2]][0, 0, 1, 1] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK-NOT: tensor.extract_slice
// CHECK: return %[[A3]]
func.func @max_pool2d_backward_untiled(%dy: tensor<2x3x4x4xf32>, %x: tensor<2x3x9x9xf32>) -> tensor<2x3x9x9xf32> {
  %0 = nn.max_pool2d_backward %dy, %x kernel = [2, 2] : tensor<2x3x4x4xf32>, tensor<2x3x9x9xf32>
  return %0 : tensor<2x3x9x9xf32>
}

// -----

/// Overlapping padded windows: the padded input is read, padded positions
/// are excluded by index, each offset adds to what is already there, and
/// the padding is cropped at the end.
// CHECK-LABEL: func.func @max_pool2d_backward_overlap(
// CHECK-SAME: %[[DY:.*]]: tensor<1x1x2x2xf32>, %[[X:.*]]: tensor<1x1x3x3xf32>
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[XP]], %{{.*}} : tensor<1x1x5x5xf32>, tensor<3x3xf32>)
// CHECK: arith.cmpi sge
// CHECK: arith.cmpi slt
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x1x5x5xf32>)
// CHECK: %[[OLD:.*]] = tensor.extract_slice %[[Z]][0, 0, 0, 0] [1, 1, 2, 2] [1, 1, 2, 2]
// CHECK: %[[NEW:.*]] = linalg.generic {{.*}} ins(%[[DY]], %{{.*}}, %[[OLD]] :
// CHECK: arith.addf
// CHECK: %[[A0:.*]] = tensor.insert_slice %[[NEW]] into %[[Z]][0, 0, 0, 0] [1, 1, 2, 2] [1, 1, 2, 2]
// CHECK: tensor.extract_slice %[[A0]][0, 0, 0, 1] [1, 1, 2, 2] [1, 1, 2, 2]
// CHECK: %[[A8:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 2, 2] [1, 1, 2, 2] [1, 1, 2, 2]
// CHECK: %[[DX:.*]] = tensor.extract_slice %[[A8]][0, 0, 1, 1] [1, 1, 3, 3] [1, 1, 1, 1] : tensor<1x1x5x5xf32> to tensor<1x1x3x3xf32>
// CHECK: return %[[DX]]
func.func @max_pool2d_backward_overlap(%dy: tensor<1x1x2x2xf32>, %x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = nn.max_pool2d_backward %dy, %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

/// global_avg_pool sums over H and W, then divides by H * W.
// CHECK-DAG: #[[DROP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_avg_pool(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x5x4xf32>
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[DROP]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[X]] : tensor<2x3x5x4xf32>)
// CHECK: arith.addf
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<2x3xf32>)
// CHECK: arith.constant 2.000000e+01 : f32
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @global_avg_pool(%x: tensor<2x3x5x4xf32>) -> tensor<2x3xf32> {
  %0 = nn.global_avg_pool %x : tensor<2x3x5x4xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @flatten(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4x5xi32>
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<2x3x4x5xi32> into tensor<2x60xi32>
// CHECK: return %[[Y]]
func.func @flatten(%x: tensor<2x3x4x5xi32>) -> tensor<2x60xi32> {
  %0 = nn.flatten %x : tensor<2x3x4x5xi32>
  return %0 : tensor<2x60xi32>
}
