// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// dropout in training: base = seed * 0x9E3779B97F4A7C15 + key *
/// 0xD1B54A32D192ED03 before the generic (the seed's product folded into a
/// constant, the key extracted once); in the body, the row-major index
/// i = i0 * 3 + i1, z = base + i * 0xAEF17502108EF2D9, splitmix64's
/// finalizer, u = z >> 40 and the unsigned comparison with the threshold
/// round(0.25 * 2^24) = 4194304; kept elements are scaled by f32(4/3).
/// Constants print as signed i64.
// CHECK-LABEL: func.func @dropout(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>, %[[K:.*]]: tensor<i64>)
// CHECK: %[[SEED:.*]] = arith.constant 8709371129873690708 : i64
// CHECK: %[[KEY:.*]] = tensor.extract %[[K]][] : tensor<i64>
// CHECK: %[[KM:.*]] = arith.constant -3335678366873096957 : i64
// CHECK: %[[KP:.*]] = arith.muli %[[KEY]], %[[KM]] : i64
// CHECK: %[[BASE:.*]] = arith.addi %[[SEED]], %[[KP]] : i64
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[I0:.*]] = linalg.index 0 : index
// CHECK:   %[[C3:.*]] = arith.constant 3 : index
// CHECK:   %[[R:.*]] = arith.muli %[[I0]], %[[C3]] : index
// CHECK:   %[[I1:.*]] = linalg.index 1 : index
// CHECK:   %[[LIN:.*]] = arith.addi %[[R]], %[[I1]] : index
// CHECK:   %[[I:.*]] = arith.index_cast %[[LIN]] : index to i64
// CHECK:   %[[IM:.*]] = arith.constant -5840758589994634535 : i64
// CHECK:   %[[IP:.*]] = arith.muli %[[I]], %[[IM]] : i64
// CHECK:   %[[Z0:.*]] = arith.addi %[[BASE]], %[[IP]] : i64
// CHECK:   %[[S30:.*]] = arith.constant 30 : i64
// CHECK:   %[[H1:.*]] = arith.shrui %[[Z0]], %[[S30]] : i64
// CHECK:   %[[X1:.*]] = arith.xori %[[Z0]], %[[H1]] : i64
// CHECK:   %[[M1:.*]] = arith.constant -4658895280553007687 : i64
// CHECK:   %[[Z1:.*]] = arith.muli %[[X1]], %[[M1]] : i64
// CHECK:   %[[S27:.*]] = arith.constant 27 : i64
// CHECK:   %[[H2:.*]] = arith.shrui %[[Z1]], %[[S27]] : i64
// CHECK:   %[[X2:.*]] = arith.xori %[[Z1]], %[[H2]] : i64
// CHECK:   %[[M2:.*]] = arith.constant -7723592293110705685 : i64
// CHECK:   %[[Z2:.*]] = arith.muli %[[X2]], %[[M2]] : i64
// CHECK:   %[[S31:.*]] = arith.constant 31 : i64
// CHECK:   %[[H3:.*]] = arith.shrui %[[Z2]], %[[S31]] : i64
// CHECK:   %[[Z3:.*]] = arith.xori %[[Z2]], %[[H3]] : i64
// CHECK:   %[[S40:.*]] = arith.constant 40 : i64
// CHECK:   %[[U:.*]] = arith.shrui %[[Z3]], %[[S40]] : i64
// CHECK:   %[[T:.*]] = arith.constant 4194304 : i64
// CHECK:   %[[DROP:.*]] = arith.cmpi ult, %[[U]], %[[T]] : i64
// CHECK:   %[[SCALE:.*]] = arith.constant 1.33333337 : f32
// CHECK:   %[[KEPT:.*]] = arith.mulf %[[IN]], %[[SCALE]] : f32
// CHECK:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:   %[[Y:.*]] = arith.select %[[DROP]], %[[ZERO]], %[[KEPT]] : f32
// CHECK:   linalg.yield %[[Y]] : f32
func.func @dropout(%x: tensor<4x3xf32>, %k: tensor<i64>) -> tensor<4x3xf32> {
  %0 = nn.dropout %x, %k rate = 0.25 seed = 4 training : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

/// Evaluation mode is the identity; a scalar's index is the constant 0 and
/// without a key the base is the seed's constant.
// CHECK-LABEL: func.func @dropout_eval_and_scalar(
// CHECK-SAME: %[[X:.*]]: tensor<4x3xf32>, %[[S:.*]]: tensor<f32>)
// CHECK: %[[BASE:.*]] = arith.constant -7046029254386353131 : i64
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} iterator_types = []} ins(%[[S]] : tensor<f32>)
// CHECK-NOT: linalg.index
// CHECK:   %[[I:.*]] = arith.constant 0 : i64
// CHECK:   arith.muli %[[I]], %{{.*}} : i64
// CHECK:   arith.addi %[[BASE]], %{{.*}} : i64
// CHECK: return %[[X]], %[[Y]]
func.func @dropout_eval_and_scalar(%x: tensor<4x3xf32>, %s: tensor<f32>) -> (tensor<4x3xf32>, tensor<f32>) {
  %0 = nn.dropout %x rate = 0.25 seed = 4 : tensor<4x3xf32>
  %1 = nn.dropout %s seed = 1 training : tensor<f32>
  return %0, %1 : tensor<4x3xf32>, tensor<f32>
}

