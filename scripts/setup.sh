#!/usr/bin/env bash
# Sets up everything kpix needs on a fresh Debian bookworm machine: Debian packages, npm modules, and
# the slow dependencies (ImGui sources; SDL2, Little CMS 2 and libdeflate built for wasm; sample
# photos) cached in $KPIX_CACHE outside the clone. Idempotent: a second run with everything cached takes a few seconds.
set -euo pipefail
set -o errtrace # so the ERR trap below also reports failures inside functions

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

export DEBIAN_FRONTEND=noninteractive

say() { printf 'setup: %s\n' "$*"; }
die() {
    printf 'setup: error: %s\n' "$*" >&2
    exit 1
}
trap 'die "command failed (line $LINENO, exit $?): $BASH_COMMAND"' ERR

SETUP_START=$SECONDS

# Debian packages the build, tests and benchmarks use.
# clang and its runtime libraries (libFuzzer, sanitizers) are for scripts/fuzz.sh only.
PACKAGES=(emscripten libsdl2-dev libstb-dev catch2 chromium liblcms2-dev nlohmann-json3-dev dpkg-dev python3-sklearn
    python3-pil xvfb xauth cmake g++ ninja-build make git pkg-config clang libclang-rt-14-dev
    libdeflate-dev pngquant)
# The image codecs natively (the wasm build compiles their Debian sources: setup_codecs_wasm).
PACKAGES+=(libjpeg62-turbo-dev libspng-dev zlib1g-dev)
# More formats natively: HEIC/HEIF and AVIF (libheif with libde265, dav1d and aom), WebP, TIFF;
# and the tools scripts/make_format_fixtures.py writes their fixtures with.
PACKAGES+=(libheif-dev libwebp-dev libtiff-dev libheif-examples webp libtiff-tools)
# Packaging: man pages from --help, the .desktop file's check, the icon's PNG sizes from its SVG.
PACKAGES+=(help2man desktop-file-utils librsvg2-bin man-db)
# Binary packages that might hold skimage/data/*.png, tried in this order.
SAMPLE_PACKAGES=(python3-skimage python3-skimage-lib)
SAMPLE_FILES=(astronaut.png coffee.png chelsea.png rocket.jpg hubble_deep_field.jpg)

# What a cached step was made with. A stamp holding a different recipe makes the step run again,
# so changing a flag here rebuilds that dependency on everyone's next run.
# Only the SDL subsystems the app uses (video, events, timers, threads): the rest (audio,
# joysticks, haptics, HIDAPI, sensors, power, SDL's own renderer, locale, misc, filesystem, loadso)
# are compiled as SDL's stubs, which cuts the files emcc compiles (emcc's per-file start-up dominates).
SDL2_SUBSYSTEMS_OFF=(-DSDL_AUDIO=OFF -DSDL_JOYSTICK=OFF -DSDL_HAPTIC=OFF -DSDL_HIDAPI=OFF
    -DSDL_POWER=OFF -DSDL_SENSOR=OFF -DSDL_RENDER=OFF -DSDL_LOCALE=OFF -DSDL_MISC=OFF
    -DSDL_FILESYSTEM=OFF -DSDL_LOADSO=OFF)
SDL2_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF
    -DCMAKE_C_FLAGS=-pthread "${SDL2_SUBSYSTEMS_OFF[@]}")
LCMS2_CFLAGS=(-O2 -pthread -msimd128)
# The single-threaded page's copies: no -pthread (SDL then uses its no-threads stubs).
SDL2_ST_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF
    -DSDL_THREADS=OFF "${SDL2_SUBSYSTEMS_OFF[@]}")
LCMS2_ST_CFLAGS=(-O2 -msimd128)
LIBDEFLATE_CFLAGS=(-O2 -pthread -msimd128)
LIBDEFLATE_ST_CFLAGS=(-O2 -msimd128)
IMGUI_RECIPE="imgui $KPIX_IMGUI_VERSION debian-source"
SDL2_RECIPE="libsdl2 $KPIX_SDL2_VERSION emcmake ${SDL2_CMAKE_ARGS[*]}"
LCMS2_RECIPE="lcms2 $KPIX_LCMS2_VERSION emcc ${LCMS2_CFLAGS[*]}"
SDL2_ST_RECIPE="libsdl2 $KPIX_SDL2_VERSION emcmake ${SDL2_ST_CMAKE_ARGS[*]}"
LCMS2_ST_RECIPE="lcms2 $KPIX_LCMS2_VERSION emcc ${LCMS2_ST_CFLAGS[*]}"
LIBDEFLATE_RECIPE="libdeflate $KPIX_LIBDEFLATE_VERSION emcc ${LIBDEFLATE_CFLAGS[*]}"
LIBDEFLATE_ST_RECIPE="libdeflate $KPIX_LIBDEFLATE_VERSION emcc ${LIBDEFLATE_ST_CFLAGS[*]}"
SAMPLES_RECIPE="skimage ${SAMPLE_FILES[*]}"
# The image codecs for wasm: the same flags as lcms2 (threaded and single-threaded copies).
# NOTE: libjpeg-turbo's size_t probe reports 9 under emcmake ("Cannot determine word size"), and
# its SIMD code is x86/ARM assembly: hence -DSIZE_T=4 -DHAVE_SIZE_T=TRUE -DWITH_SIMD=0.
JPEG_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release -DSIZE_T=4 -DHAVE_SIZE_T=TRUE -DWITH_SIMD=0
    -DENABLE_SHARED=0 -DWITH_TURBOJPEG=0)
