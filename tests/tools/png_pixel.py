#!/usr/bin/env python3
"""png_pixel.py FILE X Y: the pixel's colour as R,G,B (8-bit RGB or RGBA PNGs, as grim and the
kiosk write them; the five row filters of the PNG standard undone)."""
import struct, sys, zlib

path, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = open(path, "rb").read()
w, h, depth, ctype = struct.unpack(">IIBB", d[16:26])
if depth != 8 or ctype not in (2, 6):
    sys.exit("only 8-bit RGB or RGBA")
bpp = 3 if ctype == 2 else 4
i, idat = 8, b""
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8])
    if t == b"IDAT":
        idat += d[i + 8:i + 8 + n]
    i += 12 + n
raw, stride = zlib.decompress(idat), w * bpp
prev = bytearray(stride)
for row in range(y + 1):
    f, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
    for k in range(stride):
        a = line[k - bpp] if k >= bpp else 0
        b, c = prev[k], prev[k - bpp] if k >= bpp else 0
        if f == 1:
            line[k] = (line[k] + a) & 255
        elif f == 2:
            line[k] = (line[k] + b) & 255
        elif f == 3:
            line[k] = (line[k] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[k] = (line[k] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
print("%d,%d,%d" % tuple(prev[x * bpp:x * bpp + 3]))
