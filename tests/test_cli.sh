#!/usr/bin/env bash
# kpix-cli as a user runs it: output file or directory, stats JSON, bad input and bad arguments,
# the k-meanz flags, and every export read back (tests/cli_check.py, standard-library Python).
# usage: test_cli.sh KPIX_CLI CASE   (ctest runs one case per test)
set -u
cli="$1"
case_name="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
photo=/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg

check() { python3 "$(dirname "$0")/cli_check.py" "$@"; }
# Pillow, a second PNG decoder, comes with Debian's python3-pil (/usr/bin/python3's).
pillow_same() { /usr/bin/python3 "$(dirname "$0")/cli_check.py" pillow "$@"; }
json_get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# expect_status CODE CMD...: runs CMD, checks its exit status, keeps stderr in $work/err.
expect_status() {
    local want="$1"; shift
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    [ "$got" = "$want" ] || fail "exit $got, wanted $want: $* / $(cat "$work/err")"
}
png_size() { # prints "W H" of a PNG from its IHDR
    od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'
}

case "$case_name" in
output_file)
    expect_status 0 "$cli" "$photo" -k 4 --seed 3 -o "$work/out.png" --stats-json "$work/s.json"
    [ -s "$work/out.png" ] || fail "no output file"
    [ "$(png_size "$work/out.png")" = "640 427" ] || fail "output size $(png_size "$work/out.png")"
    grep -q '"k":4' "$work/s.json" || fail "stats: $(cat "$work/s.json")"
    grep -q '"seed":3' "$work/s.json" || fail "stats seed"
    grep -q '"width":640,"height":427' "$work/s.json" || fail "stats size"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert len(s["palette"])==4 and abs(sum(p[3] for p in s["palette"])-1)<1e-9, s' "$work/s.json" || fail "palette"
    ;;
output_dir)
    expect_status 0 "$cli" "$photo" -k 3 -o "$work/results/deep"
    [ -s "$work/results/deep/china-k3.png" ] || fail "no china-k3.png in the directory: $(ls -R "$work")"
    ;;
many_inputs)
    cp "$photo" "$work/a.jpg"; cp "$photo" "$work/b.jpg"
    expect_status 0 "$cli" "$work/a.jpg" "$work/b.jpg" -k 2 -o "$work/o" --stats-json -
    [ -s "$work/o/a-k2.png" ] && [ -s "$work/o/b-k2.png" ] || fail "missing outputs"
    expect_status 2 "$cli" "$work/a.jpg" "$work/b.jpg" -o "$work/one.png"
    grep -q "names one file" "$work/err" || fail "message: $(cat "$work/err")"
    ;;
same_seed_same_output)
    expect_status 0 "$cli" "$photo" -k 6 --seed 9 --threads 1 -o "$work/a.png"
    expect_status 0 "$cli" "$photo" -k 6 --seed 9 --threads 2 -o "$work/b.png"
    cmp -s "$work/a.png" "$work/b.png" || fail "1 and 2 threads differ"
    ;;
bad_input)
    : > "$work/empty.jpg"
    head -c 5000 /dev/urandom > "$work/random.png"
    expect_status 2 "$cli" "$work/empty.jpg" -o "$work/x.png"
    grep -q "empty" "$work/err" || fail "empty: $(cat "$work/err")"
    expect_status 2 "$cli" "$work/random.png" -o "$work/x.png"
    grep -q "could not be read as an image" "$work/err" || fail "random: $(cat "$work/err")"
    expect_status 2 "$cli" "$work/missing.jpg"
    grep -q "cannot open" "$work/err" || fail "missing: $(cat "$work/err")"
    ;;
bad_arguments)
    for args in "-k 0" "-k -5" "-k abc" "-k 4097" "--xy nan" "--seed" "--space hsv" "--init foo" "--bogus" "" \
                "-r 0" "--rounds=x" "--indexed=1" "--gif a.png" "-k 300 --gif a.gif" "--palette p.png" \
                "--labels l.jpg" "--seeds zz" "--seeds #ff0000,#00ff00 -k 3" "--seeds #ff0000 --xy 1" \
                "--gif-delay 0" "--n_init 0" "--n-init 1000000" "--n-init -2" "--xy -1" "--xy inf" "--tol nan" \
                "--threads -1" "--work-pixels -5" "--work-pixels abc" "--work-pixels 1e9" \
                "--n-init 1001" "-r 100001" "--seed -1" "--seed 18446744073709551616" "--xy 1001" \
                "--seeds @0:0 --xy 1 --seeds #ff0000" "--init given"; do
        # shellcheck disable=SC2086
        expect_status 2 "$cli" $( [ -n "$args" ] && echo "$photo" ) $args
        [ -s "$work/err" ] || fail "no message for '$args'"
    done
    expect_status 2 "$cli" "$photo" "$photo" --palette "$work/p.gpl"
    grep -q "names one file" "$work/err" || fail "palette with two inputs: $(cat "$work/err")"
    expect_status 0 "$cli" --help
    for flag in --stats-json --rounds --outdir --scale --generate-all --xy-weight --seeds --n-init \
                --tol --seed --threads --dither --indexed --sizes --gif --palette --labels --quiet --work-pixels \
                --max-iter --space --init --link; do
        grep -q -- "$flag" "$work/out" || fail "--help does not document $flag"
    done
    ;;
