#!/usr/bin/env python3
"""Writes small seeded data sets for the trainer tests (kiln-train-demo).

  make-train-data.py DIR [--kind class|regress|center|images]
                         [--format npy|csv|idx]
                         [--train N] [--test M] [--seed S] [--header]

class:   3 well-separated clusters in 4 features, labels 0..2 (the demo's
         softmax regression `model`); idx writes 2x2 ubyte images.
regress: 4 features, 2 targets = x @ W + b plus a little noise (`linreg`).
center:  4 features around a fixed point, no labels (`center`).
images:  4x4 images in [0, 1] (a bright cross on a dark background plus
         noise), no labels (the GAN of kiln-gan-demo); npy only.
--test 0 writes no held-out files. Files: train-x.npy/train-y.npy,
train.csv (label column 0; --header adds a header line), or
train-images-idx3-ubyte/train-labels-idx1-ubyte, and test-* likewise.
"""

import argparse
import os
import struct

import numpy as np

CENTERS = np.array([[0.9, 0.1, 0.1, 0.8], [0.1, 0.9, 0.2, 0.1],
                    [0.2, 0.2, 0.9, 0.9]])


def make(kind, n, rng):
    if kind == "class":
        y = rng.integers(0, 3, size=n)
        x = CENTERS[y] + rng.normal(0, 0.08, size=(n, 4))
        return np.clip(x, 0, 1).astype(np.float32), y.astype(np.int64)
    if kind == "regress":
        x = rng.normal(0, 1, size=(n, 4)).astype(np.float32)
        w = np.array([[1, -1], [0.5, 2], [-1.5, 0], [0, 1]], np.float32)
        t = x @ w + np.array([0.3, -0.2], np.float32)
        t += rng.normal(0, 0.01, size=t.shape).astype(np.float32)
        return x, t.astype(np.float32)
    if kind == "images":
        cross = np.full((4, 4), 0.1)
        cross[1, :] = cross[:, 2] = 0.9
        x = cross + rng.normal(0, 0.05, size=(n, 4, 4))
        return np.clip(x, 0, 1).astype(np.float32), None
    x = np.array([0.5, -1, 2, 0.25]) + rng.normal(0, 0.3, size=(n, 4))
    return x.astype(np.float32), None


def idx(path, array, code):
    with open(path, "wb") as f:
        f.write(bytes([0, 0, code, array.ndim]))
        for d in array.shape:
            f.write(struct.pack(">I", d))
        f.write(array.tobytes())


def write(out, prefix, x, y, fmt, header):
    if fmt == "npy":
        np.save(os.path.join(out, prefix + "-x.npy"), x)
        if y is not None:
            np.save(os.path.join(out, prefix + "-y.npy"), y)
    elif fmt == "csv":
        with open(os.path.join(out, prefix + ".csv"), "w") as f:
            if header:
                f.write("label,f0,f1,f2,f3\n")
            for i in range(len(x)):
                cells = ([str(int(y[i]))] if y is not None else [])
                cells += ["%.9g" % v for v in x[i]]
                f.write(",".join(cells) + "\n")
    else:
        images = np.round(x * 255).astype(np.uint8).reshape(len(x), 2, 2)
        idx(os.path.join(out, prefix + "-images-idx3-ubyte"), images, 0x08)
        if y is not None:
            idx(os.path.join(out, prefix + "-labels-idx1-ubyte"),
                y.astype(np.uint8), 0x08)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--kind", default="class")
    p.add_argument("--format", default="npy")
    p.add_argument("--train", type=int, default=200)
    p.add_argument("--test", type=int, default=50)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--header", action="store_true")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    x, y = make(a.kind, a.train, rng)
    write(a.out, "train", x, y, a.format, a.header)
    if a.test:
        x, y = make(a.kind, a.test, rng)
        write(a.out, "test", x, y, a.format, a.header)


if __name__ == "__main__":
    main()
