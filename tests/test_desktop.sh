#!/usr/bin/env bash
# The desktop app in a real window under Xvfb: it opens on the sample (from the build folder, or
# from an install), clusters it, and its screenshot shows the photo and the palette's colours.
# usage: test_desktop.sh KPIX CASE
set -u
app="$1"
case_name="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

# check_shot PNG COLOUR...: the screenshot is 1280 x 800, has many colours, and each #rrggbb is in it.
check_shot() {
    /usr/bin/python3 - "$@" <<'PY' || fail "screenshot check failed"
import sys
from PIL import Image
img = Image.open(sys.argv[1]).convert("RGB")
assert img.size == (1280, 800), img.size
colours = set(img.getdata())
assert len(colours) > 2000, f"only {len(colours)} colours: a blank or broken window"
for hexcode in sys.argv[2:]:
    want = tuple(int(hexcode[i:i + 2], 16) for i in (1, 3, 5))
    near = min(sum((a - b) ** 2 for a, b in zip(c, want)) for c in colours) ** 0.5
    assert near <= 6, f"{hexcode} is not in the window (nearest {near:.1f} away)"
PY
}

run_app() { # run_app KPIX ARGS...: under a fresh X server, 60 s at most
    timeout 60 xvfb-run -a -s "-screen 0 1280x800x24" "$@" >"$work/out" 2>&1 \
        || fail "kpix failed: $(tail -5 "$work/out")"
}

case "$case_name" in
opens_on_sample)
    run_app env -u KPIX_SAMPLES_DIR "$app" --size 1280x800 --screenshot "$work/shot.png"
    # coffee at k = 8, seed 1: its largest cluster is #bd6a37 (the same in the browser test).
    check_shot "$work/shot.png" "#bd6a37"
    cp "$work/shot.png" "$(dirname "$app")/desktop-sample.png"
    ;;
link_and_image)
    # The link's parameters are the run's: k = 4 gives a 4-colour palette and result, and xy = 1
    # (colour + position) gives another result than colour only with the same k and seed.
    china=/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg
    (cd "$work" && run_app "$app" "$china" --link "k=4&xy=1" --size 1280x800 \
        --script "wait; export xy.gpl; export xy.png; screenshot shot.png; quit") || exit 1
    (cd "$work" && run_app "$app" "$china" --link "k=4&xy=0" --size 1280x800 \
        --script "wait; export rgb.png; quit") || exit 1
    check_shot "$work/shot.png"
    /usr/bin/python3 - "$work" <<'PY' || fail "the link's k and xy were not applied"
import re, sys
from PIL import Image
work = sys.argv[1]
lines = open(f"{work}/xy.gpl").read().splitlines()
assert len([l for l in lines if re.match(r"^\s*\d+\s+\d+\s+\d+", l)]) == 4, lines
xy = Image.open(f"{work}/xy.png").convert("RGB")
rgb = Image.open(f"{work}/rgb.png").convert("RGB")
assert len(set(xy.getdata())) == 4, len(set(xy.getdata()))
assert len(set(rgb.getdata())) == 4, len(set(rgb.getdata()))
differ = sum(a != b for a, b in zip(xy.getdata(), rgb.getdata()))
assert differ > xy.width * xy.height // 50, f"RGB+XY and RGB results differ in only {differ} pixels"
PY
    ;;
