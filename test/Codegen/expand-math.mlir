// RUN: kiln-opt %s -kiln-expand-math | FileCheck %s

/// exp: clamp (NaN kept), then glibc's expf in f64: k/32 by the
/// round-to-integer constant 1.5 * 2^52, 2^(j/32) for j = k mod 32 as a
/// product of 2^(2^i/32) over the bits of j (plus a one-ulp correction), a
/// cubic, one rounding to f32 at the end.
// CHECK-LABEL: func.func @exp(
// CHECK-SAME: %[[X:.*]]: f32
// CHECK-NOT: math.exp
// CHECK: %[[HI:.*]] = arith.constant 8.880000e+01 : f32
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[HI]] : f32
// CHECK: arith.select %[[GT]], %[[HI]], %[[X]] : f32
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: arith.constant 0x4338000000000000 : f64
// CHECK: arith.mulf {{.*}} fastmath<contract> : f64
// CHECK: %[[KI:.*]] = arith.bitcast {{.*}} : f64 to i64
// CHECK: %[[J:.*]] = arith.andi %[[KI]], %{{.*}} : i64
// CHECK: arith.constant 1.4142135623730951 : f64
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f64
// CHECK: arith.constant 1.0218971486541166 : f64
// CHECK: arith.shrui %{{.*}}, %[[J]] : i64
// CHECK: %[[SCALE:.*]] = arith.bitcast %{{.*}} : i64 to f64
// CHECK: %[[P:.*]] = arith.mulf %{{.*}}, %[[SCALE]] : f64
// CHECK-NEXT: %[[Y:.*]] = arith.truncf %[[P]] : f64 to f32
// CHECK-NEXT: return %[[Y]] : f32
func.func @exp(%x: f32) -> f32 {
  %y = math.exp %x : f32
  return %y : f32
}

/// expm1: three evaluations selected by k, and x itself when it is tiny.
// CHECK-LABEL: func.func @expm1(
// CHECK-SAME: %[[X:.*]]: f32
// CHECK-NOT: math.expm1
// CHECK: arith.cmpi sgt
// CHECK: arith.maxsi
// CHECK: arith.cmpi sgt
// CHECK: %[[R:.*]] = arith.select
// CHECK: %[[A:.*]] = math.absf %[[X]] : f32
// CHECK: %[[TINY:.*]] = arith.cmpf olt, %[[A]]
// CHECK: %[[Y:.*]] = arith.select %[[TINY]], %[[X]], %[[R]] : f32
// CHECK: return %[[Y]] : f32
func.func @expm1(%x: f32) -> f32 {
  %y = math.expm1 %x : f32
  return %y : f32
}

/// tanh: an odd polynomial below 0.75, 1 - 2 / (e^2|x| + 1) above, and the
/// sign of x.
// CHECK-LABEL: func.func @tanh(
// CHECK-SAME: %[[X:.*]]: f32
// CHECK-NOT: math.tanh
// CHECK: %[[A:.*]] = math.absf %[[X]] : f32
// CHECK: %[[SMALL:.*]] = arith.addf {{.*}}, %[[A]] fastmath<contract> : f32
// CHECK: arith.divf
// CHECK: %[[LARGE:.*]] = arith.subf
// CHECK: %[[SPLIT:.*]] = arith.constant 7.500000e-01 : f32
// CHECK: %[[LT:.*]] = arith.cmpf olt, %[[A]], %[[SPLIT]] : f32
// CHECK: %[[T:.*]] = arith.select %[[LT]], %[[SMALL]], %[[LARGE]] : f32
// CHECK: %[[Y:.*]] = math.copysign %[[T]], %[[X]] : f32
// CHECK: return %[[Y]] : f32
func.func @tanh(%x: f32) -> f32 {
  %y = math.tanh %x : f32
  return %y : f32
}

