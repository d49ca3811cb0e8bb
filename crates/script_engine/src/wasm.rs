//! The engine as the browser's second module: the kernel's worker loads it on the first
//! script run (`www/worker.js`'s `notebookLoadScriptEngine`) and calls [`EngineHandle::call`];
//! the engine's calls into the notebook go to `globalThis.notebookScriptHost`, which the
//! kernel's module set (`browser::script_engine`). Both directions are `script_wire` bytes;
//! "was Stop pressed?" is `globalThis.notebookScriptInterrupted`, asked as the script runs.

use std::rc::Rc;

use script_wire::Host;
use wasm_bindgen::prelude::*;

use crate::ScriptEngine;

#[wasm_bindgen]
extern "C" {
    /// The kernel's answer to one encoded call.
    #[wasm_bindgen(js_namespace = globalThis, js_name = notebookScriptHost)]
    fn notebook_script_host(request: &[u8]) -> Vec<u8>;

    /// Whether Stop was pressed (the page's flag, which the kernel reads).
    #[wasm_bindgen(catch, js_namespace = globalThis, js_name = notebookScriptInterrupted)]
    fn notebook_script_interrupted() -> Result<bool, JsValue>;
}

/// The kernel's module, reached through JavaScript.
struct KernelHost;

impl Host for KernelHost {
    fn answer(&self, request: &[u8]) -> Vec<u8> {
        notebook_script_host(request)
    }

    fn interrupted(&self) -> bool {
        notebook_script_interrupted().unwrap_or(false)
    }
}

/// One engine, with its realm.
#[wasm_bindgen]
pub struct EngineHandle {
    engine: ScriptEngine,
    host: Rc<dyn Host>,
}

#[wasm_bindgen]
impl EngineHandle {
    /// A fresh engine with the standard library loaded.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<EngineHandle, String> {
        Ok(EngineHandle { engine: ScriptEngine::new()?, host: Rc::new(KernelHost) })
    }

    /// Runs one encoded command; answers its encoded outcome.
    pub fn call(&mut self, command: &[u8]) -> Vec<u8> {
        script_wire::Engine::call(&mut self.engine, command, &self.host)
    }
}
