// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

// The recurrent layers and their backward ops lower to an scf.for over the
// time steps around linalg on time-major [T*B, K] tensors (Recurrent.cpp):
// products are linalg.matmul, weights are transposed once outside the
// loops, and no tensor reshape touches a product.

/// lstm: the sequence to time-major rows (r -> x[r mod B, r floordiv B]),
/// the input projection of all steps as one matmul onto the broadcast b_ih,
/// W_hh transposed once, then a loop carrying Y (block 0 zeros, block t+1
/// gets h_t) and c: per step the recurrent product of h_{t-1} (block t of
/// Y) onto the broadcast b_hh, one generic for the gates that updates c in
/// its own operand, and an insert_slice of h_t into block t+1.
// CHECK-DAG: #[[TM:.*]] = affine_map<(d0, d1) -> (d0 mod 2, d0 floordiv 2, d1)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[BACK:.*]] = affine_map<(d0, d1, d2) -> ((d1 + 1) * 2 + d0, d2)>
// CHECK-LABEL: func.func @lstm(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x5xf32>, %[[WI:.*]]: tensor<16x5xf32>, %[[WH:.*]]: tensor<16x4xf32>, %[[BI:.*]]: tensor<16xf32>, %[[BH:.*]]: tensor<16xf32>
// CHECK: %[[XR:.*]] = linalg.generic {indexing_maps = [#[[TM]], #[[ID2]]], {{.*}} ins(%[[X]] : tensor<2x3x5xf32>) outs(%{{.*}} : tensor<6x5xf32>)
// CHECK: %[[WIT:.*]] = linalg.transpose ins(%[[WI]] : tensor<16x5xf32>) outs(%{{.*}} : tensor<5x16xf32>) permutation = [1, 0]
// CHECK: %[[BIR:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ID2]]], {{.*}} ins(%[[BI]] : tensor<16xf32>) outs(%{{.*}} : tensor<6x16xf32>)
// CHECK: %[[U:.*]] = linalg.matmul ins(%[[XR]], %[[WIT]] : tensor<6x5xf32>, tensor<5x16xf32>) outs(%[[BIR]] : tensor<6x16xf32>)
// CHECK: %[[WHT:.*]] = linalg.transpose ins(%[[WH]] : tensor<16x4xf32>) outs(%{{.*}} : tensor<4x16xf32>) permutation = [1, 0]
// CHECK: %[[BHR:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ID2]]], {{.*}} ins(%[[BH]] : tensor<16xf32>) outs(%{{.*}} : tensor<2x16xf32>)
// CHECK: %[[Y0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<8x4xf32>)
// CHECK: %[[C0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[Y:.*]] = %[[Y0]], %[[C:.*]] = %[[C0]]) -> (tensor<8x4xf32>, tensor<2x4xf32>) {
// CHECK: %[[ROWT:.*]] = arith.muli %[[T]], %{{.*}} : index
// CHECK: %[[NEXT:.*]] = arith.addi %[[ROWT]], %{{.*}} : index
// CHECK: %[[H:.*]] = tensor.extract_slice %[[Y]][%[[ROWT]], 0] [2, 4] [1, 1] : tensor<8x4xf32> to tensor<2x4xf32>
// CHECK: %[[V:.*]] = linalg.matmul ins(%[[H]], %[[WHT]] : tensor<2x4xf32>, tensor<4x16xf32>) outs(%[[BHR]] : tensor<2x16xf32>)
// CHECK: %[[UI:.*]] = tensor.extract_slice %[[U]][%[[ROWT]], 0] [2, 4] [1, 1] : tensor<6x16xf32> to tensor<2x4xf32>
// CHECK: %[[UO:.*]] = tensor.extract_slice %[[U]][%[[ROWT]], 12] [2, 4] [1, 1]
// CHECK: %[[VI:.*]] = tensor.extract_slice %[[V]][0, 0] [2, 4] [1, 1] : tensor<2x16xf32> to tensor<2x4xf32>
// CHECK: %[[VO:.*]] = tensor.extract_slice %[[V]][0, 12] [2, 4] [1, 1]
// CHECK: %[[CELL:.*]]:2 = linalg.generic {{.*}} ins(%[[UI]], %{{.*}}, %{{.*}}, %[[UO]], %[[VI]], %{{.*}}, %{{.*}}, %[[VO]] : {{.*}}) outs(%{{.*}}, %[[C]] : tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK: ^bb0({{.*}}, %[[COLD:.*]]: f32):
// CHECK: math.tanh
// CHECK: %[[FC:.*]] = arith.mulf %{{.*}}, %[[COLD]] : f32
// CHECK: %[[CNEW:.*]] = arith.addf %[[FC]], %{{.*}} : f32
// CHECK: %[[TC:.*]] = math.tanh %[[CNEW]] : f32
// CHECK: %[[HNEW:.*]] = arith.mulf %{{.*}}, %[[TC]] : f32
// CHECK: linalg.yield %[[HNEW]], %[[CNEW]] : f32, f32
// CHECK: %[[YN:.*]] = tensor.insert_slice %[[CELL]]#0 into %[[Y]][%[[NEXT]], 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<8x4xf32>
// CHECK: scf.yield %[[YN]], %[[CELL]]#1 : tensor<8x4xf32>, tensor<2x4xf32>
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[BACK]], #{{.*}}], {{.*}} ins(%[[LOOP]]#0 : tensor<8x4xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: return %[[OUT]]
// CHECK-NOT: nn.
func.func @lstm(%x: tensor<2x3x5xf32>, %wi: tensor<16x5xf32>, %wh: tensor<16x4xf32>, %bi: tensor<16xf32>, %bh: tensor<16xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.lstm %x, %wi, %wh, %bi, %bh : tensor<2x3x5xf32>, tensor<16x5xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

/// rnn with relu: one gate block; the cell is max(u + v, 0). Only Y is
/// carried.
// CHECK-LABEL: func.func @rnn_relu(
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<6x5xf32>, tensor<5x4xf32>) outs(%{{.*}} : tensor<6x4xf32>)
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<8x4xf32>) {
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x4xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: linalg.generic
// CHECK: %[[PRE:.*]] = arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: %[[RELU:.*]] = arith.maximumf %[[PRE]], %{{.*}} : f32
// CHECK: linalg.yield %[[RELU]] : f32
// CHECK: tensor.insert_slice
// CHECK: scf.yield
func.func @rnn_relu(%x: tensor<2x3x5xf32>, %wi: tensor<4x5xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.rnn %x, %wi, %wh, %b, %b nonlinearity = relu : tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

/// gru: three gate blocks; the cell also reads h_{t-1}, block t of Y.
// CHECK-LABEL: func.func @gru(
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[Y:.*]] = %{{.*}}) -> (tensor<8x4xf32>) {
// CHECK: %[[H:.*]] = tensor.extract_slice %[[Y]][%{{.*}}, 0] [2, 4] [1, 1] : tensor<8x4xf32> to tensor<2x4xf32>
// CHECK: linalg.matmul ins(%[[H]], %{{.*}} : tensor<2x4xf32>, tensor<4x12xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[H]] : {{.*}}) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: scf.yield
func.func @gru(%x: tensor<2x3x5xf32>, %wi: tensor<12x5xf32>, %wh: tensor<12x4xf32>, %b: tensor<12xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.gru %x, %wi, %wh, %b, %b : tensor<2x3x5xf32>, tensor<12x5xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

/// lstm_backward: x, dy and y to time-major rows; y into blocks 1 .. T of
/// zeros, so that blocks 0 .. T-1 (P) hold h_{t-1}; the gates'
/// pre-activations of every step in one buffer: b_ih + b_hh, the input
/// side's matmul onto it, the hidden side's onto that (lstm's gates only
/// use the sum); the cell states rebuilt by a first loop;
/// then the reverse loop (t = T-1 - i) carrying dh, dc and GI: one generic
/// for the four gate cotangents and dc, the blocks side by side, dh = g *
/// W_hh (W_hh as it is) into its own zero-filled operand, and g into block t
/// of GI. After the loop: dx = GI * W_ih, dW_ih = GI^T * X,
/// dW_hh = GI^T * P, and the two bias gradients as column sums.
// CHECK-LABEL: func.func @lstm_backward(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x5xf32>, %[[WI:.*]]: tensor<16x5xf32>, %[[WH:.*]]: tensor<16x4xf32>, %[[BI:.*]]: tensor<16xf32>, %[[BH:.*]]: tensor<16xf32>, %[[Y:.*]]: tensor<2x3x4xf32>, %[[DY:.*]]: tensor<2x3x4xf32>
// CHECK: %[[XR:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<2x3x5xf32>) outs(%{{.*}} : tensor<6x5xf32>)
// CHECK: %[[DYR:.*]] = linalg.generic {{.*}} ins(%[[DY]] : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<6x4xf32>)
// CHECK: %[[YR:.*]] = linalg.generic {{.*}} ins(%[[Y]] : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<6x4xf32>)
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<8x4xf32>)
// CHECK: %[[STATES:.*]] = tensor.insert_slice %[[YR]] into %[[Z]][2, 0] [6, 4] [1, 1] : tensor<6x4xf32> into tensor<8x4xf32>
// CHECK: %[[P:.*]] = tensor.extract_slice %[[STATES]][0, 0] [6, 4] [1, 1] : tensor<8x4xf32> to tensor<6x4xf32>
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%[[BI]], %[[BH]] : tensor<16xf32>, tensor<16xf32>)
// CHECK: arith.addf
// CHECK: %[[BROWS:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<16xf32>) outs(%{{.*}} : tensor<6x16xf32>)
// CHECK: %[[U:.*]] = linalg.matmul ins(%[[XR]], %{{.*}} : tensor<6x5xf32>, tensor<5x16xf32>) outs(%[[BROWS]] : tensor<6x16xf32>)
// CHECK: %[[S:.*]] = linalg.matmul ins(%[[P]], %{{.*}} : tensor<6x4xf32>, tensor<4x16xf32>) outs(%[[U]] : tensor<6x16xf32>)
// CHECK: %[[CELLS:.*]] = scf.for %{{.*}} iter_args(%[[CS:.*]] = %{{.*}}) -> (tensor<8x4xf32>) {
// CHECK: linalg.generic
// CHECK: %[[CN:.*]] = tensor.insert_slice %{{.*}} into %[[CS]]
// CHECK: scf.yield %[[CN]] : tensor<8x4xf32>
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[I:.*]] = %{{.*}} iter_args(%[[DH:.*]] = %{{.*}}, %[[DC:.*]] = %{{.*}}, %[[GI:.*]] = %{{.*}}) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<6x16xf32>) {
// CHECK: %[[T:.*]] = arith.subi %{{.*}}, %[[I]] : index
// CHECK: %[[ROWT:.*]] = arith.muli %[[T]], %{{.*}} : index
// CHECK: %[[DYT:.*]] = tensor.extract_slice %[[DYR]][%[[ROWT]], 0] [2, 4] [1, 1]
// CHECK: %[[G:.*]]:5 = linalg.generic {{.*}} ins(%[[DYT]], %[[DH]], {{.*}}) outs(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[DC]] : {{.*}})
// CHECK: %[[G0:.*]] = tensor.insert_slice %[[G]]#0 into %{{.*}}[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<2x16xf32>
// CHECK: %[[G3:.*]] = tensor.insert_slice %[[G]]#3 into %{{.*}}[0, 12] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<2x16xf32>
// CHECK: %[[DHZ:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[DH]] : tensor<2x4xf32>)
// CHECK: %[[DHN:.*]] = linalg.matmul ins(%[[G3]], %[[WH]] : tensor<2x16xf32>, tensor<16x4xf32>) outs(%[[DHZ]] : tensor<2x4xf32>)
// CHECK: %[[GIN:.*]] = tensor.insert_slice %[[G3]] into %[[GI]][%[[ROWT]], 0] [2, 16] [1, 1] : tensor<2x16xf32> into tensor<6x16xf32>
// CHECK: scf.yield %[[DHN]], %[[G]]#4, %[[GIN]] : tensor<2x4xf32>, tensor<2x4xf32>, tensor<6x16xf32>
// CHECK: %[[DXR:.*]] = linalg.matmul ins(%[[LOOP]]#2, %[[WI]] : tensor<6x16xf32>, tensor<16x5xf32>) outs(%{{.*}} : tensor<6x5xf32>)
// CHECK: %[[DX:.*]] = linalg.generic {{.*}} ins(%[[DXR]] : tensor<6x5xf32>) outs(%{{.*}} : tensor<2x3x5xf32>)
// CHECK: %[[GT:.*]] = linalg.transpose ins(%[[LOOP]]#2 : tensor<6x16xf32>) outs(%{{.*}} : tensor<16x6xf32>) permutation = [1, 0]
// CHECK: %[[DWI:.*]] = linalg.matmul ins(%[[GT]], %[[XR]] : tensor<16x6xf32>, tensor<6x5xf32>) outs(%{{.*}} : tensor<16x5xf32>)
// CHECK: %[[GT2:.*]] = linalg.transpose ins(%[[LOOP]]#2 : tensor<6x16xf32>) outs(%{{.*}} : tensor<16x6xf32>) permutation = [1, 0]
// CHECK: %[[DWH:.*]] = linalg.matmul ins(%[[GT2]], %[[P]] : tensor<16x6xf32>, tensor<6x4xf32>) outs(%{{.*}} : tensor<16x4xf32>)
// CHECK: %[[DBI:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[LOOP]]#2 : tensor<6x16xf32>) outs(%{{.*}} : tensor<16xf32>)
// CHECK: %[[DBH:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[LOOP]]#2 : tensor<6x16xf32>) outs(%{{.*}} : tensor<16xf32>)
// CHECK: return %[[DX]], %[[DWI]], %[[DWH]], %[[DBI]], %[[DBH]]
func.func @lstm_backward(%x: tensor<2x3x5xf32>, %wi: tensor<16x5xf32>, %wh: tensor<16x4xf32>, %bi: tensor<16xf32>, %bh: tensor<16xf32>, %y: tensor<2x3x4xf32>, %dy: tensor<2x3x4xf32>) -> (tensor<2x3x5xf32>, tensor<16x5xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>) {
  %g:5 = nn.lstm_backward %x, %wi, %wh, %bi, %bh, %y, %dy : tensor<2x3x5xf32>, tensor<16x5xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4 : tensor<2x3x5xf32>, tensor<16x5xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>
}

// -----

/// gru_backward: the reverse loop carries dh, GI and GH; the generic writes
/// z * dh into dh's own operand and the product accumulates onto it; GI and
/// GH share the r and z blocks and differ in the n block.
// CHECK-LABEL: func.func @gru_backward(
// CHECK-SAME: %{{.*}}: tensor<2x3x5xf32>, %{{.*}}: tensor<12x5xf32>, %[[WH:.*]]: tensor<12x4xf32>
// CHECK: %[[LOOP:.*]]:3 = scf.for %{{.*}} iter_args(%[[DH:.*]] = %{{.*}}, %[[GI:.*]] = %{{.*}}, %[[GH:.*]] = %{{.*}}) -> (tensor<2x4xf32>, tensor<6x12xf32>, tensor<6x12xf32>) {
// CHECK: %[[G:.*]]:5 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[DH]] : {{.*}})
// CHECK: tensor.insert_slice %[[G]]#0 into %{{.*}}[0, 0] [2, 4]
// CHECK: tensor.insert_slice %[[G]]#1 into %{{.*}}[0, 4] [2, 4]
// CHECK: %[[GIL:.*]] = tensor.insert_slice %[[G]]#2 into %{{.*}}[0, 8] [2, 4]
// CHECK: tensor.insert_slice %[[G]]#0 into %{{.*}}[0, 0] [2, 4]
// CHECK: tensor.insert_slice %[[G]]#1 into %{{.*}}[0, 4] [2, 4]
// CHECK: %[[GHL:.*]] = tensor.insert_slice %[[G]]#3 into %{{.*}}[0, 8] [2, 4]
// CHECK: %[[DHN:.*]] = linalg.matmul ins(%[[GHL]], %[[WH]] : tensor<2x12xf32>, tensor<12x4xf32>) outs(%[[G]]#4 : tensor<2x4xf32>)
// CHECK: %[[GIN:.*]] = tensor.insert_slice %[[GIL]] into %[[GI]]
// CHECK: %[[GHN:.*]] = tensor.insert_slice %[[GHL]] into %[[GH]]
// CHECK: scf.yield %[[DHN]], %[[GIN]], %[[GHN]]
// CHECK: linalg.matmul ins(%[[LOOP]]#1, %{{.*}} : tensor<6x12xf32>, tensor<12x5xf32>)
// CHECK: linalg.transpose ins(%[[LOOP]]#1 : tensor<6x12xf32>)
// CHECK: linalg.transpose ins(%[[LOOP]]#2 : tensor<6x12xf32>)
// CHECK: ins(%[[LOOP]]#1 : tensor<6x12xf32>) outs(%{{.*}} : tensor<12xf32>)
// CHECK: ins(%[[LOOP]]#2 : tensor<6x12xf32>) outs(%{{.*}} : tensor<12xf32>)
func.func @gru_backward(%x: tensor<2x3x5xf32>, %wi: tensor<12x5xf32>, %wh: tensor<12x4xf32>, %b: tensor<12xf32>, %y: tensor<2x3x4xf32>, %dy: tensor<2x3x4xf32>) -> (tensor<2x3x5xf32>, tensor<12x5xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>) {
  %g:5 = nn.gru_backward %x, %wi, %wh, %b, %b, %y, %dy : tensor<2x3x5xf32>, tensor<12x5xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4 : tensor<2x3x5xf32>, tensor<12x5xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>
}

// -----

/// rnn_backward: no gate is recomputed (the derivative reads y, 1 - y^2 for
/// tanh), so no product precedes the reverse loop.
// CHECK-LABEL: func.func @rnn_backward(
// CHECK-NOT: linalg.matmul
// CHECK: scf.for %{{.*}} iter_args(%[[DH:.*]] = %{{.*}}, %[[GI:.*]] = %{{.*}}) -> (tensor<2x4xf32>, tensor<6x4xf32>) {
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[DH]], %{{.*}} : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK: ^bb0(%[[DYT:.*]]: f32, %[[DHT:.*]]: f32, %[[YT:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SUM:.*]] = arith.addf %[[DYT]], %[[DHT]] : f32
// CHECK: %[[SQ:.*]] = arith.mulf %[[YT]], %[[YT]] : f32
// CHECK: %[[SLOPE:.*]] = arith.subf %{{.*}}, %[[SQ]] : f32
// CHECK: arith.mulf %[[SUM]], %[[SLOPE]] : f32
// CHECK: linalg.matmul ins(%[[G]], %{{.*}} : tensor<2x4xf32>, tensor<4x4xf32>)
// CHECK: scf.yield
func.func @rnn_backward(%x: tensor<2x3x5xf32>, %wi: tensor<4x5xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>, %y: tensor<2x3x4xf32>, %dy: tensor<2x3x4xf32>) -> (tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %g:5 = nn.rnn_backward %x, %wi, %wh, %b, %b, %y, %dy : tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4 : tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

/// relu rnn_backward: the derivative is 1 where y > 0.
// CHECK-LABEL: func.func @rnn_relu_backward(
// CHECK: scf.for
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// CHECK: arith.select %[[POS]], %{{.*}}, %{{.*}} : f32
func.func @rnn_relu_backward(%x: tensor<2x3x5xf32>, %wi: tensor<4x5xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>, %y: tensor<2x3x4xf32>, %dy: tensor<2x3x4xf32>) -> (tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %g:5 = nn.rnn_backward %x, %wi, %wh, %b, %b, %y, %dy nonlinearity = relu : tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4 : tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

/// An empty batch: no loop; the layer's result is empty and the backward
/// op's weight and bias gradients are zeros.
// CHECK-LABEL: func.func @empty_batch(
// CHECK-NOT: scf.for
// CHECK: %[[Y:.*]] = tensor.empty() : tensor<0x3x4xf32>
// CHECK: %[[DX:.*]] = tensor.empty() : tensor<0x3x5xf32>
// CHECK: %[[DW:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<16x5xf32>)
// CHECK-NOT: scf.for
// CHECK: return %[[Y]], %[[DX]], %[[DW]]
func.func @empty_batch(%x: tensor<0x3x5xf32>, %wi: tensor<16x5xf32>, %wh: tensor<16x4xf32>, %b: tensor<16xf32>, %dy: tensor<0x3x4xf32>) -> (tensor<0x3x4xf32>, tensor<0x3x5xf32>, tensor<16x5xf32>) {
  %y = nn.lstm %x, %wi, %wh, %b, %b : tensor<0x3x5xf32>, tensor<16x5xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<0x3x4xf32>
  %g:5 = nn.lstm_backward %x, %wi, %wh, %b, %b, %y, %dy : tensor<0x3x5xf32>, tensor<16x5xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<0x3x4xf32>, tensor<0x3x4xf32>
  return %y, %g#0, %g#1 : tensor<0x3x4xf32>, tensor<0x3x5xf32>, tensor<16x5xf32>
}

// -----

/// Unused gradients are not computed: only dW_hh's product remains after
/// the loop.
// CHECK-LABEL: func.func @only_dw_hh(
// CHECK: %[[LOOP:.*]]:2 = scf.for
// CHECK: scf.yield
// CHECK-NOT: linalg.matmul
// CHECK: %[[GT:.*]] = linalg.transpose ins(%[[LOOP]]#1 : tensor<6x4xf32>)
// CHECK: %[[DW:.*]] = linalg.matmul ins(%[[GT]], %{{.*}} : tensor<4x6xf32>, tensor<6x4xf32>)
// CHECK-NOT: linalg.matmul
// CHECK-NOT: linalg.generic
// CHECK: return %[[DW]]
func.func @only_dw_hh(%x: tensor<2x3x5xf32>, %wi: tensor<4x5xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>, %y: tensor<2x3x4xf32>, %dy: tensor<2x3x4xf32>) -> tensor<4x4xf32> {
  %g:5 = nn.rnn_backward %x, %wi, %wh, %b, %b, %y, %dy : tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return %g#2 : tensor<4x4xf32>
}
