#!/bin/sh
# Trunk post-build hook (before the others): builds the script engine's module
# (crates/script_engine, Boa) and its wasm-bindgen glue into engine/ of the staged site.
# The kernel's worker loads it on the first script run; the first load never fetches it.
set -eu
: "${TRUNK_STAGING_DIR:?run me as a Trunk hook}"
# The engine's own profile (Cargo.toml): opt-level 3, as an interpreter runs every script.
cargo build --offline --locked --profile engine -p script_engine --target wasm32-unknown-unknown
target="${CARGO_TARGET_DIR:-target}"
wasm-bindgen --target web --no-typescript --out-dir "$TRUNK_STAGING_DIR/engine" \
  "$target/wasm32-unknown-unknown/engine/script_engine.wasm"
