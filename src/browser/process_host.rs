//! Worker processes as real web workers, started by the kernel worker (nested workers) on
//! this same module's `process_main`. A worker's messages and its death (an `error`
//! event, kept from reaching the kernel's own error handler) go to the process table.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::js_error_text;
use super::worker::spawn_worker;
use crate::parallel::{Error, Result, Spawner, WorkerEvent, WorkerHandle, WorkerHost};

/// Starts web workers.
#[derive(Debug, Default)]
pub struct BrowserHost;

type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(ErrorEvent)>);

struct BrowserWorker {
    worker: Worker,
    handlers: RefCell<Option<Handlers>>,
}

impl BrowserWorker {
    fn stop(&self) {
        // The handlers may be running right now (a worker's message can end it): drop them
        // once the current event is over. Nothing to do if already stopped.
        let Some(handlers) = self.handlers.borrow_mut().take() else { return };
        self.worker.set_onmessage(None);
        // An error event already queued (a panic's trap, which follows its `Panicked`
        // message) still fires after `terminate`: a plain JS handler keeps swallowing it,
        // or it would reach the kernel's scope and the page would restart the kernel.
        let swallow = js_sys::Function::new_with_args("event", "event.preventDefault()");
        self.worker.set_onerror(Some(&swallow));
        self.worker.terminate();
        wasm_bindgen_futures::spawn_local(async move { drop(handlers) });
    }
}

impl WorkerHandle for BrowserWorker {
    fn send(&self, text: String) {
        if let Err(e) = self.worker.post_message(&JsValue::from_str(&text)) {
            web_sys::console::warn_1(&format!("cannot post to a worker: {}", js_error_text(&e)).into());
        }
    }

    fn terminate(&self) {
        self.stop();
    }
}

impl Drop for BrowserWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

impl WorkerHost for BrowserHost {
    fn start(
        &self,
        name: &str,
        events: Rc<dyn Fn(WorkerEvent)>,
        _spawner: &Spawner,
    ) -> Result<Rc<dyn WorkerHandle>> {
        let worker = spawn_worker("process_main", name)
            .map_err(|e| Error::process(format!("cannot start a worker: {}", js_error_text(&e))))?;
        let on_message = {
            let events = Rc::clone(&events);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    events(WorkerEvent::Message(text));
                }
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            // Handled here: unhandled, it would reach the kernel's scope as its own error.
            event.prevent_default();
            let message = event.message();
            events(WorkerEvent::Died(if message.is_empty() {
                "an uncaught error".to_string()
            } else {
                message
            }));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Rc::new(BrowserWorker { worker, handlers: RefCell::new(Some((on_message, on_error))) }))
    }

    fn cpu_count(&self) -> usize {
        let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into());
        let cores = navigator.and_then(|n| js_sys::Reflect::get(&n, &"hardwareConcurrency".into()));
        cores.ok().and_then(|c| c.as_f64()).map_or(4, |c| (c as usize).max(1))
    }
}
