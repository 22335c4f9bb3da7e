#!/usr/bin/env bash
# Remakes the README's screenshots from the browser tests that take them (layout, workshop, Choose k)
# and copies them into docs/. Needs the web build (scripts/build.sh wasm kpix) and Node.js 20:
#   scripts/screenshots.sh
# Look at every PNG it copies before committing them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KPIX_ROOT"
artifacts="$KPIX_ROOT/build/e2e-artifacts"
export KPIX_WWW="${KPIX_WWW:-$KPIX_ROOT/build/wasm/www}" KPIX_ARTIFACTS="$artifacts"

# The tests, by a part of their names; each one's screenshots land in build/e2e-artifacts.
for filter in "layout at" "light theme" "x toggles RGB+XY" "stepping rounds" "choose k: sweep"; do
    node tests/e2e/run.mjs "$filter"
done

# docs/NAME.png <- the artifact whose name ends with the given suffix.
copy() {
    local target="$1" suffix="$2" found
    found=$(find "$artifacts" -name "*$suffix" | head -1)
    if [ -z "$found" ]; then
        echo "screenshots.sh: no artifact *$suffix" >&2
        exit 1
    fi
    cp "$found" "docs/$target"
    echo "docs/$target <- $(basename "$found")"
}
copy screenshot-web.png layout-1280x720-panels.png
copy screenshot-before-after.png layout-1280x720-before-after.png
copy layout-900x700.png layout-900x700-panels.png
copy light-presenter-1920x1080.png light-presenter-1920x1080.png
copy workshop-round-1.png workshop-round-1-assign.png
copy workshop-rgbxy.png workshop-rgbxy-boundaries.png
copy workshop-presenter.png workshop-presenter.png
copy choose-k.png choose-k-sweep.png
