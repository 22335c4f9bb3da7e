"""The end-to-end table: a photo file in, a 16-colour PNG out, whole processes timed. kpix-cli
against pngquant (--speed 11, its fastest, and its default speed) and Pillow + scikit-learn on the
same photos; wall time, peak memory, output bytes and squared error per pixel. Called by
bench/run_bench.py --e2e (scripts/bench.sh e2e); `bench/e2e.py sklearn IN OUT --k K` is the
scikit-learn peer itself. Run with Debian's /usr/bin/python3."""
import io
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageCms, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
E2E_BEGIN = "<!-- end-to-end table: written by bench/run_bench.py --e2e -->"
E2E_END = "<!-- end of the end-to-end table -->"
# The scikit-learn peer clusters a random subsample of this many pixels (kpix's default working
# resolution is 2 MP, an area-averaged copy), then labels every pixel with predict().
SKLEARN_SAMPLE = 2_000_000


def decoded_srgb(path):
    """The photo as a user sees it: EXIF orientation applied and an embedded profile converted to
    sRGB (relative colorimetric, as kpix does), RGB uint8 h x w x 3."""
    img = ImageOps.exif_transpose(Image.open(path))
    icc = img.info.get("icc_profile")
    img = img.convert("RGB")
    if icc:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        img = ImageCms.profileToProfile(img, src, ImageCms.createProfile("sRGB"),
                                        renderingIntent=ImageCms.INTENT_RELATIVE_COLORIMETRIC)
    return np.asarray(img)


def sklearn_peer(src, dst, k, seed=1):
    """Pillow decode (orientation, profile), KMeans on a subsample, predict on every pixel, an
    indexed PNG written by Pillow (zlib level 6, its default)."""
    from sklearn.cluster import KMeans
    px = decoded_srgb(src)
    h, w, _ = px.shape
    x = px.reshape(-1, 3).astype(np.float32)
    rng = np.random.default_rng(seed)
    sample = x[rng.choice(len(x), SKLEARN_SAMPLE, replace=False)] if len(x) > SKLEARN_SAMPLE else x
    km = KMeans(n_clusters=k, init="k-means++", n_init=1, algorithm="lloyd", random_state=seed).fit(sample)
    labels = km.predict(x).astype(np.uint8).reshape(h, w)
    out = Image.fromarray(labels, "P")
    out.putpalette(np.clip(np.rint(km.cluster_centers_), 0, 255).astype(np.uint8).reshape(-1).tolist())
    out.save(dst)


def run(cmd, timeout=900):
    """Wall seconds, CPU seconds (user + system, all threads), peak resident MB and an error text
    or None. GNU time starts the program and measures it: the peak of a child forked from this
    Python process would count the parent's memory too (Linux keeps the larger of the forked copy
    and the new program as ru_maxrss)."""
    with tempfile.NamedTemporaryFile("r") as measured, tempfile.TemporaryFile("w+") as err:
        t0 = time.time()
        proc = subprocess.Popen(["/usr/bin/time", "-o", measured.name, "-f", "%e %U %S %M"] + cmd,
                                stdout=subprocess.DEVNULL, stderr=err, text=True)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return time.time() - t0, None, None, f"timeout {timeout}s"
        err.seek(0)
        fields = measured.read().split()
        if code != 0 or len(fields) < 4:
            return time.time() - t0, None, None, err.read().strip()[-200:] or f"exit status {code}"
        wall, user, system, peak_kb = (float(v) for v in fields[-4:])
    return wall, user + system, peak_kb / 1024.0, None


