#!/usr/bin/python3
"""Builds tests/fixtures/huge/: one small file a format whose header claims a picture far larger
than kpix opens (40 MP), for the size check before decoding (core::image_info; tests
test_image_info.cpp, the app's runner in tests/app, the CLI's huge_headers case). Each is a real
fixture with only its size fields changed, so everything but the size is as a decoder expects.

  huge.jpg    tests/fixtures/photo/orient_1.jpg, its SOF0 saying 60000 x 60000
  huge.png    tests/fixtures/formats/source.png, its IHDR saying 60000 x 60000 (CRC made anew)
  huge.gif    tests/fixtures/inputs/animated.gif, its logical screen 60000 x 60000
  huge.bmp    a 4 x 4 BMP written by Pillow, its header saying 60000 x 60000
  huge.heic   tests/fixtures/formats/plain.heic, every ispe box 60000 x 60000
  huge.avif   tests/fixtures/formats/plain.avif, likewise
  huge_rotated.heic
              tests/fixtures/formats/rotated.heic (irot: a quarter turn) with ispe 60000 x 1000
              stored, so 1000 x 60000 shown: image_info reports the size as shown
  huge.webp   tests/fixtures/formats/animated.webp, its VP8X canvas 60000 x 60000
  huge.tif    tests/fixtures/formats/rgb8.tif, ImageWidth and ImageLength 60000

Run with Debian's python and Pillow: /usr/bin/python3 scripts/make_huge_header_fixtures.py
"""
import io
import os
import struct
import zlib

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "huge")
SIDE = 60000


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return bytearray(f.read())


def jpeg(d):
    i = 2
    while d[i] == 0xFF:
        marker = d[i + 1]
        length = d[i + 2] << 8 | d[i + 3]
        if marker in (0xC0, 0xC1, 0xC2):
            d[i + 5:i + 9] = struct.pack(">HH", SIDE, SIDE)
            return d
        i += 2 + length
    raise SystemExit("no SOF in the JPEG")


def png(d):
    assert d[12:16] == b"IHDR"
    d[16:24] = struct.pack(">II", SIDE, SIDE)
    d[29:33] = struct.pack(">I", zlib.crc32(bytes(d[12:29])))
    return d


def gif(d):
    d[6:10] = struct.pack("<HH", SIDE, SIDE)
    return d


def bmp():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 100, 50)).save(out, "BMP")
    d = bytearray(out.getvalue())
    d[18:26] = struct.pack("<ii", SIDE, SIDE)
    return d


def heif(d, w, h):
    at = d.find(b"ispe")
    assert at > 0
    while at > 0:
        d[at + 8:at + 16] = struct.pack(">II", w, h)
        at = d.find(b"ispe", at + 1)
    return d


def webp(d):
    assert d[12:16] == b"VP8X"
    d[24:30] = struct.pack("<I", SIDE - 1)[:3] + struct.pack("<I", SIDE - 1)[:3]
    return d


def tiff(d):
    assert d[:4] == b"II*\0"
    ifd = struct.unpack_from("<I", d, 4)[0]
    count = struct.unpack_from("<H", d, ifd)[0]
    for n in range(count):
        at = ifd + 2 + 12 * n
        tag, kind = struct.unpack_from("<HH", d, at)
        if tag in (256, 257):
            d[at + 8:at + 12] = struct.pack("<H", SIDE) + b"\0\0" if kind == 3 else struct.pack("<I", SIDE)
    return d


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "huge.jpg": jpeg(read("tests/fixtures/photo/orient_1.jpg")),
        "huge.png": png(read("tests/fixtures/formats/source.png")),
        "huge.gif": gif(read("tests/fixtures/inputs/animated.gif")),
        "huge.bmp": bmp(),
        "huge.heic": heif(read("tests/fixtures/formats/plain.heic"), SIDE, SIDE),
        "huge.avif": heif(read("tests/fixtures/formats/plain.avif"), SIDE, SIDE),
        "huge_rotated.heic": heif(read("tests/fixtures/formats/rotated.heic"), SIDE, 1000),
        "huge.webp": webp(read("tests/fixtures/formats/animated.webp")),
        "huge.tif": tiff(read("tests/fixtures/formats/rgb8.tif")),
    }
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        print(name, len(data), "bytes")


if __name__ == "__main__":
    main()
