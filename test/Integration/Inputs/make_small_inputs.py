# Writes the inputs and expected outputs of small.mlir into the folder given
# as the only argument: x.npy, v.npy, predict.npy, stats0.npy, stats1.npy.
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
np.save(os.path.join(out, "x.npy"),
        np.array([[1, 2, 3], [-4, 5, -6]], dtype=np.float32))
np.save(os.path.join(out, "v.npy"), np.array([1, 2, 4], dtype=np.float32))
np.save(os.path.join(out, "predict.npy"),
        np.array([[6.5, 8], [0, 0]], dtype=np.float32))
np.save(os.path.join(out, "stats0.npy"), np.array([2, 4, 8], dtype=np.float32))
np.save(os.path.join(out, "stats1.npy"), np.array(7, dtype=np.float32))