photo)
    fixtures="$(dirname "$0")/fixtures/photo"
    # Stored 107 x 160 with EXIF orientation 6: the output and the stats are upright.
    expect_status 0 "$cli" "$fixtures/orient_6.jpg" -k 3 -o "$work/o6.png" --stats-json "$work/s6.json"
    [ "$(png_size "$work/o6.png")" = "160 107" ] || fail "orientation: output size $(png_size "$work/o6.png")"
    grep -q '"width":160,"height":107,"orientation":6,"icc_profile":""' "$work/s6.json" || fail "stats: $(cat "$work/s6.json")"
    grep -q "note: rotated 90° clockwise (EXIF orientation 6)" "$work/out" || fail "no rotation note: $(cat "$work/out")"
    expect_status 0 "$cli" "$fixtures/flower_p3.jpg" -k 3 -o "$work/p3.png" --stats-json "$work/p3.json"
    grep -q '"orientation":1,"icc_profile":"Display P3"' "$work/p3.json" || fail "stats: $(cat "$work/p3.json")"
    grep -q "note: colours converted from Display P3 to sRGB" "$work/out" || fail "no profile note: $(cat "$work/out")"
    expect_status 0 "$cli" "$fixtures/orient_1.jpg" -k 3 -o "$work/o1.png"
    ! grep -q "note:" "$work/out" || fail "note for an upright sRGB photo: $(cat "$work/out")"
    ;;
large_k)
    expect_status 0 "$cli" "$photo" -k 1000 --xy 1 -r 3 -o "$work/sp.png" --stats-json "$work/s.json"
    grep -q '"k":1000' "$work/s.json" || fail "k=1000 with position: $(head -c 300 "$work/s.json")"
    ;;
kmeanz_flags)
    # -r limits rounds (tol 0 so that it runs them all), -s is --xy 1, -g writes rounds + 1 frames.
    expect_status 0 "$cli" "$photo" -k 5 -r 3 --tol 0 -o "$work/r.png" --stats-json "$work/r.json"
    [ "$(json_get "$work/r.json" iterations)" = 3 ] || fail "-r 3 ran $(json_get "$work/r.json" iterations) rounds"
    [ "$(json_get "$work/r.json" max_iter)" = 3 ] || fail "max_iter"
    expect_status 0 "$cli" "$photo" -k 4 -r 2 -s -o "$work/s.png" --stats-json "$work/s.json"
    expect_status 0 "$cli" "$photo" -k 4 -r 2 --xy 1 -o "$work/xy.png"
    cmp -s "$work/s.png" "$work/xy.png" || fail "-s differs from --xy 1"
    [ "$(json_get "$work/s.json" xy)" = 1 ] || fail "-s: xy $(json_get "$work/s.json" xy)"
    expect_status 0 "$cli" "$photo" -k 6 -g -o "$work/frames" --stats-json "$work/g.json"
    rounds=$(json_get "$work/g.json" iterations)
    frames=$(ls "$work/frames"/china-round-*.png | wc -l)
    [ "$frames" = $((rounds + 1)) ] || fail "-g wrote $frames frames for $rounds rounds"
    [ -s "$work/frames/china-round-000.png" ] || fail "no round 000"
    # The last round is the result.
    check same "$work/frames/china-round-$(printf %03d "$rounds").png" "$work/frames/china-k6.png" ||
        fail "last frame is not the output"
    # -g beside an output file (its folder is created).
    expect_status 0 "$cli" "$photo" -k 3 -r 1 --tol 0 -g -o "$work/next/one.png"
    [ "$(ls "$work/next" | tr '\n' ' ')" = "china-round-000.png china-round-001.png one.png " ] ||
        fail "frames beside the file: $(ls "$work/next")"
    ;;
