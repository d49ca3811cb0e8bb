#!/usr/bin/env python3
"""The first-load size of the release site: what a first visit downloads, gzipped.

    python3 scripts/bench-size.py [DIST]

Lists every file of DIST (default dist/, from `trunk build --release`) with its size and
its size after gzip -9, and sums the files a first visit loads: the HTML, JavaScript,
wasm and CSS, except the one the page itself does not fetch:

  sw.js      the service worker, fetched by the browser after the page, for offline use
  engine/    the script engine's module, fetched by the kernel on the first script run

(register-sw.js is counted: the page loads it; so is worker.js, which the kernel's worker
runs: the page's inlined early script starts it from the file.) Prints a table, then
`FIGURE size_first_load_gzip_kb <KB>` (KB = 1000 bytes) for scripts/bench.sh. It asserts
no budget; it fails only if DIST holds no wasm module."""

import gzip
import os
import sys

COUNTED = (".html", ".js", ".wasm", ".css")
NOT_FETCHED = {
    "sw.js": "the service worker, fetched after the page",
}
# The script engine's module and glue: fetched by the kernel on the first script run.
ON_FIRST_USE = "engine/"


def main() -> int:
    dist = sys.argv[1] if len(sys.argv) > 1 else "dist"
    if not os.path.isdir(dist):
        print(f"bench-size: no folder {dist!r} (run `trunk build --release --offline` first)", file=sys.stderr)
        return 1
    rows = []
    for root, _dirs, names in os.walk(dist):
        for name in names:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, dist).replace(os.sep, "/")
            with open(path, "rb") as f:
                data = f.read()
            packed = len(gzip.compress(data, compresslevel=9, mtime=0))
            if rel in NOT_FETCHED:
                why = NOT_FETCHED[rel]
            elif rel.startswith(ON_FIRST_USE):
                why = "the script engine, fetched on the first script run"
            elif rel.endswith(COUNTED):
                why = None
            else:
                why = "not HTML, JavaScript, wasm or CSS"
            rows.append((rel, len(data), packed, why))
    rows.sort()
    if not any(rel.endswith(".wasm") and why is None for rel, _, _, why in rows):
        print(f"bench-size: {dist!r} holds no wasm module: is it a release build of the site?", file=sys.stderr)
        return 1

    print(f"first-load size of {dist}/ (gzip -9; KB = 1000 bytes)")
    print(f"{'file':<40} {'bytes':>10} {'gzip':>10}  counted")
    for rel, size, packed, why in rows:
        print(f"{rel:<40} {size:>10} {packed:>10}  {'yes' if why is None else 'no: ' + why}")
    raw = sum(size for _, size, _, why in rows if why is None)
    packed = sum(p for _, _, p, why in rows if why is None)
    print(f"{'first load':<40} {raw:>10} {packed:>10}")
    print(f"FIGURE size_first_load_kb {raw / 1000:.1f}")
    print(f"FIGURE size_first_load_gzip_kb {packed / 1000:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
