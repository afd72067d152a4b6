#!/usr/bin/env python3
"""Regenerates the seed corpora of the runtime fuzz harnesses.

Usage: make-seeds.py [CORPUS_DIR]   (default: corpus/ next to this script)

Writes small valid and near-valid IDX, CSV, .npy and checkpoint files into
CORPUS_DIR/{idx,csv,npy,checkpoint}/. The compile corpus is hand-picked
models (see docs/Reliability.md) and is not touched. Deterministic: running
it twice gives the same bytes.
"""

import os
import struct
import sys

FNV_INIT = 0xCBF29CE484222325


def fnv1a64(data, h=FNV_INIT):
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# IDX: big-endian magic 0x0000TTRR, extents, data.
IDX_FMT = {0x08: "B", 0x09: "b", 0x0B: ">h", 0x0C: ">i", 0x0D: ">f", 0x0E: ">d"}


def idx(type_code, shape, values):
    out = struct.pack(">I", (type_code << 8) | len(shape))
    out += b"".join(struct.pack(">I", d) for d in shape)
    fmt = IDX_FMT[type_code]
    out += b"".join(struct.pack(fmt, v) for v in values)
    return out


def idx_seeds(d):
    write(f"{d}/labels-u8", idx(0x08, [6], [0, 1, 2, 9, 4, 7]))
    write(f"{d}/images-u8", idx(0x08, [2, 3, 3], list(range(0, 255, 15))[:18]))
    write(f"{d}/i8", idx(0x09, [4], [-128, -1, 0, 127]))
    write(f"{d}/i16", idx(0x0B, [2, 2], [-32768, -1, 1, 32767]))
    write(f"{d}/i32", idx(0x0C, [3], [-2147483648, 0, 2147483647]))
    write(f"{d}/f32", idx(0x0D, [2, 2], [0.5, -1.25, 1e30, -0.0]))
    write(f"{d}/f64-scalar", idx(0x0E, [], [3.141592653589793]))
    write(f"{d}/rank8", idx(0x08, [1] * 8, [42]))
    write(f"{d}/empty", idx(0x08, [0, 28], []))
    # Near-valid.
    write(f"{d}/bad-truncated", idx(0x08, [6], [1, 2, 3, 4, 5, 6])[:-2])
    write(f"{d}/bad-trailing", idx(0x08, [2], [1, 2]) + b"\x00")
    write(f"{d}/bad-type", idx(0x08, [2], [1, 2])[:2] + b"\x0a\x01" +
          struct.pack(">I", 2) + b"\x01\x02")
    write(f"{d}/bad-rank9", struct.pack(">I", 0x0809) + struct.pack(">I", 1) * 9 + b"\x05")
    write(f"{d}/bad-huge", struct.pack(">IIII", 0x0803, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF))


def csv_seeds(d):
    seeds = {
        "simple": "1,0.5,0.25\n0,1.5,-2\n2,3e-3,4E+2\n",
        "header": "label,x,y\n1,2,3\n0,4,5\n",
        "spaces-blank-crlf": " 3 ,\t1.0 , 2.0\r\n\r\n  \n4, -0.0 ,+7\r\n",
        "nonfinite": "0,nan,inf\n1,-inf,NaN\n2,1e39,-1e39\n",
        "one-column": "5\n6\n7\n",
        "bad-ragged": "1,2,3\n4,5\n",
        "bad-label": "1.5,2\n",
        "bad-number": "1,abc\n",
        "bad-empty-field": "1,,3\n",
        "bad-nul": "1,2\x003\n",
        "no-newline": "9,8,7",
        "big-label": "9223372036854775807,1\n-9223372036854775808,2\n",
        "hex-and-exp": "1,0x1p3,1e-400\n",
    }
    for name, text in seeds.items():
        write(f"{d}/{name}", text.encode("latin-1"))


def npy(descr, shape, payload, version=(1, 0), fortran=False, extra=b""):
    shape_txt = "(" + "".join(f"{s}, " for s in shape).rstrip(" ")
    if len(shape) != 1:
        shape_txt = shape_txt.rstrip(",")
    shape_txt += ")"
    hdr = ("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" %
           (descr, "True" if fortran else "False", shape_txt)).encode()
    pre = 10 if version == (1, 0) else 12
    total = pre + len(hdr) + 1
    pad = (64 - total % 64) % 64
    hdr = hdr + b" " * pad + b"\n"
    out = b"\x93NUMPY" + bytes(version)
    out += struct.pack("<H" if version == (1, 0) else "<I", len(hdr))
    return out + hdr + payload + extra