kmeanz_readme)
    # The calls k-meanz's README documents, verbatim but for the photo (its outdir is '.').
    mkdir -p "$work/here" && cd "$work/here" || fail "no work directory"
    expect_status 0 "$cli" "$photo" -k10 -r5
    grep -q "k=10, 5 rounds" "$work/out" || fail "-k10 -r5: $(cat "$work/out")"
    [ -s china-k10.png ] || fail "-k10 -r5 wrote no china-k10.png: $(ls)"
    expect_status 0 "$cli" "$photo" -k10 -r5 -s False
    grep -q "note: -s False: position in pixel units, as k-meanz has it (xy = 2.509804" "$work/out" ||
        fail "-s False: $(cat "$work/out")"
    mv china-k10.png unscaled.png
    # Pixel units: the same clustering as --xy 640/255.
    expect_status 0 "$cli" "$photo" -k10 -r5 --xy 2.509804 -o xy.png
    cmp -s unscaled.png xy.png || fail "-s False is not position in pixel units"
    expect_status 0 "$cli" "$photo" -k50 -r5 -s False
    grep -q "k=50, 5 rounds" "$work/out" || fail "-k50 -r5 -s False: $(cat "$work/out")"
    expect_status 0 "$cli" "$photo" -k1000 -r3
    grep -q "k=1000, 3 rounds" "$work/out" || fail "-k1000 -r3: $(cat "$work/out")"
    # Its usage line: [-k K] [-r ROUNDS] [-o OUTDIR] [-s SCALE] [-g GENERATE_ALL], True/False.
    expect_status 0 "$cli" "$photo" -k 3 -r 2 --tol 0 -o outdir -s True -g True --stats-json s.json
    [ "$(json_get s.json xy)" = 1 ] || fail "-s True: xy $(json_get s.json xy)"
    [ "$(ls outdir | tr '\n' ' ')" = "china-k3.png china-round-000.png china-round-001.png china-round-002.png " ] ||
        fail "-g True: $(ls outdir)"
    expect_status 0 "$cli" "$photo" -k 3 -o off --scale=False --generate_all False -gFalse
    [ "$(ls off)" = "china-k3.png" ] || fail "-g False wrote frames: $(ls off)"
    expect_status 0 "$cli" "$photo" -k3 -r2 -o"$work/attached.png" -s
    [ -s "$work/attached.png" ] || fail "-o with its value attached"
    for bad in "-sx" "-gmaybe" "-k" "-kx" "-r0" "-q3"; do
        # shellcheck disable=SC2086
        expect_status 2 "$cli" "$photo" $bad
    done
    ;;
spellings)
    # The stats JSON's words are flags too: '_' or '-', and --name=value.
    expect_status 0 "$cli" "$photo" --k=3 --n_init 2 --max_iter=7 --xy_weight 0 --stats_json "$work/a.json" -o "$work/a.png"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert (s["k"], s["n_init"], s["max_iter"]) == (3, 2, 7), s' "$work/a.json" ||
        fail "spellings: $(head -c 200 "$work/a.json")"
    ;;
seeds)
    expect_status 0 "$cli" "$photo" --seeds "#ff0000, #00ff00,0000ff" -o "$work/a.png" --stats-json "$work/a.json"
    [ "$(json_get "$work/a.json" k)" = 3 ] || fail "k from seeds"
    [ "$(json_get "$work/a.json" init)" = given ] || fail "init $(json_get "$work/a.json" init)"
    # Round 0 is drawn with the given colours themselves.
    expect_status 0 "$cli" "$photo" --seeds "#ff0000,#00ff00,#0000ff" -g -o "$work/g"
    [ "$(check colours "$work/g/china-round-000.png")" = "#0000ff #00ff00 #ff0000" ] ||
        fail "round 0 colours: $(check colours "$work/g/china-round-000.png")"
    ;;
indexed)
    expect_status 0 "$cli" "$photo" -k 16 --seed 2 -o "$work/true.png" --stats-json "$work/t.json"
    check filters "$work/true.png" | grep -q '[1-4]' || fail "truecolour rows never filtered: $(check filters "$work/true.png")"
    expect_status 0 "$cli" "$photo" -k 16 --seed 2 -o "$work/idx.png" --indexed --stats-json "$work/i.json"
    grep -q "PNG indexed" "$work/out" || fail "no size report: $(cat "$work/out")"
    grep -q "PNG truecolour" "$work/out" && fail "a truecolour PNG was encoded without --sizes: $(cat "$work/out")"
    chunks=$(check chunks "$work/idx.png")
    [ "$chunks" = "IHDR PLTE IDAT IEND" ] || fail "indexed chunks: $chunks"
    [ "$(od -An -tu1 -j24 -N2 "$work/idx.png" | tr -s ' ')" = " 4 3" ] || fail "16 colours: not 4-bit indexed"
    [ "$(check filters "$work/idx.png")" = 0 ] || fail "indexed rows filtered: $(check filters "$work/idx.png")"
    check same "$work/true.png" "$work/idx.png" || fail "indexed and truecolour pixels differ"
    pillow_same "$work/idx.png" || fail "Pillow reads other pixels in the indexed PNG"
    pillow_same "$work/true.png" || fail "Pillow reads other pixels in the truecolour PNG"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["bytes_png_truecolour"] is None and s["bytes_png_indexed"] > 0, s' "$work/i.json" ||
        fail "sizes without --sizes: $(cat "$work/i.json")"
    expect_status 0 "$cli" "$photo" -k 16 --seed 2 -o "$work/idx2.png" --indexed --sizes --stats-json "$work/i.json"
    grep -q "PNG truecolour .* encoded for this report in" "$work/out" || fail "--sizes report: $(cat "$work/out")"
    cmp -s "$work/idx.png" "$work/idx2.png" || fail "--sizes changed the file written"
    python3 - "$work/i.json" "$work/idx.png" "$work/true.png" <<'PY' || fail "sizes in the stats JSON"
