//! Thin browser glue, one browser API per file, shared by the page and the workers.
//!
//! - `worker`: starting a worker on this same module (and adopting the early one).
//! - `wire`: a protocol message as `postMessage` carries it, its binary parts transferred.
//! - `kernel_worker`: the kernel worker's entry: boots the kernel on the saved files, hooks
//!   up their storage, and hands every message to `Kernel::handle`.
//! - `storage`: the files in IndexedDB, a record per path shared by every tab: each saves
//!   what it changed and takes in what the others saved (`idb`: its requests as futures).
//! - `platform`: timers, the clock and tasks (`BrowserPlatform`).
//! - `process_host` (worker processes, from the kernel), `process_worker` (their entry),
//!   `shared_memory` (a `SharedArrayBuffer` for shared numbers when cross-origin isolated).
//! - `script_engine`: the script engine's module in the kernel's worker, loaded on first use.

mod idb;
mod kernel_worker;
mod platform;
mod process_host;
mod process_worker;
mod script_engine;
mod shared_memory;
pub mod storage;
mod wire;
mod worker;

pub use kernel_worker::kernel_main;
pub use platform::BrowserPlatform;
pub use process_host::BrowserHost;
pub use process_worker::process_main;
pub use shared_memory::{cross_origin_isolated, BufferCells};
pub use wire::{incoming, outgoing, to_buffer, to_bytes};
pub use worker::{spawn_worker, take_early_messages};

use wasm_bindgen::JsValue;

/// The global `name` of this page or worker (`undefined` where there is none).
pub(crate) fn global_value(name: &str) -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Whether this module runs in a page (a window), not in a worker.
pub fn in_window() -> bool {
    use wasm_bindgen::JsCast;
    js_sys::global().dyn_into::<web_sys::Window>().is_ok()
}

/// A JavaScript error value as readable text.
pub fn js_error_text(error: &JsValue) -> String {
    error.as_string().unwrap_or_else(|| {
        js_sys::Reflect::get(error, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{error:?}"))
    })
}
