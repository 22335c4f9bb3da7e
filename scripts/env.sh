# Sourced by every script (and by a developer's shell before running cmake by hand):
# the one place that says where cached dependencies live and which versions they are.
# Override the cache folder with KPIX_CACHE.

KPIX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KPIX_CACHE="${KPIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpix}"

KPIX_IMGUI_VERSION=1.86
KPIX_SDL2_VERSION=2.26.5
KPIX_LCMS2_VERSION=2.14
# The image codecs (Debian bookworm's source packages; zlib's upstream tree is named 1.2.13.dfsg).
KPIX_JPEG_VERSION=2.1.5
KPIX_SPNG_VERSION=0.7.3
KPIX_ZLIB_VERSION=1.2.13.dfsg
KPIX_LIBDEFLATE_VERSION=1.14
# WebP and TIFF for wasm (natively: Debian's libwebp-dev and libtiff-dev).
KPIX_WEBP_VERSION=1.2.4
KPIX_TIFF_VERSION=4.5.0
KPIX_DE265_VERSION=1.0.11
KPIX_HEIF_VERSION=1.15.1

# Unpacked Debian source of Dear ImGui (imgui.cpp, backends/ ...).
KPIX_IMGUI_DIR="$KPIX_CACHE/imgui-$KPIX_IMGUI_VERSION"
# SDL2 and Little CMS 2 built for wasm: install prefixes with include/ and lib/.
KPIX_SDL2_WASM_DIR="$KPIX_CACHE/sdl2-wasm-$KPIX_SDL2_VERSION"
KPIX_LCMS2_WASM_DIR="$KPIX_CACHE/lcms2-wasm-$KPIX_LCMS2_VERSION"
# libdeflate (the PNG encoder's deflate) built for wasm, the same way.
KPIX_LIBDEFLATE_WASM_DIR="$KPIX_CACHE/libdeflate-wasm-$KPIX_LIBDEFLATE_VERSION"
KPIX_LIBDEFLATE_WASM_ST_DIR="$KPIX_CACHE/libdeflate-wasm-st-$KPIX_LIBDEFLATE_VERSION"
# The same two without pthreads, for the single-threaded page (wasm-ld refuses objects built with
# atomics in a module without shared memory).
KPIX_SDL2_WASM_ST_DIR="$KPIX_CACHE/sdl2-wasm-st-$KPIX_SDL2_VERSION"
KPIX_LCMS2_WASM_ST_DIR="$KPIX_CACHE/lcms2-wasm-st-$KPIX_LCMS2_VERSION"
# libjpeg-turbo, libspng and zlib built for wasm into one prefix (include/, lib/), threaded and not.
KPIX_CODECS_WASM_DIR="$KPIX_CACHE/codecs-wasm-jpeg$KPIX_JPEG_VERSION-spng$KPIX_SPNG_VERSION-z$KPIX_ZLIB_VERSION"
KPIX_CODECS_WASM_ST_DIR="$KPIX_CACHE/codecs-wasm-st-jpeg$KPIX_JPEG_VERSION-spng$KPIX_SPNG_VERSION-z$KPIX_ZLIB_VERSION"
# libwebp (decoder and demuxer) and libtiff built for wasm into one prefix, threaded and not; libtiff
# uses the codecs prefix's zlib for Deflate.
KPIX_FORMATS_WASM_DIR="$KPIX_CACHE/formats-wasm-webp$KPIX_WEBP_VERSION-tiff$KPIX_TIFF_VERSION"
KPIX_FORMATS_WASM_ST_DIR="$KPIX_CACHE/formats-wasm-st-webp$KPIX_WEBP_VERSION-tiff$KPIX_TIFF_VERSION"
# libde265 + libheif for the page's HEIC decoder module (single-threaded only: it runs in a Worker).
KPIX_HEIF_WASM_DIR="$KPIX_CACHE/heif-wasm-de265$KPIX_DE265_VERSION-heif$KPIX_HEIF_VERSION"
# Sample photos unpacked from Debian's python3-skimage package.
KPIX_SAMPLES_DIR="$KPIX_CACHE/samples"

# NOTE: emcc 3.1.6 needs the acorn module at -O1 and up; Debian ships it here.
export NODE_PATH=/usr/share/nodejs
export KPIX_ROOT KPIX_CACHE KPIX_IMGUI_DIR KPIX_SDL2_WASM_DIR KPIX_LCMS2_WASM_DIR KPIX_SAMPLES_DIR
export KPIX_SDL2_WASM_ST_DIR KPIX_LCMS2_WASM_ST_DIR
export KPIX_CODECS_WASM_DIR KPIX_CODECS_WASM_ST_DIR
export KPIX_FORMATS_WASM_DIR KPIX_FORMATS_WASM_ST_DIR KPIX_HEIF_WASM_DIR
export KPIX_LIBDEFLATE_WASM_DIR KPIX_LIBDEFLATE_WASM_ST_DIR
