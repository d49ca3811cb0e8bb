#!/usr/bin/env python3
"""Gives the module's imports short names, in the module and in its wasm-bindgen glue.

    python3 scripts/shorten-imports.py [DIR]   (DIR: Trunk's TRUNK_STAGING_DIR by default)

wasm-bindgen names each function the module imports from its glue after the Rust item and
a 16-digit hash (`__wbg_getItem_0f5c7a1e9b3d2c48`), and every import also repeats the
glue's module name (`./notebook_bg.js`). Those names are written twice, in the module's
import section and as keys of the glue's import object, and the hashes do not compress:
about 6 KB of the first load's 500 KB budget. This step (Trunk's post-build hook, before
the CSP and the offline manifest, which hash the final files) renames each import to a
short name in both places, renames the module to `w`, and drops the module's custom
sections (`name`, `producers`, `target_features`: names for debuggers, not read by the
browser). It also drops the glue's comments, indentation and blank lines (about 1 KB; the
glue holds no string that spans lines, which is checked first). It changes nothing else: a
name it cannot find exactly once as a key of the glue's import object is left as it is,
and it fails, changing no file, if the glue does not have the shape it expects."""

import importlib.util
import os
import re
import sys
from pathlib import Path

# The module reader of the crate-size figures: its LEB128 decoding, not a second copy.
_spec = importlib.util.spec_from_file_location("bench_crates", Path(__file__).with_name("bench-crates.py"))
_bench_crates = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench_crates)
leb128 = _bench_crates.leb128

GLUE_MODULE = "./notebook_bg.js"
SHORT_MODULE = "w"


def encode_leb128(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def name(text: str) -> bytes:
    raw = text.encode()
    return encode_leb128(len(raw)) + raw


def skip_import_kind(data: bytes, at: int) -> int:
    """The offset after an import's description (its kind byte at `at`)."""
    kind = data[at]
    at += 1
    if kind == 0:  # function: a type index
        return leb128(data, at)[1]
    if kind == 1:  # table: element type, limits
        at += 1
    if kind in (1, 2):  # limits: flags, minimum, maximum if flagged
        flags = data[at]
        at = leb128(data, at + 1)[1]
        return leb128(data, at)[1] if flags & 1 else at
    if kind == 3:  # global: value type, mutability
        return at + 2
    if kind == 4:  # tag: attribute, type index
        return leb128(data, at + 1)[1]
    raise ValueError(f"unknown import kind {kind}")


def imports_of(data: bytes) -> list[tuple[str, str]]:
    """(module, field) of every import, in order."""
    at = 8
    while at < len(data):
        section, body = data[at], leb128(data, at + 1)
        size, at = body
        if section == 2:
            count, i = leb128(data, at)
            found = []
            for _ in range(count):
                length, i = leb128(data, i)
                module = data[i:i + length].decode()
                length, i = leb128(data, i + length)
                field = data[i:i + length].decode()
                i = skip_import_kind(data, i + length)
                found.append((module, field))
            return found
        at += size
    return []


def rewrite(data: bytes, renames: dict[str, str]) -> bytes:
    """The module with its glue imports renamed and its custom sections dropped."""
    if data[:4] != b"\0asm":
        raise ValueError("not a WebAssembly module")
    out = bytearray(data[:8])
    at = 8
    while at < len(data):
        section = data[at]
        size, body = leb128(data, at + 1)
        end = body + size
        if section == 0:
            pass  # a custom section: dropped
        elif section == 2:
            count, i = leb128(data, body)
            new = bytearray(encode_leb128(count))
            for _ in range(count):
                length, i = leb128(data, i)
                module = data[i:i + length].decode()
                length, i = leb128(data, i + length)
                field = data[i:i + length].decode()
                start = i + length
                i = skip_import_kind(data, start)
                if module == GLUE_MODULE:
                    module, field = SHORT_MODULE, renames.get(field, field)
                new += name(module) + name(field) + data[start:i]
            out += bytes([2]) + encode_leb128(len(new)) + new
        else:
            out += data[at:end]
        at = end
    return bytes(out)


def short_names():
    """`a` to `z`, then `a0` to `z0`, ... (keys the glue never uses itself)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    n = 0
    while True:
        yield letters[n % 26] + (str(n // 26 - 1) if n >= 26 else "")
        n += 1


def compact(glue: str) -> str | None:
    """`glue` without comments, indentation or blank lines; None if a template string may
    span lines (a line with an odd number of backquotes), where lines are not safe to touch."""
    lines = glue.split("\n")
    if any(line.count("`") % 2 for line in lines if not line.lstrip().startswith(("//", "*", "/*"))):
        return None
    kept, in_comment = [], False
    for line in lines:
        text = line.strip()
        if in_comment:
            in_comment = not text.endswith("*/")
            continue
        if text.startswith("/*") and ("*/" not in text or text.endswith("*/")):
            in_comment = "*/" not in text[2:]
            continue
        if text and not text.startswith("//"):
            kept.append(text)
    return "\n".join(kept) + "\n"


def main() -> int:
    chosen = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR")
    if not chosen:
        print("shorten-imports: give a folder, or run me as a Trunk hook", file=sys.stderr)
        return 1
    dist = Path(chosen)
    modules = [p for p in dist.glob("*_bg.wasm")]
    if len(modules) != 1:
        print(f"shorten-imports: expected one *_bg.wasm in {dist}, found {len(modules)}", file=sys.stderr)
        return 1
    wasm_path = modules[0]
    glue_path = wasm_path.with_name(wasm_path.name.removesuffix("_bg.wasm") + ".js")
    data, glue = wasm_path.read_bytes(), glue_path.read_text()
    module_key = f'"{GLUE_MODULE}": import0'
    if glue.count(module_key) != 1:
        print(f"shorten-imports: the glue has no single {module_key!r}; nothing changed", file=sys.stderr)
        return 1
    fields = [field for module, field in imports_of(data) if module == GLUE_MODULE]
    taken = set(re.findall(r"\b([A-Za-z_$][\w$]*)\s*:", glue))
    renames, short = {}, short_names()
    for field in fields:
        key = re.compile(rf"(?<![\w$]){re.escape(field)}(?=\s*:)")
        if len(key.findall(glue)) != 1:
            continue  # not exactly one key of that name: left alone
        new = next(short)
        while new in taken:
            new = next(short)
        renames[field] = new
        glue = key.sub(new, glue)
    glue = glue.replace(module_key, f'"{SHORT_MODULE}": import0')
    compacted = compact(glue)
    if compacted is None:
        print("shorten-imports: a string of the glue may span lines; nothing changed", file=sys.stderr)
        return 1
    glue = compacted
    rewritten = rewrite(data, renames)
    wasm_path.write_bytes(rewritten)
    glue_path.write_text(glue)
    print(f"shorten-imports: {len(renames)} of {len(fields)} imports renamed; "
          f"module {len(data)} -> {len(rewritten)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
