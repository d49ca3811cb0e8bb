#!/usr/bin/env bash
# The long run (not part of scripts/test.sh: it takes a while and prints figures):
# 1,000,000 log records through a rotating file handler and 100,000 file operations by
# four workers at once, every record and byte accounted for, with the time and the peak
# memory of each part. See examples/long_run/main.rs.
#
#   scripts/long-run.sh                      the default sizes
#   scripts/long-run.sh 5000000 1000000      more records, more operations
#
# It fails only if something was lost or wrong; nothing about time or memory is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo run --locked --quiet --release --example long_run -- "$@"