CODECS_RECIPE="jpeg $KPIX_JPEG_VERSION spng $KPIX_SPNG_VERSION zlib $KPIX_ZLIB_VERSION ${JPEG_CMAKE_ARGS[*]} ${LCMS2_CFLAGS[*]}"
# libtiff's CMake options for wasm: only what kpix reads (no tools, tests, C++ or codecs other
# than its own LZW/PackBits and zlib's Deflate). CCITT fax, LogLuv, ThunderScan, NeXT and MDI are
# off: they were 176 kB of the page's linked wasm (fax's code 47 kB and its state tables 99 kB);
# with libwebp's size options below the page went from 2.53 to 2.31 MB.
# NOTE: its size_t probe reports 9 under emcmake, as libjpeg-turbo's does ("Unsupported size_t
# size 9"): hence -DSIZEOF_SIZE_T=4 -DHAVE_SIZEOF_SIZE_T=TRUE.
TIFF_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release -DSIZEOF_SIZE_T=4 -DHAVE_SIZEOF_SIZE_T=TRUE -DBUILD_SHARED_LIBS=OFF -Dtiff-tools=OFF -Dtiff-tests=OFF
    -Dtiff-contrib=OFF -Dtiff-docs=OFF -Dcxx=OFF -Djpeg=OFF -Dold-jpeg=OFF -Djbig=OFF -Dlerc=OFF -Dlzma=OFF
    -Dzstd=OFF -Dwebp=OFF -Dlibdeflate=OFF -Dpixarlog=OFF -Dzlib=ON
    -Dccitt=OFF -Dlogluv=OFF -Dthunder=OFF -Dnext=OFF -Dmdi=OFF)
# libwebp's own size options: no rescaling (kpix decodes at full size) and RGBA-family output
# modes only (kpix asks for MODE_RGBA).
WEBP_CFLAGS=(-DWEBP_REDUCE_SIZE -DWEBP_REDUCE_CSP)
FORMATS_RECIPE="webp $KPIX_WEBP_VERSION ${WEBP_CFLAGS[*]} tiff $KPIX_TIFF_VERSION ${TIFF_CMAKE_ARGS[*]} ${LCMS2_CFLAGS[*]}"
FORMATS_ST_RECIPE="webp $KPIX_WEBP_VERSION ${WEBP_CFLAGS[*]} tiff $KPIX_TIFF_VERSION ${TIFF_CMAKE_ARGS[*]} ${LCMS2_ST_CFLAGS[*]}"
CODECS_ST_RECIPE="jpeg $KPIX_JPEG_VERSION spng $KPIX_SPNG_VERSION zlib $KPIX_ZLIB_VERSION ${JPEG_CMAKE_ARGS[*]} ${LCMS2_ST_CFLAGS[*]}"

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and sudo is not installed"
    SUDO=(sudo env DEBIAN_FRONTEND=noninteractive)
fi
# NOTE: as root, apt downloads as the _apt user, which cannot enter /root/.cache or a private
# lists dir there ("Download is performed unsandboxed as root ... Permission denied"): download as
# ourselves instead.
APT_AS_ME=(-o "APT::Sandbox::User=$(id -un)")

# Waits for apt/dpkg runs started by someone else (e.g. a provisioning install) to finish.
wait_for_apt() {
    if pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; then
        say "waiting for another apt-get/dpkg to finish"
        while pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; do sleep 5; done
    fi
}

# Prints "<seconds> s" since the given start (a $SECONDS value).
took() { printf '%d s' $((SECONDS - $1)); }

# True when the step's directory holds a stamp made with this recipe.
stamp_ok() { [[ -f $1/.done && $(<"$1/.done") == "$2" ]]; }

# Fresh scratch dir for a step, inside the cache so the final `mv` is a rename on one file system.
scratch() {
    local dir="$KPIX_CACHE/tmp/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '%s\n' "$dir"
}

# Moves a finished step from its scratch dir into place, stamped with its recipe.
publish() {
    local from=$1 to=$2 recipe=$3
    printf '%s\n' "$recipe" >"$from/.done"
    rm -rf "$to"
    mkdir -p "$(dirname "$to")"
    mv "$from" "$to"
}

