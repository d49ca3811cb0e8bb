#!/usr/bin/env bash
# The parallelism benchmark in headless Chromium: the primes below 20 million counted in
# 40 chunks on 1, 2 and 4 worker processes, on 4 threads and in the kernel itself, with
# the speed-up over one process; then the dispatch cost per task of 10,000 tiny tasks,
# one per job and in chunks. Release build; it prints a table and asserts no speed. Not
# part of scripts/test.sh: figures are not tests. The test also prints its figures as
# `FIGURE <name> <value>` lines, which scripts/bench.sh collects.
#
#   tests/bench_parallel_browser.rs (wasm-bindgen-test; --nocapture shows its table)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh --for-tests
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# The runner stops a browser test after 20 s by default; the benchmark takes about as long.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"

printf '\n==> %s\n' "in headless Chromium (cargo test --release --target wasm32-unknown-unknown --test bench_parallel_browser)"
# (No --quiet here: cargo would pass it on to wasm-bindgen-test-runner, which refuses it.)
cargo test --locked --release --target wasm32-unknown-unknown --test bench_parallel_browser -- --nocapture
