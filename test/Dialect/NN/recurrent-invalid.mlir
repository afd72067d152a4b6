// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Every numbered constraint of the recurrent ops (NNRecurrentOps.td,
// docs/Spec.md). `<op>_c1` .. `<op>_c7` are one function for the family;
// each layer and backward op gets a case for the rules whose message
// depends on it.

/// lstm_c1: x without a batch dimension.
func.func @lstm_c1(%x: tensor<5x3xf32>, %wi: tensor<16x3xf32>, %wh: tensor<16x4xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'nn.lstm' op (lstm_c1) expects x [B, T, I], w_ih [4*H, I], w_hh [4*H, H], b_ih [4*H], b_hh [4*H] and result [B, T, H], got 5x3, 16x3, 16x4, 16, 16 and 1x5x4}}
  %0 = nn.lstm %x, %wi, %wh, %b, %b : tensor<5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<1x5x4xf32>
  return
}

// -----

/// rnn_c1: a rank-2 bias.
func.func @rnn_c1(%x: tensor<2x5x3xf32>, %wi: tensor<4x3xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>, %bb: tensor<1x4xf32>) {
  // expected-error @+1 {{'nn.rnn' op (rnn_c1) expects x [B, T, I], w_ih [H, I], w_hh [H, H], b_ih [H], b_hh [H] and result [B, T, H], got 2x5x3, 4x3, 4x4, 4, 1x4 and 2x5x4}}
  %0 = nn.rnn %x, %wi, %wh, %b, %bb : tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<1x4xf32> -> tensor<2x5x4xf32>
  return
}

// -----

/// gru_backward_c1: the cotangent has rank 2.
func.func @gru_backward_c1(%x: tensor<2x5x3xf32>, %wi: tensor<12x3xf32>, %wh: tensor<12x4xf32>, %b: tensor<12xf32>, %y: tensor<2x5x4xf32>, %dy: tensor<10x4xf32>) {
  // expected-error @+1 {{'nn.gru_backward' op (gru_backward_c1) expects x [B, T, I], w_ih [3*H, I], w_hh [3*H, H], b_ih [3*H], b_hh [3*H], y [B, T, H] and dy [B, T, H], got 2x5x3, 12x3, 12x4, 12, 12, 2x5x4 and 10x4}}
  %0:5 = nn.gru_backward %x, %wi, %wh, %b, %b, %y, %dy : tensor<2x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<2x5x4xf32>, tensor<10x4xf32>
  return
}

// -----

/// lstm_c2: an empty sequence.
func.func @lstm_c2(%x: tensor<2x0x3xf32>, %wi: tensor<16x3xf32>, %wh: tensor<16x4xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'nn.lstm' op (lstm_c2) sequence length must be >= 1, got T = 0 in x 2x0x3}}
  %0 = nn.lstm %x, %wi, %wh, %b, %b : tensor<2x0x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x0x4xf32>
  return
}

// -----

/// rnn_backward_c2: an empty sequence.
func.func @rnn_backward_c2(%x: tensor<2x0x3xf32>, %wi: tensor<4x3xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>, %y: tensor<2x0x4xf32>) {
  // expected-error @+1 {{'nn.rnn_backward' op (rnn_backward_c2) sequence length must be >= 1, got T = 0 in x 2x0x3}}
  %0:5 = nn.rnn_backward %x, %wi, %wh, %b, %b, %y, %y : tensor<2x0x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x0x4xf32>, tensor<2x0x4xf32>
  return
}

// -----

/// lstm_c3: w_hh is not [4*H, H].
func.func @lstm_c3(%x: tensor<2x5x3xf32>, %wi: tensor<12x3xf32>, %wh: tensor<12x4xf32>, %b: tensor<12xf32>) {
  // expected-error @+1 {{'nn.lstm' op (lstm_c3) w_hh must be [4*H, H] with H >= 1, got 12x4}}
  %0 = nn.lstm %x, %wi, %wh, %b, %b : tensor<2x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<2x5x4xf32>
  return
}

// -----