installed)
    # An install is what a desktop expects: both programs, their man pages (rendered by man), a
    # valid .desktop entry for the image types kpix opens, the icon in hicolor's sizes; and the
    # installed programs find their samples from any working directory.
    build_dir="$(dirname "$app")"
    prefix="$work/prefix"
    cmake --install "$build_dir" --prefix "$prefix" >/dev/null || fail "cmake --install failed"
    for prog in kpix-cli kpix; do
        page="$prefix/share/man/man1/$prog.1"
        [ -f "$page" ] || fail "no man page $page"
        MANWIDTH=100 man -l "$page" >"$work/$prog.man" 2>"$work/man.err" || fail "man -l $page: $(cat "$work/man.err")"
        grep -q "^NAME" "$work/$prog.man" && grep -q "$prog - " "$work/$prog.man" \
            || fail "$prog.1 has no NAME section: $(head -5 "$work/$prog.man")"
    done
    for option in --stats-json --seeds --work-pixels --sample; do
        grep -q -- "$option" "$work/kpix-cli.man" || fail "kpix-cli.1 does not name $option"
    done
    for option in --link --script --screenshot --size; do
        grep -q -- "$option" "$work/kpix.man" || fail "kpix.1 does not name $option"
    done
    entry="$prefix/share/applications/kpix.desktop"
    desktop-file-validate "$entry" >"$work/validate" 2>&1 || fail "desktop-file-validate: $(cat "$work/validate")"
    [ -s "$work/validate" ] && fail "desktop-file-validate says: $(cat "$work/validate")"
    grep -q '^Exec=kpix %f$' "$entry" || fail "the entry does not run kpix on a file"
    for type in image/jpeg image/png image/gif image/bmp image/x-portable-anymap; do
        grep -q "^MimeType=.*$type;" "$entry" || fail "the entry does not offer kpix for $type"
    done
    [ -f "$prefix/share/icons/hicolor/scalable/apps/kpix.svg" ] || fail "no scalable icon"
    for size in 16 22 24 32 48 64 128 256 512; do
        png="$prefix/share/icons/hicolor/${size}x${size}/apps/kpix.png"
        [ -f "$png" ] || fail "no ${size}x${size} icon"
        /usr/bin/python3 -c "import sys; from PIL import Image; sys.exit(Image.open('$png').size != ($size, $size))" \
            || fail "$png is not ${size}x${size}"
    done
    (cd / && env -u KPIX_SAMPLES_DIR "$prefix/bin/kpix-cli" --sample coffee -k 2 -o "$work/i.png" -q) \
        || fail "the installed kpix-cli does not find its samples"
    (cd / && run_app env -u KPIX_SAMPLES_DIR "$prefix/bin/kpix" --size 1280x800 --screenshot "$work/shot.png") || exit 1
    check_shot "$work/shot.png" "#bd6a37"
    ;;
script)
    # A script: wait for the run, step the replay, save a screenshot, a GIF of the rounds and the
    # palette; then the same from the start of the replay (position 0 + 3 = round 2's update).
    (cd "$work" && run_app "$app" /usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg \
        --link "k=6" --size 1280x800 \
        --script "wait; step 3; screenshot a.png; export b.gif; export c.gpl; position 0; step 3; screenshot p.png; export d.png; quit") || exit 1
    check_shot "$work/a.png"
    check_shot "$work/p.png"
    # The replay moved: round 2's update (p.png) draws another segmented image than the final round.
    /usr/bin/python3 - "$work/a.png" "$work/p.png" <<'PY' || fail "the replay position did not change what is drawn"
import sys
from PIL import Image
a = Image.open(sys.argv[1]).convert("RGB")
p = Image.open(sys.argv[2]).convert("RGB")
differ = sum(x != y for x, y in zip(a.getdata(), p.getdata()))
assert differ > 2000, f"only {differ} pixels differ between the final round and round 2"
PY
    /usr/bin/python3 - "$work" <<'PY' || fail "exports check failed"
import re, sys
from PIL import Image
work = sys.argv[1]
gif = Image.open(f"{work}/b.gif")
assert gif.format == "GIF" and gif.n_frames > 1, gif.n_frames
assert gif.size == (640, 427), gif.size
for i in range(gif.n_frames):
    gif.seek(i)
    gif.convert("RGB")
png = Image.open(f"{work}/d.png")
assert png.size == (640, 427), png.size
lines = open(f"{work}/c.gpl").read().splitlines()
assert lines[0] == "GIMP Palette", lines[0]
colours = [l for l in lines if re.match(r"^\s*\d+\s+\d+\s+\d+", l)]
assert len(colours) == 6, lines
PY
    # An unknown command fails the run with a message.
    timeout 60 xvfb-run -a -s "-screen 0 1280x800x24" "$app" --script "wait; frobnicate; quit" \
        >"$work/out" 2>&1 && fail "an unknown script command was accepted"
    grep -q "unknown script command" "$work/out" || fail "no message: $(cat "$work/out")"
    ;;
bad_arguments)
    "$app" --size 5x5 >"$work/out" 2>&1 && fail "--size 5x5 accepted"
    grep -q "size takes" "$work/out" || fail "no message: $(cat "$work/out")"
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "ok [$case_name]"