import json, os, sys
s = json.load(open(sys.argv[1]))
assert s["bytes_original"] == os.path.getsize("/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg")
assert s["bytes_png_indexed"] == os.path.getsize(sys.argv[2]), s
assert s["bytes_png_truecolour"] == os.path.getsize(sys.argv[3]), s
assert s["bytes_png_indexed"] < s["bytes_png_truecolour"], s
PY
    ;;
dither)
    expect_status 0 "$cli" "$photo" -k 6 --dither --indexed -o "$work/d.png" --stats-json "$work/d.json"
    expect_status 0 "$cli" "$photo" -k 6 --indexed -o "$work/p.png"
    [ "$(json_get "$work/d.json" dither)" = True ] || fail "dither not in stats"
    palette=$(check rgb_json "$work/d.json" | tr ' ' '\n' | sort | tr '\n' ' ')
    [ "$(check colours "$work/d.png") " = "$palette" ] || fail "dithered colours not the palette"
    # Same format, same palette: only the dithering differs, so the pixels must.
    [ "$(check colours "$work/p.png") " = "$palette" ] || fail "undithered colours not the same palette"
    check same "$work/d.png" "$work/p.png" && fail "dithering changed no pixel"
    true
    ;;
gif)
    expect_status 0 "$cli" "$photo" -k 8 -r 4 --tol 0 --gif "$work/r.gif" --gif-delay 20 -o "$work/o.png"
    [ "$(head -c 6 "$work/r.gif")" = GIF89a ] || fail "not GIF89a"
    grep -q NETSCAPE2.0 "$work/r.gif" || fail "no loop extension"
    [ "$(check gif_frames "$work/r.gif")" = 5 ] || fail "frames: $(check gif_frames "$work/r.gif"), wanted 4 rounds + 1"
    ;;
palette_files)
    expect_status 0 "$cli" "$photo" -k 7 -o "$work/o.png" --stats-json "$work/s.json" --palette "$work/p.gpl"
    want=$(check rgb_json "$work/s.json")
    [ "$(check gpl "$work/p.gpl")" = "$want" ] || fail "gpl: $(check gpl "$work/p.gpl") vs $want"
    for ext in json css txt; do
        expect_status 0 "$cli" "$photo" -k 7 -o "$work/o.png" --palette "$work/p.$ext"
    done
    [ "$(check rgb_json "$work/p.json")" = "$want" ] || fail "json palette"
    [ "$(grep -o '#[0-9a-f]\{6\}' "$work/p.txt" | tr '\n' ' ')" = "$want " ] || fail "txt palette"
    [ "$(grep -o -- '--kpix-[0-9]*: #[0-9a-f]\{6\}' "$work/p.css" | sed 's/.*: //' | tr '\n' ' ')" = "$want " ] || fail "css palette"
    ;;
labels)
    expect_status 0 "$cli" "$photo" -k 5 -o "$work/o.png" --labels "$work/l.png"
    [ "$(od -An -tu1 -j24 -N2 "$work/l.png" | tr -s ' ')" = " 8 0" ] || fail "not 8-bit grey"
    [ "$(check colours "$work/l.png")" = "#000000 #010101 #020202 #030303 #040404" ] ||
        fail "labels: $(check colours "$work/l.png")"
    expect_status 0 "$cli" "$photo" -k 300 -r 2 -o "$work/o.png" --labels "$work/l16.png"
    [ "$(od -An -tu1 -j24 -N2 "$work/l16.png" | tr -s ' ')" = " 16 0" ] || fail "not 16-bit grey"
    ;;
transparent)
    # A 20 x 4 RGBA PNG: red and blue opaque halves of the left, a green transparent right half.
    python3 - "$work/t.png" <<'PY'
import struct, sys, zlib
rows = b"".join(b"\0" + b"".join(bytes((255, 0, 0, 255) if x < 5 else (0, 0, 255, 255) if x < 10 else (0, 255, 0, 0)) for x in range(20)) for y in range(4))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20, 4, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
    expect_status 0 "$cli" "$work/t.png" -k 2 -o "$work/o.png" --stats-json "$work/s.json"
    expect_status 0 "$cli" "$work/t.png" -k 2 -o "$work/i.png" --indexed
    [ "$(check colours "$work/o.png")" = "#0000ff #ff0000" ] || fail "green took part: $(check colours "$work/o.png")"
    [ "$(check alpha "$work/o.png")" = "0 255" ] || fail "alpha $(check alpha "$work/o.png")"
    [ "$(check chunks "$work/i.png")" = "IHDR PLTE tRNS IDAT IEND" ] || fail "indexed: $(check chunks "$work/i.png")"
    check same "$work/o.png" "$work/i.png" || fail "indexed differs"
    pillow_same "$work/i.png" || fail "Pillow reads other pixels in the transparent indexed PNG"
    ;;
