#!/usr/bin/env bash
# Builds the libFuzzer harness (preset "fuzz": clang, ASan + UBSan) and runs it for SECONDS
# (default 600) as one job, from a seed corpus of small re-encodes of the fixtures and sample
# photos, and libjpeg-turbo's own test images (arithmetic coding, 12-bit, ...) from its Debian
# source. The harness links libjpeg-turbo and libspng built from those sources with its
# instrumentation (cmake/KpixCodecs.cmake), so coverage reaches inside the decoders. The corpus
# grows in $KPIX_CACHE/fuzz/corpus; crashes, timeouts and out-of-memory inputs land in
# $KPIX_CACHE/fuzz/artifacts (copy them to tests/fixtures/fuzz/ once fixed).
# FORMAT jpeg or png starts from that format's seeds only, with a corpus of its own
# (corpus-jpeg, corpus-png), so a run's time goes to one decoder; all (the default) uses every seed.
# heif (HEIC and AVIF), webp and tiff likewise, from tests/fixtures/formats.
#   scripts/fuzz.sh [jpeg|png|heif|webp|tiff|all] [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
format=all
case "${1:-}" in
    jpeg | png | heif | webp | tiff | all) format="$1"; shift ;;
esac
seconds="${1:-600}"
shift || true
cd "$KPIX_ROOT"
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found: run scripts/setup.sh" >&2; exit 1; }

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target kpix_fuzz_decode -j2

dir="$KPIX_CACHE/fuzz"
mkdir -p "$dir/corpus" "$dir/artifacts"
# The stamp names what the seeds hold: a new kind of seed makes them again.
if [ ! -f "$dir/seeds/.done-jpeg-testimages" ]; then
    rm -rf "$dir/seeds"
    mkdir -p "$dir/seeds"
    /usr/bin/python3 scripts/make_input_fixtures.py --seeds "$dir/seeds"
    cp tests/fixtures/photo/* "$dir/seeds/"
    cp "$KPIX_CACHE"/src/libjpeg-turbo/testimages/*.jpg "$dir/seeds/"
    if [ -d tests/fixtures/fuzz ]; then
        cp tests/fixtures/fuzz/* "$dir/seeds/" 2>/dev/null || true
    fi
    touch "$dir/seeds/.done-jpeg-testimages"
fi
# HEIC, AVIF, WebP and TIFF seeds (tests/fixtures/formats). Their decoders are Debian's shared
# libraries, not instrumented: the fuzzer feeds them and catches their crashes, but does not see
# inside them.
if [ ! -f "$dir/seeds/.done-formats" ]; then
    cp tests/fixtures/formats/*.heic tests/fixtures/formats/*.avif tests/fixtures/formats/*.webp \
        tests/fixtures/formats/*.tif "$dir/seeds/"
    touch "$dir/seeds/.done-formats"
fi

corpus="$dir/corpus"
seeds="$dir/seeds"
if [ "$format" = jpeg ] || [ "$format" = png ]; then
    # The format's seeds picked by their first bytes (JPEG FF D8 FF, PNG 89 'PNG').
    magic=ffd8ff
    [ "$format" = png ] && magic=89504e47
    corpus="$dir/corpus-$format"
    seeds="$dir/seeds-$format"
    rm -rf "$seeds"
    mkdir -p "$corpus" "$seeds"
    for f in "$dir"/seeds/*; do
        if [ "$(head -c ${#magic} "$f" | od -An -tx1 | tr -d ' \n' | head -c ${#magic})" = "$magic" ]; then
            cp "$f" "$seeds/"
        fi
    done
fi

# HEIF (HEIC, AVIF), WebP and TIFF: their fixtures as seeds, a corpus of their own.
case "$format" in
    heif | webp | tiff)
        corpus="$dir/corpus-$format"
        seeds="$dir/seeds-$format"
        rm -rf "$seeds"
        mkdir -p "$corpus" "$seeds"
        case "$format" in
            heif) cp tests/fixtures/formats/*.heic tests/fixtures/formats/*.avif "$seeds/" ;;
            webp) cp tests/fixtures/formats/*.webp tests/fixtures/inputs/photo.webp "$seeds/" ;;
            tiff) cp tests/fixtures/formats/*.tif "$seeds/" ;;
        esac
        ;;
esac

# One job; the loader's own limits (40 MP, 16 MB profiles) keep an input well under 2 GB.
# fuzz/lsan.supp names the leaks inside Debian's libraries (not kpix's), so a run goes on past them.
ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
LSAN_OPTIONS="suppressions=$KPIX_ROOT/fuzz/lsan.supp:print_suppressions=0" \
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    build/fuzz/fuzz/kpix_fuzz_decode \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -max_len=262144 -dict=fuzz/image.dict -artifact_prefix="$dir/artifacts/" \
    -print_final_stats=1 "$@" "$corpus" "$seeds"
