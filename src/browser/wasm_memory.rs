//! How large this module's memory is where it runs (the page, the kernel, a worker
//! process). WebAssembly memory grows and never shrinks, so this is the high-water mark of
//! the session there: the end-to-end tests read it (through the glue module, in the page
//! and in the kernel's worker) to hold the memory a file costs to a bound.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The byte length of this module's memory here.
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}
