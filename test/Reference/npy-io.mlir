// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[1, 2, 3], [4, 5, 6]], np.float32)); np.save('%t/l.npy', np.array([2, 0], np.int64)); np.save('%t/x64.npy', np.array([[1, 2, 3], [4, 5, 6]], np.float64) / 10)"
// RUN: kiln-interp %s %t/x.npy %t/l.npy -o %t/y.npy -o %t/loss.npy
// RUN: %python -c "import numpy as np; y = np.load('%t/y.npy'); l = np.load('%t/loss.npy'); print(y.dtype, y.shape, y.ravel().tolist()); print(l.dtype, l.shape, l.tolist())" | FileCheck %s --check-prefix=F32
// RUN: kiln-interp %s %t/x.npy %t/l.npy -o %t/y64.npy --f64 --print | FileCheck %s --check-prefix=PRINT
// RUN: %python -c "import numpy as np; y = np.load('%t/y64.npy'); print(y.dtype, y.ravel().tolist())" | FileCheck %s --check-prefix=F64
// RUN: kiln-interp %s %t/x64.npy %t/l.npy --f64 | FileCheck %s --check-prefix=WIDE

/// Inputs are read from .npy in argument order; -o writes outputs in order,
/// as f32 (rounded) by default and as f64 with --f64.
func.func @f(%x: tensor<2x3xf32>, %l: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<f32>) {
  %c = nn.constant dense<0.1> : tensor<f32>
  %y = nn.mul %x, %c : tensor<2x3xf32>, tensor<f32>
  %z = nn.constant dense<0.0> : tensor<2x3xf32>
  %loss = nn.cross_entropy %z, %l reduction = sum : tensor<2x3xf32>, tensor<2xi64>
  return %y, %loss : tensor<2x3xf32>, tensor<f32>
}

// F32: float32 (2, 3) [0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645, 0.5, 0.6000000238418579]
// F32: float32 () 2.1972246170043945

/// With -o, --print also prints every output (the second one too).
// PRINT:      output 0: 2x3 f64
// PRINT-NEXT: {{\[\[}}0.1000000014901161, 0.2000000029802322, 0.3000000044703484],
// PRINT:      output 1: scalar f64
// PRINT-NEXT: 2.19722457733622

// F64: float64 [0.10000000149011612, 0.20000000298023224, 0.30000000447034836, 0.4000000059604645, 0.5000000074505806, 0.6000000089406967]

/// An f64 .npy file is accepted for an f32 input and kept in double.
// WIDE:      output 0: 2x3 f64
// WIDE-NEXT: {{\[\[}}0.01000000014901161, 0.02000000029802322, 0.03000000044703484],
