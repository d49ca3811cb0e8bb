//! The file system benchmark, natively: `cargo run --release --example vfs_bench`.
//! (`scripts/bench-vfs.sh` runs it and its in-browser twin, `tests/bench_vfs_browser.rs`.)
//!
//! Writes 64 MiB in 16-byte pieces and reads it back, buffered and unbuffered, and prints
//! throughput, raw call counts and the ratio to `BufWriter`/`BufReader`, then the same
//! throughputs as `FIGURE vfs_native_…` lines for `scripts/bench.sh`. It asserts no
//! speed; it exits with an error only if the data read back differs from what was written.

// The workload and the table are shared with the in-browser runner; see that file's header.
#[path = "../tests/common/vfs_workload.rs"]
mod vfs_workload;

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    if cfg!(debug_assertions) {
        eprintln!("vfs_bench: a debug build; figures mean something only with --release");
    }
    let origin = Instant::now();
    let now = move || origin.elapsed().as_secs_f64() * 1000.0;
    let passes = vfs_workload::run_all(&now);
    let platform = format!("native {}-{}, release profile", std::env::consts::ARCH, std::env::consts::OS);
    print!("{}", vfs_workload::table(&platform, &passes));
    print!("{}", vfs_workload::figures("vfs_native", &passes));
    if passes.iter().all(|p| p.verified) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
