#!/usr/bin/env python3
"""Trunk post-build hook: gives the built page a strict Content-Security-Policy.

Trunk starts the WebAssembly module with one inline `<script type="module">`. Rather than
allow inline scripts in general, this hook hashes that script and allows exactly it, then
writes the policy as a `<meta>` element at the top of `<head>` (so it holds on any static
host, including those that cannot set headers). Everything else comes from the site
itself: scripts, styles, the wasm module, workers (started from `blob:` URLs of the
site's own worker script), and images (charts are `data:` SVGs).
"""
import base64
import hashlib
import os
import re
import sys

POLICY = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' {hashes}",
    "worker-src 'self' blob:",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
]


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("add-csp: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)", file=sys.stderr)
        return 1
    path = os.path.join(staging, "index.html")
    with open(path, encoding="utf-8") as f:
        html = f.read()
    if 'http-equiv="Content-Security-Policy"' in html:
        return 0
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    if not inline:
        print("add-csp: no inline script found; is this Trunk's output?", file=sys.stderr)
        return 1
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in inline
    )
    policy = "; ".join(POLICY).format(hashes=hashes)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    # After the charset (which must come first), before anything the policy governs.
    html, n = re.subn(r"(<meta charset=[^>]*>)", r"\1\n  " + meta.replace("\\", "\\\\"), html, count=1)
    if n != 1:
        print("add-csp: no <meta charset> in index.html", file=sys.stderr)
        return 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
