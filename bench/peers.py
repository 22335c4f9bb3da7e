"""Peers for kpix-bench: scikit-learn KMeans (lloyd, k-means++, n_init=1) and OpenCV cv2.kmeans
(KMEANS_PP_CENTERS, one attempt) on the same pixels and features kpix clusters, and SLIC
superpixels (OpenCV's cv2.ximgproc, scikit-image's slic) scored in kpix's features. Prints one
JSON line per peer run. Used by bench/run_bench.py; run with Debian's /usr/bin/python3."""
import argparse
import json
import resource
import time

import numpy as np
from PIL import Image


def features(path, xy):
    """Pixels as float32 features exactly as kpix builds them (rgb 0..255, then position scaled
    so the longest side spans xy * 255), and the seconds PIL took to decode the file."""
    t0 = time.perf_counter()
    img = np.asarray(Image.open(path).convert("RGB"))
    decode = time.perf_counter() - t0
    h, w, _ = img.shape
    x = img.reshape(-1, 3).astype(np.float32)
    if xy > 0:
        scale = np.float32(xy * 255.0 / max(w, h))
        ys, xs = np.divmod(np.arange(h * w), w)
        pos = np.stack([scale * (xs.astype(np.float32) + 0.5), scale * (ys.astype(np.float32) + 0.5)], axis=1)
        x = np.concatenate([x, pos.astype(np.float32)], axis=1)
    return np.ascontiguousarray(x), decode


def inertia_of(x, labels):
    """Inertia of a labelling in the given features: the squared distances of every point to
    its label's mean, summed in float64 (how kpix's objective scores another program's regions)."""
    labels = labels.reshape(-1).astype(np.int64)
    labels = np.unique(labels, return_inverse=True)[1]
    x64 = x.astype(np.float64)
    counts = np.bincount(labels).astype(np.float64)
    means = np.stack([np.bincount(labels, weights=x64[:, j]) for j in range(x.shape[1])], axis=1)
    means /= counts[:, None]
    return float(((x64 - means[labels]) ** 2).sum()), int(len(counts))


def cpu():
    """CPU seconds of this process so far, all threads."""
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image")
    ap.add_argument("--k", type=int, required=True)
    ap.add_argument("--xy", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-iter", type=int, default=300)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--peer", choices=["sklearn", "opencv", "slic", "skimage-slic"], required=True)
    ap.add_argument("--iterations", type=int, default=10, help="SLIC iterations")
    a = ap.parse_args()
    x, decode = features(a.image, a.xy)
    if a.peer == "sklearn":
        from sklearn.cluster import KMeans
        km = KMeans(n_clusters=a.k, init="k-means++", n_init=1, max_iter=a.max_iter, tol=a.tol,
                    algorithm="lloyd", random_state=a.seed)
        c0, t0 = cpu(), time.perf_counter()
        km.fit(x)
        s, c = time.perf_counter() - t0, cpu() - c0
        print(json.dumps({"peer": "sklearn", "seconds": s, "cpu_seconds": c, "iterations": int(km.n_iter_),
                          "inertia": float(km.inertia_), "decode_seconds": decode}))
    elif a.peer in ("slic", "skimage-slic"):
        # SLIC superpixels, about k regions, on the same RGB pixels; their inertia is measured
        # in kpix's features (rgb + xy at the given weight).
        img = np.asarray(Image.open(a.image).convert("RGB"))
        h, w, _ = img.shape
        c0, t0 = cpu(), time.perf_counter()
        if a.peer == "slic":
            import cv2
            import cv2.ximgproc
            region = max(2, int(round(np.sqrt(h * w / a.k))))
            slic = cv2.ximgproc.createSuperpixelSLIC(img, algorithm=cv2.ximgproc.SLIC, region_size=region)
            slic.iterate(a.iterations)
            labels = slic.getLabels()
        else:
            from skimage.segmentation import slic
            labels = slic(img, n_segments=a.k, max_num_iter=a.iterations, start_label=0)
        s, c = time.perf_counter() - t0, cpu() - c0
        inertia, regions = inertia_of(x, labels)
        print(json.dumps({"peer": a.peer, "seconds": s, "cpu_seconds": c, "iterations": a.iterations,
                          "inertia": inertia, "k": regions, "decode_seconds": decode}))
    else:
        import cv2
        cv2.setRNGSeed(a.seed)
        # OpenCV stops when every centre moves less than eps; sklearn's tol bounds the summed
        # squared move by tol * mean per-axis variance. eps = sqrt(tol * mean variance) is the
        # closest single figure (it is never looser than sklearn's rule).
        eps = float(np.sqrt(a.tol * x.astype(np.float64).var(axis=0).mean()))
        crit = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_MAX_ITER, a.max_iter, eps)
        c0, t0 = cpu(), time.perf_counter()
        compactness, _, _ = cv2.kmeans(x, a.k, None, crit, 1, cv2.KMEANS_PP_CENTERS)
        s, c = time.perf_counter() - t0, cpu() - c0
        print(json.dumps({"peer": "opencv", "seconds": s, "cpu_seconds": c, "iterations": None,
                          "inertia": float(compactness), "decode_seconds": decode}))


if __name__ == "__main__":
    main()
