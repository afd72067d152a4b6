"""Runs one entry point of a Kiln AOT executable on NumPy arrays.

Shared by the PyTorch comparison scripts of this folder (compare_conv.py,
compare_recurrent.py, normalization_compare.py, losses_compare.py,
random_compare.py).
"""

import os
import subprocess

import numpy as np


def run_kiln(prog, work, entry, inputs, n_out):
    """Saves `inputs` as .npy files in `work`, runs `prog --entry ENTRY` on
    them and returns its `n_out` outputs as arrays."""
    ins, outs = [], []
    for i, x in enumerate(inputs):
        path = os.path.join(work, "%s.in%d.npy" % (entry, i))
        np.save(path, x)
        ins.append(path)
    args = [prog, "--entry", entry]
    for i in range(n_out):
        path = os.path.join(work, "%s.out%d.npy" % (entry, i))
        outs.append(path)
        args += ["-o", path]
    subprocess.run(args + ["--"] + ins, check=True)
    return [np.load(p) for p in outs]
