//! The long run: `cargo run --release --example long_run` (or `scripts/long-run.sh`).
//!
//! 1. 1,000,000 log records through a `RotatingFileHandler` (256 KiB, 4 backups) on the
//!    virtual file system, every record accounted for: kept, whole and in order, or
//!    dropped by rotation as its rule says, the two adding up to what was logged.
//! 2. 100,000 file operations by four workers at once, twice: four tasks interleaved on
//!    one file system (as the notebook's threads share the kernel's), then four OS threads
//!    with a file system each; every file and the shared journal checked at the end.
//!
//! It prints the time, the peak memory above the start of each part (from the counting
//! allocator in `src/memory/`, which sees every allocation of the process) and the whole
//! process's peak. Nothing about time or memory is asserted; it exits with an error only
//! if a record or a byte was lost or wrong. `long_run [records] [operations]` runs other
//! sizes.

mod logs;
mod workers;

use std::process::ExitCode;

use notebook::memory::{format_bytes, format_count, snapshot, MemoryFigures};

fn memory(m: &MemoryFigures) -> String {
    format!(
        "peak {} above the start, {} held at the end, {} allocations",
        format_bytes(m.peak_bytes),
        format_bytes(m.held_bytes.max(0) as u64),
        format_count(m.allocations)
    )
}

fn print_work(title: &str, r: &workers::WorkReport) {
    println!("\n{title}");
    println!(
        "  {} operations in {:.2} s ({:.0} k/s)",
        format_count(r.operations),
        r.seconds,
        r.operations as f64 / r.seconds / 1e3
    );
    let kinds: Vec<String> = r.by_kind.iter().map(|(k, n)| format!("{k} {}", format_count(*n))).collect();
    println!("  by kind: {}", kinds.join(", "));
    println!(
        "  journal: {} lines, all whole and in each worker's order; {} files left, each as its worker last wrote it",
        format_count(r.journal_lines),
        r.files_left
    );
    if r.journal_switches > 0 {
        println!(
            "  the journal changes worker {} times between neighbouring lines",
            format_count(r.journal_switches)
        );
    }
    println!("  memory: {}", memory(&r.memory));
}

fn run(records: u64, operations: u64) -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!("long_run: a debug build; the times mean something only with --release");
    }
    let log = logs::run(records)?;
    println!("logging: RotatingFileHandler on the virtual file system");
    println!(
        "  {} records in {:.2} s ({:.0} k/s), {} rollovers",
        format_count(log.records),
        log.seconds,
        log.records as f64 / log.seconds / 1e3,
        log.rollovers
    );
    for (name, count, size) in &log.files {
        println!("  {name}: {} records, {}", format_count(*count), format_bytes(*size));
    }
    let kept: u64 = log.files.iter().map(|f| f.1).sum();
    println!(
        "  kept {} + dropped by rotation {} = {} logged: nothing lost",
        format_count(kept),
        format_count(log.dropped),
        format_count(kept + log.dropped)
    );
    println!("  memory: {}", memory(&log.memory));

    let shared = workers::interleaved(operations)?;
    print_work(
        "file operations: four tasks interleaved on one file system (shared quota and journal)",
        &shared,
    );
    let parallel = workers::parallel(operations)?;
    print_work("file operations: four OS threads at once, a file system each", &parallel);
    println!("\nprocess: peak {} held at once", format_bytes(snapshot().peak as u64));
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).map(|a| a.replace(['_', ','], "").parse::<u64>());
    let records = args.next().unwrap_or(Ok(1_000_000));
    let operations = args.next().unwrap_or(Ok(100_000));
    let (Ok(records), Ok(operations)) = (records, operations) else {
        eprintln!("usage: long_run [records] [operations]");
        return ExitCode::from(2);
    };
    match run(records, operations) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("long_run: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}
