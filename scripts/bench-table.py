#!/usr/bin/env python3
"""Gathers the benchmarks' figures into one Markdown table (the last step of scripts/bench.sh).

    python3 scripts/bench-table.py LOG...

Each benchmark prints, besides its own table, lines `FIGURE <name> <value>` (anywhere in a
line: the in-browser runner may prefix them). This reads them from the LOG files and prints
one row per comparison: figure | this project | comparison (what) | ratio. The ratio is
this ÷ comparison for rates (above 1: this project is faster), comparison ÷ this for times
("speed-up", "cheaper"), and the share of the budget used for budgets. Exits 1, after the
table, if a figure is missing."""

import math
import re
import sys

FIGURE = re.compile(r"FIGURE\s+([A-Za-z0-9_]+)\s+(\S+)")

VFS = "file system, 64 MiB in 16-byte pieces (unbuffered: 8 MiB if its probe is slow), buffer 8192, best of 3"
LOGGING = "logging, 100,000 records, rotating file handler (1 MB, 3 backups)"
PARALLEL = "primes below 20 M in 40 chunks, wasm32 in a dedicated worker of Chromium"

# (figure label, unit, this figure, comparison label, comparison figure or constant, ratio)
# ratio: "rate" = this / comparison; "speed-up" and "cheaper" = comparison / this ("cheaper"
# turns to this / comparison, "slower", when the comparison takes less);
# "budget" = this / comparison as a percentage.
ROWS = []
for where, std_where in (("native", "native"), ("Chromium", "in Chromium")):
    key = "vfs_native" if where == "native" else "vfs_chromium"
    for direction, std_name, py_name in (("write", "BufWriter over Vec", "BufferedWriter(BytesIO)"),
                                         ("read", "BufReader over Cursor", "BufferedReader(BytesIO)")):
        label = f"vfs buffered {direction}, {where}"
        ROWS += [
            (label, "MB/s", f"{key}_buffered_{direction}_mbps",
             f"std {std_name}, {std_where}", f"{key}_buffered_std_{direction}_mbps", "rate"),
            (label, "MB/s", f"{key}_buffered_{direction}_mbps",
             f"CPython io {py_name}, native", f"vfs_cpython_bytesio_{direction}_mbps", "rate"),
            (label, "MB/s", f"{key}_buffered_{direction}_mbps",
             f"CPython io open(tmp file, buffering=8192), native", f"vfs_cpython_file_{direction}_mbps", "rate"),
        ]
for where, std_where in (("native", "native"), ("Chromium", "in Chromium")):
    key = "vfs_native" if where == "native" else "vfs_chromium"
    for kind in ("buffered", "unbuffered"):
        ROWS.append((f"vfs {kind} readinto (into the caller's 16 bytes), {where}", "MB/s",
                     f"{key}_{kind}_readinto_mbps", f"std BufReader over Cursor, {std_where}",
                     f"{key}_{kind}_std_read_mbps", "rate"))
for where, std_where in (("native", "native"), ("Chromium", "in Chromium")):
    key = "vfs_native" if where == "native" else "vfs_chromium"
    for direction, std_name in (("write", "BufWriter over Vec"), ("read", "BufReader over Cursor")):
        ROWS.append((f"vfs unbuffered {direction}, {where}", "MB/s", f"{key}_unbuffered_{direction}_mbps",
                     f"std {std_name}, {std_where}", f"{key}_unbuffered_std_{direction}_mbps", "rate"))
for what, unit in (("enabled records", "records/s"), ("disabled-level calls", "calls/s")):
    name = "enabled" if what == "enabled records" else "disabled"
    for where, key in (("native", "native"), ("Chromium", "chromium")):
        ROWS.append((f"logging {what}, {where}", unit, f"logging_{key}_{name}_per_s",
                     "CPython logging, files in a tmp dir", f"logging_cpython_{name}_per_s", "rate"))
