"""CPython's io doing the file system benchmark's buffered pass (tests/common/vfs_workload.rs).

    python3 bench.py [MIB]

Writes MIB mebibytes (64 by default) in 16-byte pieces with an 8192-byte buffer, then
reads them back in 16-byte pieces, checking every piece, in two settings:

  bytesio  io.BufferedWriter(io.BytesIO(), 8192), then io.BufferedReader(io.BytesIO(data),
           8192): CPython's buffered layer over memory, as the virtual file system is memory
  file     open(tmp file, "wb", buffering=8192), then open(tmp file, "rb", buffering=8192):
           what a Python program does, with a system call per raw write or read

The pieces are the Rust workload's (the same xorshift pattern). Each setting runs three
times and each measure keeps its fastest run. Timed inside Python (time.perf_counter), from
creating the writer to its flush or close, and from opening the reader to its last read.
Prints a table and `FIGURE vfs_cpython_<setting>_<write|read>_mbps <MB/s>` lines (MB =
10^6 bytes) for scripts/bench.sh. Asserts no speed; exits 1 if a piece read back differs."""

import io
import os
import platform
import sys
import tempfile
import time

PIECE = 16
BUFFER = 8192
REPEATS = 3
MIB = 1 << 20
MASK = (1 << 64) - 1


def pattern_pieces():
    """The 64 KiB xorshift pattern of vfs_workload.rs, as its 4096 pieces of 16 bytes."""
    x = 0x9E3779B97F4A7C15
    data = bytearray()
    for _ in range(64 * 1024):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        data.append(x >> 56)
    return [bytes(data[i:i + PIECE]) for i in range(0, len(data), PIECE)]


def write_pieces(writer, pieces, count):
    write = writer.write
    for k in range(count):
        write(pieces[k & 4095])


def read_pieces(reader, pieces, count):
    """True if every piece read is the piece written."""
    read = reader.read
    ok = True
    for k in range(count):
        if read(PIECE) != pieces[k & 4095]:
            ok = False
    return ok


def bytesio_run(pieces, count):
    start = time.perf_counter()
    memory = io.BytesIO()
    writer = io.BufferedWriter(memory, BUFFER)
    write_pieces(writer, pieces, count)
    writer.flush()
    write_secs = time.perf_counter() - start
    data = memory.getvalue()
    start = time.perf_counter()
    reader = io.BufferedReader(io.BytesIO(data), BUFFER)
    ok = read_pieces(reader, pieces, count)
    read_secs = time.perf_counter() - start
    return write_secs, read_secs, ok and len(data) == count * PIECE


def file_run(pieces, count, path):
    start = time.perf_counter()
    with open(path, "wb", buffering=BUFFER) as writer:
        write_pieces(writer, pieces, count)
    write_secs = time.perf_counter() - start
    size = os.path.getsize(path)
    start = time.perf_counter()
    with open(path, "rb", buffering=BUFFER) as reader:
        ok = read_pieces(reader, pieces, count)
    read_secs = time.perf_counter() - start
    return write_secs, read_secs, ok and size == count * PIECE


def best_of(run):
    """The fastest write and the fastest read of REPEATS runs, and whether all verified."""
    runs = [run() for _ in range(REPEATS)]
    return min(r[0] for r in runs), min(r[1] for r in runs), all(r[2] for r in runs)


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    if mib <= 0:
        print("bench.py: MIB must be a positive number of mebibytes", file=sys.stderr)
        return 2
    nbytes = mib * MIB
    count = nbytes // PIECE
    pieces = pattern_pieces()
    results = [("bytesio", "BufferedWriter/BufferedReader(BytesIO, 8192)",
                best_of(lambda: bytesio_run(pieces, count)))]
    with tempfile.TemporaryDirectory(prefix="vfs_bench_") as directory:
        path = os.path.join(directory, "vfs_bench.bin")
        results.append(("file", "open(tmp file, 'wb'/'rb', buffering=8192)",
                        best_of(lambda: file_run(pieces, count, path))))

    print(f"file system benchmark, CPython {platform.python_version()} io, buffered pass only")
    print(f"{PIECE}-byte writes, then {PIECE}-byte reads of {mib} MiB; MB = 10^6 bytes; best of {REPEATS} runs")
    print(f"{'setting':<46} {'write MB/s':>10} {'read MB/s':>10}")
    ok = True
    for _name, label, (write_secs, read_secs, verified) in results:
        print(f"{label:<46} {nbytes / 1e6 / write_secs:>10.1f} {nbytes / 1e6 / read_secs:>10.1f}")
        if not verified:
            print(f"note: {label}: the data read back differs from the data written")
            ok = False
    for name, _label, (write_secs, read_secs, _verified) in results:
        print(f"FIGURE vfs_cpython_{name}_write_mbps {nbytes / 1e6 / write_secs:.1f}")
        print(f"FIGURE vfs_cpython_{name}_read_mbps {nbytes / 1e6 / read_secs:.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
