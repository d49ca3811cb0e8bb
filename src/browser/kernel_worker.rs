//! The kernel worker: receives the page's messages, runs cells one at a time on the
//! worker's event loop, and posts every reply back. Stop arrives as an interrupt request
//! and aborts the running cell at its next wait.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use futures::future::AbortHandle;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::platform::BrowserPlatform;
use super::storage::{keep_saved, Storage};
use crate::exercises;
use crate::notebook::protocol::{
    Body, Empty, ErrorContent, ExecuteRequest, ExecutionState, Header, Message, StorageStatus,
};
use crate::notebook::{Kernel, Outbox};
use crate::vfs::{FileSystem, DEFAULT_QUOTA};

struct State {
    kernel: Rc<Kernel>,
    outbox: Rc<Outbox>,
    queue: VecDeque<(Header, ExecuteRequest)>,
    running: Option<AbortHandle>,
    busy: bool,
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &Message) {
    if let Err(e) = scope().post_message(&JsValue::from_str(&message.to_json())) {
        web_sys::console::error_2(&"kernel: cannot post a message".into(), &e);
    }
}

/// Entry point of the kernel worker (called by `worker.js`).
#[wasm_bindgen]
pub fn kernel_main() {
    std::panic::set_hook(Box::new(|info| {
        // A panic is a bug; report it to the page before the worker dies so the cell shows it.
        let text = info.to_string();
        web_sys::console::error_1(&text.clone().into());
        post(&Message {
            header: Header { msg_id: "kernel-panic".into() },
            parent_header: None,
            body: Body::Error(ErrorContent {
                ename: "KernelPanic".into(),
                evalue: text.clone(),
                traceback: vec!["The kernel stopped on an internal error:".into(), text],
            }),
        });
    }));
    wasm_bindgen_futures::spawn_local(boot());
}

/// The name of the IndexedDB database holding the files.
pub const FILES_DATABASE: &str = "rust-notebook-files";

/// Log records a console handler writes go to the worker's console, by level.
fn route_console_logging() {
    if let Err(e) = crate::logging::install_log_facade() {
        web_sys::console::warn_1(&format!("the log crate's macros will not reach the loggers: {e}").into());
    }
    crate::logging::set_console_sink(Some(Rc::new(|level: crate::logging::Level, line: &str| {
        let line = JsValue::from_str(line);
        match level.0 {
            l if l < 20 => web_sys::console::debug_1(&line),
            l if l < 30 => web_sys::console::info_1(&line),
            l if l < 40 => web_sys::console::warn_1(&line),
            _ => web_sys::console::error_1(&line),
        }
    })));
}

/// Loads the saved files (or starts with the starting files), then serves the page.
async fn boot() {
    route_console_logging();
    let outbox = Rc::new(Outbox::new("kernel", |m| post(&m)));
    let fs = load_files(Rc::clone(&outbox)).await;
    let kernel =
        Rc::new(Kernel::with_files(exercises::catalog(), fs, Rc::clone(&outbox), Rc::new(BrowserPlatform)));
    let ready = Rc::clone(&kernel);
    let state =
        Rc::new(RefCell::new(State { kernel, outbox, queue: VecDeque::new(), running: None, busy: false }));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        on_message(&state, event);
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // the handler lives as long as the worker
                      // Jupyter's kernels announce themselves with a status; the page waits for this one.
    ready.status(None, ExecutionState::Idle);
}

/// The files from the last save; without storage (private browsing, quota refused) the
/// notebook still runs, on the starting files, in memory only, and tells the page so.
async fn load_files(outbox: Rc<Outbox>) -> FileSystem {
    let in_memory = |reason: String| {
        web_sys::console::warn_1(&format!("files will not persist: {reason}").into());
        outbox.send(None, Body::Storage(StorageStatus { persistent: false, reason: Some(reason) }));
        FileSystem::new()
    };
    let storage = match Storage::open(FILES_DATABASE).await {
        Ok(storage) => Rc::new(storage),
        Err(e) => return in_memory(format!("the browser refused its storage: {e}")),
    };
    let fs = match storage.load().await {
        Ok(Some((records, blobs))) => FileSystem::restore(&records, &blobs, DEFAULT_QUOTA),
        Ok(None) => {
            let fs = FileSystem::new();
            fs.mark_all_dirty();
            fs
        }
        // Not saved over: the save may be readable again after a reload.
        Err(e) => return in_memory(format!("the saved files could not be read: {e}")),
    };
    outbox.send(None, Body::Storage(StorageStatus { persistent: true, reason: None }));
    std::mem::forget(keep_saved(&fs, storage, move |s| outbox.send(None, Body::Storage(s)))); // for good
    fs
}

fn on_message(state: &Rc<RefCell<State>>, event: MessageEvent) {
    let Some(text) = event.data().as_string() else { return };
    let message = match Message::from_json(&text) {
        Ok(message) => message,
        Err(error) => {
            web_sys::console::warn_1(&format!("kernel: ignoring a malformed message: {error}").into());
            return;
        }
    };
    match message.body {
        Body::ExecuteRequest(request) => {
            let start = {
                let mut s = state.borrow_mut();
                s.queue.push_back((message.header, request));
                !std::mem::replace(&mut s.busy, true)
            };
            if start {
                wasm_bindgen_futures::spawn_local(drain(Rc::clone(state)));
            }
        }
        Body::InputReply(reply) => {
            let kernel = Rc::clone(&state.borrow().kernel);
            kernel.reply_input(reply.value);
        }
        Body::BreakpointReply(reply) => {
            let kernel = Rc::clone(&state.borrow().kernel);
            kernel.reply_breakpoint(reply.action);
        }
        Body::FileRequest(request) => {
            let kernel = Rc::clone(&state.borrow().kernel);
            kernel.file_request(&message.header, request);
        }
        Body::InterruptRequest(_) => {
            let s = state.borrow();
            if let Some(handle) = &s.running {
                handle.abort();
            }
            s.outbox.send(Some(&message.header), Body::InterruptReply(Empty {}));
        }
        _ => {}
    }
}

/// Runs queued requests until none is left.
async fn drain(state: Rc<RefCell<State>>) {
    loop {
        let (kernel, header, request, registration) = {
            let mut s = state.borrow_mut();
            let Some((header, request)) = s.queue.pop_front() else {
                s.busy = false;
                return;
            };
            let (handle, registration) = AbortHandle::new_pair();
            s.running = Some(handle);
            (Rc::clone(&s.kernel), header, request, registration)
        };
        kernel.execute(&header, request, registration).await;
        state.borrow_mut().running = None;
    }
}