sample)
    expect_status 0 env -u KPIX_SAMPLES_DIR "$cli" --sample chelsea -k 3 -o "$work/c.png" --stats-json "$work/s.json"
    [ "$(png_size "$work/c.png")" = "451 300" ] || fail "chelsea is 451 x 300, got $(png_size "$work/c.png")"
    grep -q '"k":3' "$work/s.json" || fail "stats: $(head -c 200 "$work/s.json")"
    expect_status 2 "$cli" --sample ../../etc/passwd
    grep -q "coffee, chelsea" "$work/err" || fail "unknown sample message: $(cat "$work/err")"
    ;;
installed_sample)
    # An install finds its samples in PREFIX/share/kpix/samples, from any working directory.
    build_dir="$(dirname "$cli")"
    cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null || fail "cmake --install failed"
    [ -x "$work/prefix/bin/kpix-cli" ] || fail "no installed kpix-cli"
    [ -f "$work/prefix/share/kpix/samples/coffee.png" ] || fail "no installed samples"
    (cd / && env -u KPIX_SAMPLES_DIR "$work/prefix/bin/kpix-cli" --sample coffee -k 2 -o "$work/i.png" -q) \
        || fail "installed kpix-cli --sample coffee failed"
    [ "$(png_size "$work/i.png")" = "600 400" ] || fail "coffee is 600 x 400"
    ;;
sweep)
    # Four flat squares of far-apart colours with +-4 of noise: every metric must say 4.
    python3 - "$work/four.png" <<'PY' || fail "could not make the test image"
import random, struct, sys, zlib
random.seed(5)
colours = [(230, 30, 30), (30, 220, 40), (30, 40, 230), (240, 240, 40)]
w, h, side = 96, 24, 24
rows = b"".join(b"\0" + bytes(max(0, min(255, c + random.randint(-4, 4)))
                               for x in range(w) for c in colours[x // side]) for y in range(h))
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
    expect_status 0 "$cli" "$work/four.png" --sweep 2..16 --metrics elbow,silhouette,gap --stats-json "$work/s.json"
    grep -q "suggested k: elbow 4 silhouette 4 gap 4" "$work/out" || fail "table: $(cat "$work/out")"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["suggested"]=={"elbow":4,"silhouette":4,"gap":4}, s["suggested"]; assert [p["k"] for p in s["sweep"]]==list(range(2,17)); assert all(p["gap_sd"]>=0 for p in s["sweep"])' "$work/s.json" || fail "stats: $(cat "$work/s.json")"
    expect_status 0 "$cli" "$work/four.png" --sweep 3..5 --metrics silhouette --stats-json "$work/t.json"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["suggested"]=={"elbow":None,"silhouette":4,"gap":None}, s; assert s["sweep"][0]["gap"] is None' "$work/t.json" || fail "metrics: $(cat "$work/t.json")"
    for bad in 5..3 1..4 2..66 2-9 2..x; do
        expect_status 2 "$cli" "$work/four.png" --sweep "$bad"
        grep -q -- "--sweep" "$work/err" || fail "message for $bad: $(cat "$work/err")"
    done
    expect_status 2 "$cli" "$work/four.png" --sweep 2..8 --metrics elbow,foo
    ;;
grid)
    # china.jpg (640 x 427) at k = 2..10: 256 x 170 tiles, 3 x 3, 6 px apart, 14 px label strips.
    expect_status 0 "$cli" "$photo" --grid 2..10 -o "$work/grid.png" --stats-json "$work/g.json"
    [ "$(png_size "$work/grid.png")" = "792 576" ] || fail "grid size $(png_size "$work/grid.png")"
    check grid "$work/grid.png" "$work/g.json" >"$work/tiles" || fail "grid: $(cat "$work/tiles")"
    python3 -c 'import json,sys; g=json.load(open(sys.argv[1]))["grid"]; t=g["tiles"]; assert [x["k"] for x in t]==list(range(2,11)); assert all(t[i]["inertia"]>t[i+1]["inertia"] for i in range(8)), t; assert (g["columns"],g["rows"])==(3,3)' "$work/g.json" || fail "stats: $(cat "$work/g.json")"
    grep -q "k-grid 2..10, 3x3 tiles" "$work/out" || fail "line: $(cat "$work/out")"
    expect_status 0 "$cli" "$photo" --grid 3..4 -o "$work/dir" -q
    [ "$(png_size "$work/dir/china-grid.png")" = "530 196" ] || fail "2 tiles: $(png_size "$work/dir/china-grid.png")"
    for bad in 5..2 1..100 2..70 2-9 2..x; do
        expect_status 2 "$cli" "$photo" --grid "$bad" -o "$work/x.png"
        grep -q -- "--grid" "$work/err" || fail "message for $bad: $(cat "$work/err")"
    done
    expect_status 2 "$cli" "$photo" --grid 2..4 --sweep 2..4
    grep -q -- "--grid" "$work/err" || fail "grid with sweep: $(cat "$work/err")"
    [ ! -e "$work/x.png" ] || fail "a bad --grid wrote a file"
    ;;
odd_inputs)
    # Valid but unusual images (tests/fixtures/inputs, made by scripts/make_input_fixtures.py).
    inputs="$(dirname "$0")/fixtures/inputs"
    for f in grey.png grey_alpha.png rgb16.png cmyk.jpg progressive.jpg; do
        expect_status 0 "$cli" "$inputs/$f" -k 4 -o "$work/$f.png"
        [ "$(png_size "$work/$f.png")" = "32 21" ] || fail "$f: output size $(png_size "$work/$f.png")"
    done
    expect_status 0 "$cli" "$inputs/animated.gif" -k 2 -o "$work/gif.png"
    grep -q "note: animated GIF: first frame of 3 used" "$work/out" || fail "animated GIF: $(cat "$work/out")"
    [ "$(check colours "$work/gif.png")" = "#c81e1e" ] || fail "not the first (red) frame: $(check colours "$work/gif.png")"
    expect_status 0 "$cli" "$inputs/one_pixel.png" -k 8 -o "$work/one.png" --stats-json "$work/one.json"
    grep -q "note: k reduced from 8 to 1" "$work/out" || fail "1x1: $(cat "$work/out")"
    grep -q '"width":1,"height":1' "$work/one.json" || fail "1x1 stats: $(cat "$work/one.json")"
    expect_status 0 "$cli" "$inputs/one_colour.png" -k 4 -o "$work/flat.png"
    [ "$(check colours "$work/flat.png")" = "#5a3c1e" ] || fail "one colour: $(check colours "$work/flat.png")"
    expect_status 0 "$cli" "$inputs/three_colours.png" -k 8 -o "$work/three.png" --stats-json "$work/three.json"
    grep -q "note: k reduced from 8 to 3" "$work/out" || fail "k > colours: $(cat "$work/out")"
    grep -q '"k":3' "$work/three.json" || fail "k > colours stats: $(head -c 300 "$work/three.json")"
    [ "$(check colours "$work/three.png")" = "#0000ff #00ff00 #ff0000" ] || fail "three colours: $(check colours "$work/three.png")"
    ;;
huge_headers)
    # Headers claiming 60000 x 60000 (tests/fixtures/huge): refused with the size, before decoding.
    for f in "$(dirname "$0")"/fixtures/huge/huge.*; do
        expect_status 2 "$cli" "$f" -o "$work/x.png"
        grep -q "The image is 60000 x 60000 pixels (3600.0 MP); kpix handles up to 40 MP." "$work/err" \
            || fail "$(basename "$f"): $(cat "$work/err")"
    done
    ;;
