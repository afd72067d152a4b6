// RUN: kiln-opt %s -kiln-convert-nn-to-linalg -split-input-file | FileCheck %s

/// batch_norm: scale = gamma / sqrt(var + eps) per channel in f64, rounded
/// once, then y = (x - mean) * scale + beta over the input, the [C] vectors
/// read through (d0, d1, d2, d3) -> (d1).
// CHECK-DAG: #[[VEC:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH4:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME: %[[X:.*]]: tensor<4x3x2x2xf32>, %[[G:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK: %[[SCALE:.*]] = linalg.generic {indexing_maps = [#[[VEC]], #[[VEC]], #[[VEC]]], iterator_types = ["parallel"]} ins(%[[G]], %[[V]] : tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[GI:.*]]: f32, %[[VI:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[V64:.*]] = arith.extf %[[VI]] : f32 to f64
// CHECK:   %[[EPS:.*]] = arith.constant 1.000000e-03 : f64
// CHECK:   %[[VE:.*]] = arith.addf %[[V64]], %[[EPS]] : f64
// CHECK:   %[[SD:.*]] = math.sqrt %[[VE]] : f64
// CHECK:   %[[G64:.*]] = arith.extf %[[GI]] : f32 to f64
// CHECK:   %[[Q:.*]] = arith.divf %[[G64]], %[[SD]] : f64
// CHECK:   %[[Q32:.*]] = arith.truncf %[[Q]] : f64 to f32
// CHECK:   linalg.yield %[[Q32]] : f32
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID4]], #[[CH4]], #[[CH4]], #[[CH4]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[M]], %[[SCALE]], %[[B]] : tensor<4x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[XI:.*]]: f32, %[[MI:.*]]: f32, %[[SI:.*]]: f32, %[[BI:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[D:.*]] = arith.subf %[[XI]], %[[MI]] : f32
// CHECK:   %[[P:.*]] = arith.mulf %[[D]], %[[SI]] : f32
// CHECK:   %[[R:.*]] = arith.addf %[[P]], %[[BI]] : f32
// CHECK:   linalg.yield %[[R]] : f32
// CHECK: return %[[Y]]
// CHECK-NOT: nn.
func.func @batch_norm(%x: tensor<4x3x2x2xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<4x3x2x2xf32> {
  %0 = nn.batch_norm %x, %g, %b, %m, %v eps = 1.0e-3 : tensor<4x3x2x2xf32>, tensor<3xf32>
  return %0 : tensor<4x3x2x2xf32>
}

// -----

/// batch_norm_train: the channel sums in f64, in the loop order
/// (c, n, h, w) into partial sums [C, W] (the innermost loop stays parallel
/// so that it vectorizes), added up per channel; the mean; the sums of
/// squared deviations the same way (second pass); one [C] generic for the
/// scale (f64) and the running statistics (momentum 0.25,
/// M = 2 * 2 * 3 = 12, unbiased factor 12 / 11); and the normalization in
/// f64 with the f64 mean and scale, rounded once.
// CHECK-DAG: #[[VEC:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[SWAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>
// CHECK-DAG: #[[PART:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-DAG: #[[CH0:.*]] = affine_map<(d0, d1, d2, d3) -> (d0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH4:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_train(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x2x3xf32>, %[[G:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[RM:.*]]: tensor<3xf32>, %[[RV:.*]]: tensor<3xf32>)
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f64) outs(%{{.*}} : tensor<3x3xf64>)
// CHECK: %[[PSUM:.*]] = linalg.generic {indexing_maps = [#[[SWAP]], #[[PART]]], iterator_types = ["parallel", "reduction", "reduction", "parallel"]} ins(%[[X]] : tensor<2x3x2x3xf32>) outs(%[[Z]] : tensor<3x3xf64>)
// CHECK:   arith.extf
// CHECK:   arith.addf %{{.*}}, %{{.*}} : f64
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[PSUM]] : tensor<3x3xf64>) outs(%{{.*}} : tensor<3xf64>)
// CHECK: %[[MEAN:.*]] = linalg.generic {indexing_maps = [#[[VEC]], #[[VEC]]], iterator_types = ["parallel"]} ins(%[[SUM]] : tensor<3xf64>)
// CHECK:   arith.constant 1.200000e+01 : f64
// CHECK: %[[PSQ:.*]] = linalg.generic {indexing_maps = [#[[SWAP]], #[[CH0]], #[[PART]]], iterator_types = ["parallel", "reduction", "reduction", "parallel"]} ins(%[[X]], %[[MEAN]] : tensor<2x3x2x3xf32>, tensor<3xf64>) outs(%{{.*}} : tensor<3x3xf64>)
// CHECK:   %[[D:.*]] = arith.subf %{{.*}}, %{{.*}} : f64
// CHECK:   %[[D2:.*]] = arith.mulf %[[D]], %[[D]] : f64
// CHECK:   arith.addf %{{.*}}, %[[D2]] : f64
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[PSQ]] : tensor<3x3xf64>)
// CHECK: %[[VECS:.*]]:3 = linalg.generic {{.*}} ins(%[[MEAN]], %[[SQ]], %[[G]], %[[RM]], %[[RV]] : tensor<3xf64>, tensor<3xf64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<3xf64>, tensor<3xf32>, tensor<3xf32>)
// CHECK:   arith.constant 7.500000e-01 : f64
// CHECK:   arith.constant 2.500000e-01 : f64
// CHECK:   arith.constant 1.100000e+01 : f64
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID4]], #[[CH4]], #[[CH4]], #[[CH4]], #[[ID4]]], {{.*}} ins(%[[X]], %[[MEAN]], %[[VECS]]#0, %[[B]] : tensor<2x3x2x3xf32>, tensor<3xf64>, tensor<3xf64>, tensor<3xf32>)
// CHECK: ^bb0(%[[XI:.*]]: f32, %[[MI:.*]]: f64, %[[SI:.*]]: f64, %[[BI:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[X64:.*]] = arith.extf %[[XI]] : f32 to f64
// CHECK:   %[[D:.*]] = arith.subf %[[X64]], %[[MI]] : f64
// CHECK:   %[[P:.*]] = arith.mulf %[[D]], %[[SI]] : f64
// CHECK:   %[[B64:.*]] = arith.extf %[[BI]] : f32 to f64
// CHECK:   %[[R:.*]] = arith.addf %[[P]], %[[B64]] : f64
// CHECK:   %[[R32:.*]] = arith.truncf %[[R]] : f64 to f32
// CHECK:   linalg.yield %[[R32]] : f32
// CHECK: return %[[Y]], %[[VECS]]#1, %[[VECS]]#2
// CHECK-NOT: nn.
func.func @batch_norm_train(%x: tensor<2x3x2x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3x2x3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %nm, %nv = nn.batch_norm_train %x, %g, %b, %m, %v momentum = 0.25 : tensor<2x3x2x3xf32>, tensor<3xf32>
  return %y, %nm, %nv : tensor<2x3x2x3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

/// batch_norm_train_backward on [N, C] (the sums loop in the input's order,
/// the inner loop over the channels' accumulators): sums of x and dy in one
/// reduction, the mean, sums of (x - mean)^2 and dy * (x - mean) in
/// another, one [C] generic for the coefficients (f64) and the gradients of
/// gamma and beta, and dx = a * dy + b * (x - mean) + c in f64, rounded
/// once.
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CH2:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_train_backward(
// CHECK-SAME: %[[DY:.*]]: tensor<4x3xf32>, %[[X:.*]]: tensor<4x3xf32>, %[[G:.*]]: tensor<3xf32>)
// CHECK: %[[S:.*]]:2 = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]], #[[CH2]], #[[CH2]]], iterator_types = ["reduction", "parallel"]} ins(%[[X]], %[[DY]] : tensor<4x3xf32>, tensor<4x3xf32>) outs(%{{.*}}, %{{.*}} : tensor<3xf64>, tensor<3xf64>)
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[S]]#0 : tensor<3xf64>)
// CHECK: %[[T:.*]]:2 = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]], #[[CH2]], #[[CH2]], #[[CH2]]], iterator_types = ["reduction", "parallel"]} ins(%[[X]], %[[DY]], %[[MEAN]] : tensor<4x3xf32>, tensor<4x3xf32>, tensor<3xf64>)
// CHECK: %[[V:.*]]:5 = linalg.generic {{.*}} ins(%[[S]]#1, %[[T]]#0, %[[T]]#1, %[[G]] : tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf32>) outs({{.*}} : tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf32>, tensor<3xf32>)
// CHECK: %[[DX:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]], #[[CH2]], #[[CH2]], #[[CH2]], #[[CH2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[DY]], %[[X]], %[[MEAN]], %[[V]]#0, %[[V]]#1, %[[V]]#2 :
// CHECK: ^bb0(%[[DYI:.*]]: f32, %[[XI:.*]]: f32, %[[MI:.*]]: f64, %[[A:.*]]: f64, %[[BC:.*]]: f64, %[[C:.*]]: f64, %{{.*}}: f32):
// CHECK:   %[[X64:.*]] = arith.extf %[[XI]] : f32 to f64
// CHECK:   %[[XC:.*]] = arith.subf %[[X64]], %[[MI]] : f64
// CHECK:   %[[DY64:.*]] = arith.extf %[[DYI]] : f32 to f64
// CHECK:   %[[T1:.*]] = arith.mulf %[[A]], %[[DY64]] : f64
// CHECK:   %[[T2:.*]] = arith.mulf %[[BC]], %[[XC]] : f64
// CHECK:   %[[T3:.*]] = arith.addf %[[T1]], %[[T2]] : f64
// CHECK:   %[[R:.*]] = arith.addf %[[T3]], %[[C]] : f64
// CHECK:   %[[R32:.*]] = arith.truncf %[[R]] : f64 to f32
// CHECK:   linalg.yield %[[R32]] : f32
// CHECK: return %[[DX]], %[[V]]#3, %[[V]]#4
func.func @batch_norm_train_backward(%dy: tensor<4x3xf32>, %x: tensor<4x3xf32>, %g: tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %dx, %dg, %db = nn.batch_norm_train_backward %dy, %x, %g : tensor<4x3xf32>, tensor<3xf32>
  return %dx, %dg, %db : tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>
}
