#!/usr/bin/env bash
# kpix-cli as a user runs it: output file or directory, stats JSON, bad input and bad arguments.
# usage: test_cli.sh KPIX_CLI CASE   (ctest runs one case per test)
set -u
cli="$1"
case_name="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
photo=/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg

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
    for args in "-k 0" "-k -5" "-k abc" "-k 4097" "--xy nan" "--xy 5" "--seed" "--space hsv" "--init foo" "--bogus" ""; do
        # shellcheck disable=SC2086
        expect_status 2 "$cli" $( [ -n "$args" ] && echo "$photo" ) $args
        [ -s "$work/err" ] || fail "no message for '$args'"
    done
    expect_status 0 "$cli" --help
    grep -q -- "--stats-json" "$work/out" || fail "help"
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
*)
    fail "unknown case"
    ;;
esac
echo "ok [$case_name]"
