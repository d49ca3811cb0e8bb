#!/usr/bin/env bash
# The file system benchmark, natively and in headless Chromium: writes 64 MiB in 16-byte
# pieces and reads it back, buffered (8192) and unbuffered, and prints a table for each
# (throughput, raw calls, ratio to std's BufWriter/BufReader); then CPython's io doing the
# buffered pass, in memory and on a temporary file. Release builds only; it asserts no
# speed. Not part of scripts/test.sh: figures are not tests. Each run also prints its
# figures as `FIGURE <name> <value>` lines, which scripts/bench.sh collects.
#
#   native:  examples/vfs_bench.rs
#   CPython: tests/vfs_cpython/bench.py
#   browser: tests/bench_vfs_browser.rs (wasm-bindgen-test; --nocapture shows its table)
# Both Rust runners run the workload in tests/common/vfs_workload.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh --for-tests
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# The runner stops a browser test after 20 s by default; the benchmark takes a few seconds
# on a 2-core machine, so allow a slower one more.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"

step() { printf '\n==> %s\n' "$*"; }

step "native (cargo run --release --example vfs_bench)"
cargo run --locked --quiet --release --example vfs_bench
step "CPython io, buffered pass (python3 tests/vfs_cpython/bench.py)"
if command -v python3 >/dev/null; then
  python3 tests/vfs_cpython/bench.py
else
  echo "python3 is not installed: CPython's io not measured"
fi
step "in headless Chromium (cargo test --release --target wasm32-unknown-unknown --test bench_vfs_browser)"
# (No --quiet here: cargo would pass it on to wasm-bindgen-test-runner, which refuses it.)
cargo test --locked --release --target wasm32-unknown-unknown --test bench_vfs_browser -- --nocapture
