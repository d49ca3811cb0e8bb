//! The file system benchmark in headless Chromium: the same workload and table as
//! `examples/vfs_bench.rs`, timed with `performance.now()`. Not part of `scripts/test.sh`
//! (it takes seconds, and figures are not tests); run it in release mode, or the figures
//! are the debug build's:
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown \
//!     --test bench_vfs_browser -- --nocapture
//! ```
//!
//! Besides the table it prints `FIGURE vfs_chromium_…` lines for `scripts/bench.sh`.
//! `--nocapture` makes the runner show the table (it hides console output of passing tests
//! otherwise); the runner gives up after `WASM_BINDGEN_TEST_TIMEOUT` seconds (20 by default),
//! which `scripts/bench-vfs.sh` raises. The test asserts only that the data read back is the
//! data written.
#![cfg(target_arch = "wasm32")]

// The workload and the table, shared with the native runner: Cargo builds no target from
// a file in a subfolder of `tests/`, so the file is compiled only where it is included.
#[path = "common/vfs_workload.rs"]
mod vfs_workload;

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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

#[wasm_bindgen_test]
fn vfs_write_and_read_in_16_byte_pieces() {
    let performance = web_sys::window().and_then(|w| w.performance()).expect("a page has performance");
    let now = move || performance.now();
    let passes = vfs_workload::run_all(&now);
    let profile = if cfg!(debug_assertions) { "DEBUG build: figures meaningless" } else { "release profile" };
    let platform = format!("wasm32 in {}, {profile}", browser());
    console_log!("{}", vfs_workload::table(&platform, &passes));
    console_log!("{}", vfs_workload::figures("vfs_chromium", &passes));
    for pass in &passes {
        assert!(pass.verified, "{} pass: the data read back differs from the data written", pass.name);
    }
}
