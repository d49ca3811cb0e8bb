//! The kernel worker: boots the kernel on the saved files, hooks up their storage, and
//! hands every message the page posts to `Kernel::handle`, posting the kernel's messages
//! back. What to do with a message is the kernel's business, not the worker's.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::platform::BrowserPlatform;
use super::process_host::BrowserHost;
use super::shared_memory::BufferCells;
use super::storage::{keep_synced, Storage, SyncNews};
use super::wire;
use crate::exercises;
use crate::notebook::protocol::{
    ErrorContent, FilesReplaced, Header, Message, StorageStatus, ToKernel, ToPage,
};
use crate::notebook::{Kernel, Outbox};
use crate::vfs::{FileSystem, Replica, DEFAULT_QUOTA};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `message`; its buffers (a file's bytes, lent where they lie) are copied out of the
/// module's memory into `ArrayBuffer`s, which are transferred.
fn post(message: &Message<ToPage, &[u8]>) {
    let buffers: Vec<_> = message.buffers.iter().map(|bytes| wire::to_buffer(bytes)).collect();
    let (data, transfer) = wire::outgoing(&message.to_json(), &buffers);
    if let Err(e) = scope().post_message_with_transfer(&data, &transfer) {
        web_sys::console::error_2(&"kernel: cannot post a message".into(), &e);
    }
}

/// The page's message in `event`, its buffers left where they arrived: the kernel copies an
/// upload's into the file from there.
fn receive(event: &MessageEvent) -> Result<Message<ToKernel, js_sys::ArrayBuffer>, String> {
    let (text, buffers) = wire::incoming(&event.data()).ok_or("neither text nor text and buffers")?;
    Message::from_wire(&text, buffers).map_err(|e| e.to_string())
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
            body: ToPage::Error(ErrorContent {
                ename: "KernelPanic".into(),
                evalue: text.clone(),
                traceback: vec!["The kernel stopped on an internal error:".into(), text],
                line: None,
            }),
            buffers: Vec::new(),
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
    let outbox = Rc::new(Outbox::lending("kernel", |m| post(&m)));
    let fs = load_files(Rc::clone(&outbox)).await;
    let kernel = Kernel::with_files(
        exercises::catalog(),
        fs,
        Rc::clone(&outbox),
        Rc::new(BrowserPlatform),
        Some(Rc::new(BrowserHost::default())),
    );
    kernel.set_script_engine(super::script_engine::loader());
    let ready = Rc::clone(&kernel);
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        // The page's Stop flag comes once, as a bare shared buffer (see `notebook::StopFlag`).
        if let Some(buffer) = event.data().dyn_ref::<js_sys::SharedArrayBuffer>() {
            return kernel.share_stop_flag(Rc::new(BufferCells::over(buffer.clone())));
        }
        match receive(&event) {
            Ok(message) => kernel.handle(message),
            Err(error) => {
                web_sys::console::warn_1(&format!("kernel: ignoring a malformed message: {error}").into())
            }
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // the handler lives as long as the worker
    ready.announce(); // the page waits for this status before it sends anything
}

/// The files as the tabs of the notebook last saved them; without storage (private
/// browsing, quota refused, an older version of the notebook open in another tab) the
/// notebook still runs, on the starting files, in memory only, and tells the page so.
async fn load_files(outbox: Rc<Outbox>) -> FileSystem {
    let in_memory = |reason: String| {
        web_sys::console::warn_1(&format!("files will not persist: {reason}").into());
        outbox.send(None, ToPage::Storage(StorageStatus { persistent: false, reason: Some(reason) }));
        FileSystem::new()
    };
    let storage = match Storage::open(FILES_DATABASE).await {
        Ok(storage) => Rc::new(storage),
        Err(e) => return in_memory(format!("the browser refused its storage: {e}")),
    };
    let (fs, replica) = match storage.load().await {
        Ok(entries) if entries.is_empty() => (FileSystem::new(), Replica::new()),
        Ok(entries) => Replica::restore(entries, DEFAULT_QUOTA),
        // Not saved over: the save may be readable again after a reload.
        Err(e) => return in_memory(format!("the saved files could not be read: {e}")),
    };
    let reason = storage.lost_on_open().map(StorageStatus::lost_reason);
    outbox.send(None, ToPage::Storage(StorageStatus { persistent: true, reason }));
    let news = move |news: SyncNews| match news {
        SyncNews::Status(status) => outbox.send(None, ToPage::Storage(status)),
        SyncNews::Replaced(paths) => outbox.send(None, ToPage::FilesReplaced(FilesReplaced { paths })),
    };
    std::mem::forget(keep_synced(&fs, replica, storage, FILES_DATABASE, news)); // for good
    fs
}
