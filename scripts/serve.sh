#!/usr/bin/env bash
# Command 1: builds the notebook and serves it on http://127.0.0.1:8080 (Ctrl+C stops).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec trunk serve --offline "$@"
