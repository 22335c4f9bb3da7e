#!/usr/bin/env bash
# Benchmarks: builds kpix-bench natively and for wasm (core only), then times it against
# scikit-learn and OpenCV on the same pixels; prints a table and writes bench/RESULTS.md.
# Usage: scripts/bench.sh [quick|default|full|large-k|e2e]   (quick: about 6 minutes; default: the reduced
# grid, about 20; each ends with rgb k = 16 on 18 MP over seeds 1-5, most of it scikit-learn;
# large-k: rgb+xy k = 1000 on 4 MP, kpix natively on 1 and 2 threads and in wasm under node on 2, against
# OpenCV's SLIC and scikit-image's slic, 3 alternated runs, then k = 256 and 4096, written into RESULTS.md's
# notes; `large-k --before OLD_KPIX_BENCH` runs an older build beside it (k = 1000, and colour-only
# 18 MP k = 256/1024 and rgb+xy 4 MP k = 16 with scikit-learn, before and after); e2e: file to file, kpix-cli against pngquant
# and Pillow + scikit-learn on an 18 MP PNG and a 12 MP phone JPEG, 3 alternated runs, about 5 minutes)
#        scripts/bench.sh page [WWW...]   (the page: drop-to-first and drop-to-full result times and
# peak memory for the 12 MP phone JPEG in headless Chromium, 3 alternated runs per web build: the
# WWW folders given, e.g. another tree's build/wasm/www as the peer, then this tree's)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KPIX_ROOT"
grid="${1:-default}"

if [[ $grid == page ]]; then
    photos=build/bench-photos
    [ -f "$photos/phone12mp.jpg" ] || /usr/bin/python3 bench/make_decode_photos.py "$photos"
    "$(dirname "${BASH_SOURCE[0]}")/build.sh" wasm kpix
    exec node bench/page_bench.mjs --runs 3 --photo "$photos/phone12mp.jpg" "${@:2}" build/wasm/www
fi

if ! /usr/bin/python3 -c "import cv2" 2>/dev/null; then
    apt-get install -y python3-opencv
fi
/usr/bin/python3 -c "import sklearn, PIL" || apt-get install -y python3-sklearn python3-pil
# The peers at their best: numpy and scikit-learn on OpenBLAS (threaded), not the reference BLAS
# Debian falls back to (scikit-learn's k-means++ and Lloyd run their distance products through it).
[ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ] || apt-get install -y libopenblas0-pthread

# Its own build folder: switching the app off in build/native-release would silently drop the
# desktop tests from the next scripts/test.sh run there.
cmake -S . -B build/native-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DKPIX_BUILD_APP=OFF >/dev/null
if [[ $grid == e2e ]]; then
    command -v pngquant >/dev/null || apt-get install -y pngquant
    cmake --build build/native-bench -j2 --target kpix-cli
    exec /usr/bin/python3 bench/run_bench.py --e2e build/native-bench/kpix-cli
fi
cmake --build build/native-bench -j2 --target kpix-bench
cmake -S . -B build/wasm-core -G Ninja -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake \
    -DCMAKE_BUILD_TYPE=Release -DKPIX_BUILD_APP=OFF >/dev/null
cmake --build build/wasm-core -j2 --target kpix-bench
if [[ $grid == large-k ]]; then
    /usr/bin/python3 -c "import cv2.ximgproc" 2>/dev/null ||
        echo "bench: OpenCV has no ximgproc (SLIC) here; its rows will show the error" >&2
    exec /usr/bin/python3 bench/run_bench.py --large-k --native build/native-bench/bench/kpix-bench \
        --wasm build/wasm-core/bench/kpix-bench.js "${@:2}"
fi

/usr/bin/python3 bench/run_bench.py --grid "$grid" \
    --native build/native-bench/bench/kpix-bench --wasm build/wasm-core/bench/kpix-bench.js
