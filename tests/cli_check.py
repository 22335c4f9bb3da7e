#!/usr/bin/env python3
"""Reads back what kpix-cli wrote, with the standard library only (test_cli.sh's helper).

  cli_check.py chunks FILE.png        chunk types in order, CRCs checked
  cli_check.py same A.png B.png       exit 0 if both decode to the same RGBA pixels
  cli_check.py colours FILE.png       distinct opaque colours as #rrggbb, sorted
  cli_check.py alpha FILE.png         distinct alpha values, sorted
  cli_check.py gif_frames FILE.gif    number of image descriptors
  cli_check.py gpl FILE.gpl           the colours as #rrggbb, in file order
  cli_check.py rgb_json FILE.json     the stats JSON's or palette JSON's colours as #rrggbb
  cli_check.py grid FILE.png S.json   the k-grid: size as the stats say, each tile <= k colours,
                                      no two tiles alike, the background between tiles
  cli_check.py pillow FILE.png        exit 0 if Pillow (a second decoder) reads the same pixels
  cli_check.py filters FILE.png       the row filter types used, sorted
"""
import json
import struct
import sys
import zlib


def chunks(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, out = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        body = data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) == crc, "bad CRC in " + kind.decode()
        out.append((kind.decode(), body))
        at += 12 + length
    return out


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def png_rows(path):
    """The IHDR fields and the unfiltered rows of a non-interlaced PNG of colour type 0, 2, 3 or 6
    (8-bit; type 3 also 1, 2 or 4 bits a pixel), with each row's filter type."""
    cs = chunks(path)
    w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", cs[0][1])
    assert interlace == 0 and (depth == 8 or (ctype == 3 and depth in (1, 2, 4))), (depth, interlace)
    channels = {0: 1, 2: 3, 3: 1, 6: 4}[ctype]
    raw = zlib.decompress(b"".join(b for k, b in cs if k == "IDAT"))
    stride = (w * channels * depth + 7) // 8
    bpp = max(1, channels * depth // 8)
    prev = bytearray(stride)
    out = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            c = prev[i - bpp] if i >= bpp else 0
            pred = [0, a, prev[i], (a + prev[i]) // 2, paeth(a, prev[i], c)][f]
            line[i] = (line[i] + pred) & 0xFF
        out.append((f, line))
        prev = line
    return cs, w, h, depth, ctype, channels, out


def pixels(path):
    """RGBA tuples of the PNG (see rows)."""
    cs, w, h, depth, ctype, channels, lines = png_rows(path)
    plte = next((b for k, b in cs if k == "PLTE"), b"")
    trns = next((b for k, b in cs if k == "tRNS"), b"")
    out = []
    for _, line in lines:
        if depth < 8:
            per = 8 // depth
            line = bytes((line[x // per] >> (8 - depth * (x % per + 1))) & ((1 << depth) - 1) for x in range(w))
        for x in range(w):
            p = line[x * channels:(x + 1) * channels]
            if ctype == 3:
                i = p[0]
                out.append(tuple(plte[3 * i:3 * i + 3]) + (trns[i] if i < len(trns) else 255,))
            elif ctype == 0:
                out.append((p[0], p[0], p[0], 255))
            elif ctype == 2:
                out.append(tuple(p) + (255,))
            else:
                out.append(tuple(p))
    return out


def gif_frames(path):
    data = open(path, "rb").read()
    assert data[:6] == b"GIF89a", "not a GIF89a"
    flags = data[10]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    frames = 0

    def skip_blocks(at):
        while data[at] != 0:
            at += data[at] + 1
        return at + 1

    while data[at] != 0x3B:
        if data[at] == 0x21:
            at = skip_blocks(at + 2)
        elif data[at] == 0x2C:
            frames += 1
            local = data[at + 9]
            at += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0)
            at = skip_blocks(at + 1)
        else:
            raise AssertionError("unexpected block 0x%02x" % data[at])
    return frames


def grid(path, stats_path):
    g = json.load(open(stats_path))["grid"]
    cs = chunks(path)
    w, h = struct.unpack(">II", cs[0][1][:8])
    assert (w, h) == (g["width"], g["height"]), ((w, h), g)
    px = pixels(path)
    tiles = []
    for t in g["tiles"]:
        x0, y0, tw, th = t["x"], t["y"], t["tile_width"], t["tile_height"]
        tile = [px[(y0 + y) * w + x0 + x] for y in range(th) for x in range(tw)]
        colours = set(tile)
        assert 1 <= len(colours) <= t["k"], (t["k"], len(colours))
        tiles.append((t["k"], len(colours), tile))
    for i in range(len(tiles)):
        for j in range(i + 1, len(tiles)):
            assert tiles[i][2] != tiles[j][2], "tiles k=%d and k=%d are the same" % (tiles[i][0], tiles[j][0])
    # The top-left corner is background, as is the gap left of the second tile.
    assert px[0] == px[g["tiles"][1]["x"] - 1] == (32, 32, 32, 255), px[0]
    print(" ".join("k%d:%d" % (k, n) for k, n, _ in tiles))


def hexes(colours):
    return ["#%02x%02x%02x" % tuple(c[:3]) for c in colours]


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "chunks":
        print(" ".join(k for k, _ in chunks(args[0])))
    elif cmd == "same":
        sys.exit(0 if pixels(args[0]) == pixels(args[1]) else 1)
    elif cmd == "colours":
        print(" ".join(sorted(set(hexes(p for p in pixels(args[0]) if p[3] > 0)))))
    elif cmd == "alpha":
        print(" ".join(str(a) for a in sorted({p[3] for p in pixels(args[0])})))
    elif cmd == "gif_frames":
        print(gif_frames(args[0]))
    elif cmd == "gpl":
        rows = [line.split() for line in open(args[0]) if line[:1].isspace() or line[:1].isdigit()]
        print(" ".join(hexes([int(r[0]), int(r[1]), int(r[2])] for r in rows)))
    elif cmd == "rgb_json":
        j = json.load(open(args[0]))
        colours = j["palette"] if "palette" in j else [c["rgb"] for c in j["colours"]]
        print(" ".join(hexes(colours)))
    elif cmd == "grid":
        grid(args[0], args[1])
    elif cmd == "pillow":
        from PIL import Image
        theirs = list(Image.open(args[0]).convert("RGBA").getdata())
        ours = pixels(args[0])
        # Pillow keeps the colour of a fully transparent pixel; ours gives (0, 0, 0, 0) there too.
        same = all(a == b or (a[3] == b[3] == 0) for a, b in zip(theirs, ours))
        sys.exit(0 if same and len(theirs) == len(ours) else 1)
    elif cmd == "filters":
        print(" ".join(str(f) for f in sorted({f for f, _ in png_rows(args[0])[6]})))
    else:
        sys.exit("unknown command " + cmd)


main()