unreadable_inputs)
    inputs="$(dirname "$0")/fixtures/inputs"
    # WebP, HEIC and AVIF decode (tests/test_formats.cpp); their damaged headers are named.
    expect_status 0 "$cli" "$inputs/photo.webp" -o "$work/x.png"
    printf '\0\0\0\034ftypavif\0\0\0\0' > "$work/a.avif"
    printf '\0\0\0\030ftypheic\0\0\0\0' > "$work/h.heic"
    for f in a.avif:avif h.heic:heic; do
        expect_status 2 "$cli" "$work/${f%%:*}" -o "$work/x.png"
        grep -q "The ${f##*:} file is damaged" "$work/err" || fail "${f%%:*}: $(cat "$work/err")"
    done
    printf '<svg xmlns="http://www.w3.org/2000/svg"/>' > "$work/s.svg"
    expect_status 2 "$cli" "$work/s.svg" -o "$work/x.png"
    grep -q "This is a SVG image" "$work/err" || fail "s.svg: $(cat "$work/err")"
    # Truncated JPEG (baseline and progressive) and PNG: a message and 2, or a picture and 0.
    python3 - "$work/t.png" <<'PY'
import struct, sys, zlib
rows = b"".join(b"\0" + bytes((x * 8, y * 8, 100)) * 1 for y in range(32) for x in range(32))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
    head -c 60 "$work/t.png" > "$work/cut.png"
    expect_status 2 "$cli" "$work/cut.png" -o "$work/x.png"
    grep -q "png file is damaged" "$work/err" || fail "cut PNG: $(cat "$work/err")"
    head -c 1000 "$photo" > "$work/cut.jpg"
    head -c 400 "$inputs/progressive.jpg" > "$work/cut-prog.jpg"
    for f in cut.jpg cut-prog.jpg; do
        "$cli" "$work/$f" -o "$work/x.png" >"$work/out" 2>"$work/err"
        got=$?
        [ "$got" = 0 ] || [ "$got" = 2 ] || fail "$f: exit $got"
        [ "$got" = 0 ] || [ -s "$work/err" ] || fail "$f: exit 2 without a message"
    done
    # A PNG header claiming 65535 x 65535, refused before decoding.
    python3 -c 'import struct,sys,zlib; ihdr=struct.pack(">IIBBBBB",65535,65535,8,2,0,0,0); open(sys.argv[1],"wb").write(b"\x89PNG\r\n\x1a\n"+struct.pack(">I",13)+b"IHDR"+ihdr+struct.pack(">I",zlib.crc32(b"IHDR"+ihdr)))' "$work/huge.png"
    expect_status 2 "$cli" "$work/huge.png" -o "$work/x.png"
    grep -q "65535 x 65535 pixels (4294.8 MP); kpix handles up to 40 MP" "$work/err" || fail "huge: $(cat "$work/err")"
    # Every input the fuzzer found: exit 0 or 2, never a crash.
    for f in "$(dirname "$0")"/fixtures/fuzz/*; do
        "$cli" "$f" -k 3 -r 4 -o "$work/x.png" >"$work/out" 2>"$work/err"
        got=$?
        [ "$got" = 0 ] || [ "$got" = 2 ] || fail "$(basename "$f"): exit $got $(cat "$work/err")"
    done
    ;;
non_utf8_name)
    # A Latin-1 file name ("café" with byte 0xe9) is not UTF-8: the stats JSON stays valid (the bad
    # byte becomes U+FFFD) for one input and for several.
    name="$(printf 'caf\351')"
    cp "$photo" "$work/$name.jpg"
    expect_status 0 "$cli" "$work/$name.jpg" -k 2 -o "$work/o.png" --stats-json "$work/s.json"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1], encoding="utf-8")); assert s["source"].endswith("caf\ufffd.jpg"), s["source"]' "$work/s.json" ||
        fail "stats JSON: $(head -c 200 "$work/s.json" | od -c | head -5)"
    expect_status 0 "$cli" "$work/$name.jpg" "$photo" -k 2 -o "$work/dir" --stats-json "$work/m.json"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1], encoding="utf-8")); assert len(s) == 2, s' "$work/m.json" ||
        fail "two inputs: $(head -c 200 "$work/m.json")"
    ;;
work_pixels)
    # china.jpg is 640 x 427 (273 280 pixels): clustered on a 200 x 133 copy, output at full size.
    expect_status 0 "$cli" "$photo" -k 6 --work-pixels 27000 -o "$work/w.png" --stats-json "$work/w.json"
    [ "$(png_size "$work/w.png")" = "640 427" ] || fail "output size $(png_size "$work/w.png")"
    grep -q "note: clustered on a 201 x 134 copy, labels applied to all 640 x 427 pixels" "$work/out" || fail "note: $(cat "$work/out")"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["work_pixels"]==27000 and s["width"]==640 and s["k"]==6, s' "$work/w.json" || fail "stats: $(head -c 400 "$work/w.json")"
    expect_status 0 "$cli" "$photo" -k 6 -o "$work/f.png" --stats-json "$work/f.json"
    ! grep -q "copy" "$work/out" || fail "note without --work-pixels: $(cat "$work/out")"
    # Inertia at full size from the copy's centroids: within 5% of clustering every pixel.
    python3 -c 'import json,sys; w=json.load(open(sys.argv[1]))["inertia"]; f=json.load(open(sys.argv[2]))["inertia"]; assert w < 1.05 * f, (w, f)' "$work/w.json" "$work/f.json" || fail "inertia"
    # Larger than the image: the same result as the full image.
    expect_status 0 "$cli" "$photo" -k 6 --work-pixels 300000 -o "$work/same.png"
    cmp -s "$work/same.png" "$work/f.png" || fail "--work-pixels above the image size changed the result"
    ;;
link_round_trip)
    # Any valid argument set -> the stats JSON's link -> kpix-cli --link: the same parameters and
    # the same pixels (a 32 x 21 photo keeps n_init 500 quick).
    small="$(dirname "$0")/fixtures/inputs/progressive.jpg"
    n=0
    for args in "-k 3 --seed 9007199254740993" "--n-init 500 -k 2 -r 3" "--space lab --xy 0.7 -k 4" \
                "--seeds #ff0000,#00ff00,#0000ff" "--seeds @1:1,#203040@10:5 --xy 1 --space oklab" \
                "--init random --tol 0 --max-iter 7 --work-pixels 300 --seed 18446744073709551615" \
                "-s -k 5 --space linear" "--init grid --xy 1 -k 20"; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        expect_status 0 "$cli" "$small" $args -o "$work/a$n.png" --stats-json "$work/a$n.json"
        link=$(json_get "$work/a$n.json" link)
        expect_status 0 "$cli" "$small" --link "$link" -o "$work/b$n.png" --stats-json "$work/b$n.json"
        python3 - "$work/a$n.json" "$work/b$n.json" <<'PY' || fail "$args: link $link gave other parameters"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
keys = ["k", "space", "xy", "seed", "init", "n_init", "max_iter", "tol", "work_pixels", "link", "inertia"]
assert [a[k] for k in keys] == [b[k] for k in keys], [(k, a[k], b[k]) for k in keys if a[k] != b[k]]
PY
        cmp -s "$work/a$n.png" "$work/b$n.png" || fail "$args: link $link gave other pixels"
    done
    grep -q '"seed":9007199254740993' "$work/a1.json" || fail "seed 2^53 + 1 was not kept: $(head -c 300 "$work/a1.json")"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["init"]=="grid" and s["k"]==20, s' "$work/a8.json" || fail "init grid: $(head -c 300 "$work/a8.json")"
    json_get "$work/a8.json" link | grep -q 'init=grid' || fail "init grid not in the link: $(json_get "$work/a8.json" link)"
    json_get "$work/a5.json" link | grep -q 'seeds=@1:1,%23203040@10:5' || fail "seeds not in the link: $(json_get "$work/a5.json" link)"
    # A bad link is an error here (the app keeps its defaults and says so instead).
    expect_status 2 "$cli" "$small" --link "k=5000"
    grep -q "Ignored k=5000" "$work/err" || fail "bad link: $(cat "$work/err")"
    ;;
version)
    # One version, CMake's project(kpix VERSION ...), in both programs.
    want=$(sed -n 's/^project(kpix VERSION \([0-9.]*\) .*/\1/p' "$(dirname "$0")/../CMakeLists.txt")
    [ -n "$want" ] || fail "no VERSION in project()"
    expect_status 0 "$cli" --version
    [ "$(cat "$work/out")" = "kpix-cli $want" ] || fail "--version: $(cat "$work/out")"
    app="$(dirname "$cli")/kpix"
    if [ -x "$app" ]; then
        expect_status 0 "$app" --version
        [ "$(cat "$work/out")" = "kpix $want" ] || fail "kpix --version: $(cat "$work/out")"
    fi
    expect_status 0 "$cli" --help
    grep -q -- "--version" "$work/out" || fail "--help does not name --version"
    expect_status 0 "$cli" "$photo" -k 2 -o "$work/v.png" --stats-json "$work/v.json"
    [ "$(json_get "$work/v.json" version)" = "$want" ] || fail "stats JSON version: $(json_get "$work/v.json" version)"
    ;;
