#!/usr/bin/env python3
"""Each dependency's share of the site's WebAssembly code, and each layer's of this crate's.

    python3 scripts/bench-crates.py WASM [TOP]

WASM must keep its name section: scripts/bench.sh builds the site's module for it with the
site's profile, unstripped, and passes it through wasm-bindgen as Trunk does (the code is
the shipped module's; only the names are kept). Every function
body of the code section is charged to the crate its name starts with, as twiggy's
`top` would list them: `<serde_json::de::Deserializer<R> as Deserializer>::deserialize_struct`
is serde_json's, although it is compiled once for each of this crate's types it reads, and
`alloc::vec::Vec<T>::extend` is alloc's, whatever `T` is. So a crate's row is what its code
costs here, generic code instantiated for this crate's types included. This crate's own
functions are split by layer (`notebook::vfs`, `notebook::page`, ...). Prints the TOP rows
(default 25) by size, then the rest as one row. Figures only: it asserts nothing, and fails
only if WASM has no code or no names."""

import re
import sys


def leb128(data: bytes, at: int) -> tuple[int, int]:
    """The unsigned LEB128 number at `at`, and the offset after it."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def skip_limits(data: bytes, at: int) -> int:
    flags, at = leb128(data, at)
    _, at = leb128(data, at)
    if flags & 1:
        _, at = leb128(data, at)
    return at


def count_function_imports(data: bytes, at: int) -> int:
    """Function imports come first in the function index space: their number."""
    count, at = leb128(data, at)
    functions = 0
    for _ in range(count):
        for _name in range(2):  # module, field
            length, at = leb128(data, at)
            at += length
        kind = data[at]
        at += 1
        if kind == 0:  # function: a type index
            functions += 1
            _, at = leb128(data, at)
        elif kind == 1:  # table: element type, limits
            at = skip_limits(data, at + 1)
        elif kind == 2:  # memory: limits
            at = skip_limits(data, at)
        elif kind == 3:  # global: value type, mutability
            at += 2
        else:
            raise ValueError(f"unknown import kind {kind}")
    return functions


def read_module(data: bytes) -> tuple[list[int], dict[int, str], int, int]:
    """Function body sizes in order, function names by index, the function imports, and
    the size of the data section."""
    if data[:4] != b"\0asm":
        raise ValueError("not a WebAssembly module")
    at, imports, bodies, names, data_size = 8, 0, [], {}, 0
    while at < len(data):
        section = data[at]
        size, at = leb128(data, at + 1)
        end = at + size
        if section == 2:
            imports = count_function_imports(data, at)
        elif section == 11:
            data_size = size
        elif section == 10:
            count, body = leb128(data, at)
            for _ in range(count):
                length, body = leb128(data, body)
                bodies.append(length)
                body += length
        elif section == 0:
            length, inner = leb128(data, at)
            if data[inner:inner + length] == b"name":
                inner += length
                while inner < end:
                    kind = data[inner]
                    sub_size, inner = leb128(data, inner + 1)
                    if kind == 1:  # function names
                        count, entry = leb128(data, inner)
                        for _ in range(count):
                            index, entry = leb128(data, entry)
                            name_length, entry = leb128(data, entry)
                            names[index] = data[entry:entry + name_length].decode("utf-8", "replace")
                            entry += name_length
                    inner += sub_size
        at = end
    return bodies, names, imports, data_size


LEGACY_ESCAPES = [("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"), ("$C$", ","),
                  ("$BP$", "*"), ("$u5b$", "["), ("$u5d$", "]"), ("$u7b$", "{"), ("$u7d$", "}"),
                  ("..", "::")]


PRIMITIVES = {"str", "bool", "char", "f32", "f64", "u8", "u16", "u32", "u64", "u128", "usize",
              "i8", "i16", "i32", "i64", "i128", "isize"}


def path_of(symbol: str) -> str:
    """A readable path for a symbol: legacy (`_ZN...E`) demangled, v0 (`_R...`) reduced to
    its crate, crate hashes (`core[c593...]`, as wasm-bindgen writes them) dropped."""
    symbol = re.sub(r"\[[0-9a-f]{16}\]", "", symbol)
    if symbol.startswith("_ZN"):
        parts, at = [], 3
        while at < len(symbol) and symbol[at].isdigit():
            digits = re.match(r"\d+", symbol[at:]).group()
            at += len(digits)
            parts.append(symbol[at:at + int(digits)])
            at += int(digits)
        if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
            parts.pop()
        text = "::".join(parts)
        for escape, plain in LEGACY_ESCAPES:
            text = text.replace(escape, plain)
        return text.lstrip("_")
    if symbol.startswith("_R"):
        crate = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)", symbol)
        if crate:
            start = crate.end()
            return symbol[start:start + int(crate.group(1))] + "::"
    return symbol


def first_crate(path: str) -> str:
    """The first path segment of a type or path, past references, slices and `dyn`."""
    path = re.sub(r"^(?:[&*\[(]|mut |const |dyn )+", "", path.strip())
    return re.split(r"::|[<>;,\] ]", path)[0]


def split_impl(path: str) -> tuple[str, str]:
    """`<Self as Trait>::rest` as (Self, Trait): the ` as ` outside any nested `<...>`."""
    depth = 0
    for at in range(1, len(path)):
        if path[at] == "<":
            depth += 1
        elif path[at] == ">":
            if depth == 0:
                return path[1:at], ""
            depth -= 1
        elif depth == 0 and path.startswith(" as ", at):
            close, inner = at + 4, 0
            while close < len(path) and not (path[close] == ">" and inner == 0):
                inner += {"<": 1, ">": -1}.get(path[close], 0)
                close += 1
            return path[1:at], path[at + 4:close]
    return path[1:], ""


def owner(path: str) -> str:
    """The crate a function is charged to (this crate's: its layer). An impl is its self
    type's crate, or its trait's where the self type is generic or primitive (`<T as
    alloc::string::ToString>`); names outside any path are wasm-bindgen's glue (`__wbg_`,
    `__wbindgen_`, `__externref_`) or compiler intrinsics (`memcpy`, `__multi3`)."""
    if path.startswith("<"):
        self_type, trait = split_impl(path)
        if self_type.startswith("<"):
            return owner(self_type)
        crate = first_crate(self_type if "::" in self_type or not trait else trait)
    elif "::" in path:
        crate = first_crate(path)
    elif path.startswith(("__wbg", "__wbindgen", "__externref")):
        return "wasm_bindgen"
    else:
        return "compiler_builtins"
    if crate in PRIMITIVES:
        return "core"
    if crate == "notebook":
        layer = first_crate(path.split("notebook::", 1)[1])
        return f"notebook::{layer}"
    return crate or "?"


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    bodies, names, imports, data_size = read_module(data)
    if not bodies or not names:
        print("bench-crates: the module has no code or no name section (build it unstripped)", file=sys.stderr)
        return 1
    shares: dict[str, int] = {}
    for index, size in enumerate(bodies):
        crate = owner(path_of(names.get(imports + index, "?")))
        shares[crate] = shares.get(crate, 0) + size
    total = sum(bodies)
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    print(f"{'crate (this one: by layer)':36} {'code KB':>9} {'share':>7}")
    for crate, size in ranked[:top]:
        print(f"{crate:36} {size / 1000:9.1f} {100 * size / total:6.1f}%")
    rest = sum(size for _, size in ranked[top:])
    if rest:
        print(f"{f'{len(ranked) - top} others':36} {rest / 1000:9.1f} {100 * rest / total:6.1f}%")
    print(f"{'all code (' + str(len(bodies)) + ' functions)':36} {total / 1000:9.1f} {100.0:6.1f}%")
    print(f"{'data (texts: markdown, sources, ...)':36} {data_size / 1000:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
