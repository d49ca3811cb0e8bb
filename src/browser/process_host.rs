//! Worker processes as real web workers, started by the kernel worker (nested workers) on
//! this same module's `process_main`. A worker's messages and its death (an `error`
//! event, kept from reaching the kernel's own error handler) go to the process table.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::js_error_text;
use super::process_worker;
use super::shared_memory::{cross_origin_isolated, outgoing, BufferCells};
use super::worker::spawn_worker;
use crate::parallel::tasks::Registry;
use crate::parallel::{
    Cells, Error, Packet, Result, SharedMemory, Spawner, WorkerEvent, WorkerHandle, WorkerHost,
};

/// Starts web workers. Shared values and arrays of numbers get a `SharedArrayBuffer` when
/// the kernel is cross-origin isolated (else they are served by messages).
#[derive(Debug)]
pub struct BrowserHost {
    memory: Memory,
    /// What the workers serve: built by the function their entry (`process_main`) uses.
    tasks: Registry,
}

impl Default for BrowserHost {
    fn default() -> BrowserHost {
        BrowserHost::with_memory(Memory::default())
    }
}

/// When shared values get a `SharedArrayBuffer`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Memory {
    /// When the kernel is cross-origin isolated.
    #[default]
    WhenIsolated,
    /// Wherever one can be made.
    Always,
    /// Never: always by messages.
    Never,
}

impl BrowserHost {
    /// A host that uses a `SharedArrayBuffer` wherever one can be made, isolated or not
    /// (for tests in a browser started with `--enable-features=SharedArrayBuffer`).
    pub fn with_shared_memory() -> BrowserHost {
        BrowserHost::with_memory(Memory::Always)
    }

    /// A host that serves shared values by messages even where the kernel is isolated.
    pub fn with_messages_only() -> BrowserHost {
        BrowserHost::with_memory(Memory::Never)
    }

    fn with_memory(memory: Memory) -> BrowserHost {
        BrowserHost { memory, tasks: process_worker::tasks() }
    }
}

thread_local! {
    /// One error handler for every stopped worker: it only calls `preventDefault`. (A Rust
    /// closure, not a function made from a string, which the page's CSP forbids.)
    static SWALLOW_ERROR: Closure<dyn Fn(web_sys::Event)> =
        Closure::new(|event: web_sys::Event| event.prevent_default());
}

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
        SWALLOW_ERROR.with(|swallow| self.worker.set_onerror(Some(swallow.as_ref().unchecked_ref())));
        self.worker.terminate();
        wasm_bindgen_futures::spawn_local(async move { drop(handlers) });
    }
}

impl WorkerHandle for BrowserWorker {
    fn send(&self, packet: Packet) {
        self.send_with_memory(packet, &[]);
    }

    fn send_with_memory(&self, packet: Packet, memory: &[SharedMemory]) {
        let (message, transfer) = outgoing(packet, memory);
        if let Err(e) = self.worker.post_message_with_transfer(&message, &transfer) {
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
    fn tasks(&self) -> &Registry {
        &self.tasks
    }

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
                if let Some(packet) = super::shared_memory::incoming(&event.data()) {
                    events(WorkerEvent::Message(packet));
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

    fn shared_memory(&self, len: usize) -> Option<Rc<dyn Cells>> {
        let wanted = match self.memory {
            Memory::WhenIsolated => cross_origin_isolated(),
            Memory::Always => true,
            Memory::Never => false,
        };
        if !wanted {
            return None;
        }
        BufferCells::new(len).map(|cells| Rc::new(cells) as _)
    }

    fn cpu_count(&self) -> usize {
        let navigator = super::global_value("navigator");
        let cores = js_sys::Reflect::get(&navigator, &"hardwareConcurrency".into());
        cores.ok().and_then(|c| c.as_f64()).map_or(4, |c| (c as usize).max(1))
    }
}
