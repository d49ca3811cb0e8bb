#!/usr/bin/env bash
# Command 2: the whole test suite. Installs what is missing, then checks formatting and
# lints, runs the native tests, fuzzes briefly with libFuzzer, runs the in-browser tests
# in headless Chromium, builds the release site and runs the end-to-end test on it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh --for-tests
export TOOLS_READY=1
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all --check
step "lints (native and wasm32)"
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked -p script_wire -p script_engine --all-targets -- -D warnings
cargo clippy --locked -p script_engine --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked --all-targets --target wasm32-unknown-unknown -- -D warnings
step "native tests"
cargo test --locked
cargo test --locked -p script_wire -p script_engine
step "fuzzing (libFuzzer, 20 s shared by the four targets; longer: scripts/fuzz.sh SECONDS)"
scripts/fuzz.sh 20
step "in-browser tests (headless Chromium)"
cargo test --locked --target wasm32-unknown-unknown --test browser_page --test browser_kernel --test browser_storage --test browser_parallel
step "release build of the site"
trunk build --release --offline
step "end-to-end test of dist/ (headless Chromium)"
(cd tests/e2e && npm test)