# ---------------------------------------------------------------------------------------------------
# Debian packages

install_packages() {
    local wanted=("${PACKAGES[@]}") missing=() pkg status
    # The machine kind ships node 20 with npm; Debian's are only a fallback.
    command -v node >/dev/null || wanted+=(nodejs npm)
    for pkg in "${wanted[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        say "Debian packages: all ${#wanted[@]} present"
        return
    fi
    local start=$SECONDS
    say "Debian packages: installing ${missing[*]}"
    wait_for_apt
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
    say "Debian packages: installed in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# Debian source packages through a private apt configuration: deb-src entries derived from the
# machine's own sources (never a host name written into the repo), with their own lists and caches,
# so the system's apt configuration and lists stay untouched.

APT_DIR="$KPIX_CACHE/apt"
APT_PRIVATE=(
    -o "Dir::Etc::SourceList=$APT_DIR/sources.list"
    -o "Dir::Etc::SourceParts=$APT_DIR/sources.list.d"
    -o "Dir::State::Lists=$APT_DIR/lists"
    -o "Dir::Cache=$APT_DIR/cache"
    -o "Acquire::Languages=none"
    "${APT_AS_ME[@]}"
)
APT_PRIVATE_UPDATED=0

# Writes the private deb-src configuration and updates its lists, once per run and only when a
# source package is actually needed.
apt_private_update() {
    ((APT_PRIVATE_UPDATED)) && return
    local sources=/etc/apt/sources.list.d/debian.sources list=/etc/apt/sources.list found=0
    mkdir -p "$APT_DIR/sources.list.d" "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
    : >"$APT_DIR/sources.list"
    rm -f "$APT_DIR/sources.list.d/"*
    if [[ -f $sources ]]; then
        awk '/^Types:/ && !/deb-src/ { print $0 " deb-src"; next } { print }' "$sources" \
            >"$APT_DIR/sources.list.d/debian.sources"
        found=1
    fi
    if [[ -f $list ]] && grep -qE '^[[:space:]]*deb[[:space:]]' "$list"; then
        awk '/^[[:space:]]*deb[[:space:]]/ { print; sub(/deb/, "deb-src"); print }' "$list" \
            >"$APT_DIR/sources.list"
        found=1
    fi
    ((found)) || die "no deb entries in $sources or $list to derive deb-src entries from"
    local start=$SECONDS
    say "apt (private deb-src lists in $APT_DIR): updating"
    apt-get "${APT_PRIVATE[@]}" update -q >"$APT_DIR/update.log" 2>&1 \
        || die "private apt-get update failed, see $APT_DIR/update.log"
    say "apt: private lists updated in $(took "$start")"
    APT_PRIVATE_UPDATED=1
}

# NOTE: a pocket may list a .dsc it does not serve (bookworm-security's libde265 gave 404): then
# every other version the lists know of is tried, newest first, into the emptied dir $2.
source_other_version() {
    local name=$1 work=$2 v
    for v in $(apt-cache "${APT_PRIVATE[@]}" showsrc "$name" | awk '/^Version:/ { print $2 }' | sort -urV); do
        find "$work" -mindepth 1 -delete
        (cd "$work" && apt-get "${APT_PRIVATE[@]}" source -q "$name=$v") && return 0
    done
    return 1
}

# Downloads and unpacks Debian source package $1 (upstream version $2) into the cached dir $3,
# stamped with recipe $4; the remaining arguments are files the tree must hold.
fetch_source() {
    local name=$1 version=$2 dest=$3 recipe=$4
    shift 4
    stamp_ok "$dest" "$recipe" && return
    apt_private_update
    local start=$SECONDS work tree
    work=$(scratch "src-$name")
    say "source $name: downloading and unpacking"
    { (cd "$work" && apt-get "${APT_PRIVATE[@]}" source -q "$name") || source_other_version "$name" "$work"; } \
        >"$work.log" 2>&1 || die "apt-get source $name failed, see $work.log"
    tree=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name "$name-*")
    [[ -n $tree && $(wc -l <<<"$tree") -eq 1 ]] || die "apt-get source $name: no single $name-* dir in $work"
    # The tree is named <source>-<upstream version>[+repack suffix], e.g. libsdl2-2.26.5+dfsg.
    [[ $(basename "$tree") =~ ^$name-${version//./\\.}([^0-9.].*)?$ ]] \
        || die "source $name: got $(basename "$tree"), expected version $version"
    local f
    for f in "$@"; do
        [[ -f $tree/$f ]] || die "source $name: no $f in $(basename "$tree") (layout changed?)"
    done
    publish "$tree" "$dest" "$recipe"
    rm -rf "$work" "$work.log"
    say "source $name: $(basename "$tree") unpacked in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# Dear ImGui: the unpacked Debian source, used as is (imgui.cpp and backends/ at the top level).

setup_imgui() {
    if stamp_ok "$KPIX_IMGUI_DIR" "$IMGUI_RECIPE"; then
        say "imgui $KPIX_IMGUI_VERSION: cached"
        return
    fi
    fetch_source imgui "$KPIX_IMGUI_VERSION" "$KPIX_IMGUI_DIR" "$IMGUI_RECIPE" \
        imgui.cpp imgui.h backends/imgui_impl_sdl.cpp backends/imgui_impl_opengl3.cpp
    say "imgui $KPIX_IMGUI_VERSION: ready in $KPIX_IMGUI_DIR"
}

# ---------------------------------------------------------------------------------------------------
# SDL2 for wasm, built from the Debian source with SDL's own CMake (no Emscripten ports: they
# download from the network).

# setup_sdl2_wasm PREFIX RECIPE LABEL CMAKE_ARGS...: one build (threaded, or single-threaded).
setup_sdl2_wasm() {
    local prefix=$1 recipe=$2 label=$3
    shift 3
    if stamp_ok "$prefix" "$recipe"; then
        say "SDL2 $KPIX_SDL2_VERSION (wasm$label): cached"
        return
    fi
    local src="$KPIX_CACHE/src/libsdl2"
    fetch_source libsdl2 "$KPIX_SDL2_VERSION" "$src" "source libsdl2 $KPIX_SDL2_VERSION" CMakeLists.txt
    local start=$SECONDS work
    work=$(scratch "sdl2-wasm$label")
    say "SDL2 $KPIX_SDL2_VERSION (wasm$label): building (about 80 s)"
    # Configure with the final prefix so generated files (sdl2-config, sdl2.pc) name it, but install
    # into the scratch dir, which then moves into place.
    {
        emcmake cmake -S "$src" -B "$work/build" -G Ninja "$@" \
            -DCMAKE_INSTALL_PREFIX="$prefix" &&
            cmake --build "$work/build" -j2 &&
            cmake --install "$work/build" --prefix "$work/prefix"
    } >"$work/build.log" 2>&1 || die "SDL2 wasm$label build failed, see $work/build.log"
    [[ -f $work/prefix/lib/libSDL2.a && -f $work/prefix/include/SDL2/SDL.h ]] \
        || die "SDL2 wasm$label install lacks lib/libSDL2.a or include/SDL2/SDL.h"
    publish "$work/prefix" "$prefix" "$recipe"
    rm -rf "$work"
    say "SDL2 $KPIX_SDL2_VERSION (wasm$label): built in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# C libraries compiled straight with emcc (lcms2, libdeflate, zlib, libspng).

# Compiles the given C files with emcc into archive $1 (objects under $2, named after each file's
# path, so lib/x86/cpu_features.c and lib/arm/cpu_features.c do not collide); the rest are flags
# after a "--". Two compilers at a time: the machine has two cores.
emcc_archive() {
    local archive=$1 obj=$2
    shift 2
    local files=()
    while [[ $1 != -- ]]; do
        files+=("$1")
        shift
    done
    shift
    mkdir -p "$obj"
    printf '%s\0' "${files[@]}" |
        xargs -0 -P2 -I{} sh -c 'obj=$1 file=$2; shift 2
            name=$(printf %s "${file%.c}" | tr / _)
            emcc "$@" -c "$file" -o "$obj/$name.o"' sh "$obj" {} "$@" || return 1
    emar rcs "$archive" "$obj/"*.o
}

# ---------------------------------------------------------------------------------------------------
# Little CMS 2 for wasm: its src/*.c compiled straight with emcc into one static archive, with the
# app's -pthread (lcms2 guards its plugin state with pthread mutexes).
# NOTE: -msimd128 lets clang autovectorise (~2.9k SIMD instructions, archive 5% larger) but gave
# bit-identical results and no measurable speed-up on 4 Mpixel transforms under node; kept so the
# library is built like the rest of the app. No -ffast-math: colour maths must stay reproducible.

# setup_lcms2_wasm PREFIX RECIPE LABEL CFLAGS...: one build (threaded, or single-threaded).
setup_lcms2_wasm() {
    local prefix=$1 recipe=$2 label=$3
    shift 3
    if stamp_ok "$prefix" "$recipe"; then
        say "lcms2 $KPIX_LCMS2_VERSION (wasm$label): cached"
        return
    fi
    local src="$KPIX_CACHE/src/lcms2"
    fetch_source lcms2 "$KPIX_LCMS2_VERSION" "$src" "source lcms2 $KPIX_LCMS2_VERSION" \
        include/lcms2.h include/lcms2_plugin.h src/cmsxform.c
    local start=$SECONDS work
    work=$(scratch "lcms2-wasm$label")
    say "lcms2 $KPIX_LCMS2_VERSION (wasm$label): building"
    mkdir -p "$work/prefix/lib" "$work/prefix/include"
    emcc_archive "$work/prefix/lib/liblcms2.a" "$work/obj" "$src/src/"*.c -- "$@" -I"$src/include" \
        >"$work/build.log" 2>&1 || die "lcms2 wasm$label compile failed, see $work/build.log"
    cp "$src/include/lcms2.h" "$src/include/lcms2_plugin.h" "$work/prefix/include/"
    publish "$work/prefix" "$prefix" "$recipe"
    rm -rf "$work"
    say "lcms2 $KPIX_LCMS2_VERSION (wasm$label): built in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# libdeflate for wasm (the PNG encoder's deflate): its lib/*.c compiled straight with emcc like
# lcms2 (a few seconds). The x86/arm CPU-feature files compile to nothing for wasm.

# setup_libdeflate_wasm PREFIX RECIPE LABEL CFLAGS...: one build (threaded, or single-threaded).
setup_libdeflate_wasm() {
    local prefix=$1 recipe=$2 label=$3
    shift 3
    if stamp_ok "$prefix" "$recipe"; then
        say "libdeflate $KPIX_LIBDEFLATE_VERSION (wasm$label): cached"
        return
    fi
    local src="$KPIX_CACHE/src/libdeflate"
    fetch_source libdeflate "$KPIX_LIBDEFLATE_VERSION" "$src" "source libdeflate $KPIX_LIBDEFLATE_VERSION" \
        libdeflate.h lib/deflate_compress.c
    local start=$SECONDS work
    work=$(scratch "libdeflate-wasm$label")
    say "libdeflate $KPIX_LIBDEFLATE_VERSION (wasm$label): building"
    mkdir -p "$work/prefix/lib" "$work/prefix/include"
    local files=()
    mapfile -d '' files < <(find "$src/lib" -name '*.c' -print0)
    emcc_archive "$work/prefix/lib/libdeflate.a" "$work/obj" "${files[@]}" -- "$@" -I"$src" \
        >"$work/build.log" 2>&1 || die "libdeflate wasm$label compile failed, see $work/build.log"
    cp "$src/libdeflate.h" "$work/prefix/include/"
    publish "$work/prefix" "$prefix" "$recipe"
    rm -rf "$work"
    say "libdeflate $KPIX_LIBDEFLATE_VERSION (wasm$label): built in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# The image codecs for wasm, from Debian's sources: zlib's and libspng's C files compiled straight
# with emcc (like lcms2), libjpeg-turbo with its own CMake under emcmake (it generates its
# jconfig.h), only its static library target. One prefix holds all three.

# setup_codecs_wasm PREFIX RECIPE LABEL CFLAGS...: one build (threaded, or single-threaded).
setup_codecs_wasm() {
    local prefix=$1 recipe=$2 label=$3
    shift 3
    if stamp_ok "$prefix" "$recipe"; then
        say "codecs (wasm$label): cached"
        return
    fi
    local zsrc="$KPIX_CACHE/src/zlib" ssrc="$KPIX_CACHE/src/libspng" jsrc="$KPIX_CACHE/src/libjpeg-turbo"
    fetch_source zlib "$KPIX_ZLIB_VERSION" "$zsrc" "source zlib $KPIX_ZLIB_VERSION" zlib.h zconf.h inflate.c
    fetch_source libspng "$KPIX_SPNG_VERSION" "$ssrc" "source libspng $KPIX_SPNG_VERSION" spng/spng.c spng/spng.h
    fetch_source libjpeg-turbo "$KPIX_JPEG_VERSION" "$jsrc" "source libjpeg-turbo $KPIX_JPEG_VERSION" \
        CMakeLists.txt jpeglib.h testimages/testimgari.jpg
    local start=$SECONDS work z
    work=$(scratch "codecs-wasm$label")
    say "codecs (wasm$label): building zlib, libspng and libjpeg-turbo (about 2 minutes)"
    mkdir -p "$work/prefix/lib" "$work/prefix/include"
    {
        local zfiles=()
        for z in adler32 compress crc32 deflate infback inffast inflate inftrees trees uncompr zutil; do
            zfiles+=("$zsrc/$z.c")
        done
        emcc_archive "$work/prefix/lib/libz.a" "$work/obj-z" "${zfiles[@]}" -- "$@" &&
            cp "$zsrc/zlib.h" "$zsrc/zconf.h" "$work/prefix/include/" &&
            emcc_archive "$work/prefix/lib/libspng.a" "$work/obj-spng" "$ssrc/spng/spng.c" -- "$@" \
                -DSPNG_STATIC -I"$work/prefix/include" &&
            cp "$ssrc/spng/spng.h" "$work/prefix/include/" &&
            emcmake cmake -S "$jsrc" -B "$work/jpeg" -G Ninja "${JPEG_CMAKE_ARGS[@]}" \
                -DCMAKE_C_FLAGS="$*" &&
            cmake --build "$work/jpeg" -j2 --target jpeg-static &&
            cp "$work/jpeg/libjpeg.a" "$work/prefix/lib/" &&
            cp "$work/jpeg/jconfig.h" "$jsrc/jpeglib.h" "$jsrc/jmorecfg.h" "$jsrc/jerror.h" \
                "$work/prefix/include/"
    } >"$work.log" 2>&1 || die "codecs wasm$label build failed, see $work.log"
    publish "$work/prefix" "$prefix" "$recipe"
    rm -rf "$work" "$work.log"
    say "codecs (wasm$label): built in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# WebP and TIFF for wasm, from Debian's sources: libwebp's decoder, DSP, utility and demuxer C
# files compiled straight with emcc (no threads: kpix decodes one image at a time); libtiff with its
# own CMake under emcmake (it generates tif_config.h and tiffconf.h), Deflate through the codecs
# prefix's zlib. One prefix holds both.

# setup_formats_wasm PREFIX RECIPE LABEL CODECS_PREFIX CFLAGS...: one build (threaded, or not).
setup_formats_wasm() {
    local prefix=$1 recipe=$2 label=$3 codecs=$4
    shift 4
    if stamp_ok "$prefix" "$recipe"; then
        say "webp + tiff (wasm$label): cached"
        return
    fi
    local wsrc="$KPIX_CACHE/src/libwebp" tsrc="$KPIX_CACHE/src/tiff"
    fetch_source libwebp "$KPIX_WEBP_VERSION" "$wsrc" "source libwebp $KPIX_WEBP_VERSION" \
        src/webp/decode.h src/webp/demux.h src/demux/anim_decode.c
    fetch_source tiff "$KPIX_TIFF_VERSION" "$tsrc" "source tiff $KPIX_TIFF_VERSION" \
        CMakeLists.txt libtiff/tiffio.h libtiff/tif_lzw.c
    local start=$SECONDS work
    work=$(scratch "formats-wasm$label")
    say "webp + tiff (wasm$label): building"
    mkdir -p "$work/prefix/lib" "$work/prefix/include/webp"
    {
        local wfiles=()
        mapfile -d '' wfiles < <(find "$wsrc/src/dec" "$wsrc/src/dsp" "$wsrc/src/utils" "$wsrc/src/demux" \
            -name '*.c' -print0 | sort -z)
        emcc_archive "$work/prefix/lib/libwebp.a" "$work/obj-webp" "${wfiles[@]}" -- "$@" "${WEBP_CFLAGS[@]}" \
            -I"$wsrc" -I"$wsrc/src" &&
            cp "$wsrc/src/webp/decode.h" "$wsrc/src/webp/demux.h" "$wsrc/src/webp/mux_types.h" \
                "$wsrc/src/webp/types.h" "$work/prefix/include/webp/" &&
            emcmake cmake -S "$tsrc" -B "$work/tiff" -G Ninja "${TIFF_CMAKE_ARGS[@]}" -DCMAKE_C_FLAGS="$*" \
                -DZLIB_INCLUDE_DIR="$codecs/include" -DZLIB_LIBRARY="$codecs/lib/libz.a" &&
            cmake --build "$work/tiff" -j2 --target tiff &&
            cp "$work/tiff/libtiff/libtiff.a" "$work/prefix/lib/" &&
            cp "$tsrc/libtiff/tiffio.h" "$tsrc/libtiff/tiff.h" "$tsrc/libtiff/tiffvers.h" \
                "$work/tiff/libtiff/tiffconf.h" "$work/prefix/include/"
    } >"$work.log" 2>&1 || die "webp + tiff wasm$label build failed, see $work.log"
    publish "$work/prefix" "$prefix" "$recipe"
    rm -rf "$work" "$work.log"
    say "webp + tiff (wasm$label): built in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# HEIC for the page: libde265 (HEVC) and libheif from Debian's sources, each with its own CMake under
# emcmake, static, single-threaded (the page's HEIC decoder is a separate module that runs in a
# Worker, loaded only when a HEIC arrives: see cmake/KpixHeifModule.cmake). Only the decoder: no
# plugin loading, no encoders, no AV1 (AVIF stays with the browser's decoder), no examples.
# NOTE: under emscripten libheif.a carries its embind bindings: the module links with --bind.
DE265_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DENABLE_SDL=OFF -DENABLE_DECODER=OFF
    -DENABLE_ENCODER=OFF -DDISABLE_SSE=ON)
HEIF_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DENABLE_PLUGIN_LOADING=OFF -DWITH_LIBDE265=ON
    -DWITH_X265=OFF -DWITH_DAV1D=OFF -DWITH_AOM_ENCODER=OFF -DWITH_AOM_DECODER=OFF -DWITH_SvtEnc=OFF
    -DWITH_RAV1E=OFF -DWITH_EXAMPLES=OFF -DWITH_GDK_PIXBUF=OFF -DENABLE_MULTITHREADING_SUPPORT=OFF)
HEIF_RECIPE="de265 $KPIX_DE265_VERSION ${DE265_CMAKE_ARGS[*]} heif $KPIX_HEIF_VERSION ${HEIF_CMAKE_ARGS[*]} ${LCMS2_ST_CFLAGS[*]}"

# setup_heif_wasm PREFIX RECIPE CFLAGS...: libde265 then libheif, into one prefix.
setup_heif_wasm() {
    local prefix=$1 recipe=$2
    shift 2
    if stamp_ok "$prefix" "$recipe"; then
        say "libde265 + libheif (wasm, single-threaded): cached"
        return
    fi
    local dsrc="$KPIX_CACHE/src/libde265" hsrc="$KPIX_CACHE/src/libheif"
    fetch_source libde265 "$KPIX_DE265_VERSION" "$dsrc" "source libde265 $KPIX_DE265_VERSION" \
        CMakeLists.txt libde265/de265.h
    fetch_source libheif "$KPIX_HEIF_VERSION" "$hsrc" "source libheif $KPIX_HEIF_VERSION" \
        CMakeLists.txt libheif/heif.h
    local start=$SECONDS work
    work=$(scratch heif-wasm)
    say "libde265 + libheif (wasm, single-threaded): building (about 2 minutes)"
    {
        emcmake cmake -S "$dsrc" -B "$work/de265" -G Ninja "${DE265_CMAKE_ARGS[@]}" -DCMAKE_C_FLAGS="$*" \
            -DCMAKE_CXX_FLAGS="$*" -DCMAKE_INSTALL_PREFIX="$prefix" &&
            cmake --build "$work/de265" -j2 &&
            cmake --install "$work/de265" --prefix "$work/prefix" &&
            emcmake cmake -S "$hsrc" -B "$work/heif" -G Ninja "${HEIF_CMAKE_ARGS[@]}" -DCMAKE_C_FLAGS="$*" \
                -DCMAKE_CXX_FLAGS="$*" -DCMAKE_INSTALL_PREFIX="$prefix" \
                -DLIBDE265_INCLUDE_DIR="$work/prefix/include" -DLIBDE265_LIBRARY="$work/prefix/lib/libde265.a" &&
            cmake --build "$work/heif" -j2 &&
            cmake --install "$work/heif" --prefix "$work/prefix"
    } >"$work.log" 2>&1 || die "libde265 + libheif wasm build failed, see $work.log"
    [[ -f $work/prefix/lib/libde265.a && -f $work/prefix/lib/libheif.a && -f $work/prefix/include/libheif/heif.h ]] \
        || die "libde265 + libheif wasm install lacks lib/libde265.a, lib/libheif.a or include/libheif/heif.h"
    publish "$work/prefix" "$prefix" "$recipe"
    rm -rf "$work" "$work.log"
    say "libde265 + libheif (wasm, single-threaded): built in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# Sample photos from Debian's scikit-image data, unpacked from the .deb without installing it (its
# dependencies would pull in matplotlib, scipy ...).

setup_samples() {
    if stamp_ok "$KPIX_SAMPLES_DIR" "$SAMPLES_RECIPE"; then
        say "samples: cached"
        return
    fi
    local start=$SECONDS work pkg deb="" listing="" member_dir="" f
    work=$(scratch samples)
    mkdir -p "$work/out"
    if ! apt-cache show "${SAMPLE_PACKAGES[0]}" >/dev/null 2>&1; then
        wait_for_apt
        "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q
    fi
    for pkg in "${SAMPLE_PACKAGES[@]}"; do
        (cd "$work" && apt-get "${APT_AS_ME[@]}" download -q "$pkg") >>"$work.log" 2>&1 \
            || die "apt-get download $pkg failed, see $work.log"
        deb=$(find "$work" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
        # NOTE: not `dpkg -c | grep -m1`: grep quitting early kills dpkg-deb with SIGPIPE, which it
        # reports as an error.
        listing=$(dpkg -c "$deb")
        member_dir=$(awk '$NF ~ /\/skimage\/data\/astronaut\.png$/ { print $NF; exit }' <<<"$listing")
        [[ -n $member_dir ]] && break
        rm -f "$deb"
        deb=""
    done
    [[ -n $deb ]] || die "none of ${SAMPLE_PACKAGES[*]} holds skimage/data/astronaut.png"
    member_dir=$(dirname "${member_dir#./}")
    dpkg -x "$deb" "$work/deb"
    for f in "${SAMPLE_FILES[@]}"; do
        [[ -f $work/deb/$member_dir/$f ]] || die "$(basename "$deb") has no $member_dir/$f"
        cp "$work/deb/$member_dir/$f" "$work/out/"
    done
    # Provenance: which package and version the photos came from.
    dpkg-deb -f "$deb" Package Version >"$work/out/SOURCE"
    publish "$work/out" "$KPIX_SAMPLES_DIR" "$SAMPLES_RECIPE"
    rm -rf "$work" "$work.log"
    say "samples: ${#SAMPLE_FILES[@]} photos from $(basename "$deb") in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------
# npm modules (playwright-core for the browser tests; never `npx playwright install`).

setup_npm() {
    local lock="$KPIX_ROOT/package-lock.json" modules="$KPIX_ROOT/node_modules"
    if [[ ! -f $lock ]]; then
        say "npm: no package-lock.json, skipped"
        return
    fi
    if [[ -d $modules && ! $lock -nt $modules ]]; then
        say "npm: node_modules up to date"
        return
    fi
    command -v npm >/dev/null || die "package-lock.json exists but npm is not on PATH"
    # NOTE: playwright-core 1.62 and later (the lock file pins 1.65) refuse Node.js before 20, and
    # Debian bookworm's own nodejs is 18: say so here in one line rather than deep in the test log.
    local major
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if ((major < 20)); then
        say "npm: skipped: the browser tests need Node.js 20 or newer (this is $(node --version 2>/dev/null || echo none)); install Node.js 20 (e.g. from bookworm-backports or nodesource) and run again"
        return
    fi
    local start=$SECONDS
    say "npm: npm ci"
    (cd "$KPIX_ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) \
        || die "npm ci failed"
    touch "$modules" # npm ci may keep the dir; its mtime marks when it matched the lock file
    say "npm: installed in $(took "$start")"
}

# ---------------------------------------------------------------------------------------------------

main() {
    say "cache: $KPIX_CACHE"
    install_packages
    mkdir -p "$KPIX_CACHE"
    # Engineers sharing a machine (and cache) may run this at the same time: one at a time.
    exec 9>"$KPIX_CACHE/.setup.lock"
    if ! flock -n 9; then
        say "waiting for another setup.sh using $KPIX_CACHE"
        flock 9
    fi
    setup_imgui
    setup_sdl2_wasm "$KPIX_SDL2_WASM_DIR" "$SDL2_RECIPE" "" "${SDL2_CMAKE_ARGS[@]}"
    setup_lcms2_wasm "$KPIX_LCMS2_WASM_DIR" "$LCMS2_RECIPE" "" "${LCMS2_CFLAGS[@]}"
    setup_sdl2_wasm "$KPIX_SDL2_WASM_ST_DIR" "$SDL2_ST_RECIPE" "-st" "${SDL2_ST_CMAKE_ARGS[@]}"
    setup_lcms2_wasm "$KPIX_LCMS2_WASM_ST_DIR" "$LCMS2_ST_RECIPE" "-st" "${LCMS2_ST_CFLAGS[@]}"
    setup_libdeflate_wasm "$KPIX_LIBDEFLATE_WASM_DIR" "$LIBDEFLATE_RECIPE" "" "${LIBDEFLATE_CFLAGS[@]}"
    setup_libdeflate_wasm "$KPIX_LIBDEFLATE_WASM_ST_DIR" "$LIBDEFLATE_ST_RECIPE" "-st" \
        "${LIBDEFLATE_ST_CFLAGS[@]}"
    setup_codecs_wasm "$KPIX_CODECS_WASM_DIR" "$CODECS_RECIPE" "" "${LCMS2_CFLAGS[@]}"
    setup_codecs_wasm "$KPIX_CODECS_WASM_ST_DIR" "$CODECS_ST_RECIPE" "-st" "${LCMS2_ST_CFLAGS[@]}"
    setup_formats_wasm "$KPIX_FORMATS_WASM_DIR" "$FORMATS_RECIPE" "" "$KPIX_CODECS_WASM_DIR" "${LCMS2_CFLAGS[@]}"
    setup_formats_wasm "$KPIX_FORMATS_WASM_ST_DIR" "$FORMATS_ST_RECIPE" "-st" "$KPIX_CODECS_WASM_ST_DIR" \
        "${LCMS2_ST_CFLAGS[@]}"
    setup_heif_wasm "$KPIX_HEIF_WASM_DIR" "$HEIF_RECIPE" "${LCMS2_ST_CFLAGS[@]}"
    setup_samples
    setup_npm
    rm -rf "$KPIX_CACHE/tmp"
    say "done in $(took "$SETUP_START")"
}

main "$@"
