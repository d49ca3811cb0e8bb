#!/usr/bin/env python3
"""Runs operation sequences against CPython's real `io` for tests/differential.rs.

Reads a JSON list of sequences on stdin; each sequence is a list of operations (see
tests/differential.rs for their shapes). Every sequence runs in a fresh temporary
directory, with handles kept in numbered slots. Prints a JSON list with, for each
sequence, one result per operation:

    {"ok": value}                  the operation returned value
    {"err": [class_name, str(e)]}  it raised
    {"skip": null}                 it named a slot holding no file (an open removed
                                   while shrinking, or an open that failed)

Text is returned as str, bytes as hex. At the end of a sequence the handles still in
their slots are closed in slot order, as the Rust side does.
"""

import io
import json
import os
import sys
import tempfile
import warnings

# buffering=1 with a binary mode warns; the generator does not do it, but a warning
# printed to stderr must never be mistaken for a result.
warnings.simplefilter("ignore")


def encode(value, binary):
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def run_op(op, slots):
    kind = op["op"]
    if kind == "open":
        # Drop whatever the slot held first (closing it, as CPython does when the last
        # reference goes), then open.
        old = slots.pop(op["h"], None)
        del old
        mode = op["mode"]
        if "b" in mode:
            f = open(op["path"], mode, buffering=op["buffering"], newline=op["newline"])
        else:
            f = open(op["path"], mode, buffering=op["buffering"], encoding="utf-8", newline=op["newline"])
        slots[op["h"]] = f
        return None
    if kind == "disk":
        with open(op["path"], "rb", buffering=0) as f:
            return f.read().hex()
    if kind == "exists":
        return os.path.exists(op["path"])
    if kind == "getsize":
        return os.path.getsize(op["path"])
    if kind == "remove":
        os.remove(op["path"])
        return None
    if kind == "mkdir":
        os.mkdir(op["path"])
        return None

    f = slots[op["h"]]
    binary = not isinstance(f, io.TextIOBase)
    if kind == "write":
        if "hex" in op:
            return f.write(bytes.fromhex(op["hex"]))
        return f.write(op["text"])
    if kind == "read":
        return encode(f.read(op["n"]), binary)
    if kind == "readinto":
        b = bytearray(op["n"])
        k = f.readinto(b)
        return [k, b[:k].hex()]
    if kind == "readline":
        return encode(f.readline(), binary)
    if kind == "seek":
        return f.seek(op["offset"], op["whence"])
    if kind == "tell":
        return f.tell()
    if kind == "flush":
        return f.flush()
    if kind == "close":
        return f.close()
    if kind == "truncate":
        return f.truncate(op["size"])
    if kind == "readable":
        return f.readable()
    if kind == "writable":
        return f.writable()
    if kind == "seekable":
        return f.seekable()
    if kind == "closed":
        return f.closed
    if kind == "readlines":
        return [encode(line, binary) for line in f.readlines()]
    if kind == "next":
        return encode(next(iter(f), None), binary)
    if kind == "mode":
        return f.mode
    if kind == "detach":
        below = f.detach()
        old = slots.pop(op["to"], None)
        slots[op["to"]] = below
        del old
        return None
    raise SystemExit(f"run_ops.py: unknown operation {kind!r}")


def run_sequence(ops):
    results = []
    slots = {}
    home = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for op in ops:
                if "h" in op and op["op"] != "open" and op["h"] not in slots:
                    results.append({"skip": None})
                    continue
                try:
                    results.append({"ok": run_op(op, slots)})
                except Exception as e:  # noqa: BLE001 - every error is a result
                    if op["op"] == "open":
                        slots.pop(op["h"], None)
                    results.append({"err": [type(e).__name__, str(e)]})
        finally:
            for h in sorted(slots):
                try:
                    slots[h].close()
                except Exception:  # noqa: BLE001 - the Rust side ignores these too
                    pass
            slots.clear()
            os.chdir(home)
    return results


def main():
    sequences = json.load(sys.stdin)
    json.dump([run_sequence(ops) for ops in sequences], sys.stdout)


if __name__ == "__main__":
    main()
