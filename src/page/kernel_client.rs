//! The page's side of the kernel: starts the kernel worker, sends it requests, hands its
//! messages on, and replaces it on restart or when it dies.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::browser::{
    cross_origin_isolated, incoming, js_error_text, outgoing, spawn_worker, take_early_messages, BufferCells,
};
use crate::notebook::protocol::{Header, IdSource, Message, ToKernel, ToPage};
use crate::parallel::Cells as _;

/// A message from the kernel, its buffers (a file's bytes) left outside the page's module
/// as the `ArrayBuffer`s that arrived.
pub type KernelMessage = Message<ToPage, js_sys::ArrayBuffer>;

/// What the kernel worker reports.
pub enum KernelEvent {
    /// A protocol message.
    Message(KernelMessage),
    /// The worker died (a panic, a failed start); the text says why.
    Died(String),
}

/// Who hears the kernel's events (the page's controller).
type Handler = Rc<dyn Fn(KernelEvent)>;

/// A handle on the current kernel worker.
pub struct KernelClient {
    worker: RefCell<Option<Worker>>,
    ids: IdSource,
    /// Who hears the events; until one is set, they wait in `early`.
    handler: RefCell<Option<Handler>>,
    early: RefCell<Vec<KernelEvent>>,
    /// Counts workers started, so events from a replaced worker are ignored.
    generation: Cell<u32>,
    /// The flag Stop raises, shared with the current worker (when the page is
    /// cross-origin isolated): it reaches a script that never yields.
    stop_flag: RefCell<Option<BufferCells>>,
}

impl KernelClient {
    /// A client with no worker yet; call [`KernelClient::start`].
    pub fn new() -> Rc<KernelClient> {
        Rc::new(KernelClient {
            worker: RefCell::new(None),
            ids: IdSource::new("page"),
            handler: RefCell::new(None),
            early: RefCell::new(Vec::new()),
            generation: Cell::new(0),
            stop_flag: RefCell::new(None),
        })
    }

    /// Sets who receives the kernel's events, and hands it those that came before.
    pub fn set_handler(&self, handler: impl Fn(KernelEvent) + 'static) {
        let handler: Handler = Rc::new(handler);
        *self.handler.borrow_mut() = Some(Rc::clone(&handler));
        let early = std::mem::take(&mut *self.early.borrow_mut());
        early.into_iter().for_each(|event| handler(event));
    }

    fn emit(&self, generation: u32, event: KernelEvent) {
        if generation != self.generation.get() {
            return;
        }
        let handler = self.handler.borrow().clone();
        match handler {
            Some(handler) => handler(event),
            None => self.early.borrow_mut().push(event),
        }
    }

    /// Starts a kernel worker (terminating the current one, if any).
    pub fn start(self: &Rc<Self>) {
        self.terminate();
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        let worker = match spawn_worker("kernel_main", "kernel") {
            Ok(worker) => worker,
            Err(e) => {
                // Told after this task, when whoever started the kernel is listening.
                let (client, reason) = (Rc::downgrade(self), js_error_text(&e));
                gloo_timers::callback::Timeout::new(0, move || {
                    if let Some(client) = client.upgrade() {
                        client.emit(generation, KernelEvent::Died(reason));
                    }
                })
                .forget();
                return;
            }
        };
        let client = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(client) = client.upgrade() {
                client.hear(generation, &event);
            }
        });
        let client = Rc::downgrade(self);
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            if let Some(client) = client.upgrade() {
                client.emit(generation, KernelEvent::Died(event.message()));
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // A kernel the page's early script booted may have spoken already.
        for event in take_early_messages() {
            self.hear(generation, &event);
        }
        // Each worker's two handlers live as long as it might call them; a restart leaves
        // the old pair behind (a few bytes) rather than freeing a closure that may be running.
        on_message.forget();
        on_error.forget();
        *self.stop_flag.borrow_mut() = None;
        *self.worker.borrow_mut() = Some(worker);
    }

    /// Shares a new Stop flag with the worker, once it is ready (a message posted before
    /// the kernel listens is lost), if the page is cross-origin isolated.
    pub fn share_stop_flag(&self) {
        let flag = if cross_origin_isolated() { BufferCells::new(1) } else { None };
        if let (Some(flag), Some(worker)) = (&flag, self.worker.borrow().as_ref()) {
            let _ = worker.post_message(flag.buffer());
        }
        *self.stop_flag.borrow_mut() = flag;
    }

    /// Raises the Stop flag the worker shares, before the interrupt request is sent (the
    /// kernel lowers it when it handles the request).
    pub fn raise_stop_flag(&self) {
        if let Some(flag) = self.stop_flag.borrow().as_ref() {
            flag.store(0, 1);
        }
    }

    /// A message from the worker of `generation`.
    fn hear(&self, generation: u32, event: &MessageEvent) {
        match incoming(&event.data()).map(|(text, buffers)| Message::from_wire(&text, buffers)) {
            Some(Ok(message)) => self.emit(generation, KernelEvent::Message(message)),
            _ => web_sys::console::warn_1(&"page: ignoring a malformed kernel message".into()),
        }
    }

    /// Ends the current worker at once, whatever it is doing.
    pub fn terminate(&self) {
        if let Some(worker) = self.worker.borrow_mut().take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
    }

    /// Sends a request; returns its header, or `None` if no kernel is running.
    pub fn send(&self, body: ToKernel) -> Option<Header> {
        self.send_with(body, Vec::new())
    }

    /// Sends a request with binary parts (an upload's bytes), which are transferred: the
    /// page keeps no copy. Returns its header, or `None` if no kernel is running.
    pub fn send_with(&self, body: ToKernel, buffers: Vec<js_sys::ArrayBuffer>) -> Option<Header> {
        let message = self.ids.message_with(None, body, buffers);
        let worker = self.worker.borrow();
        let worker = worker.as_ref()?;
        let (data, transfer) = outgoing(&message.to_json(), &message.buffers);
        match worker.post_message_with_transfer(&data, &transfer) {
            Ok(()) => Some(message.header),
            Err(e) => {
                web_sys::console::error_2(&"page: cannot reach the kernel".into(), &e);
                None
            }
        }
    }
}
