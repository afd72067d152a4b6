#!/usr/bin/env python3
"""Regenerates the numpy-written .npy fixtures of the kiln-npy lit tests.

Run from this directory with a Python that has numpy (1.24 was used).
The files are checked in so that the tests do not need numpy.
"""
import numpy as np
import numpy.lib.format as fmt

np.save("np_f32_2x3.npy", (np.arange(6, dtype="<f4") / 4).reshape(2, 3))
np.save("np_i32_scalar.npy", np.int32(7))
np.save("np_i64_3d.npy", np.arange(24, dtype="<i8").reshape(2, 3, 4) - 5)
np.save("np_f64_special.npy", np.array([1.0, np.nan, np.inf, -np.inf, 0.5]))
np.save("np_f64_special_bad.npy", np.array([1.0, 2.0, np.inf, np.inf, np.nan]))
np.save("np_fortran.npy", np.asfortranarray(np.ones((2, 3), dtype="<f4")))
np.save("np_big_endian.npy", np.ones(3, dtype=">f4"))
np.save("np_bool.npy", np.ones(3, dtype=bool))
with open("np_v2.npy", "wb") as f:
    fmt.write_array(f, np.arange(4, dtype="<i8"), version=(2, 0))
# A valid header announcing 28x28 f32 (3136 bytes) followed by 100 bytes.
with open("truncated.npy", "wb") as f:
    fmt.write_array(f, np.zeros((28, 28), dtype="<f4"))
with open("truncated.npy", "r+b") as f:
    size = f.seek(0, 2)
    f.truncate(size - 3136 + 100)
