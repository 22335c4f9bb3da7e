#!/usr/bin/python3
"""Builds tests/fixtures/formats/: HEIC, AVIF, WebP and TIFF files of one real photo, each a few
kB, written by Debian's own tools, for tests/test_formats.cpp (each must decode to source.png's
pixels within codec noise, upright).

  source.png          the photo: a 48 x 36 piece of scikit-image's chelsea.png (the cat), RGB
  source_alpha.png    the same with an alpha ramp (left transparent, right opaque)
  plain.heic          heif-enc (x265), quality 90
  rotated.heic        stored turned a quarter left, with an irot box saying "turn a quarter right"
  grid.heic           a 2 x 2 grid of 64 x 64 tiles (as iPhones store photos) of a 96 x 72 piece,
                      grid_source.png: each tile encoded by heif-enc, the grid put together here
  p3_icc.heic         flower_p3.png (tests/fixtures/photo: Display P3 pixels and profile) by heif-enc
  p3_nclx.heic        the same pixels, the profile given as a colr nclx box: primaries 12 (P3),
                      transfer 13 (sRGB), put together here like the grid
  plain.avif          heif-enc -A (aom), quality 90
  mif1.avif           plain.avif with its major brand changed to mif1 (AV1 brand only listed)
  lossy.webp          cwebp -q 90
  lossless_alpha.webp cwebp -lossless of source_alpha.png
  animated.webp       img2webp: source.png, then two other frames
  rgb8.tif, rgb8_lzw.tif, rgb8_deflate.tif, rgba8_lzw.tif, grey8.tif, grey_alpha8.tif,
  rgb16.tif, rgb16_lzw.tif, grey16_deflate.tif
                      Pillow for 8 bits, written here for 16 (each v stored as v * 257), tiffcp
                      for the compressions
  orient6.tif         rgb8.tif stored turned a quarter left, Orientation 6 set by tiffset

HEIF files are ISO boxes; the grid and rotated files are put together by this script from
heif-enc's output (heif-enc 1.15 writes neither), with nothing but standard HEIF boxes.

Run with Debian's python and Pillow: /usr/bin/python3 scripts/make_format_fixtures.py
(needs libheif-examples, webp, libtiff-tools: scripts/setup.sh installs them).
"""
import os
import struct
import subprocess
import sys
import tempfile

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "formats")
SAMPLES = os.environ.get("KPIX_SAMPLES_DIR", os.path.expanduser("~/.cache/kpix/samples"))
P3_PNG = os.path.join(ROOT, "tests", "fixtures", "photo", "flower_p3.png")
# The cat's face in chelsea.png (451 x 300), scaled down by 4.
CROP = (150, 60, 406, 252)
TILE = 64


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---- ISO boxes ------------------------------------------------------------------------------------

def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full_box(kind, version, flags, payload):
    return box(kind, struct.pack(">I", version << 24 | flags) + payload)


def children(data, start, end):
    """(kind, payload start, box end) of each box between start and end."""
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start:start + 8])
        yield kind, start + 8, start + size
        start += size


def find(data, path, start=0, end=None):
    """The payload (start, end) of the box at path (meta's 4-byte full-box header is skipped)."""
    end = len(data) if end is None else end
    for kind, body, stop in children(data, start, end):
        if kind == path[0]:
            if kind == b"meta":
                body += 4
            return (body, stop) if len(path) == 1 else find(data, path[1:], body, stop)
    raise ValueError(f"no {path[0]} box")


def single_tile(path):
    """The hvcC box and the coded data of a heif-enc file holding one hvc1 image (no grid)."""
    data = open(path, "rb").read()
    ipco = find(data, [b"meta", b"iprp", b"ipco"])
    hvcc = next(data[b - 8:e] for k, b, e in children(data, *ipco) if k == b"hvcC")
    iloc_start, _ = find(data, [b"meta", b"iloc"])
    version = data[iloc_start]
    sizes = data[iloc_start + 4]
    offset_size, length_size, base_size = sizes >> 4, sizes & 15, data[iloc_start + 5] >> 4
    at = iloc_start + 6
    count = struct.unpack(">H", data[at:at + 2])[0]
    at += 2
    assert count == 1 and version == 0 and offset_size == 4 and length_size == 4 and base_size in (0, 4), path
    at += 2 + 2  # item ID, data reference index
    base = struct.unpack(">I", data[at:at + 4])[0] if base_size else 0
    at += base_size
    extents = struct.unpack(">H", data[at:at + 2])[0]
    assert extents == 1, path
    offset, length = struct.unpack(">II", data[at + 2:at + 10])
    offset += base
    return hvcc, data[offset:offset + length]