// -----

/// random_normal: draws at 2i and 2i + 1, u1 = (u + 1) * 2^-24 and
/// u2 = u * 2^-24 in f32, then mean + stddev * sqrt(-2 ln u1) cos(2 pi u2).
// CHECK-LABEL: func.func @random_normal(
// CHECK: %[[BASE:.*]] = arith.constant -2691343689449507777 : i64
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK:   %[[I:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK:   %[[TWO:.*]] = arith.constant 2 : i64
// CHECK:   %[[I1:.*]] = arith.muli %[[I]], %[[TWO]] : i64
// CHECK:   %[[ONE:.*]] = arith.constant 1 : i64
// CHECK:   %[[I2:.*]] = arith.addi %[[I1]], %[[ONE]] : i64
// CHECK:   arith.muli %[[I1]], %{{.*}} : i64
// CHECK:   %[[C40:.*]] = arith.constant 40 : i64
// CHECK-NEXT: %[[U1:.*]] = arith.shrui %{{.*}}, %[[C40]] : i64
// CHECK:   %[[U1P:.*]] = arith.addi %[[U1]], %{{.*}} : i64
// CHECK:   %[[F1:.*]] = arith.uitofp %[[U1P]] : i64 to f32
// CHECK:   arith.muli %[[I2]], %{{.*}} : i64
// CHECK:   %[[C40B:.*]] = arith.constant 40 : i64
// CHECK-NEXT: %[[U2:.*]] = arith.shrui %{{.*}}, %[[C40B]] : i64
// CHECK:   %[[F2:.*]] = arith.uitofp %[[U2]] : i64 to f32
// CHECK:   %[[UNIT:.*]] = arith.constant 5.96046448E-8 : f32
// CHECK:   %[[A:.*]] = arith.mulf %[[F1]], %[[UNIT]] : f32
// CHECK:   %[[B:.*]] = arith.mulf %[[F2]], %[[UNIT]] : f32
// CHECK:   %[[M2:.*]] = arith.constant -2.000000e+00 : f32
// CHECK:   %[[LOG:.*]] = math.log %[[A]] : f32
// CHECK:   %[[P:.*]] = arith.mulf %[[M2]], %[[LOG]] : f32
// CHECK:   %[[RAD:.*]] = math.sqrt %[[P]] : f32
// CHECK:   %[[TWOPI:.*]] = arith.constant 6.28318548 : f32
// CHECK:   %[[ANG:.*]] = arith.mulf %[[TWOPI]], %[[B]] : f32
// CHECK:   %[[COS:.*]] = math.cos %[[ANG]] : f32
// CHECK:   %[[Z:.*]] = arith.mulf %[[RAD]], %[[COS]] : f32
// CHECK:   %[[MEAN:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:   %[[SD:.*]] = arith.constant 2.000000e+00 : f32
// CHECK:   %[[SZ:.*]] = arith.mulf %[[SD]], %[[Z]] : f32
// CHECK:   %[[Y:.*]] = arith.addf %[[MEAN]], %[[SZ]] : f32
// CHECK:   linalg.yield %[[Y]] : f32
func.func @random_normal() -> tensor<2x3xf32> {
  %0 = nn.random_normal seed = 3 mean = 1.0 stddev = 2.0 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

/// With a key.
// CHECK-LABEL: func.func @random_normal_key(
// CHECK-SAME: %[[K:.*]]: tensor<i64>)
// CHECK: %[[KEY:.*]] = tensor.extract %[[K]][] : tensor<i64>
// CHECK: linalg.generic
func.func @random_normal_key(%k: tensor<i64>) -> tensor<5xf32> {
  %0 = nn.random_normal %k seed = 3 : tensor<5xf32>
  return %0 : tensor<5xf32>
}
