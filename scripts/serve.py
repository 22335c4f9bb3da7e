#!/usr/bin/env python3
"""Static file server for the kpix web build, on Python's standard library only.

Sends the headers a pthreads wasm page needs (COOP/COEP for SharedArrayBuffer) and a strict
Content-Security-Policy, so what the browser tests see is what a real deployment should send.
"""

import argparse
import errno
import http.server
import os
import sys

# What Emscripten 3.1.6's pthreads loader needs in Chromium, and nothing more:
# - 'wasm-unsafe-eval': WebAssembly.instantiate(Streaming) is compilation, which CSP gates.
# - worker-src 'self': pthread workers are `new Worker("kpix.worker.js")`, which then
#   importScripts() the main kpix.js (script-src 'self'). No blob: worker unless
#   Module.mainScriptUrlOrBlob is a Blob, which the page never sets.
# - connect-src (via default-src 'self'): kpix.wasm is fetched from the same origin.
# - img-src blob: data:: the page and tests decode images they hold in memory.
# No 'unsafe-inline' anywhere: the page styles itself through the CSSOM from web/kpix_page.js.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "img-src 'self' blob: data:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
])

ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}

COMMON_HEADERS = {
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
}

# Explicit, so the answer does not depend on the machine's /etc/mime.types.
MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".data": "application/octet-stream",
}


def make_handler(root, isolation, verbose):
    headers = dict(COMMON_HEADERS)
    if isolation:
        headers.update(ISOLATION_HEADERS)

    class Handler(http.server.SimpleHTTPRequestHandler):
        # Keep-alive: the page, loader, worker and wasm come over one connection.
        protocol_version = "HTTP/1.1"
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=root, **kwargs)

        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format, *args):
            if verbose:
                super().log_message(format, *args)

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve a kpix web build with COOP/COEP and CSP headers.")
    parser.add_argument("dir", help="folder to serve (e.g. build/wasm/www)")
    parser.add_argument("--port", type=int, default=8080, help="TCP port, 0 picks a free one (default 8080)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--no-isolation", action="store_true",
                        help="omit Cross-Origin-Opener/Embedder-Policy (page is not crossOriginIsolated)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    root = os.path.abspath(args.dir)
    if not os.path.isdir(root):
        print(f"kpix: {args.dir} is not a folder", file=sys.stderr)
        return 2

    try:
        server = Server((args.host, args.port), make_handler(root, not args.no_isolation, args.verbose))
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            print(f"kpix: port {args.port} on {args.host} is already in use; pick another with --port N",
                  file=sys.stderr)
        else:
            print(f"kpix: cannot listen on {args.host}:{args.port}: {e.strerror}", file=sys.stderr)
        return 2

    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"kpix: serving {args.dir} at http://{shown}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
