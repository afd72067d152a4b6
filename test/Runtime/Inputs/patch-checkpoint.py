#!/usr/bin/env python3
"""Sets one little-endian u64 header field of a Kiln checkpoint and recomputes
both checksums, so the result is a well-formed file with a changed field.

  patch-checkpoint.py IN OFFSET VALUE OUT
  patch-checkpoint.py --print IN OFFSET      (prints the field instead)

Offsets (docs/Runtime.md): 32 seed, 40 step, 48 epoch, 56 batch,
64 training examples, 72 batch size.
"""

import struct
import sys


def fnv(data):
    h = 0xcbf29ce484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    if sys.argv[1] == "--print":
        b = open(sys.argv[2], "rb").read()
        offset = int(sys.argv[3])
        print(struct.unpack("<Q", b[offset:offset + 8])[0])
        return
    src, dst = sys.argv[1], sys.argv[4]
    offset, value = int(sys.argv[2]), int(sys.argv[3])
    b = bytearray(open(src, "rb").read())
    b[offset:offset + 8] = struct.pack("<Q", value)
    b[112:120] = struct.pack("<Q", fnv(b[:112]))
    b[-8:] = struct.pack("<Q", fnv(b[:-8]))
    open(dst, "wb").write(b)


if __name__ == "__main__":
    main()
