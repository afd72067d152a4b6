#!/usr/bin/env python3
"""compare_npy.py ACTUAL.npy EXPECTED.npy TOL: prints 'ok max_abs X' when
every |actual - expected| <= TOL, else 'FAIL max_abs X'."""
import sys

import numpy as np

a = np.load(sys.argv[1])
e = np.load(sys.argv[2])
tol = float(sys.argv[3])
if a.shape != e.shape:
    print("FAIL shapes", a.shape, e.shape)
    sys.exit(1)
err = float(np.max(np.abs(a.astype(np.float64) - e.astype(np.float64))))
print("ok" if err <= tol else "FAIL", "max_abs %.3g" % err)
