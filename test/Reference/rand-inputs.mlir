// RUN: rm -rf %t && mkdir -p %t
// RUN: kiln-interp %s --rand-inputs 42 --save-inputs %t/in --print > %t/generated.txt
// RUN: kiln-interp %s %t/in0.npy %t/in1.npy %t/in2.npy --print > %t/replayed.txt
// RUN: diff %t/generated.txt %t/replayed.txt
// RUN: %python -c "import numpy as np; x = np.load('%t/in0.npy'); l = np.load('%t/in1.npy'); k = np.load('%t/in2.npy'); print(x.dtype, x.shape, bool(x.min() >= -1), bool(x.max() < 1), len(set(x.ravel().tolist())) > 1); print(l.dtype, sorted(set(l.tolist()))); print(k.dtype, sorted(set(k.tolist())))" | FileCheck %s --check-prefix=DEFAULT
// RUN: kiln-interp %s --rand-inputs 42 --rand-range 2,3 --save-inputs %t/r
// RUN: kiln-interp %S/Inputs/int-input.mlir --rand-inputs 42 --label-range 5,7 --save-inputs %t/k
// RUN: %python -c "import numpy as np; x = np.load('%t/r0.npy'); k = np.load('%t/k0.npy'); print(bool(x.min() >= 2), bool(x.max() < 3)); print(k.dtype, sorted(set(k.tolist())))" | FileCheck %s --check-prefix=RANGE
// RUN: kiln-interp %s --rand-inputs 43 --save-inputs %t/s
// RUN: not cmp -s %t/in0.npy %t/s0.npy

/// --rand-inputs fills input k with kiln_random_fill(SEED + k); --save-inputs
/// writes exactly the inputs that were used, so replaying them gives the
/// same outputs. Labels of nn.cross_entropy default to [0, C) (3 and 2
/// classes here); --rand-range and --label-range set the ranges.
func.func @f(%x: tensor<64x3xf32>, %l: tensor<64xi64>, %k: tensor<64xi32>)
    -> (tensor<f32>, tensor<f32>) {
  %0 = nn.cross_entropy %x, %l : tensor<64x3xf32>, tensor<64xi64>
  %s = nn.slice %x offsets = [0, 0] sizes = [64, 2] strides = [1, 1]
      : tensor<64x3xf32>
  %1 = nn.cross_entropy %s, %k : tensor<64x2xf32>, tensor<64xi32>
  return %0, %1 : tensor<f32>, tensor<f32>
}

// DEFAULT: float32 (64, 3) True True True
// DEFAULT: int64 [0, 1, 2]
// DEFAULT: int32 [0, 1]

// RANGE: True True
// RANGE: int32 [5, 6]
