#!/usr/bin/python3
"""Writes the two photos kpix-bench-decode is measured on (never committed): a 12 MP phone-like
JPEG (4032 x 3024 stored sideways, EXIF orientation 6, a Display P3 profile, quality 92, 4:2:0)
and an 18 MP PNG (5640 x 3172), both upscaled from Debian's sample photos with a little noise so
they do not compress like flat gradients. Run with Debian's /usr/bin/python3:
    bench/make_decode_photos.py OUT_DIR"""
import os
import sys

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CHINA = "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg"
ASTRONAUT = os.path.join(os.environ.get("KPIX_SAMPLES_DIR", os.path.expanduser("~/.cache/kpix/samples")),
                         "astronaut.png")


def noisy(img, size, sigma, rng):
    big = np.asarray(img.convert("RGB").resize(size, Image.LANCZOS)).astype(np.int16)
    big += rng.normal(0, sigma, big.shape).astype(np.int16)
    return Image.fromarray(np.clip(big, 0, 255).astype(np.uint8))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(1)
    icc = Image.open(os.path.join(ROOT, "tests/fixtures/photo/flower_p3.jpg")).info["icc_profile"]
    exif = Image.Exif()
    exif[0x0112] = 6
    noisy(Image.open(CHINA), (4032, 3024), 5, rng).save(
        os.path.join(out, "phone12mp.jpg"), quality=92, subsampling=2, icc_profile=icc, exif=exif.tobytes())
    noisy(Image.open(ASTRONAUT), (5640, 3172), 2, rng).save(os.path.join(out, "photo18mp.png"))


if __name__ == "__main__":
    main()