def heif_file(tiles, grid_size, columns, rows, irot=None, colr=None):
    """A HEIC file: one hvc1 item per tile (hidden), a grid item of columns x rows of them,
    grid_size (width, height) big, as the primary image; irot (quarter turns anticlockwise) and a
    colr box on it."""
    n = len(tiles)
    grid_id = n + 1
    infe = b"".join(full_box(b"infe", 2, 1, struct.pack(">HH", i + 1, 0) + b"hvc1" + b"\0") for i in range(n))
    infe += full_box(b"infe", 2, 0, struct.pack(">HH", grid_id, 0) + b"grid" + b"\0")
    iinf = full_box(b"iinf", 0, 0, struct.pack(">H", n + 1) + infe)
    iref = full_box(b"iref", 0, 0, box(b"dimg", struct.pack(">HH", grid_id, n) +
                                       b"".join(struct.pack(">H", i + 1) for i in range(n))))
    props = [t[0] for t in tiles]  # 1..n: each tile's hvcC
    props.append(full_box(b"ispe", 0, 0, struct.pack(">II", TILE, TILE)))  # n + 1
    props.append(full_box(b"ispe", 0, 0, struct.pack(">II", *grid_size)))  # n + 2
    if irot is not None:
        props.append(box(b"irot", bytes([irot & 3])))
    if colr is not None:
        props.append(colr)
    ipco = box(b"ipco", b"".join(props))
    entries = b"".join(struct.pack(">HB", i + 1, 2) + bytes([0x80 | (i + 1), n + 1]) for i in range(n))
    grid_props = [n + 2] + [0x80 | i for i in range(n + 3, len(props) + 1)]
    entries += struct.pack(">HB", grid_id, len(grid_props)) + bytes(grid_props)
    ipma = full_box(b"ipma", 0, 0, struct.pack(">I", n + 1) + entries)
    iprp = box(b"iprp", ipco + ipma)
    grid_data = struct.pack(">BBBBHH", 0, 0, rows - 1, columns - 1, *grid_size)
    idat = box(b"idat", grid_data)
    hdlr = full_box(b"hdlr", 0, 0, b"\0\0\0\0pict" + b"\0" * 12 + b"\0")
    pitm = full_box(b"pitm", 0, 0, struct.pack(">H", grid_id))
    ftyp = box(b"ftyp", b"heic" + b"\0\0\0\0" + b"mif1heicmiaf")

    def meta_with(iloc):
        return full_box(b"meta", 0, 0, hdlr + pitm + iloc + iinf + iref + iprp + idat)

    def iloc_at(mdat_data_start):
        items = b""
        at = mdat_data_start
        for i, (_, coded) in enumerate(tiles):
            items += struct.pack(">HHHHII", i + 1, 0, 0, 1, at, len(coded))
            at += len(coded)
        # The grid's description lives in idat: construction method 1.
        items += struct.pack(">HHHHII", grid_id, 1, 0, 1, 0, len(grid_data))
        return full_box(b"iloc", 1, 0, bytes([0x44, 0x00]) + struct.pack(">H", n + 1) + items)

    head = len(ftyp) + len(meta_with(iloc_at(0)))
    meta = meta_with(iloc_at(head + 8))
    mdat = box(b"mdat", b"".join(t[1] for t in tiles))
    return ftyp + meta + mdat


def heic_grid(image, out, tmp, irot=None, colr=None, options=("-q", "90")):
    """image as a grid of TILE x TILE tiles (the last row and column edge-padded), each coded by
    heif-enc."""
    w, h = image.size
    columns, rows = -(-w // TILE), -(-h // TILE)
    padded = Image.new("RGB", (columns * TILE, rows * TILE))
    padded.paste(image, (0, 0))
    if rows * TILE > h:
        padded.paste(image.crop((0, h - 1, w, h)).resize((w, rows * TILE - h)), (0, h))
    if columns * TILE > w:
        padded.paste(padded.crop((w - 1, 0, w, rows * TILE)).resize((columns * TILE - w, rows * TILE)), (w, 0))
    tiles = []
    for r in range(rows):
        for c in range(columns):
            png = os.path.join(tmp, f"tile{r}{c}.png")
            heic = os.path.join(tmp, f"tile{r}{c}.heic")
            padded.crop((c * TILE, r * TILE, (c + 1) * TILE, (r + 1) * TILE)).save(png)
            run("heif-enc", *options, png, "-o", heic)
            tiles.append(single_tile(heic))
    with open(out, "wb") as f:
        f.write(heif_file(tiles, (w, h), columns, rows, irot, colr))


# ---- TIFF written by hand (Pillow writes no 16-bit RGB) -------------------------------------------

def tiff16(image, out):
    """An uncompressed little-endian TIFF of 16-bit samples (each 8-bit v as v * 257)."""
    w, h = image.size
    spp = len(image.getbands())
    pixels = b"".join(struct.pack("<H", v * 257) for px in image.getdata()
                      for v in (px if isinstance(px, tuple) else (px,)))
    bits_at = 8
    data_at = bits_at + 2 * spp
    ifd_at = data_at + len(pixels)
    photometric = 2 if spp >= 3 else 1
    tags = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, spp, bits_at if spp > 2 else 16),
            (259, 3, 1, 1), (262, 3, 1, photometric), (273, 4, 1, data_at), (277, 3, 1, spp),
            (278, 4, 1, h), (279, 4, 1, len(pixels)), (284, 3, 1, 1)]
    ifd = struct.pack("<H", len(tags))
    for tag, kind, count, value in tags:
        ifd += struct.pack("<HHI", tag, kind, count) + (struct.pack("<HH", value, 0) if kind == 3 and count == 1
                                                        else struct.pack("<I", value))
    ifd += struct.pack("<I", 0)
    with open(out, "wb") as f:
        f.write(b"II*\0" + struct.pack("<I", ifd_at) + struct.pack("<" + "H" * spp, *([16] * spp)) + pixels + ifd)


