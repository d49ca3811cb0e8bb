//! The logging benchmark, natively: `cargo run --release --example logging_bench`.
//!
//! 100,000 records through a rotating file handler (1 MB, 3 backups) on the virtual file
//! system with the format `%(asctime)s - %(levelname)s - %(message)s`, then 100,000 calls
//! at a disabled level; and CPython's `logging` doing the same into a temporary directory
//! in the same run (`tests/logging_cpython/bench.py`, timed inside Python). Prints a table
//! and the ratio, then the rates as `FIGURE logging_{native,cpython}_{enabled,disabled}_per_s`
//! lines for `scripts/bench.sh`; asserts nothing about speed. It fails only if the files
//! are wrong.

use std::process::{Command, ExitCode};
use std::time::Instant;

use notebook::logging::{self, get_logger, Formatter, RotatingFileHandler, INFO};
use notebook::vfs::{FileSystem, DEFAULT_QUOTA};

const RECORDS: usize = 100_000;
const MAX_BYTES: u64 = 1024 * 1024;
const BACKUPS: u32 = 3;
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/logging_cpython/bench.py");

struct Figures {
    label: String,
    enabled_s: f64,
    disabled_s: f64,
    files: Vec<(String, u64)>,
}

fn rust_run() -> Result<Figures, String> {
    logging::reset();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("bench");
    log.set_level(INFO);
    log.set_propagate(false);
    let formatter =
        Formatter::new("%(asctime)s - %(levelname)s - %(message)s", None).map_err(|e| e.to_string())?;
    let handler = RotatingFileHandler::new(fs.clone(), "app.log", "a", MAX_BYTES, BACKUPS, false)
        .map_err(|e| e.to_string())?
        .with_formatter(formatter);
    log.add_handler(&handler);

    let start = Instant::now();
    for i in 0..RECORDS {
        log.info_with(|| format!("record {i} of the benchmark"));
    }
    let enabled_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    for i in 0..RECORDS {
        log.debug_with(|| format!("record {i} of the benchmark"));
    }
    let disabled_s = start.elapsed().as_secs_f64();

    logging::shutdown();
    let mut names = fs.listdir(".").map_err(|e| e.to_string())?;
    names.sort();
    let files = names
        .into_iter()
        .map(|n| fs.getsize(&n).map(|s| (n, s)).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let platform = format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS);
    Ok(Figures {
        label: format!("Rust, virtual file system (native {platform})"),
        enabled_s,
        disabled_s,
        files,
    })
}

fn python_run() -> Result<Figures, String> {
    let dir = std::env::temp_dir().join(format!("logging_bench_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let output = Command::new("python3")
        .arg(SCRIPT)
        .arg(&dir)
        .arg(RECORDS.to_string())
        .output()
        .map_err(|e| format!("python3 did not start: {e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    if !output.status.success() {
        return Err(format!("python3 failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())?;
    let files = v["files"]
        .as_object()
        .map(|m| m.iter().map(|(k, s)| (k.clone(), s.as_u64().unwrap_or(0))).collect())
        .unwrap_or_default();
    Ok(Figures {
        label: format!("CPython {} logging, temporary directory", v["python"].as_str().unwrap_or("?")),
        enabled_s: v["enabled_seconds"].as_f64().unwrap_or(f64::NAN),
        disabled_s: v["disabled_seconds"].as_f64().unwrap_or(f64::NAN),
        files,
    })
}

fn rate(seconds: f64) -> String {
    let r = RECORDS as f64 / seconds;
    if r >= 1e6 {
        format!("{:.2} M/s", r / 1e6)
    } else {
        format!("{:.0} k/s", r / 1e3)
    }
}

/// The run's rates as `FIGURE logging_{who}_…_per_s` lines, for `scripts/bench.sh`.
fn figures(who: &str, f: &Figures) {
    println!("FIGURE logging_{who}_enabled_per_s {:.0}", RECORDS as f64 / f.enabled_s);
    println!("FIGURE logging_{who}_disabled_per_s {:.0}", RECORDS as f64 / f.disabled_s);
}

fn check(f: &Figures) -> bool {
    let names: Vec<&str> = f.files.iter().map(|(n, _)| n.as_str()).collect();
    let ok = names == ["app.log", "app.log.1", "app.log.2", "app.log.3"]
        && f.files.iter().all(|(_, s)| *s <= MAX_BYTES);
    if !ok {
        eprintln!("logging_bench: unexpected files for {}: {:?}", f.label, f.files);
    }
    ok
}

fn main() -> ExitCode {
    if cfg!(debug_assertions) {
        eprintln!("logging_bench: a debug build; figures mean something only with --release");
    }
    let rust = match rust_run() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("logging_bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let python = python_run();
    let mut ok = check(&rust);

    println!("{RECORDS} records, rotating file handler (1 MB, 3 backups), format %(asctime)s - %(levelname)s - %(message)s\n");
    println!("| run | enabled: s | enabled: records/s | disabled level: s | disabled: calls/s |");
    println!("|---|---:|---:|---:|---:|");
    let row = |f: &Figures| {
        println!(
            "| {} | {:.3} | {} | {:.4} | {} |",
            f.label,
            f.enabled_s,
            rate(f.enabled_s),
            f.disabled_s,
            rate(f.disabled_s)
        )
    };
    row(&rust);
    match &python {
        Ok(p) => {
            row(p);
            ok &= check(p);
            println!();
            println!(
                "ratio Rust / CPython: {:.1}x records/s enabled, {:.1}x calls/s at a disabled level",
                p.enabled_s / rust.enabled_s,
                p.disabled_s / rust.disabled_s
            );
        }
        Err(e) => println!("\n(CPython not measured: {e})"),
    }
    println!("\nfiles (bytes): Rust {:?}", rust.files);
    if let Ok(p) = &python {
        println!("               CPython {:?}", p.files);
    }
    println!();
    figures("native", &rust);
    if let Ok(p) = &python {
        figures("cpython", p);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
