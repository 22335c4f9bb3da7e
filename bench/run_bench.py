"""Runs kpix-bench (native 1 and 2 threads, wasm under node) and the peers (bench/peers.py) on the
same pixels over a grid of images, k and spaces; prints a table and writes bench/RESULTS.md.
Called by scripts/bench.sh after it has built both kpix-bench programs; with --e2e, the
end-to-end table of bench/e2e.py instead (kpix-cli file to file)."""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

from PIL import Image

import e2e

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHINA = "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg"

# (image, space, k): the full grid is every image x {rgb, rgb+xy} x {4, 16, 64, 256}; the peers
# need hours for the large k on 18 MP (scikit-learn alone takes about 200 s for rgb k = 16 there),
# so the default grid keeps what answers the questions in about 15 minutes.
FULL = [(img, xy, k) for img in ("0.27MP", "4MP", "18MP") for xy in (0.0, 1.0) for k in (4, 16, 64, 256)]
DEFAULT = ([("0.27MP", xy, k) for xy in (0.0, 1.0) for k in (4, 16, 64, 256)] +
           [("4MP", 0.0, k) for k in (4, 16, 64)] + [("4MP", 1.0, k) for k in (4, 16)] +
           [("18MP", 0.0, 16)])
QUICK = [("0.27MP", 0.0, 16), ("0.27MP", 1.0, 16), ("4MP", 1.0, 16), ("18MP", 0.0, 16)]


def make_images(folder):
    """The same pixels for everyone: PNGs (lossless), from china.jpg decoded once by PIL and
    upscaled with Lanczos to about 4 and 18 megapixels."""
    os.makedirs(folder, exist_ok=True)
    src = Image.open(CHINA).convert("RGB")
    sizes = {"0.27MP": src.size, "4MP": (2448, 1632), "18MP": (5200, 3467)}
    paths = {}
    for name, size in sizes.items():
        path = os.path.join(folder, f"china-{name}.png")
        if not os.path.exists(path):
            (src if size == src.size else src.resize(size, Image.LANCZOS)).save(path, compress_level=1)
        paths[name] = path
    return paths


def run(cmd, timeout):
    """Runs one program; its last output line (JSON, or key=value pairs) as a dict, with
    peak_mb, the process's peak resident memory from wait4 (the same way for every program:
    ours natively and under node, and the Python peers)."""
    t0 = time.time()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.time() - t0 > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"error": f"timeout {timeout}s"}
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, error = out.read(), err.read()
    if proc.returncode != 0:
        return {"error": (error or text).strip()[-200:] or f"exit status {proc.returncode}"}
    line = text.strip().splitlines()[-1]
    if line.startswith("{"):
        r = json.loads(line)
    else:
        r = {key: float(v) for key, v in (kv.split("=", 1) for kv in line.split())}
    r["wall"] = time.time() - t0
    r["peak_mb"] = usage.ru_maxrss / 1024.0  # Linux reports KiB
    return r


