//! A notebook in one static page. The same WebAssembly module runs as the page (drawing
//! cells), as the kernel (a web worker that owns the state and runs cells) and, later, as
//! worker processes. See `ARCHITECTURE.md` for the map.

pub mod case;
pub mod clock;
pub mod decimal;
pub mod exception_name;
pub mod exercises;
pub mod json;
pub mod logging;
pub mod memory;
pub mod notebook;
pub mod parallel;
pub mod platform;
pub mod pyrepr;
pub mod vfs;
pub mod words;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod page;

/// Runs when the module is instantiated: in the page it builds the notebook; in a worker
/// it does nothing, and `worker.js` calls the worker's own entry point instead.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    if browser::in_window() {
        console_error_panic_hook::set_once();
        page::start();
    }
}
