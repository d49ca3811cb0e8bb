#!/usr/bin/env bash
# Command 3: every benchmark of the project, and one table of their figures.
#
# Builds the release site, then measures, each beside its comparison in the same run:
#   first-load size of dist/, gzipped         scripts/bench-size.py        (budget 500 KB)
#   each crate's share of the module's code   scripts/bench-crates.py      (a list, not in the table)
#   start-up, cold loads of dist/ in Chromium tests/e2e/startup.bench.mjs  (budget 150 ms)
#   file system, native, CPython, Chromium    scripts/bench-vfs.sh         (std BufWriter/BufReader, CPython io)
#   logger, native, CPython, Chromium         scripts/bench-logging.sh     (CPython logging)
#   pools of 1, 2, 4 workers, threads         scripts/bench-parallel.sh    (one worker)
#   script cells: first run, writes, a loop   tests/e2e/script.bench.mjs   (budget 1 s; Rust; V8)
# Each prints its own tables and `FIGURE <name> <value>` lines; scripts/bench-table.py
# gathers those into one Markdown table, printed last under a description of the machine.
# Everything is kept in target/bench/ (one log per benchmark, the table in table.md).
# Figures are printed, never asserted; a benchmark fails only if its data are wrong. Not
# part of scripts/test.sh: figures are not tests.
#
#   scripts/bench.sh            # STARTUP_LOADS=10 cold loads by default
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh --for-tests
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# The runner stops a browser test after 20 s by default; a busy machine needs more.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
loads="${STARTUP_LOADS:-10}"
if ! command -v python3 >/dev/null; then
  echo "bench: python3 is needed (CPython is a comparison, and it gathers the table)" >&2
  exit 1
fi

out=target/bench
mkdir -p "$out"
rm -f "$out"/*.log "$out"/table.md
step() { printf '\n==> %s\n' "$*"; }
began=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

step "release build of the site (trunk build --release --offline)"
trunk build --release --offline
step "first-load size (python3 scripts/bench-size.py dist)"
python3 scripts/bench-size.py dist | tee "$out/size.log"
step "each crate's share of the module's code (python3 scripts/bench-crates.py)"
# The site's module again, with its names kept (its own target folder, so the site's build
# is not redone), through wasm-bindgen as Trunk does: the code is the shipped module's.
names=target/crate-sizes
CARGO_PROFILE_SITE_STRIP=false CARGO_TARGET_DIR="$names" \
  cargo build --locked --profile site --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir "$names/bindgen" "$names/wasm32-unknown-unknown/site/notebook.wasm"
python3 scripts/bench-crates.py "$names/bindgen/notebook_bg.wasm" | tee "$out/crates.log"
step "start-up, $loads cold loads of dist/ in headless Chromium (node tests/e2e/startup.bench.mjs)"
(cd tests/e2e && node startup.bench.mjs "$loads") | tee "$out/startup.log"
step "script cells (node tests/e2e/script.bench.mjs)"
(cd tests/e2e && node script.bench.mjs) | tee "$out/script.log"
step "file system (scripts/bench-vfs.sh)"
scripts/bench-vfs.sh 2>&1 | tee "$out/vfs.log"
step "logger (scripts/bench-logging.sh)"
scripts/bench-logging.sh 2>&1 | tee "$out/logging.log"
step "parallelism (scripts/bench-parallel.sh)"
scripts/bench-parallel.sh 2>&1 | tee "$out/parallel.log"

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit + changes"; fi
{
  echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sm)"
  echo "Load average (1, 5, 15 min): $load_before before, $load_after after"
  echo "Tools: $(rustc --version); $(chromium --version 2>/dev/null || echo 'chromium ?');" \
    "$(python3 --version); node $(node --version)"
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(($(date +%s) - began)) s in all"
  echo
  python3 scripts/bench-table.py "$out"/*.log || status=$?
} > "$out/table.md"
step "all figures (also in $out/table.md)"
cat "$out/table.md"
exit "${status:-0}"
