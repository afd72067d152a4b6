#!/usr/bin/env python3
"""Writes broken data sets for the trainer's error tests.

  make-bad-train-data.py GOOD OUT

GOOD is a directory written by make-train-data.py (npy format, class kind).
Each subdirectory of OUT holds one defect, named after it.
"""

import os
import shutil
import struct
import sys

import numpy as np


def idx(path, array, code=0x08):
    with open(path, "wb") as f:
        f.write(bytes([0, 0, code, array.ndim]))
        for d in array.shape:
            f.write(struct.pack(">I", d))
        f.write(array.tobytes())


def main():
    good, out = sys.argv[1], sys.argv[2]
    x = np.load(os.path.join(good, "train-x.npy"))
    y = np.load(os.path.join(good, "train-y.npy"))
    tx = np.load(os.path.join(good, "test-x.npy"))
    ty = np.load(os.path.join(good, "test-y.npy"))
    images = np.round(x * 255).astype(np.uint8).reshape(-1, 2, 2)

    def d(name):
        path = os.path.join(out, name)
        os.makedirs(path, exist_ok=True)
        return path

    def npy(name, xs, ys, test=None):
        p = d(name)
        np.save(os.path.join(p, "train-x.npy"), xs)
        np.save(os.path.join(p, "train-y.npy"), ys)
        if test:
            np.save(os.path.join(p, "test-x.npy"), test[0])
            np.save(os.path.join(p, "test-y.npy"), test[1])

    bad = y.copy()
    bad[17] = 5
    npy("label-range", x, bad)
    bad_test = ty.copy()
    bad_test[3] = -2
    npy("test-label-range", x, y, (tx, bad_test))
    npy("shape", np.zeros((200, 5), np.float32), y)
    npy("f32-labels", x, y.astype(np.float32))
    npy("small", x[:5], y[:5])
    npy("count", x, y[:150])
    npy("other-size", x[:160], y[:160])

    npy("scalar-x", np.float32(1), y)
    npy("target-shape", x, np.zeros((200, 3), np.float32))
    npy("empty-test", x, y, (np.zeros((0, 4), np.float32),
                             np.zeros((0,), np.int64)))

    p = d("idx-shape")
    idx(os.path.join(p, "train-images-idx3-ubyte"),
        np.zeros((200, 3, 3), np.uint8))
    idx(os.path.join(p, "train-labels-idx1-ubyte"), y.astype(np.uint8))
    p = d("idx-truncated")
    idx(os.path.join(p, "train-images-idx3-ubyte"), images)
    idx(os.path.join(p, "train-labels-idx1-ubyte"), y.astype(np.uint8))
    with open(os.path.join(p, "train-images-idx3-ubyte"), "r+b") as f:
        f.truncate(16 + 700)
    p = d("idx-magic")
    with open(os.path.join(p, "train-images-idx3-ubyte"), "wb") as f:
        f.write(b"\x1f\x8b\x08\x00" + bytes(100))  # a gzip file
    idx(os.path.join(p, "train-labels-idx1-ubyte"), y.astype(np.uint8))
    p = d("idx-labels")
    idx(os.path.join(p, "train-images-idx3-ubyte"), images)
    labels = y.astype(np.uint8)
    labels[42] = 10
    idx(os.path.join(p, "train-labels-idx1-ubyte"), labels)
    p = d("idx-no-labels")
    idx(os.path.join(p, "train-images-idx3-ubyte"), images)

    p = d("npy-truncated")
    shutil.copy(os.path.join(os.path.dirname(__file__), "truncated.npy"),
                os.path.join(p, "train-x.npy"))
    np.save(os.path.join(p, "train-y.npy"), y)
    p = d("npy-garbage")
    with open(os.path.join(p, "train-x.npy"), "wb") as f:
        f.write(b"not an npy file")
    np.save(os.path.join(p, "train-y.npy"), y)

    p = d("csv-fields")
    with open(os.path.join(p, "train.csv"), "w") as f:
        for i in range(20):
            f.write("1,0.5,0.5,0.5,0.5\n" if i != 6 else "1,0.5,0.5\n")
    p = d("csv-label")
    with open(os.path.join(p, "train.csv"), "w") as f:
        for i in range(20):
            f.write("%s,0.5,0.5,0.5,0.5\n" % ("-1" if i == 9 else "2"))
    d("empty")


if __name__ == "__main__":
    main()
