//! The script engine's module in the kernel's worker. The loader has `worker.js` fetch
//! and start it (on the first script run); each command goes to its `call`, and its calls
//! into the notebook come back through `globalThis.notebookScriptHost` to the host of the
//! command being run (its question "was Stop pressed?" through `notebookScriptInterrupted`). A trap of the engine's module (a Boa panic, its stack exhausted)
//! throws out of `call`: the answer is then empty, which the run reports as the engine's
//! crash, and the next run loads a fresh engine.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use script_wire::{Engine, Host};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::notebook::script::EngineLoader;

thread_local! {
    /// The host of the command being run.
    static HOST: RefCell<Option<Rc<dyn Host>>> = const { RefCell::new(None) };
}

/// Loads the engine's module on first use.
pub fn loader() -> EngineLoader {
    Rc::new(|| Box::pin(load()))
}

async fn load() -> Result<Box<dyn Engine>, String> {
    let global = js_sys::global();
    let why = |e: JsValue| {
        e.as_string()
            .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
            .unwrap_or_else(|| "unknown".into())
    };
    let start: Function = Reflect::get(&global, &"notebookLoadScriptEngine".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this worker cannot load the script engine")?;
    let started: Promise = start.call0(&global).map_err(why)?.dyn_into().map_err(|_| "no promise")?;
    let handle =
        JsFuture::from(started).await.map_err(|e| format!("its module did not load ({})", why(e)))?;
    let call: Function = Reflect::get(&handle, &"call".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("its module has no `call`")?;
    answer_the_engine(&global)?;
    Ok(Box::new(BrowserEngine { handle, call }))
}

/// Sets `globalThis.notebookScriptHost` and `notebookScriptInterrupted`, which the engine
/// asks as it runs whether Stop was pressed (once per worker).
fn answer_the_engine(global: &JsValue) -> Result<(), String> {
    if Reflect::has(global, &"notebookScriptHost".into()).unwrap_or(false) {
        return Ok(());
    }
    let host = Closure::<dyn Fn(Uint8Array) -> Uint8Array>::new(|request: Uint8Array| {
        let host = HOST.with(|h| h.borrow().clone());
        let answer = match host {
            Some(host) => host.answer(&request.to_vec()),
            None => Vec::new(),
        };
        Uint8Array::from(answer.as_slice())
    });
    Reflect::set(global, &"notebookScriptHost".into(), host.as_ref())
        .map_err(|_| "cannot reach the engine")?;
    host.forget(); // for the worker's life
    let interrupted = Closure::<dyn Fn() -> bool>::new(|| {
        HOST.with(|h| h.borrow().as_ref().is_some_and(|host| host.interrupted()))
    });
    Reflect::set(global, &"notebookScriptInterrupted".into(), interrupted.as_ref())
        .map_err(|_| "cannot reach the engine")?;
    interrupted.forget(); // for the worker's life
    Ok(())
}

/// The engine in its module.
struct BrowserEngine {
    handle: JsValue,
    call: Function,
}

impl Engine for BrowserEngine {
    fn call(&mut self, command: &[u8], host: &Rc<dyn Host>) -> Vec<u8> {
        let previous = HOST.with(|h| h.replace(Some(Rc::clone(host))));
        let answer = self.call.call1(&self.handle, &Uint8Array::from(command));
        HOST.with(|h| *h.borrow_mut() = previous);
        match answer {
            Ok(bytes) => bytes.dyn_into::<Uint8Array>().map(|b| b.to_vec()).unwrap_or_default(),
            Err(error) => {
                web_sys::console::error_2(&"the script engine failed:".into(), &error);
                Vec::new()
            }
        }
    }
}
