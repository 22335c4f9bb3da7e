#!/usr/bin/python3
"""Builds tests/fixtures/photo/ from the real photos in Debian's python3-sklearn, downscaled to 160 x 107.

Orientation, from china.jpg: orient_N.jpg for the 8 EXIF orientations (pixels stored so that
applying the tag gives the upright picture; even N big-endian EXIF, odd N little-endian), and
orient_6.png with the tag in an eXIf chunk.

Colour profiles, from flower.jpg (china.jpg's colours are muted: its mean colour moves only 0.5 ΔE
when P3 numbers are read as sRGB; flower.jpg's saturated ones move 4.9 ΔE, so a test can tell):
flower_srgb.jpg (no profile), flower_p3.jpg converted to Display P3 with the profile in APP2, and
flower_p3.png with it in iCCP.

The PNGs are a 64 x 43 crop at CROP (lossless photos are large). The P3 profile is made by lcms2's cmsCreateRGBProfile (P3 primaries, D65 white, sRGB tone
curve) in a tiny C helper compiled here against Debian's liblcms2-dev.

Run with Debian's python and Pillow: /usr/bin/python3 scripts/make_photo_fixtures.py
"""
import io
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageCms, ImageOps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "photo")
IMAGES = "/usr/lib/python3/dist-packages/sklearn/datasets/images/"
SIZE = (160, 107)
QUALITY = 85
CROP = (56, 24, 120, 67)  # left, top, right, bottom; tests/test_photo.cpp uses the same box

# What a viewer does to show a stored image upright, per tag (PIL's rotations are counter-clockwise).
SHOW = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Its inverse: how a camera held that way stores the upright scene.
STORE = {**SHOW, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}

P3_HELPER = r"""
#include <stdio.h>
#include <lcms2.h>
int main(int argc, char** argv)
{
    if (argc != 2) return 2;
    cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
    cmsCIExyYTRIPLE p3 = {{0.680, 0.320, 1.0}, {0.265, 0.690, 1.0}, {0.150, 0.060, 1.0}};
    /* The sRGB curve as lcms2's parametric type 4: Y = ((aX + b)^g) for X >= d, else cX. */
    cmsFloat64Number srgb[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
    cmsToneCurve* curve = cmsBuildParametricToneCurve(NULL, 4, srgb);
    cmsToneCurve* curves[3] = {curve, curve, curve};
    cmsHPROFILE profile = cmsCreateRGBProfile(&d65, &p3, curves);
    cmsMLU* desc = cmsMLUalloc(NULL, 1);
    cmsMLUsetASCII(desc, "en", "US", "Display P3");
    cmsWriteTag(profile, cmsSigProfileDescriptionTag, desc);
    cmsMLU* copyright = cmsMLUalloc(NULL, 1);
    cmsMLUsetASCII(copyright, "en", "US", "No copyright, use freely");
    cmsWriteTag(profile, cmsSigCopyrightTag, copyright);
    int ok = cmsSaveProfileToFile(profile, argv[1]);
    cmsMLUfree(desc);
    cmsMLUfree(copyright);
    cmsFreeToneCurve(curve);
    cmsCloseProfile(profile);
    return ok ? 0 : 1;
}
"""


def p3_profile(tmp):
    src = os.path.join(tmp, "p3.c")
    exe = os.path.join(tmp, "p3")
    icc = os.path.join(tmp, "p3.icc")
    with open(src, "w") as f:
        f.write(P3_HELPER)
    subprocess.run(["cc", "-O1", "-o", exe, src, "-llcms2"], check=True)
    subprocess.run([exe, icc], check=True)
    with open(icc, "rb") as f:
        data = bytearray(f.read())
    # lcms2 stamps the creation time into the header (bytes 24..35, big-endian year, month, day,
    # hour, minute, second): a fixed date keeps the fixtures byte-for-byte reproducible. The
    # profile ID (bytes 84..99) is left zero by lcms2, meaning "not computed", so nothing else moves.
    assert data[84:100] == bytes(16)
    data[24:36] = b"".join(v.to_bytes(2, "big") for v in (2026, 1, 1, 0, 0, 0))
    return bytes(data)


def exif_bytes(tag, endian):
    exif = Image.Exif()
    exif.endian = endian
    exif[0x0112] = tag
    return exif.tobytes()


def mean_abs_diff(a, b):
    pa, pb = a.tobytes(), b.tobytes()
    return sum(abs(x - y) for x, y in zip(pa, pb)) / len(pa)


def load(name):
    img = Image.open(IMAGES + name).convert("RGB").resize(SIZE, Image.Resampling.LANCZOS)
    img.info = {}  # the originals carry an sRGB profile: only the P3 files get one, on purpose
    return img


def main():
    os.makedirs(OUT, exist_ok=True)
    upright = load("china.jpg")
    for tag in range(1, 9):
        stored = upright.transpose(STORE[tag]) if tag in STORE else upright
        path = os.path.join(OUT, f"orient_{tag}.jpg")
        stored.save(path, quality=QUALITY, exif=exif_bytes(tag, ">" if tag % 2 == 0 else "<"))
        back = ImageOps.exif_transpose(Image.open(path))
        assert back.size == SIZE and mean_abs_diff(back.convert("RGB"), upright) < 6, tag
    crop = upright.crop(CROP)
    crop.transpose(STORE[6]).save(os.path.join(OUT, "orient_6.png"), exif=exif_bytes(6, "<"),
                                  optimize=True)

    with tempfile.TemporaryDirectory() as tmp:
        icc = p3_profile(tmp)
    p3 = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    srgb = ImageCms.createProfile("sRGB")
    flower = load("flower.jpg")
    flower.save(os.path.join(OUT, "flower_srgb.jpg"), quality=QUALITY)
    in_p3 = ImageCms.profileToProfile(flower, srgb, p3,
                                      renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                      outputMode="RGB")
    in_p3.save(os.path.join(OUT, "flower_p3.jpg"), quality=QUALITY, icc_profile=icc)
    in_p3.crop(CROP).save(os.path.join(OUT, "flower_p3.png"), icc_profile=icc, optimize=True)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"{len(os.listdir(OUT))} files, {total / 1024:.0f} KB in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
