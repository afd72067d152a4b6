// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round trip of the recurrent ops (NNRecurrentOps.td): custom syntax,
// defaults elided, and the generic form.

// CHECK-LABEL: func.func @rnn(
// CHECK: nn.rnn %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<8x5x4xf32>
// CHECK: nn.rnn %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} nonlinearity = relu : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<8x5x4xf32>
// The default tanh is elided.
// CHECK-NOT: nonlinearity = tanh
func.func @rnn(%x: tensor<8x5x3xf32>, %wi: tensor<4x3xf32>, %wh: tensor<4x4xf32>, %bi: tensor<4xf32>, %bh: tensor<4xf32>) -> (tensor<8x5x4xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>) {
  %0 = nn.rnn %x, %wi, %wh, %bi, %bh : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<8x5x4xf32>
  %1 = nn.rnn %x, %wi, %wh, %bi, %bh nonlinearity = relu : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<8x5x4xf32>
  %2 = nn.rnn %x, %wi, %wh, %bi, %bh nonlinearity = tanh : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<8x5x4xf32>
  return %0, %1, %2 : tensor<8x5x4xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>
}

// CHECK-LABEL: func.func @lstm(
// CHECK: nn.lstm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<8x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<8x5x4xf32>
func.func @lstm(%x: tensor<8x5x3xf32>, %wi: tensor<16x3xf32>, %wh: tensor<16x4xf32>, %bi: tensor<16xf32>, %bh: tensor<16xf32>) -> tensor<8x5x4xf32> {
  %0 = nn.lstm %x, %wi, %wh, %bi, %bh : tensor<8x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<8x5x4xf32>
  return %0 : tensor<8x5x4xf32>
}

// CHECK-LABEL: func.func @gru(
// CHECK: nn.gru %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<8x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<8x5x4xf32>
func.func @gru(%x: tensor<8x5x3xf32>, %wi: tensor<12x3xf32>, %wh: tensor<12x4xf32>, %bi: tensor<12xf32>, %bh: tensor<12xf32>) -> tensor<8x5x4xf32> {
  %0 = nn.gru %x, %wi, %wh, %bi, %bh : tensor<8x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<8x5x4xf32>
  return %0 : tensor<8x5x4xf32>
}

/// One step, one feature, one hidden unit, and an empty batch.
// CHECK-LABEL: func.func @edges(
// CHECK: nn.lstm %{{.*}} : tensor<1x1x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<1x1x1xf32>
// CHECK: nn.gru %{{.*}} : tensor<0x3x2xf32>, tensor<6x2xf32>, tensor<6x2xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<0x3x2xf32>
func.func @edges(%x: tensor<1x1x1xf32>, %wi: tensor<4x1xf32>, %wh: tensor<4x1xf32>, %b: tensor<4xf32>,
                 %e: tensor<0x3x2xf32>, %gi: tensor<6x2xf32>, %gh: tensor<6x2xf32>, %gb: tensor<6xf32>) -> (tensor<1x1x1xf32>, tensor<0x3x2xf32>) {
  %0 = nn.lstm %x, %wi, %wh, %b, %b : tensor<1x1x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<1x1x1xf32>
  %1 = nn.gru %e, %gi, %gh, %gb, %gb : tensor<0x3x2xf32>, tensor<6x2xf32>, tensor<6x2xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<0x3x2xf32>
  return %0, %1 : tensor<1x1x1xf32>, tensor<0x3x2xf32>
}

/// The backward ops infer their five result types from the operands.
// CHECK-LABEL: func.func @backward(
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} = nn.rnn_backward %{{.*}} nonlinearity = relu : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} = nn.lstm_backward %{{.*}} : tensor<8x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} = nn.gru_backward %{{.*}} : tensor<8x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>
func.func @backward(%x: tensor<8x5x3xf32>, %y: tensor<8x5x4xf32>, %dy: tensor<8x5x4xf32>,
                    %ri: tensor<4x3xf32>, %rh: tensor<4x4xf32>, %rb: tensor<4xf32>,
                    %li: tensor<16x3xf32>, %lh: tensor<16x4xf32>, %lb: tensor<16xf32>,
                    %gi: tensor<12x3xf32>, %gh: tensor<12x4xf32>, %gb: tensor<12xf32>)
    -> (tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<16x4xf32>, tensor<12xf32>) {
  %r:5 = nn.rnn_backward %x, %ri, %rh, %rb, %rb, %y, %dy nonlinearity = relu : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>
  %l:5 = nn.lstm_backward %x, %li, %lh, %lb, %lb, %y, %dy : tensor<8x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>
  %g:5 = nn.gru_backward %x, %gi, %gh, %gb, %gb, %y, %dy : tensor<8x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<8x5x4xf32>, tensor<8x5x4xf32>
  return %l#0, %r#1, %l#2, %g#4 : tensor<8x5x3xf32>, tensor<4x3xf32>, tensor<16x4xf32>, tensor<12xf32>
}
