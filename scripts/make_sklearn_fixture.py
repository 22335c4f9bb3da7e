#!/usr/bin/python3
"""Records scikit-learn's KMeans inertia on real photos from Debian's python3-sklearn, so the core
tests can compare against it without Python. Run with Debian's /usr/bin/python3; rewrites
tests/fixtures/sklearn_inertia.txt.

Each line: image k random_state inertia iterations. Pixels are fed as float32 RGB in 0..255,
KMeans(n_clusters=k, init="k-means++", n_init=1, algorithm="lloyd", random_state=seed), the
same set-up as kpix's defaults (tol 1e-4, max_iter 300)."""
import os
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import load_sample_image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
                   "sklearn_inertia.txt")


def main():
    lines = [f"# scikit-learn {sklearn.__version__}: image k random_state inertia iterations"]
    for name in ("china.jpg", "flower.jpg"):
        pixels = load_sample_image(name).reshape(-1, 3).astype(np.float32)
        for k in (8, 16):
            for seed in range(20):
                km = KMeans(n_clusters=k, init="k-means++", n_init=1, algorithm="lloyd",
                            random_state=seed).fit(pixels)
                lines.append(f"{name} {k} {seed} {km.inertia_:.6f} {km.n_iter_}")
                print(lines[-1], file=sys.stderr)
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
