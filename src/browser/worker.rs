//! Starts a web worker running this same wasm module. The boot script is `www/worker.js`,
//! compiled in and started from a Blob URL, so no file has to be served beside the glue
//! (the test runner serves none); it imports the wasm-bindgen glue by its absolute URL
//! (`import.meta.url` of the glue, so any sub-path works), instantiates the compiled
//! module it is sent (`wasm_bindgen::module()`), and calls the named entry point. Workers
//! started from a worker (the kernel starting processes) boot the same way.

use wasm_bindgen::prelude::*;

use super::global_value;
use web_sys::{Blob, BlobPropertyBag, Url, Worker, WorkerOptions, WorkerType};

#[wasm_bindgen]
extern "C" {
    /// The URL of the wasm-bindgen glue module (`import.meta.url` inside it).
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// The boot script, one source of truth with the file Trunk copies.
const BOOT_SCRIPT: &str = include_str!("../../www/worker.js");

thread_local! {
    /// The boot script's Blob URL, made once per page or worker.
    static BOOT_URL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

fn boot_url() -> Result<String, JsValue> {
    if let Some(url) = BOOT_URL.with(|u| u.borrow().clone()) {
        return Ok(url);
    }
    let parts = js_sys::Array::of1(&JsValue::from_str(BOOT_SCRIPT));
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    BOOT_URL.with(|u| *u.borrow_mut() = Some(url.clone()));
    Ok(url)
}

/// Starts a module worker called `name` and tells it to run `entry` (an exported
/// function of this crate). The kernel's worker may have been started, and booted, by the
/// page's early script already: see [`take_early_kernel`].
pub fn spawn_worker(entry: &str, name: &str) -> Result<Worker, JsValue> {
    let early = if entry == "kernel_main" { take_early_kernel()? } else { None };
    let worker = match early {
        Some(EarlyKernel { worker, booted: true }) => return Ok(worker),
        Some(EarlyKernel { worker, booted: false }) => worker,
        None => {
            let options = WorkerOptions::new();
            options.set_type(WorkerType::Module);
            options.set_name(name);
            Worker::new_with_options(&boot_url()?, &options)?
        }
    };
    let boot = js_sys::Object::new();
    js_sys::Reflect::set(&boot, &"glue".into(), &GLUE_URL.with(String::clone).into())?;
    js_sys::Reflect::set(&boot, &"module".into(), &wasm_bindgen::module())?;
    js_sys::Reflect::set(&boot, &"entry".into(), &entry.into())?;
    worker.post_message(&boot)?;
    Ok(worker)
}

/// The page's globals through which `www/early-kernel.js` hands over the kernel worker it
/// started while this module was still loading: the worker, whether it has sent it its boot
/// message, what the worker said before the page listened, and its failure (an error
/// before the page was listening).
const EARLY_KERNEL: &str = "notebookEarlyKernel";
const EARLY_KERNEL_BOOTED: &str = "notebookEarlyKernelBooted";
const EARLY_KERNEL_EVENTS: &str = "notebookEarlyKernelEvents";
const EARLY_KERNEL_ERROR: &str = "notebookEarlyKernelError";

/// The kernel worker the early script started.
struct EarlyKernel {
    worker: Worker,
    /// The early script has sent it the compiled module and its entry point.
    booted: bool,
}

/// Takes the worker `www/early-kernel.js` started (once: a restarted kernel is a new
/// worker), and tells that script not to start one if it has not run yet. An early worker
/// that already failed is ended and its error returned, so it counts as a failed start.
fn take_early_kernel() -> Result<Option<EarlyKernel>, JsValue> {
    let early = global_value(EARLY_KERNEL);
    // `null` from now on: the page has its kernel, the early script must not start one.
    let _ = js_sys::Reflect::set(&js_sys::global(), &JsValue::from_str(EARLY_KERNEL), &JsValue::NULL);
    if !early.is_object() {
        return Ok(None);
    }
    // Not `dyn_into`: its `instanceof Worker` fails where a test has replaced `Worker`.
    let worker: Worker = early.unchecked_into();
    match global_value(EARLY_KERNEL_ERROR).as_string() {
        Some(reason) => {
            worker.terminate();
            Err(JsValue::from_str(&reason))
        }
        None => Ok(Some(EarlyKernel { worker, booted: global_value(EARLY_KERNEL_BOOTED).is_truthy() })),
    }
}

/// What the early kernel said before the page listened, in order (taken once). Call it
/// right after setting the worker's own message handler, in the same task.
pub fn take_early_messages() -> Vec<web_sys::MessageEvent> {
    let events = global_value(EARLY_KERNEL_EVENTS);
    let _ = js_sys::Reflect::set(&js_sys::global(), &JsValue::from_str(EARLY_KERNEL_EVENTS), &JsValue::NULL);
    match events.dyn_into::<js_sys::Array>() {
        Ok(events) => events.iter().map(JsCast::unchecked_into).collect(),
        Err(_) => Vec::new(),
    }
}
