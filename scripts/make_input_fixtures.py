#!/usr/bin/python3
"""Builds tests/fixtures/inputs/: small odd-but-valid images for the bad-input matrix, from
china.jpg in Debian's python3-sklearn (a 32 x 21 copy) or drawn here.

  grey.png, grey_alpha.png   greyscale, and greyscale with an alpha ramp
  rgb16.png                  16 bits per channel (written by hand: Pillow cannot save 16-bit RGB)
  cmyk.jpg                   a CMYK JPEG (Adobe APP14)
  progressive.jpg            a progressive JPEG
  animated.gif               3 frames of different colours, 8 x 8
  one_pixel.png              1 x 1
  one_colour.png             16 x 16 of one colour
  three_colours.png          12 x 4, three colours in equal thirds
  photo.webp                 a WebP (lossy, from Pillow)

With --seeds DIR it also writes the libFuzzer seed corpus there (scripts/fuzz.sh): these files,
plus each sample photo in KPIX_SAMPLES_DIR downscaled to 48 px on its long side as JPEG
(baseline and progressive), PNG, GIF, BMP, TGA and PPM.

Run with Debian's python and Pillow: /usr/bin/python3 scripts/make_input_fixtures.py [--seeds DIR]
"""
import os
import struct
import sys
import zlib

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "inputs")
CHINA = "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg"


def png_chunk(kind, data):
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_rgb16(img):
    """A 16-bit RGB PNG of an 8-bit RGB image, each value v stored as v * 257."""
    w, h = img.size
    px = img.load()
    raw = bytearray()
    for y in range(h):
        raw.append(0)  # filter: none
        for x in range(w):
            for v in px[x, y]:
                raw += struct.pack(">H", v * 257)
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
            png_chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + png_chunk(b"IEND", b""))


def write_fixtures(out):
    os.makedirs(out, exist_ok=True)
    photo = Image.open(CHINA).convert("RGB").resize((32, 21), Image.Resampling.LANCZOS)
    photo.info = {}
    photo.convert("L").save(os.path.join(out, "grey.png"), optimize=True)
    la = photo.convert("L").convert("LA")
    la.putalpha(Image.linear_gradient("L").resize(photo.size))
    la.save(os.path.join(out, "grey_alpha.png"), optimize=True)
    with open(os.path.join(out, "rgb16.png"), "wb") as f:
        f.write(png_rgb16(photo))
    photo.convert("CMYK").save(os.path.join(out, "cmyk.jpg"), quality=85)
    photo.save(os.path.join(out, "progressive.jpg"), quality=85, progressive=True)
    frames = [Image.new("RGB", (8, 8), c) for c in ((200, 30, 30), (30, 200, 30), (30, 30, 200))]
    frames[0].save(os.path.join(out, "animated.gif"), save_all=True, append_images=frames[1:],
                   duration=100, loop=0)
    Image.new("RGB", (1, 1), (10, 120, 230)).save(os.path.join(out, "one_pixel.png"))
    Image.new("RGB", (16, 16), (90, 60, 30)).save(os.path.join(out, "one_colour.png"))
    three = Image.new("RGB", (12, 4))
    for x in range(12):
        for y in range(4):
            three.putpixel((x, y), ((255, 0, 0), (0, 255, 0), (0, 0, 255))[x // 4])
    three.save(os.path.join(out, "three_colours.png"))
    photo.save(os.path.join(out, "photo.webp"), quality=80)


def write_seeds(out):
    write_fixtures(out)
    samples = os.environ.get("KPIX_SAMPLES_DIR", "")
    names = sorted(n for n in os.listdir(samples) if n.endswith((".png", ".jpg"))) if samples else []
    for name in names:
        img = Image.open(os.path.join(samples, name)).convert("RGB")
        img.thumbnail((48, 48), Image.Resampling.LANCZOS)
        img.info = {}
        stem = os.path.join(out, os.path.splitext(name)[0])
        img.save(stem + ".jpg", quality=75)
        img.save(stem + "-progressive.jpg", quality=75, progressive=True)
        img.save(stem + ".png", optimize=True)
        img.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(stem + ".gif")
        img.save(stem + ".bmp")
        img.save(stem + ".tga")
        img.save(stem + ".ppm")
        img.convert("RGBA").save(stem + "-rgba.png")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
        write_seeds(sys.argv[2])
        out = sys.argv[2]
    elif len(sys.argv) == 1:
        write_fixtures(OUT)
        out = OUT
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"{len(os.listdir(out))} files, {total / 1024:.0f} KB in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
