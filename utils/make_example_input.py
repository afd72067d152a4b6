#!/usr/bin/python3
# ===- make_example_input.py - Example inputs of examples/*.mlir -----------===#
#
# Part of the Kiln project.
#
# ===-----------------------------------------------------------------------===#
"""Writes examples/data/mlp_input.npy: a deterministic 1x784 float32 "image"
(a smooth blob on a dark background, values in [0, 1]) for
examples/mlp_forward.mlir.

Usage: utils/make_example_input.py [OUTPUT_DIR]   (default: examples/data)
"""

import os
import sys

import numpy as np


def make_image() -> np.ndarray:
    """A 28x28 Gaussian blob in [0, 1], flattened to shape (1, 784)."""
    y, x = np.mgrid[0:28, 0:28].astype(np.float64)
    blob = np.exp(-(((x - 13.5) / 5.0) ** 2 + ((y - 12.0) / 7.0) ** 2))
    ring = 0.5 * np.exp(-((np.hypot(x - 13.5, y - 13.5) - 9.0) / 1.5) ** 2)
    image = np.clip(blob + ring, 0.0, 1.0)
    return image.reshape(1, 784).astype(np.float32)


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "examples", "data")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "mlp_input.npy")
    np.save(path, make_image())
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
