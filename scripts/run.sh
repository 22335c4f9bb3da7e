#!/usr/bin/env bash
# Sets everything up, builds the web app and serves it: scripts/run.sh [--port N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port=8080
while [ $# -gt 0 ]; do
    case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    -h|--help) echo "usage: scripts/run.sh [--port N]"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (usage: scripts/run.sh [--port N])" >&2; exit 2 ;;
    esac
done
"$here/setup.sh"
source "$here/env.sh"
"$here/build.sh" wasm kpix
# The fallback for hosts without COOP/COEP (web/kpix_page.js picks it): into build/wasm/www/st.
"$here/build.sh" wasm-st kpix
echo "kpix: open http://127.0.0.1:$port/ in a browser"
exec python3 "$here/serve.py" "$KPIX_ROOT/build/wasm/www" --port "$port"
