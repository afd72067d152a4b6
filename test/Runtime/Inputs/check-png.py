#!/usr/bin/env python3
"""Checks a PNG file written by the Kiln runtime (an image output's grid).

  check-png.py FILE [--size WxH] [--npy ARRAY.npy]

Decodes FILE with Python's zlib, independently of the runtime: the PNG
signature, the chunk sequence (IHDR first, IDAT, IEND last), the CRC-32 of
every chunk, IHDR = 8-bit grayscale, no interlace; the IDAT data must
decompress (zlib checks the Adler-32) to exactly (W + 1) * H bytes, each row
with filter type 0. --size: the expected dimensions. --npy: the expected
pixels, computed here from an image batch ([N, H, W], [N, 1, H, W] or
[N, P] with P a perfect square) as the runtime's grid: ceil(sqrt(N))
columns, 2-pixel black gutters, values clamped to [0, 1], floor(v * 255 +
0.5). Prints "OK WxH" or exits 1 with the reason.
"""

import argparse
import math
import struct
import sys
import zlib

import numpy as np


def fail(msg):
    print("check-png: " + msg)
    sys.exit(1)


def grid(a):
    a = np.asarray(a, dtype=np.float32)
    if a.ndim == 2:
        side = math.isqrt(a.shape[1])
        a = a.reshape(a.shape[0], side, side)
    elif a.ndim == 4:
        a = a.reshape(a.shape[0], a.shape[2], a.shape[3])
    n, h, w = a.shape
    cols = math.isqrt(n - 1) + 1 if n > 1 else 1
    rows = -(-n // cols)
    out = np.zeros((rows * (h + 2) - 2, cols * (w + 2) - 2), np.uint8)
    v = np.nan_to_num(a.astype(np.float64), nan=0.0)
    v = np.floor(np.clip(v, 0, 1) * 255 + 0.5).astype(np.uint8)
    for k in range(n):
        r, c = divmod(k, cols)
        out[r * (h + 2):r * (h + 2) + h, c * (w + 2):c * (w + 2) + w] = v[k]
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--size")
    p.add_argument("--npy")
    a = p.parse_args()
    data = open(a.file, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("bad signature")
    pos, chunks = 8, []
    while pos < len(data):
        if pos + 12 > len(data):
            fail("truncated chunk at %d" % pos)
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            fail("bad CRC of chunk %r" % kind)
        chunks.append((kind, body))
        pos += 12 + length
    kinds = [k for k, _ in chunks]
    if kinds[0] != b"IHDR" or kinds[-1] != b"IEND" or b"IDAT" not in kinds:
        fail("bad chunk sequence %r" % kinds)
    w, h, depth, color, comp, filt, lace = struct.unpack(">IIBBBBB",
                                                         chunks[0][1])
    if (depth, color, comp, filt, lace) != (8, 0, 0, 0, 0):
        fail("not 8-bit grayscale: %r" % ((depth, color, comp, filt, lace),))
    raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
    if len(raw) != (w + 1) * h:
        fail("IDAT decompresses to %d bytes, expected %d" % (len(raw),
                                                             (w + 1) * h))
    rows = [raw[r * (w + 1):(r + 1) * (w + 1)] for r in range(h)]
    if any(row[0] != 0 for row in rows):
        fail("a row has a filter type other than 0")
    if a.size and a.size != "%dx%d" % (w, h):
        fail("size %dx%d, expected %s" % (w, h, a.size))
    if a.npy:
        want = grid(np.load(a.npy))
        got = np.frombuffer(b"".join(row[1:] for row in rows),
                            np.uint8).reshape(h, w)
        if want.shape != got.shape:
            fail("grid %r, expected %r" % (got.shape, want.shape))
        if not np.array_equal(want, got):
            bad = np.argwhere(want != got)[0]
            fail("pixel %r is %d, expected %d" % (tuple(bad), got[tuple(bad)],
                                                  want[tuple(bad)]))
    print("OK %dx%d" % (w, h))


if __name__ == "__main__":
    main()