def squared_error(reference, path):
    """Mean over pixels of the squared RGB distance between the output and the reference."""
    out = np.asarray(Image.open(path).convert("RGB")).astype(np.int32)
    if out.shape != reference.shape:
        return None
    d = out - reference.astype(np.int32)
    return float((d * d).sum(axis=2, dtype=np.int64).mean())


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else 0.5 * (v[len(v) // 2 - 1] + v[len(v) // 2])


def photos(folder):
    """bench/make_decode_photos.py's two photos plus a smooth 18 MP one (the astronaut upscaled the
    same way without the added noise, keeping the sample's sRGB profile), made once into folder."""
    os.makedirs(folder, exist_ok=True)
    if not all(os.path.exists(os.path.join(folder, n)) for n in ("phone12mp.jpg", "photo18mp.png")):
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_decode_photos.py"), folder], check=True)
    smooth = os.path.join(folder, "smooth18mp.png")
    if not os.path.exists(smooth):
        samples = os.environ.get("KPIX_SAMPLES_DIR", os.path.expanduser("~/.cache/kpix/samples"))
        Image.open(os.path.join(samples, "astronaut.png")).convert("RGB").resize(
            (5640, 3172), Image.LANCZOS).save(smooth)
    return {"18 MP PNG, noisy": os.path.join(folder, "photo18mp.png"),
            "18 MP PNG, smooth": smooth,
            "12 MP phone JPEG": os.path.join(folder, "phone12mp.jpg")}


def e2e(cli, out_path, runs=3, k=16):
    """Every program on every photo, runs times each, alternated (forward, then backward); the
    table into out_path between E2E_BEGIN and E2E_END."""
    py = "/usr/bin/python3"
    images = photos(os.path.join(ROOT, "build", "bench-images"))
    work = tempfile.mkdtemp(prefix="kpix-e2e-")
    rows = []
    started = time.time()
    for name, path in images.items():
        reference = decoded_srgb(path)
        # pngquant reads PNG only: for the JPEG it gets Pillow's decode (oriented, in sRGB) as a
        # PNG, made here and not timed.
        png_in = path
        if not path.endswith(".png"):
            png_in = os.path.join(work, "decoded.png")
            Image.fromarray(reference).save(png_in, compress_level=1)
        out = {p: os.path.join(work, p.replace(" ", "_") + ".png") for p in
               ("kpix", "pngquant-s11", "pngquant", "sklearn")}
        programs = {
            "kpix-cli": ([cli, path, "-k", str(k), "--indexed", "-q",
                          "--seed", "1", "-o", out["kpix"]], out["kpix"]),
            "pngquant --speed 11": (["pngquant", str(k), "--speed", "11", "--nofs", "--force",
                                     "--output", out["pngquant-s11"], png_in], out["pngquant-s11"]),
            "pngquant (default speed 4)": (["pngquant", str(k), "--nofs", "--force", "--output",
                                            out["pngquant"], png_in], out["pngquant"]),
            "Pillow + scikit-learn": ([py, os.path.join(HERE, "e2e.py"), "sklearn", path, out["sklearn"],
                                       "--k", str(k)], out["sklearn"]),
        }
        results = {p: [] for p in programs}
        for rep in range(runs):
            order = list(programs) if rep % 2 == 0 else list(reversed(programs))
            for p in order:
                cmd, o = programs[p]
                wall, cpu, peak, error = run(cmd)
                load = os.getloadavg()[0]
                results[p].append({"wall": wall, "cpu": cpu, "peak": peak, "error": error, "load": load,
                                   "bytes": os.path.getsize(o) if not error and os.path.exists(o) else None})
                print(f"{name}, run {rep + 1}, {p}: {wall:.3f} s, CPU {cpu or 0:.3f} s, {peak or 0:.0f} MB, "
                      f"load {load:.2f}"
                      + (f" ERROR {error}" if error else ""), flush=True)
        for p, (cmd, o) in programs.items():
            rs = results[p]
            ok = [r for r in rs if not r["error"]]
            err = squared_error(reference, o) if ok and os.path.exists(o) else None
            rows.append({"image": name, "program": p, "runs": rs, "ok": ok, "error_px": err,
                         "command": " ".join("IN" if c in (path, png_in) else "OUT.png" if c == o else
                                             os.path.basename(c) for c in cmd)})
    text = table(rows, runs, time.time() - started)
    print(text)
    old = open(out_path).read() if os.path.exists(out_path) else ""
    block = E2E_BEGIN + "\n" + text + E2E_END
    if E2E_BEGIN in old and E2E_END in old:
        new = old[:old.index(E2E_BEGIN)] + block + old[old.index(E2E_END) + len(E2E_END):]
    else:
        new = old + "\n" + block + "\n"
    with open(out_path, "w") as f:
        f.write(new)
    print(f"wrote {out_path}")


def table(rows, runs, seconds):
    out = [f"File to file, k = 16, no dithering: whole processes, {runs} runs of each program alternated "
           f"(forward, then backward), {seconds / 60:.1f} min in all. Wall s is the median (min-max), "
           "CPU s the median of user + system time over all threads (kpix-cli runs on 2 threads, pngquant "
           "on 1, scikit-learn on 2; on a loaded machine CPU time is the steadier figure); peak MB its "
           "maximum resident set (GNU time); error the mean squared RGB distance per pixel "
           "between the output and the photo as decoded by Pillow (EXIF orientation applied, the "
           "profile converted to sRGB); /kpix divides by kpix-cli's median on the same photo. "
           "Photos (never test fixtures): bench/make_decode_photos.py's upscales of Debian's sample "
           "photos (scikit-image's astronaut stretched to 5640 x 3172 with noise of sigma 2, or "
           "without noise for the smooth one, which keeps the sample's sRGB profile; "
           "scikit-learn's china.jpg to 4032 x 3024, stored "
           "sideways with EXIF orientation 6 and a Display P3 profile, noise sigma 5): real photos "
           "upscaled, the only real ones this machine has. pngquant reads PNG only: on the JPEG it "
           f"gets Pillow's decode written as a PNG beforehand (not timed). Pillow + scikit-learn: "
           f"KMeans(lloyd, k-means++, n_init=1, seed 1) on a random {SKLEARN_SAMPLE / 1e6:.0f} MP "
           "subsample, predict() on every pixel, an indexed PNG from Pillow.", "",
           "| photo | program | wall s | /kpix | CPU s | /kpix | peak MB | output bytes | error / pixel | "
           "load (1 min) |", "|" + "---|" * 10]
    kpix = {r["image"]: median([x["wall"] for x in r["ok"]]) for r in rows
            if r["program"] == "kpix-cli" and r["ok"]}
    kpix_cpu = {r["image"]: median([x["cpu"] for x in r["ok"]]) for r in rows
                if r["program"] == "kpix-cli" and r["ok"]}
    for r in rows:
        walls = [x["wall"] for x in r["ok"]]
        loads = [x["load"] for x in r["runs"]]
        m = median(walls) if walls else None
        c = median([x["cpu"] for x in r["ok"]]) if walls else None
        cols = [r["image"], r["program"],
                f"{m:.3f} ({min(walls):.3f}-{max(walls):.3f})" if walls else "-",
                f"{m / kpix[r['image']]:.2f}" if m and kpix.get(r["image"]) else "-",
                f"{c:.3f}" if c is not None else "-",
                f"{c / kpix_cpu[r['image']]:.2f}" if c and kpix_cpu.get(r["image"]) else "-",
                f"{max(x['peak'] for x in r['ok']):.0f}" if r["ok"] else "-",
                f"{r['ok'][-1]['bytes']:,}" if r["ok"] and r["ok"][-1]["bytes"] else "-",
                f"{r['error_px']:.1f}" if r["error_px"] is not None else "-",
                f"{min(loads):.2f}-{max(loads):.2f}"]
        errors = sorted({x["error"] for x in r["runs"] if x["error"]})
        out.append("| " + " | ".join(cols) + " |" + (" " + "; ".join(errors) if errors else ""))
    out += ["", "Commands (IN the photo, OUT.png the output):", ""]
    seen = set()
    for r in rows:
        if r["program"] not in seen:
            seen.add(r["program"])
            out.append(f"- {r['program']}: `{r['command']}`")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "sklearn":
        k = int(sys.argv[sys.argv.index("--k") + 1]) if "--k" in sys.argv else 16
        sklearn_peer(sys.argv[2], sys.argv[3], k)
    else:
        sys.exit(__doc__)
