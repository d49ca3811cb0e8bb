#!/usr/bin/env python3
"""Trunk post-build hook: tells the service worker (www/sw.js) what this build is.

Writes into the staged `sw.js` the list of files to keep for offline use (every file of
the build but the service worker itself, host configuration and the script engine) and a
version: a hash of all their names and contents, so any change to the site makes a new
version, which the browser installs beside the old one and which then deletes the old
cache. The script engine (engine/, about a megabyte) is not fetched ahead: the service
worker keeps it when the first script run fetches it.
"""
import hashlib
import json
import os
import sys

SKIP = {"sw.js", "_headers"}
# Hashed into the version, but fetched only when first used.
ON_FIRST_USE = "engine/"


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("offline-manifest: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)", file=sys.stderr)
        return 1
    files = []
    digest = hashlib.sha256()
    for root, _dirs, names in os.walk(staging):
        for name in sorted(names):
            rel = os.path.relpath(os.path.join(root, name), staging).replace(os.sep, "/")
            if rel in SKIP:
                continue
            files.append(rel)
    files.sort()
    for rel in files:
        digest.update(rel.encode())
        with open(os.path.join(staging, rel), "rb") as f:
            digest.update(f.read())
    # The page is kept under "./" (what a visitor opens), not "index.html".
    ahead = [rel for rel in files if not rel.startswith(ON_FIRST_USE)]
    urls = ["./" if rel == "index.html" else "./" + rel for rel in ahead]
    sw_path = os.path.join(staging, "sw.js")
    with open(sw_path, encoding="utf-8") as f:
        sw = f.read()
    before = sw
    sw = sw.replace("const VERSION = 'dev';", f"const VERSION = '{digest.hexdigest()[:16]}';", 1)
    sw = sw.replace("const FILES = [];", f"const FILES = {json.dumps(urls)};", 1)
    if sw.count("const FILES = [];") or sw == before:
        print("offline-manifest: sw.js has no VERSION/FILES placeholders", file=sys.stderr)
        return 1
    with open(sw_path, "w", encoding="utf-8") as f:
        f.write(sw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
