#!/usr/bin/env python3
"""Runs binaryen's `wasm-opt -O1 --converge` and three passes that -O1 leaves out on the
page's module (Trunk's post-build hook, after shorten-imports).

    python3 scripts/optimize-module.py [DIR]   (DIR: Trunk's TRUNK_STAGING_DIR by default)

Measured on the shipped module (gzip -9, KB): none 489.6, `-O1 --converge` 486.4, `-O1`
487.3, `-O2` 517.3, `-Os` 514.8, `-Oz` 518.0: the levels that inline make the gzipped
module larger; -O1 only simplifies. On top of it (a later module, KB saved): `--rse` 0.8,
`--code-folding` 0.3, `--precompute-propagate` 0.2; `--local-cse`, `--dae-optimizing` and
`--reorder-functions` make it larger. Debian's binaryen (108, from apt: ensure-tools.sh
installs it) writes a module's table exports with the wrong index when it has two tables
(wasm-bindgen's `__wbindgen_externrefs` came out naming the function table, and the
glue's first `Table.set` failed), even with no pass at all; so the table exports are put
back as they were, after checking that the tables themselves are unchanged. Without
wasm-opt the site still builds, about 4 KB larger (over the budget), and this says so."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("shorten_imports", Path(__file__).with_name("shorten-imports.py"))
_shorten = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shorten)
leb128, encode_leb128 = _shorten.leb128, _shorten.encode_leb128

# The features rustc's wasm32 target uses (--all-features would retype the tables).
FEATURES = [
    "--enable-reference-types", "--enable-bulk-memory", "--enable-sign-ext", "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int", "--enable-multivalue",
]


def sections(data: bytes):
    """(id, start of its body, end) of each section, and its start (`at`) as a fourth."""
    at = 8
    while at < len(data):
        size, body = leb128(data, at + 1)
        yield data[at], body, body + size, at
        at = body + size


def table_section(data: bytes) -> bytes:
    return next((data[b:e] for s, b, e, _ in sections(data) if s == 4), b"")


def exports(data: bytes) -> list[tuple[bytes, int, int]]:
    """(name, kind, index) of every export, in order."""
    for section, body, _, _ in sections(data):
        if section == 7:
            count, i = leb128(data, body)
            found = []
            for _ in range(count):
                length, i = leb128(data, i)
                export_name = data[i:i + length]
                kind = data[i + length]
                index, i = leb128(data, i + length + 1)
                found.append((export_name, kind, index))
            return found
    return []


def with_table_exports(data: bytes, tables: dict[bytes, int]) -> bytes:
    """`data` with each table export named in `tables` pointing at its index there."""
    out = bytearray(data[:8])
    for section, _, end, start in sections(data):
        if section != 7:
            out += data[start:end]
            continue
        new = bytearray(encode_leb128(len(exports(data))))
        for export_name, kind, index in exports(data):
            if kind == 1:
                index = tables[export_name]
            new += encode_leb128(len(export_name)) + export_name + bytes([kind]) + encode_leb128(index)
        out += bytes([7]) + encode_leb128(len(new)) + new
    return bytes(out)


def optimize(module: Path) -> None:
    before = module.read_bytes()
    optimized = module.with_suffix(".opt.wasm")
    passes = ["-O1", "--converge", "--rse", "--code-folding", "--precompute-propagate"]
    subprocess.run(["wasm-opt", *passes, *FEATURES, str(module), "-o", str(optimized)], check=True)
    after = optimized.read_bytes()
    optimized.unlink()
    if table_section(after) != table_section(before):
        raise SystemExit(f"optimize-module: wasm-opt changed the tables of {module.name}; nothing changed")
    tables = {n: i for n, k, i in exports(before) if k == 1}
    if sorted(n for n, k, _ in exports(after) if k == 1) != sorted(tables):
        raise SystemExit(f"optimize-module: wasm-opt changed the table exports of {module.name}; nothing changed")
    after = with_table_exports(after, tables)
    module.write_bytes(after)
    print(f"optimize-module: {module.name} {len(before)} -> {len(after)} bytes")


def main() -> int:
    chosen = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR")
    if not chosen:
        print("optimize-module: give a folder, or run me as a Trunk hook", file=sys.stderr)
        return 1
    if shutil.which("wasm-opt") is None:
        print("optimize-module: no wasm-opt (apt install binaryen); the module is left as built", file=sys.stderr)
        return 0
    for module in Path(chosen).glob("*_bg.wasm"):
        optimize(module)
    return 0


if __name__ == "__main__":
    sys.exit(main())
