# Independent Python model of the runtime's documented initializer
# (docs/Runtime.md, include/kiln/Runtime/Init.h): prints
# f32(lo + (hi - lo) * uniform01(seed, i)) for i < n as float32 .npy-style
# text, one value per line with 8 significant digits.
import sys

import numpy as np

M = (1 << 64) - 1


def mix(z):
    z = (z + 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def uniform01(seed, i):
    return (mix(mix(seed) ^ i) >> 11) * 2.0**-53


seed, lo, hi, n = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
for i in range(n):
    print("%.8g" % np.float32(lo + (hi - lo) * uniform01(seed, i)))
