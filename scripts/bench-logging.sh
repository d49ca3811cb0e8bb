#!/usr/bin/env bash
# The logger benchmark (issue 4), natively and in headless Chromium: 100,000 records
# through a rotating file handler (1 MiB, 3 backups) on the virtual file system with the
# format %(asctime)s - %(levelname)s - %(message)s, then 100,000 calls at a disabled
# level. CPython's logging does the same into a temporary directory in the native run.
# Prints both tables, then the browser / CPython ratio. Release builds only; it asserts
# no speed. Not part of scripts/test.sh: figures are not tests.
#
#   native + CPython: examples/logging_bench.rs (runs tests/logging_cpython/bench.py)
#   browser:          tests/bench_logging_browser.rs (wasm-bindgen-test; --nocapture shows it)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh --for-tests
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# The runner stops a browser test after 20 s by default; allow a slow machine more.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"

step() { printf '\n==> %s\n' "$*"; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

step "native and CPython (cargo run --release --example logging_bench)"
cargo run --locked --quiet --release --example logging_bench | tee "$out/native.txt"
step "in headless Chromium (cargo test --release --target wasm32-unknown-unknown --test bench_logging_browser)"
# (No --quiet here: cargo would pass it on to wasm-bindgen-test-runner, which refuses it.)
cargo test --locked --release --target wasm32-unknown-unknown --test bench_logging_browser -- --nocapture \
  | tee "$out/browser.txt"

step "browser / CPython"
# CPython's row of the native table: | label | enabled s | rate | disabled s | rate |
cpython=$(awk -F'|' '/^\| CPython/ { gsub(/ /, "", $3); gsub(/ /, "", $5); print $3, $5; exit }' "$out/native.txt")
# The browser test's line: bench-logging: records=N enabled_s=S disabled_s=S
browser=$(sed -n 's/.*bench-logging: records=\([0-9]*\) enabled_s=\([0-9.]*\) disabled_s=\([0-9.]*\).*/\1 \2 \3/p' \
  "$out/browser.txt" | head -n 1)
if [ -z "$browser" ]; then
  echo "the browser test printed no figures" >&2
  exit 1
fi
if [ -z "$cpython" ]; then
  echo "CPython was not measured (is python3 installed?): no ratio"
  exit 0
fi
awk -v b="$browser" -v c="$cpython" 'BEGIN {
  split(b, bw, " "); split(c, py, " ");
  n = bw[1];
  printf "enabled records: browser %.0f records/s, CPython %.0f records/s: browser / CPython %.1fx\n",
    n / bw[2], n / py[1], py[1] / bw[2];
  printf "disabled level:  browser %.0f calls/s, CPython %.0f calls/s: browser / CPython %.1fx\n",
    n / bw[3], n / py[2], py[2] / bw[3];
}'