stdout_json)
    # --stats-json -: stdout is the JSON alone; the lines for people go to stderr.
    expect_status 0 "$cli" "$photo" -k 3 -o "$work/a.png" --stats-json -
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["k"] == 3, s' "$work/out" ||
        fail "stdout is not the JSON alone: $(head -c 300 "$work/out")"
    grep -q "k=3, " "$work/err" || fail "no line on stderr: $(cat "$work/err")"
    expect_status 0 "$cli" "$photo" --sweep 2..3 --metrics elbow --stats-json -
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert [p["k"] for p in s["sweep"]] == [2, 3], s' "$work/out" ||
        fail "sweep: stdout is not the JSON alone: $(head -c 300 "$work/out")"
    grep -q "suggested k" "$work/err" || fail "sweep table not on stderr: $(cat "$work/err")"
    ;;
stdin_stdout)
    # '-' as INPUT reads stdin; -o - writes the PNG to stdout; both at once; '--' ends options.
    expect_status 0 "$cli" "$photo" -k 3 -o "$work/file.png"
    "$cli" - -k 3 -o "$work/in.png" <"$photo" >"$work/out" 2>"$work/err" || fail "- as input: $(cat "$work/err")"
    cmp -s "$work/file.png" "$work/in.png" || fail "- as input gave other pixels"
    grep -q "^-: 640x427" "$work/out" || fail "line for stdin: $(cat "$work/out")"
    "$cli" "$photo" -k 3 -o - >"$work/stdout.png" 2>"$work/err" || fail "-o -: $(cat "$work/err")"
    cmp -s "$work/file.png" "$work/stdout.png" || fail "-o - is not the PNG alone"
    grep -q "k=3, " "$work/err" || fail "-o -: no line on stderr: $(cat "$work/err")"
    "$cli" - -k 3 -o - -q <"$photo" | cmp -s - "$work/file.png" || fail "stdin to stdout"
    (cd "$work/" && "$cli" - -k 2 -q <"$photo") && [ -s "$work/stdin-k2.png" ] || fail "stdin into a directory: $(ls "$work")"
    expect_status 2 "$cli" "$photo" -o - --stats-json -
    expect_status 2 "$cli" "$photo" "$photo" -o -
    cp "$photo" "$work/-k.jpg"
    (cd "$work" && "$cli" -k 2 -q -- -k.jpg) || fail "-- did not end the options"
    [ -s "$work/-k-k2.png" ] || fail "-- : no -k-k2.png in $(ls "$work")"
    ;;
exit_codes)
    # As --help and the README say: 0 done, 1 an output could not be written, 2 bad arguments or
    # an input that could not be read (the other inputs are still done).
    expect_status 0 "$cli" "$photo" -k 2 -o "$work/ok.png"
    expect_status 2 "$cli" "$photo" -k 0
    : > "$work/plain"
    expect_status 1 "$cli" "$photo" -k 2 -o "$work/plain/x.png"
    expect_status 1 "$cli" "$photo" -k 2 -o "$work/ok2.png" --stats-json "$work/plain/s.json"
    expect_status 2 "$cli" "$work/missing.jpg" "$photo" -k 2 -o "$work/dir"
    [ -s "$work/dir/china-k2.png" ] || fail "the readable input was not done"
    grep -q "exit status: 0 done; 1 an output could not be written; 2 bad arguments" <("$cli" --help) ||
        fail "--help does not document the exit status"
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "ok [$case_name]"
