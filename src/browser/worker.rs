//! Starts a web worker running this same wasm module: `worker.js` (beside the wasm-bindgen
//! glue) imports the glue, instantiates the already compiled module it is sent, and calls
//! the named entry point. URLs are relative to the glue, so any sub-path works.

use wasm_bindgen::prelude::*;
use web_sys::{Url, Worker, WorkerOptions, WorkerType};

#[wasm_bindgen]
extern "C" {
    /// The URL of the wasm-bindgen glue module (`import.meta.url` inside it).
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// Starts a module worker and tells it to run `entry` (an exported function of this crate).
pub fn spawn_worker(entry: &str, name: &str) -> Result<Worker, JsValue> {
    let glue = GLUE_URL.with(String::clone);
    let script = Url::new_with_base("worker.js", &glue)?.href();
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    options.set_name(name);
    let worker = Worker::new_with_options(&script, &options)?;
    let boot = js_sys::Object::new();
    js_sys::Reflect::set(&boot, &"glue".into(), &glue.into())?;
    js_sys::Reflect::set(&boot, &"module".into(), &wasm_bindgen::module())?;
    js_sys::Reflect::set(&boot, &"entry".into(), &entry.into())?;
    worker.post_message(&boot)?;
    Ok(worker)
}