def main():
    os.makedirs(OUT, exist_ok=True)
    chelsea = Image.open(os.path.join(SAMPLES, "chelsea.png")).convert("RGB")
    chelsea.info = {}  # its sRGB profile would go into every file (3 kB each)
    source = chelsea.crop(CROP).resize((48, 36), Image.Resampling.LANCZOS)
    source.save(os.path.join(OUT, "source.png"), optimize=True)
    alpha = source.convert("RGBA")
    alpha.putalpha(Image.linear_gradient("L").rotate(90).resize(source.size))
    alpha.save(os.path.join(OUT, "source_alpha.png"), optimize=True)
    grid_source = chelsea.crop((130, 40, 130 + 256, 40 + 192)).resize((96, 72), Image.Resampling.LANCZOS)
    grid_source.save(os.path.join(OUT, "grid_source.png"), optimize=True)
    path = lambda name: os.path.join(OUT, name)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "source.png")
        source.save(src)
        # HEIF
        run("heif-enc", "-q", "90", src, "-o", path("plain.heic"))
        heic_grid(source.rotate(90, expand=True), path("rotated.heic"), tmp, irot=3)
        heic_grid(grid_source, path("grid.heic"), tmp, options=("-q", "80"))
        # Saturated flowers: full chroma, so the codec's noise stays well under what the profile
        # changes.
        run("heif-enc", "-q", "90", "-p", "chroma=444", P3_PNG, "-o", path("p3_icc.heic"))
        bare_p3 = Image.open(P3_PNG).convert("RGB")
        bare_p3.info = {}
        # heif-enc 1.15 writes no colr box for nclx given on its command line: put in the one
        # iPhones write (P3 primaries, sRGB transfer, BT.601 matrix, full range).
        nclx = box(b"colr", b"nclx" + struct.pack(">HHHB", 12, 13, 6, 0x80))
        heic_grid(bare_p3, path("p3_nclx.heic"), tmp, colr=nclx, options=("-q", "90", "-p", "chroma=444"))
        run("heif-enc", "-A", "-q", "90", src, "-o", path("plain.avif"))
        avif = bytearray(open(path("plain.avif"), "rb").read())
        assert avif[4:12] == b"ftypavif" and b"avif" in avif[16:struct.unpack(">I", avif[:4])[0]]
        avif[8:12] = b"mif1"
        open(path("mif1.avif"), "wb").write(avif)
        # WebP
        run("cwebp", "-quiet", "-q", "90", src, "-o", path("lossy.webp"))
        alpha_png = os.path.join(tmp, "alpha.png")
        alpha.save(alpha_png)
        run("cwebp", "-quiet", "-lossless", "-exact", alpha_png, "-o", path("lossless_alpha.webp"))
        frames = [src]
        for i, turn in enumerate((Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM)):
            frames.append(os.path.join(tmp, f"frame{i}.png"))
            source.transpose(turn).save(frames[-1])
        run("img2webp", "-lossy", "-q", "80", "-d", "200", *frames, "-o", path("animated.webp"))
        # TIFF
        source.save(path("rgb8.tif"))
        source.save(path("rgb8_lzw.tif"), compression="tiff_lzw")
        source.save(path("rgb8_deflate.tif"), compression="tiff_adobe_deflate")
        alpha.save(path("rgba8_lzw.tif"), compression="tiff_lzw")
        source.convert("L").save(path("grey8.tif"))
        alpha.convert("LA").save(path("grey_alpha8.tif"), compression="tiff_adobe_deflate")
        tiff16(source, path("rgb16.tif"))
        run("tiffcp", "-c", "lzw", path("rgb16.tif"), path("rgb16_lzw.tif"))
        grey16 = os.path.join(tmp, "grey16.tif")
        tiff16(source.convert("L"), grey16)
        run("tiffcp", "-c", "zip", grey16, path("grey16_deflate.tif"))
        source.rotate(90, expand=True).save(path("orient6.tif"))
        run("tiffset", "-s", "274", "6", path("orient6.tif"))
    for name in sorted(os.listdir(OUT)):
        print(f"{os.path.getsize(path(name)):6d}  {name}")


if __name__ == "__main__":
    sys.exit(main())