ROWS += [
    ("primes on a pool of 2 workers", "ms", "parallel_pool2_ms",
     "pool of 1 worker", "parallel_pool1_ms", "speed-up"),
    ("primes on a pool of 4 workers", "ms", "parallel_pool4_ms",
     "pool of 1 worker", "parallel_pool1_ms", "speed-up"),
    ("primes on 4 threads (one event loop)", "ms", "parallel_threads4_ms",
     "pool of 1 worker", "parallel_pool1_ms", "speed-up"),
    ("primes on a pool of 1 worker", "ms", "parallel_pool1_ms",
     "the kernel itself, no worker", "parallel_kernel_ms", "speed-up"),
    ("10,000 tiny tasks on 4 workers, chunks of 625", "µs/task", "parallel_dispatch_chunked_us",
     "one task per message", "parallel_dispatch_one_per_job_us", "cheaper"),
    ("start-up: first cell runnable, median of {startup_loads:.0f} cold loads", "ms",
     "startup_ready_median_ms", "budget", 150.0, "budget"),
    ("start-up: whole notebook drawn, median of {startup_loads:.0f} cold loads", "ms",
     "startup_drawn_median_ms", "budget of the first cell runnable", 150.0, "budget"),
    ("script cell, cold visit: Run to output, engine module not yet loaded", "ms",
     "script_first_run_ms", "budget", 1000.0, "budget"),
    ("script writing 64 MiB in 16-byte pieces, open(path, \"wb\"), Chromium", "MB/s",
     "script_write_mbps", "the same writes from Rust (vfs buffered write, Chromium)",
     "vfs_chromium_buffered_write_mbps", "rate"),
    ("script loop of 10 M additions (Boa, in the kernel's worker)", "ms", "script_loop_ms",
     "the same loop in the page's JavaScript (V8's JIT)", "page_loop_ms", "cheaper"),
    ("first-load size of dist/ (HTML, JS, wasm, CSS), gzip -9", "KB", "size_first_load_gzip_kb",
     "budget", 500.0, "budget"),
]


def number(value, unit):
    """A figure as the table shows it: rates in k and M, the rest to a sensible precision."""
    if math.isnan(value):
        return "nan"
    if unit.endswith("/s") and unit != "MB/s":
        if value >= 1e6:
            return f"{value / 1e6:.2f} M"
        return f"{value / 1e3:.0f} k"
    if unit in ("ms",) or value >= 1000:
        return f"{value:.0f}"
    if value < 10:
        return f"{value:.2f}"
    return f"{value:.1f}"


def times(x):
    """A ratio to two decimals, or to two significant digits below 0.1 (not 0.00)."""
    return f"{x:.2f}×" if x >= 0.1 else f"{x:.2g}×"


def ratio(this, other, kind):
    if this <= 0 or other <= 0 or math.isnan(this) or math.isnan(other):
        return "-"
    if kind == "rate":
        return times(this / other)
    if kind == "speed-up":
        return f"{times(other / this)} speed-up"
    if kind == "cheaper":
        if other < this:
            return f"{this / other:.0f}× slower"
        return f"{other / this:.1f}× cheaper"
    return f"{100 * this / other:.0f} % of budget"


def read_figures(paths):
    figures = {}
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                for name, text in FIGURE.findall(line):
                    try:
                        figures[name] = float(text)
                    except ValueError:
                        print(f"bench-table: {path}: {name} is not a number: {text!r}", file=sys.stderr)
    return figures


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        figures = read_figures(sys.argv[1:])
    except OSError as error:
        print(f"bench-table: {error}", file=sys.stderr)
        return 1
    missing = set()
    lines = ["| figure | this project | comparison (what) | ratio |", "|---|---:|---|---:|"]
    for label, unit, this_key, what, other, kind in ROWS:
        try:
            label = label.format(**figures)
        except KeyError as error:
            missing.add(str(error).strip("'"))
            label = re.sub(r"\{[^}]*\}", "?", label)
        this = figures.get(this_key)
        if isinstance(other, str):
            other_value = figures.get(other)
            if other_value is None:
                missing.add(other)
        else:
            other_value = other
        if this is None:
            missing.add(this_key)
        this_text = "missing" if this is None else number(this, unit)
        if other_value is None:
            other_text = "missing"
        else:
            other_text = number(other_value, unit) if isinstance(other, str) else f"{other_value:g}"
        ratio_text = "-" if this is None or other_value is None else ratio(this, other_value, kind)
        lines.append(f"| {label} ({unit}) | {this_text} | {other_text} ({what}) | {ratio_text} |")
    print("\n".join(lines))
    print()
    print(f"- vfs rows: {VFS}; the CPython figures are one native run of tests/vfs_cpython/bench.py.")
    print(f"- logging rows: {LOGGING}, on the virtual file system; CPython writes real files.")
    print(f"- primes and tiny-task rows: {PARALLEL}.")
    print("- ratio: this ÷ comparison for rates; comparison ÷ this for times (speed-up, cheaper; "
          "this ÷ comparison when that is slower); "
          "share of the budget used for budgets.")
    if missing:
        print(f"bench-table: figures missing: {', '.join(sorted(missing))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
