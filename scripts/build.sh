#!/usr/bin/env bash
# Builds one preset (native-release, native-debug, sanitize, wasm) after set-up:
#   scripts/build.sh PRESET [TARGET...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
preset="${1:-native-release}"
shift || true
cd "$KPIX_ROOT"
cmake --preset "$preset" >/dev/null
if [ $# -gt 0 ]; then
    cmake --build --preset "$preset" -j "${KPIX_JOBS:-$(nproc)}" --target "$@"
else
    cmake --build --preset "$preset" -j "${KPIX_JOBS:-$(nproc)}"
fi
