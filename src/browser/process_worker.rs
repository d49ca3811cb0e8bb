//! The entry point of a worker process: a web worker started by the kernel on this same
//! module. It runs `parallel::serve`, the worker side shared with the native simulated
//! host, on the site's tasks ([`tasks`], which the kernel's `BrowserHost` checks names
//! against). A panic posts `Panicked` with its message before the wasm instance aborts, so
//! the kernel fails only the task it ran and replaces the worker.

use std::rc::Rc;

use futures::channel::mpsc;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::platform::BrowserPlatform;
use crate::logging::{self, Emit, Handler, LogError, ProcessInfo, Record, NOTSET};
use crate::parallel::tasks::Registry;
use crate::parallel::{serve_with, FromWorker, Packet};

/// The tasks every worker process serves and the kernel checks names against: the
/// course's, and a script's pool function (run by the worker's own script engine).
pub(crate) fn tasks() -> Registry {
    let mut tasks = crate::exercises::tasks::registry();
    crate::notebook::script::add_script_task(&mut tasks, super::script_engine::loader());
    tasks
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(packet: Packet) {
    let (message, transfer) = super::shared_memory::outgoing(packet, &[]);
    if let Err(e) = scope().post_message_with_transfer(&message, &transfer) {
        web_sys::console::error_2(&"process: cannot post a message".into(), &e);
    }
}

/// Entry point of a worker process (called by `worker.js`).
#[wasm_bindgen]
pub fn process_main() {
    std::panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(text) => (*text).to_string(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_else(|| info.to_string()),
        };
        let location =
            info.location().map(|l| format!(" (at {}:{})", l.file(), l.line())).unwrap_or_default();
        web_sys::console::error_1(&info.to_string().into());
        post(
            crate::json::to_string(&FromWorker::Panicked { message: format!("{message}{location}") }).into(),
        );
    }));
    let (inbox, messages) = mpsc::unbounded::<Packet>();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(packet) = super::shared_memory::incoming(&event.data()) {
            let _ = inbox.unbounded_send(packet);
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // the handler lives as long as the worker
    let on_init = Rc::new(|name: &str, pid: u32| forward_logging(name, pid));
    let serving = serve_with(tasks(), messages, Rc::new(post), Rc::new(BrowserPlatform), on_init);
    wasm_bindgen_futures::spawn_local(serving);
}

/// Python's `QueueHandler`: sends each record to the kernel, which runs it through its own
/// loggers and handlers (so a worker's records land in the same files and viewer).
struct ToKernel;

impl Emit for ToKernel {
    fn emit(&mut self, record: &Record, _line: &str) -> Result<(), LogError> {
        post(crate::json::to_string(&FromWorker::Log { record: Box::new(record.clone()) }).into());
        Ok(())
    }
}

/// Names this process in its records and forwards every record to the kernel; the
/// kernel's logger levels decide what is kept.
fn forward_logging(name: &str, pid: u32) {
    logging::set_process_info(ProcessInfo { pid, name: name.to_string(), ..ProcessInfo::default() });
    let root = logging::root();
    root.set_level(NOTSET);
    for handler in root.handlers() {
        root.remove_handler(&handler);
    }
    root.add_handler(Handler::new("QueueHandler", ToKernel));
}