/// rnn_c3: a zero hidden size.
func.func @rnn_c3(%x: tensor<2x5x3xf32>, %wi: tensor<0x3xf32>, %wh: tensor<0x0xf32>, %b: tensor<0xf32>) {
  // expected-error @+1 {{'nn.rnn' op (rnn_c3) w_hh must be [H, H] with H >= 1, got 0x0}}
  %0 = nn.rnn %x, %wi, %wh, %b, %b : tensor<2x5x3xf32>, tensor<0x3xf32>, tensor<0x0xf32>, tensor<0xf32>, tensor<0xf32> -> tensor<2x5x0xf32>
  return
}

// -----

/// lstm_c3: G*H overflows (no tensor has an element, so every byte size
/// fits).
func.func @lstm_c3_overflow(%x: tensor<0x5x3xf32>, %wi: tensor<0x3xf32>, %wh: tensor<0x2305843009213693952xf32>, %b: tensor<0xf32>) {
  // expected-error @+1 {{'nn.lstm' op (lstm_c3) w_hh must be [4*H, H] with H >= 1, got 0x2305843009213693952}}
  %0 = nn.lstm %x, %wi, %wh, %b, %b : tensor<0x5x3xf32>, tensor<0x3xf32>, tensor<0x2305843009213693952xf32>, tensor<0xf32>, tensor<0xf32> -> tensor<0x5x2305843009213693952xf32>
  return
}

// -----

/// lstm_c4: w_ih is for another hidden size than w_hh.
func.func @lstm_c4(%x: tensor<2x5x3xf32>, %wi: tensor<12x3xf32>, %wh: tensor<16x4xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'nn.lstm' op (lstm_c4) w_ih 12x3 and w_hh 16x4 have different hidden sizes: w_hh gives H = 4, so w_ih needs 16 rows}}
  %0 = nn.lstm %x, %wi, %wh, %b, %b : tensor<2x5x3xf32>, tensor<12x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x5x4xf32>
  return
}

// -----

/// gru_c4: a GRU w_hh paired with an LSTM-sized w_ih.
func.func @gru_c4(%x: tensor<2x5x3xf32>, %wi: tensor<16x3xf32>, %wh: tensor<12x4xf32>, %b: tensor<12xf32>) {
  // expected-error @+1 {{'nn.gru' op (gru_c4) w_ih 16x3 and w_hh 12x4 have different hidden sizes: w_hh gives H = 4, so w_ih needs 12 rows}}
  %0 = nn.gru %x, %wi, %wh, %b, %b : tensor<2x5x3xf32>, tensor<16x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<2x5x4xf32>
  return
}

// -----

/// rnn_c5: w_ih reads 5 features, x has 3.
func.func @rnn_c5(%x: tensor<2x5x3xf32>, %wi: tensor<4x5xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'nn.rnn' op (rnn_c5) w_ih 4x5 has 5 input features but x 2x5x3 has I = 3}}
  %0 = nn.rnn %x, %wi, %wh, %b, %b : tensor<2x5x3xf32>, tensor<4x5xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x5x4xf32>
  return
}

// -----

/// lstm_backward_c5: the same rule in the backward op.
func.func @lstm_backward_c5(%x: tensor<2x5x3xf32>, %wi: tensor<16x2xf32>, %wh: tensor<16x4xf32>, %b: tensor<16xf32>, %y: tensor<2x5x4xf32>) {
  // expected-error @+1 {{'nn.lstm_backward' op (lstm_backward_c5) w_ih 16x2 has 2 input features but x 2x5x3 has I = 3}}
  %0:5 = nn.lstm_backward %x, %wi, %wh, %b, %b, %y, %y : tensor<2x5x3xf32>, tensor<16x2xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>
  return
}

// -----

/// gru_c6: b_ih has H entries instead of 3*H.
func.func @gru_c6_ih(%x: tensor<2x5x3xf32>, %wi: tensor<12x3xf32>, %wh: tensor<12x4xf32>, %b: tensor<12xf32>, %bad: tensor<4xf32>) {
  // expected-error @+1 {{'nn.gru' op (gru_c6) b_ih must have shape 12 (3*H), got 4}}
  %0 = nn.gru %x, %wi, %wh, %bad, %b : tensor<2x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<4xf32>, tensor<12xf32> -> tensor<2x5x4xf32>
  return
}

// -----