def npy_seeds(d):
    write(f"{d}/f32-2x3", npy("<f4", [2, 3], struct.pack("<6f", 1, 2, 3, 4, 5, 6)))
    write(f"{d}/f64-vec", npy("<f8", [3], struct.pack("<3d", 0.5, -1, 1e300)))
    write(f"{d}/i32-scalar", npy("<i4", [], struct.pack("<i", 7)))
    write(f"{d}/i64-labels", npy("<i8", [4], struct.pack("<4q", 0, 1, 9, 3)))
    write(f"{d}/f32-v2", npy("<f4", [1, 2], struct.pack("<2f", 1, 2), version=(2, 0)))
    write(f"{d}/f32-v3-native", npy("=f4", [2], struct.pack("<2f", 1, 2), version=(3, 0)))
    write(f"{d}/f32-empty", npy("<f4", [0, 5], b""))
    write(f"{d}/bad-fortran", npy("<f4", [2, 2], b"\0" * 16, fortran=True))
    write(f"{d}/bad-big-endian", npy(">f4", [2], b"\0" * 8))
    write(f"{d}/bad-truncated", npy("<f8", [4], b"\0" * 20))
    write(f"{d}/bad-bool", npy("|b1", [2], b"\1\0"))
    write(f"{d}/bad-overflow", npy("<f4", [4611686018427387904, 4], b""))
    write(f"{d}/bad-rank9", npy("<f4", [1] * 9, b"\0" * 4))


def checkpoint(tensors, step=3, epoch=1, batch=2, flags=1, count=None,
               reserved=0):
    # tensors: (kind, name, dtype, shape, data bytes)
    body = b""
    for kind, name, dtype, shape, data in tensors:
        body += struct.pack("<II", kind, len(name)) + name.encode()
        body += struct.pack("<II", dtype, len(shape))
        body += b"".join(struct.pack("<Q", s) for s in shape) + data
    total = 120 + len(body) + 8
    h = b"KILNCKPT" + struct.pack("<II", 1, flags)
    h += struct.pack("<QQQQQQQQ", total, 0x1234, 9, step, epoch, batch, 100, 10)
    h += struct.pack("<dQQI", 1.5, 7, 20,
                     len(tensors) if count is None else count)
    h += struct.pack("<I", reserved)
    h += struct.pack("<Q", fnv1a64(h))
    assert len(h) == 120
    out = h + body
    return out + struct.pack("<Q", fnv1a64(out))


def checkpoint_seeds(d):
    f32 = lambda *v: struct.pack("<%df" % len(v), *v)
    w = (0, "fc.w", 1, [2, 2], f32(1, 2, 3, 4))
    b = (0, "fc.b", 1, [2], f32(0.5, -0.5))
    m = (1, "fc.w.m", 1, [2, 2], f32(0, 0, 0, 0))
    s = (2, "loss_d", 2, [], struct.pack("<d", 2.5))
    i = (0, "steps", 4, [1], struct.pack("<q", 5))
    write(f"{d}/mlp", checkpoint([w, b, m]))
    write(f"{d}/sums", checkpoint([w, s, i]))
    write(f"{d}/empty", checkpoint([], flags=0))
    ok = checkpoint([w, b])
    write(f"{d}/bad-checksum", ok[:-1] + bytes([ok[-1] ^ 1]))
    write(f"{d}/bad-truncated", ok[:-12])
    write(f"{d}/bad-duplicate", checkpoint([w, w]))
    write(f"{d}/bad-count", checkpoint([w], count=1000))
    write(f"{d}/bad-reserved", checkpoint([w], reserved=1))
    write(f"{d}/bad-kind", checkpoint([(7, "x", 1, [1], f32(1))]))
    write(f"{d}/bad-shape", checkpoint([(0, "x", 1, [1 << 62, 4], b"")]))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    idx_seeds(os.path.join(root, "idx"))
    csv_seeds(os.path.join(root, "csv"))
    npy_seeds(os.path.join(root, "npy"))
    checkpoint_seeds(os.path.join(root, "checkpoint"))


if __name__ == "__main__":
    main()