def fmt(v, digits=3):
    return "-" if v is None else f"{v:.{digits}g}" if isinstance(v, float) else str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--native")
    ap.add_argument("--wasm")
    ap.add_argument("--grid", choices=["quick", "default", "full"], default="default")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    ap.add_argument("--seeds", type=int, default=5,
                    help="seeds 1..N for the inertia comparison on the 18 MP rgb k = 16 row (0: none)")
    ap.add_argument("--large-k", action="store_true",
                    help="only the large-k table (rgb+xy on 4 MP against SLIC), written into RESULTS.md")
    ap.add_argument("--runs", type=int, default=3, help="alternated runs of each program (large k, e2e)")
    ap.add_argument("--before", metavar="KPIX_BENCH",
                    help="large k: an older kpix-bench (native) run beside this one in the same script: "
                         "k = 1000 rgb+xy in the table, and colour-only 18 MP k = 256 / 1024 and rgb+xy "
                         "4 MP k = 16 (with scikit-learn) before and after")
    ap.add_argument("--e2e", metavar="KPIX_CLI",
                    help="only the end-to-end table (bench/e2e.py: this kpix-cli against pngquant and "
                         "Pillow + scikit-learn, file to file), written into RESULTS.md")
    a = ap.parse_args()
    if a.e2e:
        return e2e.e2e(a.e2e, a.out, a.runs)
    if not a.native or not a.wasm:
        ap.error("--native and --wasm are needed (or --e2e)")
    images = make_images(os.path.join(ROOT, "build", "bench-images"))
    if a.large_k:
        return large_k(images["4MP"], a, images)
    grid = {"quick": QUICK, "default": DEFAULT, "full": FULL}[a.grid]
    py = "/usr/bin/python3"
    peers = os.path.join(ROOT, "bench", "peers.py")
    rows = []
    started = time.time()
    load_before = os.getloadavg()
    for name, xy, k in grid:
        path = images[name]
        common = [path, "--k", str(k), "--xy", str(xy), "--seed", "1"]
        repeat = ["--repeat", "3"] if name == "0.27MP" else []
        row = {"image": name, "space": "rgb+xy" if xy > 0 else "rgb", "k": k}
        row["n1"] = run([a.native] + common + ["--threads", "1"] + repeat, a.timeout)
        row["n2"] = run([a.native] + common + ["--threads", "2"] + repeat, a.timeout)
        row["wasm"] = run(["node", "--no-experimental-fetch", a.wasm] + common + ["--threads", "1"] + repeat,
                          a.timeout)
        row["sklearn"] = run([py, peers] + common + ["--peer", "sklearn"], a.timeout)
        row["opencv"] = run([py, peers] + common + ["--peer", "opencv"], a.timeout)
        rows.append(row)
        print(line_of(row), flush=True)
    seeds = seed_rows(images["18MP"], a, py, peers) if a.seeds > 0 else []
    load = (load_before, os.getloadavg())
    write_results(a.out, rows, seeds, a.grid, time.time() - started, load)


