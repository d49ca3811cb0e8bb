#!/usr/bin/env bash
# Installs what building the notebook needs, and with --for-tests what testing it needs,
# skipping whatever is already there (a second run takes seconds).
#
#   the wasm32-unknown-unknown target          (rustup)
#   wasm-bindgen-cli at Cargo.lock's version    (cargo install)
#   trunk 0.21.14                               (cargo install --locked)
#   wasm-opt (binaryen), if apt is there        (apt)
#   --for-tests: chromium, chromedriver         (apt)
#                node and npm if missing        (apt)
#                playwright-core                (npm ci in tests/e2e)
#                and what --for-fuzz installs
#   --for-fuzz:  cargo-fuzz                     (cargo install --locked)
#                g++ if missing, for libFuzzer  (apt)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
CARGO_FUZZ_VERSION=0.13.2
say() { echo "ensure-tools: $*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The crate pins wasm-bindgen exactly; the CLI must be the same version.
bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  say "cannot read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
trunk_bindgen=$(sed -n 's/^wasm_bindgen = "\(.*\)"/\1/p' Trunk.toml)
if [ "$trunk_bindgen" != "$bindgen_version" ]; then
  say "Trunk.toml names wasm-bindgen $trunk_bindgen but Cargo.lock has $bindgen_version: make them equal" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version"
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-opt takes 4 KB off the first load (scripts/optimize-module.py); a build without
# it still works, so only a system with apt gets it here.
if ! command -v wasm-opt >/dev/null && command -v apt-get >/dev/null; then
  say "installing binaryen (wasm-opt) from apt"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq binaryen >/dev/null
fi

# Every crate the build needs, for both targets, so later steps can run offline.
cargo fetch --locked --quiet

if [ "${1:-}" = "--for-tests" ] || [ "${1:-}" = "--for-fuzz" ]; then
  if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
  if ! command -v g++ >/dev/null; then
    say "installing g++ from apt (libFuzzer is C++)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq g++ >/dev/null
  fi
  (cd fuzz && cargo fetch --locked --quiet)
fi

if [ "${1:-}" = "--for-tests" ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from apt"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ]; then
    say "installing the end-to-end test's packages"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
say "ready"
