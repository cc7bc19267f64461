#!/usr/bin/env python3
"""Serves the advlab page for development and tests, using only Python's standard library.

From a checkout (the default):

    /            -> www/       (the page, its JS modules and the worker)
    /pkg/        -> pkg/       (wasm-bindgen output: advlab.js, advlab_bg.wasm)
    /datasets/   -> datasets/  (the vendored datasets, fetched by the worker)
    /models/     -> models/    (the shipped reference models, `make models`)

With `--root dist`, the built static site (`make dist`), which has the same layout in one folder.

Every response carries the page's Content-Security-Policy, read from the <meta> tag of
www/index.html so that the header and the page can never disagree. `.wasm` is served as
application/wasm (required by WebAssembly.compileStreaming) and `.mjs`/`.js` as text/javascript.
Prints the URL once the socket is listening.
"""
import argparse
import http.server
import os
import re
import socketserver
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKOUT_MOUNTS = [("/pkg/", "pkg"), ("/datasets/", "datasets"), ("/models/", "models"), ("/", "www")]
MOUNTS = CHECKOUT_MOUNTS


def page_policy():
    """The Content-Security-Policy of www/index.html's <meta> tag."""
    with open(os.path.join(ROOT, "www", "index.html"), encoding="utf-8") as f:
        m = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', f.read())
    if not m:
        sys.exit("error: www/index.html has no Content-Security-Policy <meta> tag")
    return m.group(1)


CSP = page_policy()


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".gz": "application/octet-stream",
        ".csv": "text/csv",
        ".json": "application/json",
        ".safetensors": "application/octet-stream",
    }

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, folder in MOUNTS:
            if path.startswith(prefix):
                rest = path[len(prefix):]
                base = os.path.join(ROOT, folder)  # an absolute folder stays as it is
                full = os.path.normpath(os.path.join(base, rest))
                if not full.startswith(base):
                    return os.path.join(base, "__forbidden__")
                return full
        return os.path.join(ROOT, "www", "__missing__")

    def end_headers(self):
        # Always fresh in development: a rebuilt wasm must never meet a cached JS glue file.
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("ADVLAB_SERVE_QUIET") != "1":
            super().log_message(fmt, *args)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--root", help="serve this folder (a `make dist` output) instead of the checkout")
    args = parser.parse_args()
    global MOUNTS
    if args.root:
        root = os.path.abspath(args.root)
        if not os.path.isfile(os.path.join(root, "index.html")):
            sys.exit(f"error: {root} has no index.html (run `make dist` first)")
        MOUNTS = [("/", root)]
    try:
        server = Server((args.host, args.port), Handler)
    except OSError as e:
        sys.exit(f"error: cannot listen on {args.host}:{args.port}: {e}")
    port = server.server_address[1]
    print(f"advlab is served at http://{args.host}:{port}/  (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