/// log: subnormals scaled by 2^23, significand in [sqrt(1/2), sqrt(2)),
/// special values selected at the end.
// CHECK-LABEL: func.func @log(
// CHECK-SAME: %[[X:.*]]: f32
// CHECK-NOT: math.log
// CHECK: arith.constant 1.17549435E-38 : f32
// CHECK: arith.constant 0x4B000000 : f32
// CHECK: arith.constant 1060439283 : i32
// CHECK: arith.sitofp {{.*}} : i32 to f32
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: arith.constant 0x7FC00000 : f32
// CHECK: %[[REG:.*]] = arith.andi
// CHECK-NEXT: %[[Y:.*]] = arith.select %[[REG]], %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: return %[[Y]] : f32
func.func @log(%x: f32) -> f32 {
  %y = math.log %x : f32
  return %y : f32
}

/// log1p: log of 1 + x plus the rounding error of 1 + x over 1 + x.
// CHECK-LABEL: func.func @log1p(
// CHECK-SAME: %[[X:.*]]: f32
// CHECK-NOT: math.log1p
// CHECK: %[[U:.*]] = arith.addf %{{.*}}, %[[X]] : f32
// CHECK: arith.divf %{{.*}}, %[[U]] : f32
// CHECK: %[[Y:.*]] = arith.select %{{.*}}, %[[X]], %{{.*}} : f32
// CHECK-NEXT: return %[[Y]] : f32
func.func @log1p(%x: f32) -> f32 {
  %y = math.log1p %x : f32
  return %y : f32
}

/// Vectors of f32 get the same code on vectors (splat constants, i32
/// vectors for the bits).
// CHECK-LABEL: func.func @vector(
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK: arith.constant dense<8.880000e+01> : vector<16xf32>
// CHECK: arith.select {{.*}} : vector<16xi1>, vector<16xf32>
// CHECK: arith.extf {{.*}} : vector<16xf32> to vector<16xf64>
// CHECK: arith.bitcast {{.*}} : vector<16xf64> to vector<16xi64>
// CHECK: arith.shrui {{.*}} : vector<16xi64>
// CHECK: arith.truncf {{.*}} : vector<16xf64> to vector<16xf32>
// CHECK: arith.bitcast {{.*}} : vector<4x8xf32> to vector<4x8xi32>
// CHECK: math.copysign {{.*}} : vector<4x8xf32>
// CHECK: return
func.func @vector(%x: vector<16xf32>, %t: vector<4x8xf32>) -> (vector<16xf32>, vector<4x8xf32>) {
  %y = math.exp %x : vector<16xf32>
  %z = math.tanh %t : vector<4x8xf32>
  return %y, %z : vector<16xf32>, vector<4x8xf32>
}

/// Inside loops and linalg bodies, where the pipeline finds them.
// CHECK-LABEL: func.func @in_generic(
// CHECK: linalg.generic
// CHECK-NOT: math.exp
// CHECK: arith.divf
// CHECK: linalg.yield
#id = affine_map<(d0) -> (d0)>
func.func @in_generic(%a: memref<64xf32>, %b: memref<64xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<64xf32>) outs(%b : memref<64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %s = arith.divf %one, %d : f32
    linalg.yield %s : f32
  }
  return
}

/// Other element types and other functions are left alone (libm).
// CHECK-LABEL: func.func @untouched(
// CHECK: math.exp %{{.*}} : f64
// CHECK: math.tanh %{{.*}} : f16
// CHECK: math.log %{{.*}} : vector<4xf64>
// CHECK: math.powf %{{.*}} : f32
// CHECK: math.cos %{{.*}} : f32
func.func @untouched(%d: f64, %h: f16, %v: vector<4xf64>, %x: f32) -> (f64, f16, vector<4xf64>, f32, f32) {
  %0 = math.exp %d : f64
  %1 = math.tanh %h : f16
  %2 = math.log %v : vector<4xf64>
  %3 = math.powf %x, %x : f32
  %4 = math.cos %x : f32
  return %0, %1, %2, %3, %4 : f64, f16, vector<4xf64>, f32, f32
}
