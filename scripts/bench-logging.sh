#!/usr/bin/env bash
# The logger benchmark (issue 4), natively and in headless Chromium: 100,000 records
# through a rotating file handler (1 MiB, 3 backups) on the virtual file system with the
# format %(asctime)s - %(levelname)s - %(message)s, then 100,000 calls at a disabled
# level. CPython's logging does the same into a temporary directory in the native run.
# Prints both tables, then the browser / CPython ratio. Release builds only; it asserts
# no speed. Not part of scripts/test.sh: figures are not tests. Each run also prints its
# figures as `FIGURE <name> <value>` lines, which scripts/bench.sh collects.
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
# Both runs print their rates as `FIGURE <name> <value>` lines (the browser's may carry a prefix).
figure() { sed -n "s/.*FIGURE $1 \([0-9.eE+-]*\).*/\1/p" "$out"/*.txt | tail -n 1; }
browser_enabled=$(figure logging_chromium_enabled_per_s)
browser_disabled=$(figure logging_chromium_disabled_per_s)
if [ -z "$browser_enabled" ] || [ -z "$browser_disabled" ]; then
  echo "the browser test printed no figures" >&2
  exit 1
fi
cpython_enabled=$(figure logging_cpython_enabled_per_s)
cpython_disabled=$(figure logging_cpython_disabled_per_s)
if [ -z "$cpython_enabled" ] || [ -z "$cpython_disabled" ]; then
  echo "CPython was not measured (is python3 installed?): no ratio"
  exit 0
fi
awk -v be="$browser_enabled" -v bd="$browser_disabled" -v ce="$cpython_enabled" -v cd="$cpython_disabled" 'BEGIN {
  printf "enabled records: browser %.0f records/s, CPython %.0f records/s: browser / CPython %.1fx\n", be, ce, be / ce;
  printf "disabled level:  browser %.0f calls/s, CPython %.0f calls/s: browser / CPython %.1fx\n", bd, cd, bd / cd;
}'