/// lstm_c6: b_hh has the wrong size.
func.func @lstm_c6_hh(%x: tensor<2x5x3xf32>, %wi: tensor<16x3xf32>, %wh: tensor<16x4xf32>, %b: tensor<16xf32>, %bad: tensor<12xf32>) {
  // expected-error @+1 {{'nn.lstm' op (lstm_c6) b_hh must have shape 16 (4*H), got 12}}
  %0 = nn.lstm %x, %wi, %wh, %b, %bad : tensor<2x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<12xf32> -> tensor<2x5x4xf32>
  return
}

// -----

/// rnn_c7: the result has the input's feature size instead of H.
func.func @rnn_c7(%x: tensor<2x5x3xf32>, %wi: tensor<4x3xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'nn.rnn' op (rnn_c7) result must have shape 2x5x4 ([B, T, H]), got 2x5x3}}
  %0 = nn.rnn %x, %wi, %wh, %b, %b : tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x5x3xf32>
  return
}

// -----

/// gru_c7: another batch size.
func.func @gru_c7(%x: tensor<2x5x3xf32>, %wi: tensor<12x3xf32>, %wh: tensor<12x4xf32>, %b: tensor<12xf32>) {
  // expected-error @+1 {{'nn.gru' op (gru_c7) result must have shape 2x5x4 ([B, T, H]), got 3x5x4}}
  %0 = nn.gru %x, %wi, %wh, %b, %b : tensor<2x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32> -> tensor<3x5x4xf32>
  return
}

// -----

/// lstm_backward_c7: y is shorter than the sequence.
func.func @lstm_backward_c7_y(%x: tensor<2x5x3xf32>, %wi: tensor<16x3xf32>, %wh: tensor<16x4xf32>, %b: tensor<16xf32>, %y: tensor<2x4x4xf32>, %dy: tensor<2x5x4xf32>) {
  // expected-error @+1 {{'nn.lstm_backward' op (lstm_backward_c7) y must have shape 2x5x4 ([B, T, H]), got 2x4x4}}
  %0:5 = nn.lstm_backward %x, %wi, %wh, %b, %b, %y, %dy : tensor<2x5x3xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<2x4x4xf32>, tensor<2x5x4xf32>
  return
}

// -----

/// gru_backward_c7: dy has another hidden size.
func.func @gru_backward_c7_dy(%x: tensor<2x5x3xf32>, %wi: tensor<12x3xf32>, %wh: tensor<12x4xf32>, %b: tensor<12xf32>, %y: tensor<2x5x4xf32>, %dy: tensor<2x5x3xf32>) {
  // expected-error @+1 {{'nn.gru_backward' op (gru_backward_c7) dy must have shape 2x5x4 ([B, T, H]), got 2x5x3}}
  %0:5 = nn.gru_backward %x, %wi, %wh, %b, %b, %y, %dy : tensor<2x5x3xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<2x5x4xf32>, tensor<2x5x3xf32>
  return
}

// -----

/// rnn_backward_c8: a gradient of another type than its operand (generic
/// form; the custom syntax infers them).
func.func @rnn_backward_c8(%x: tensor<2x5x3xf32>, %wi: tensor<4x3xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>, %y: tensor<2x5x4xf32>) {
  // expected-error @+1 {{'nn.rnn_backward' op failed to verify that (rnn_backward_c8) all of {w_hh, dw_hh} have the same type}}
  %0:5 = "nn.rnn_backward"(%x, %wi, %wh, %b, %b, %y, %y) : (tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>) -> (tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

/// Element types are checked by ODS (no number).
func.func @lstm_f64(%x: tensor<2x5x3xf64>, %wi: tensor<16x3xf32>, %wh: tensor<16x4xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'nn.lstm' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<2x5x3xf64>'}}
  %0 = nn.lstm %x, %wi, %wh, %b, %b : tensor<2x5x3xf64>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<2x5x4xf32>
  return
}

// -----

/// An unknown nonlinearity.
func.func @rnn_nonlinearity(%x: tensor<2x5x3xf32>, %wi: tensor<4x3xf32>, %wh: tensor<4x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'nonlinearity' [tanh, relu]}}
  %0 = nn.rnn %x, %wi, %wh, %b, %b nonlinearity = sigmoid : tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x5x4xf32>
  return
}
