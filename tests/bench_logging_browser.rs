//! The logging benchmark in headless Chromium: the workload of `examples/logging_bench.rs`
//! (100,000 records through a rotating file handler, 1 MiB and 3 backups, on the virtual
//! file system, format `%(asctime)s - %(levelname)s - %(message)s`, then 100,000 calls at a
//! disabled level), timed with `performance.now()`. CPython cannot run here;
//! `scripts/bench-logging.sh` runs this test and the native example (which times CPython
//! in the same run) and prints the browser / CPython ratio. Run it in release mode, or the
//! figures are the debug build's:
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=300 cargo test --release \
//!     --target wasm32-unknown-unknown --test bench_logging_browser -- --nocapture
//! ```
//!
//! It runs on the page's main thread (the notebook's kernel runs the same code in a
//! worker). It prints a table row in the native example's shape and the rates as
//! `FIGURE logging_chromium_{enabled,disabled}_per_s` lines for the scripts, and asserts
//! only that the four log files exist.
#![cfg(target_arch = "wasm32")]

use notebook::logging::{self, get_logger, Formatter, RotatingFileHandler, INFO};
use notebook::vfs::{FileSystem, DEFAULT_QUOTA};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const RECORDS: usize = 100_000;
const MAX_BYTES: u64 = 1024 * 1024;
const BACKUPS: u32 = 3;

/// The browser and its version, from the user agent (`HeadlessChrome/…`), or all of it.
fn browser() -> String {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator"));
    let agent = navigator
        .and_then(|n| js_sys::Reflect::get(&n, &JsValue::from_str("userAgent")))
        .ok()
        .and_then(|ua| ua.as_string())
        .unwrap_or_else(|| "an unknown browser".to_string());
    let chrome = agent.split(' ').find(|t| t.starts_with("HeadlessChrome/") || t.starts_with("Chrome/"));
    chrome.map_or(agent.clone(), str::to_string)
}

/// Records (or calls) per second, as the native example prints them.
fn rate(seconds: f64) -> String {
    let r = RECORDS as f64 / seconds;
    if r >= 1e6 {
        format!("{:.2} M/s", r / 1e6)
    } else {
        format!("{:.0} k/s", r / 1e3)
    }
}

#[wasm_bindgen_test]
fn logging_100k_records_through_a_rotating_file_handler() {
    let performance = web_sys::window().and_then(|w| w.performance()).expect("a page has performance");
    logging::reset();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("bench");
    log.set_level(INFO);
    log.set_propagate(false);
    let formatter =
        Formatter::new("%(asctime)s - %(levelname)s - %(message)s", None).expect("a valid format");
    let handler = RotatingFileHandler::new(fs.clone(), "app.log", "a", MAX_BYTES, BACKUPS, false)
        .expect("the log file opens")
        .with_formatter(formatter);
    log.add_handler(&handler);

    let start = performance.now();
    for i in 0..RECORDS {
        log.info_with(|| format!("record {i} of the benchmark"));
    }
    let enabled_s = (performance.now() - start) / 1000.0;

    let start = performance.now();
    for i in 0..RECORDS {
        log.debug_with(|| format!("record {i} of the benchmark"));
    }
    let disabled_s = (performance.now() - start) / 1000.0;
    logging::shutdown();

    let mut names = fs.listdir(".").expect("the directory lists");
    names.sort();
    let files: Vec<(String, u64)> =
        names.into_iter().map(|n| (n.clone(), fs.getsize(&n).unwrap_or(0))).collect();
    let profile = if cfg!(debug_assertions) { "DEBUG build: figures meaningless" } else { "release profile" };
    console_log!(
        "{RECORDS} records, rotating file handler (1 MB, 3 backups), format %(asctime)s - %(levelname)s - %(message)s\n\n\
         | run | enabled: s | enabled: records/s | disabled level: s | disabled: calls/s |\n\
         |---|---:|---:|---:|---:|\n\
         | Rust, virtual file system (wasm32 in {}, {profile}) | {enabled_s:.3} | {} | {disabled_s:.4} | {} |\n\n\
         files (bytes): {files:?}\n\n\
         FIGURE logging_chromium_enabled_per_s {:.0}\n\
         FIGURE logging_chromium_disabled_per_s {:.0}",
        browser(),
        rate(enabled_s),
        rate(disabled_s),
        RECORDS as f64 / enabled_s,
        RECORDS as f64 / disabled_s,
    );
    for name in ["app.log", "app.log.1", "app.log.2", "app.log.3"] {
        assert!(files.iter().any(|(n, _)| n == name), "{name} exists: {files:?}");
    }
}