LARGE_BEGIN = "<!-- large-k table: written by bench/run_bench.py --large-k -->"
LARGE_END = "<!-- end of the large-k table -->"


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else 0.5 * (v[len(v) // 2 - 1] + v[len(v) // 2])


def large_k(path, a, images):
    """rgb+xy (xy = 1) on the 4 MP image: kpix at k = 1000 on 1 and 2 threads (and in wasm under
    node on 2, unless a.wasm is "none") against OpenCV's SLIC (and scikit-image's, when
    installed) at 1000 regions, a.runs times each, the programs alternated (forward, then
    backward) so that a change of load hits all of them; then kpix at k = 256 and 4096. Ratios are medians of the per-run ratios, with their spread."""
    py = "/usr/bin/python3"
    peers = os.path.join(ROOT, "bench", "peers.py")
    common = [path, "--xy", "1", "--seed", "1"]
    programs = {
        "kpix 1T": [a.native] + common + ["--k", "1000", "--threads", "1"],
        "kpix 2T": [a.native] + common + ["--k", "1000", "--threads", "2"],
    }
    if a.before:
        programs["kpix 2T before"] = [a.before] + common + ["--k", "1000", "--threads", "2"]
    if a.wasm != "none":
        programs["kpix wasm 2T"] = (["node", "--no-experimental-fetch", a.wasm] + common +
                                    ["--k", "1000", "--threads", "2"])
    programs["OpenCV SLIC"] = [py, peers] + common + ["--k", "1000", "--peer", "slic"]
    if subprocess.run([py, "-c", "import skimage.segmentation"], capture_output=True).returncode == 0:
        programs["scikit-image slic"] = [py, peers] + common + ["--k", "1000", "--peer", "skimage-slic"]
    results = {name: [] for name in programs}
    started = time.time()
    for rep in range(a.runs):
        names = list(programs) if rep % 2 == 0 else list(reversed(programs))
        for name in names:
            r = run(programs[name], a.timeout)
            r["load"] = os.getloadavg()[0]
            results[name].append(r)
            print(f"run {rep + 1} {name}: {r.get('seconds')} s, {r.get('iterations')} rounds, "
                  f"inertia {r.get('inertia')}, load {r['load']:.2f}", flush=True)
    others = {}
    for k in (256, 4096):
        for t in (1, 2):
            r = run([a.native] + common + ["--k", str(k), "--threads", str(t)], a.timeout)
            r["load"] = os.getloadavg()[0]
            others[(k, t)] = r
            print(f"kpix k={k} {t}T: {r.get('seconds')} s, {r.get('iterations')} rounds", flush=True)
    text = large_k_text(programs, results, others, time.time() - started)
    if a.before:
        text += "\n" + before_after(images, a)
    print(text)
    old = open(a.out).read() if os.path.exists(a.out) else ""
    block = LARGE_BEGIN + "\n" + text + LARGE_END
    if LARGE_BEGIN in old and LARGE_END in old:
        new = old[:old.index(LARGE_BEGIN)] + block + old[old.index(LARGE_END) + len(LARGE_END):]
    else:
        new = old + ("" if NOTES_MARK in old else "\n" + NOTES_MARK + "\n") + "\n" + block + "\n"
    with open(a.out, "w") as f:
        f.write(new)
    print(f"wrote {a.out}")


def before_after(images, a):
    """The other #17 workloads, this kpix-bench against a.before (2 threads) and scikit-learn where
    it is the peer, a.runs times, alternated (forward, then backward): median seconds, spread,
    ratios of the medians of per-run ratios, rounds and inertia (the same when the change is exact)."""
    py = "/usr/bin/python3"
    peers = os.path.join(ROOT, "bench", "peers.py")
    cases = [("rgb, 18 MP, k = 256", [images["18MP"], "--xy", "0", "--k", "256"], False),
             ("rgb, 18 MP, k = 1024", [images["18MP"], "--xy", "0", "--k", "1024"], False),
             ("rgb+xy, 4 MP, k = 16", [images["4MP"], "--xy", "1", "--k", "16"], True)]
    out = [f"Before ({a.before}) and after, the same script, {a.runs} runs alternated, seed 1 (the rows with "
           "scikit-learn: seeds 1, 2, 3 in turn; rounds and inertia are seed 1's), 2 threads "
           "(scikit-learn: KMeans lloyd, k-means++, n_init 1, on the same float32 features); clustering "
           "time, no decode.", "",
           "| case | before s (min-max) | after s (min-max) | before / after | scikit-learn s | "
           "scikit-learn / after | rounds before / after | inertia before / after | load |",
           "|" + "---|" * 9]
    for name, args, with_sklearn in cases:
        def progs_for(seed):
            progs = {"before": [a.before] + args + ["--seed", seed, "--threads", "2"],
                     "after": [a.native] + args + ["--seed", seed, "--threads", "2"]}
            if with_sklearn:
                progs["sklearn"] = [py, peers] + args + ["--seed", seed, "--peer", "sklearn"]
            return progs
        progs = progs_for("1")
        res = {p: [] for p in progs}
        loads = []
        for rep in range(a.runs):
            # Against scikit-learn, seeds 1, 2, 3 in turn (every program the same seed in a round
            # of runs), as issue 17 measured it: one seed's round count is not the rule.
            seed = str(1 + rep % 3) if with_sklearn else "1"
            for p in (list(progs) if rep % 2 == 0 else list(reversed(progs))):
                res[p].append(run(progs_for(seed)[p], a.timeout))
                loads.append(os.getloadavg()[0])
        t = {p: [sec(r) for r in rs if sec(r) is not None] for p, rs in res.items()}

        def cell(p):
            return f"{fmt(median(t[p]))} ({fmt(min(t[p]))}-{fmt(max(t[p]))})" if t.get(p) else "-"

        def per_run(p, q):
            rs = [x for x in (ratio(u, v) for u, v in zip(t.get(p, []), t.get(q, []))) if x is not None]
            return f"{median(rs):.2f}" if rs else "-"

        b, f_ = res["before"][0], res["after"][0]
        out.append(f"| {name} | {cell('before')} | {cell('after')} | {per_run('before', 'after')} | "
                   f"{cell('sklearn') if with_sklearn else '-'} | "
                   f"{per_run('sklearn', 'after') if with_sklearn else '-'} | "
                   f"{fmt(b.get('iterations'))} / {fmt(f_.get('iterations'))} | "
                   f"{fmt(b.get('inertia'), 10)} / {fmt(f_.get('inertia'), 10)} | "
                   f"{min(loads):.2f}-{max(loads):.2f} |")
        print(out[-1], flush=True)
    return "\n".join(out) + "\n"


def seeding_share(r):
    """kpix's time outside the Lloyd rounds (k-means++, features, mean variance) as a share of
    its clustering time; None for the peers."""
    if "lloyd_seconds" not in r or not r.get("seconds"):
        return None
    return (r["seconds"] - r["lloyd_seconds"]) / r["seconds"]


def large_k_text(programs, results, others, seconds):
    def secs(name):
        return [sec(r) for r in results[name]]

    out = [f"Large k, rgb+xy (xy = 1), the 4 MP image, seed 1, tol 1e-4, {len(results['kpix 1T'])} runs "
           f"of each program alternated; {seconds / 60:.1f} min in all. Time is the clustering "
           "(seeding and Lloyd to convergence; SLIC: segmentation, 10 iterations), no decode. "
           "Inertia is every program's labels scored in kpix's features (each region's mean).", "",
           "| program | regions | median s | min-max s | rounds | seeding share | inertia | "
           "inertia / kpix's | peak MB | load (1 min) |", "|" + "---|" * 10]
    kpix_inertia = results["kpix 2T"][0].get("inertia")
    for name in programs:
        rs = results[name]
        v = [x for x in secs(name) if x is not None]
        errors = [r["error"] for r in rs if "error" in r]
        loads = [r["load"] for r in rs]
        row = [name, fmt(rs[0].get("k"), 6), fmt(median(v)) if v else "-",
               f"{fmt(min(v))}-{fmt(max(v))}" if v else "-", fmt(rs[0].get("iterations")),
               fmt(seeding_share(rs[0])), fmt(rs[0].get("inertia"), 4), fmt(ratio(rs[0].get("inertia"), kpix_inertia), 3),
               fmt(max((r["peak_mb"] for r in rs if "peak_mb" in r), default=None), 4),
               f"{min(loads):.2f}-{max(loads):.2f}"]
        out.append("| " + " | ".join(row) + " |" + (" " + "; ".join(errors) if errors else ""))
    out.append("")
    for peer in [p for p in programs if not p.startswith("kpix")]:
        for ours in [p for p in programs if p.startswith("kpix")]:
            rs = [ratio(p, o) for p, o in zip(secs(peer), secs(ours))]
            rs = [x for x in rs if x is not None]
            if rs:
                out.append(f"- {peer} time / {ours} time: median **{median(rs):.2f}** "
                           f"(runs: {', '.join(f'{x:.2f}' for x in rs)}); above 1 kpix is faster.")
    if "kpix 2T before" in programs:
        rs = [x for x in (ratio(b, n) for b, n in zip(secs("kpix 2T before"), secs("kpix 2T"))) if x is not None]
        if rs:
            out.append(f"- kpix 2T before / kpix 2T now: median **{median(rs):.2f}** "
                       f"(runs: {', '.join(f'{x:.2f}' for x in rs)}); above 1 now is faster.")
    out += ["", "| kpix k | threads | s | rounds | seeding share | inertia | peak MB | load (1 min) |",
            "|" + "---|" * 8]
    for (k, t), r in sorted(others.items()):
        out.append(f"| {k} | {t} | {fmt(sec(r))} | {fmt(r.get('iterations'))} | {fmt(seeding_share(r))} | "
                   f"{fmt(r.get('inertia'), 4)} | {fmt(r.get('peak_mb'), 4)} | {fmt(r.get('load'))} |"
                   + (f" {r['error']}" if "error" in r else ""))
    return "\n".join(out) + "\n"


def seed_rows(path, a, py, peers):
    """rgb, k = 16, 18 MP over seeds 1..N: ours (native, 2 threads) and scikit-learn's time and
    inertia per seed, for the "inertia no worse than scikit-learn's, averaged over seeds" check."""
    rows = []
    for seed in range(1, a.seeds + 1):
        common = [path, "--k", "16", "--xy", "0", "--seed", str(seed)]
        row = {"seed": seed,
               "ours": run([a.native] + common + ["--threads", "2"], a.timeout),
               "sklearn": run([py, peers] + common + ["--peer", "sklearn"], a.timeout)}
        rows.append(row)
        print(f"seed {seed}: ours {row['ours'].get('seconds')} s inertia {row['ours'].get('inertia')}; "
              f"sklearn {row['sklearn'].get('seconds')} s inertia {row['sklearn'].get('inertia')}", flush=True)
    return rows


def seeds_table(rows):
    out = ["| seed | ours 2T s | sklearn s | sklearn/ours | inertia ours | inertia sklearn | ours/sklearn |",
           "|---|---|---|---|---|---|---|"]
    sums = {"o": [], "s": [], "oi": [], "si": []}
    for row in rows:
        o, sk = sec(row["ours"]), sec(row["sklearn"])
        oi, si = row["ours"].get("inertia"), row["sklearn"].get("inertia")
        out.append(f"| {row['seed']} | {fmt(o)} | {fmt(sk)} | {fmt(ratio(sk, o))} | {fmt(oi, 6)} | "
                   f"{fmt(si, 6)} | {fmt(ratio(oi, si), 4)} |")
        for key, v in (("o", o), ("s", sk), ("oi", oi), ("si", si)):
            if v is not None:
                sums[key].append(v)
    mean = {key: sum(v) / len(v) if v and len(v) == len(rows) else None for key, v in sums.items()}
    out.append(f"| mean | {fmt(mean['o'])} | {fmt(mean['s'])} | {fmt(ratio(mean['s'], mean['o']))} | "
               f"{fmt(mean['oi'], 6)} | {fmt(mean['si'], 6)} | {fmt(ratio(mean['oi'], mean['si']), 4)} |")
    return "\n".join(out)


def sec(r):
    return r.get("seconds") if "error" not in r else None


def ratio(a, b):
    return a / b if a is not None and b else None


def line_of(row):
    n1, n2, w, sk, cv = (sec(row[key]) for key in ("n1", "n2", "wasm", "sklearn", "opencv"))
    best = min(v for v in (n1, n2) if v is not None) if (n1 or n2) else None
    ours_in = row["n1"].get("inertia")
    sk_in = row["sklearn"].get("inertia")
    sk_cpu = row["sklearn"].get("cpu_seconds")
    n1_cpu = row["n1"].get("cpu_seconds")
    cols = [row["image"], row["space"], str(row["k"]), fmt(sk), fmt(cv), fmt(n1), fmt(n2), fmt(w),
            fmt(ratio(sk, best)), fmt(ratio(cv, best)), fmt(sk_cpu), fmt(n1_cpu),
            fmt(ratio(sk_cpu, n1_cpu)), fmt(ratio(n1, n2)), fmt(ratio(w, n1)),
            f"{fmt(row['n1'].get('iterations'))}/{fmt(row['sklearn'].get('iterations'))}",
            fmt(ours_in, 6), fmt(sk_in, 6), fmt(row["opencv"].get("inertia"), 6),
            fmt(ratio(ours_in, sk_in), 4)]
    errors = [f"{key}: {row[key]['error']}" for key in ("n1", "n2", "wasm", "sklearn", "opencv")
              if "error" in row[key]]
    return "| " + " | ".join(cols) + " |" + (" " + "; ".join(errors) if errors else "")


HEADER = ("| image | space | k | sklearn s | OpenCV s | ours 1T s | ours 2T s | wasm 1T s | "
          "sklearn/ours | OpenCV/ours | sklearn CPU s | ours 1T CPU s | CPU sklearn/ours | "
          "2T speed-up | wasm/native 1T | iterations ours/sklearn | "
          "inertia ours | inertia sklearn | inertia OpenCV | ours/sklearn inertia |\n"
          "|" + "---|" * 20)


# Everything after this line in RESULTS.md is kept when the tables above it are written again.
NOTES_MARK = "<!-- Notes below are written by hand and kept by bench/run_bench.py. -->"


MEMORY_HEADER = ("| image | space | k | decode s, ours | decode s, PIL | peak MB, ours 1T | ours 2T | "
                 "wasm 1T (node) | sklearn | OpenCV |\n" + "|" + "---|" * 10)


def memory_line(row):
    """Decode time (ours: stb + orientation + colour profile; the peers: PIL) and each process's
    peak resident memory."""
    cols = [row["image"], row["space"], str(row["k"]), fmt(row["n1"].get("decode_seconds")),
            fmt(row["sklearn"].get("decode_seconds"))]
    cols += [fmt(row[key].get("peak_mb"), 4) for key in ("n1", "n2", "wasm", "sklearn", "opencv")]
    return "| " + " | ".join(cols) + " |"


def write_results(path, rows, seeds, grid, seconds, load):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import sklearn
    try:
        import cv2
        cv = cv2.__version__
    except ImportError:
        cv = "missing"
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    notes = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        if NOTES_MARK in old:
            notes = old[old.index(NOTES_MARK):]
    with open(path, "w") as f:
        f.write("# kpix-bench results\n\n")
        f.write("Written by `scripts/bench.sh` (bench/run_bench.py). Clustering time only (no decode); "
                "ours is the fastest of 3 runs on the 0.27 MP image and one run otherwise, peers one run.\n\n")
        f.write(f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
                f"node {node}, scikit-learn {sklearn.__version__}, OpenCV {cv}. "
                f"Load average (1, 5, 15 min) {', '.join(f'{v:.2f}' for v in load[0])} when the run "
                f"began and {', '.join(f'{v:.2f}' for v in load[1])} when it ended (above about 1, "
                "other work shared the 2 cores and the wall times are noisy).\n")
        f.write("- Pixels: sklearn's china.jpg decoded by PIL (640 x 427), and Lanczos upscales to "
                "2448 x 1632 (4.0 MP) and 5200 x 3467 (18 MP), all stored as PNG so every program "
                "clusters the same pixels.\n")
        f.write("- Settings: k-means++, seed 1, max_iter 300, tol 1e-4 (scikit-learn's definition); "
                "rgb+xy is xy = 1. scikit-learn: KMeans(algorithm='lloyd', n_init=1) on float32 "
                "pixels, its default threads (OpenMP, all cores). OpenCV: cv2.kmeans, KMEANS_PP_CENTERS, "
                "1 attempt, eps = sqrt(tol * mean variance), its default threads.\n")
        f.write("- CPU s is process CPU time (all threads): on a shared machine it is the fairer cost; "
                "CPU sklearn/ours divides scikit-learn's by ours on 1 thread.\n")
        f.write("- sklearn/ours and OpenCV/ours divide the peer's time by our faster native time (1 or 2 "
                "threads). Ours clusters the distinct colours weighted by their counts in rgb (exactly "
                "the Lloyd result on all pixels); the peers cluster every pixel.\n")
        f.write(f"- Grid: `{grid}`" + (" (reduced: the full grid's large k on 18 MP takes the peers "
                                       "far over 15 minutes)" if grid != "full" else "") +
                f"; the whole run took {seconds / 60:.1f} min.\n\n")
        f.write(HEADER + "\n")
        for row in rows:
            f.write(line_of(row) + "\n")
        f.write("\n## Decode time and peak memory\n\n"
                "Decode: ours is the whole decode path (stb_image, EXIF orientation, ICC profile to "
                "sRGB) natively; the peers' is PIL's. Peak memory is each process's peak resident "
                "set (wait4), the program included: the wasm run is node with its own ~40 MB; the "
                "peers are Python with NumPy and the library loaded. The features take 12 bytes a "
                "pixel in rgb for the peers (float32), 20 in rgb+xy for everyone; ours clusters the "
                "distinct colours in rgb.\n\n")
        f.write(MEMORY_HEADER + "\n")
        for row in rows:
            f.write(memory_line(row) + "\n")
        if seeds:
            f.write("\n## rgb, k = 16, 18 MP over seeds 1 to " + str(len(seeds)) + "\n\n"
                    "Ours on 2 threads and scikit-learn (as above) with each seed; one run each.\n\n")
            f.write(seeds_table(seeds) + "\n")
        if notes:
            f.write("\n" + notes)
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
