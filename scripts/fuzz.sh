#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (cargo fuzz) for a bounded time:
#
#   scripts/fuzz.sh [seconds]      default 30, shared evenly by the four targets
#   scripts/fuzz.sh 3600           an hour, on demand
#
# Targets (fuzz/fuzz_targets, bodies in fuzz/src): mode (open's mode parser), path (the
# path normaliser and the os operations on it), format (logging format and datefmt),
# ops (sequences of file operations on a small quota). A panic or a broken property
# stops the run with the input saved in fuzz/artifacts/<target>/; copy it into
# fuzz/seeds/<target>/ so that cargo test (tests/fuzz_replay.rs) replays it for good.
# Inputs that reach new code are kept in fuzz/corpus/<target>/ (not committed) and make
# the next run start further.
#
# The machine has a stable Rust only: cargo fuzz needs the unstable flags of the
# sanitizer-coverage instrumentation, which RUSTC_BOOTSTRAP=1 unlocks on a stable
# compiler, and --sanitizer none, since AddressSanitizer would need the standard library
# rebuilt (a nightly toolchain and rust-src). The code is safe Rust but for the counting
# allocator and one `set_len` (the file system's small appends, src/vfs/copy.rs), so what
# is fuzzed for is panics, aborts and broken properties; builds keep debug assertions and
# overflow checks on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 4 ]; then
  echo "usage: scripts/fuzz.sh [seconds, at least 4]" >&2
  exit 2
fi
# scripts/test.sh has made sure of the tools already.
[ -n "${TOOLS_READY:-}" ] || scripts/ensure-tools.sh --for-fuzz
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1

targets=(mode path format ops)
per=$((seconds / ${#targets[@]}))
cargo fuzz build --sanitizer none
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  log="fuzz/corpus/$target.log"
  # -rss_limit_mb and -malloc_limit_mb: a run that asks for more memory than this is a
  # failure (no operation on a file system with a 1 MiB quota needs hundreds of MiB).
  if ! cargo fuzz run --sanitizer none "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$per" -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz: $target FAILED; the input is in fuzz/artifacts/$target/ (see above)" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
  echo "fuzz: $target: ${runs:-?} inputs in ${per} s, ${cov:-cov: ?} edges, $(find "fuzz/corpus/$target" -type f | wc -l) in its corpus, no failure"
done
