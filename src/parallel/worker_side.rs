//! The worker side of a process, the same in a web worker and in the simulated host: reads
//! the kernel's messages, runs each job's items in order, sends prints, requests and
//! results back. A panicking task ends the loop after reporting `Panicked`, so the kernel
//! treats the process as dead (in the browser the panic also aborts the wasm instance).

use litemap::LiteMap;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use futures::future::{self, LocalBoxFuture};
use futures::{FutureExt, StreamExt};
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::link::Link;
use super::message::{decode, encode, FromWorker, Outcome, Packet, Request, ToWorker};
use super::task_context::TaskContext;
use super::tasks::Registry;
use crate::platform::Platform;

/// Sends a message to the kernel; a message that cannot be encoded is dropped.
fn send(out: &Rc<dyn Fn(Packet)>, message: &FromWorker) {
    send_with(out, message, None);
}

/// Sends a message with a file's bytes beside it.
fn send_with(out: &Rc<dyn Fn(Packet)>, message: &FromWorker, bytes: Option<Vec<u8>>) {
    if let Ok(text) = encode(message) {
        out(Packet { text, bytes });
    }
}

/// A reply from the kernel: its outcome and the bytes that came beside it.
type Answer = (Outcome, Option<Vec<u8>>);

/// The worker's requests waiting for the kernel's replies.
struct RemoteLink {
    out: Rc<dyn Fn(Packet)>,
    next_id: Cell<u64>,
    pending: RefCell<LiteMap<u64, oneshot::Sender<Answer>>>,
}

impl RemoteLink {
    /// Sends `request` (with `bytes` beside it) and waits for the kernel's answer.
    fn ask(&self, request: Request, bytes: Option<Vec<u8>>) -> LocalBoxFuture<'static, Result<Answer>> {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let (sender, receiver) = oneshot::channel();
        self.pending.borrow_mut().insert(id, sender);
        send_with(&self.out, &FromWorker::Request { id, request }, bytes);
        Box::pin(async move { receiver.await.map_err(|_| Error::process("the kernel dropped the request")) })
    }
}

impl Link for RemoteLink {
    fn memory(&self, id: u64) -> Option<super::shared_memory::SharedMemory> {
        super::shared_memory::received(id)
    }

    fn call(&self, request: Request) -> LocalBoxFuture<'static, Result<Json>> {
        let answer = self.ask(request, None);
        Box::pin(async move { answer.await?.0 })
    }

    fn file(
        &self,
        request: Request,
        bytes: Option<Vec<u8>>,
    ) -> LocalBoxFuture<'static, Result<Option<Vec<u8>>>> {
        let answer = self.ask(request, bytes);
        Box::pin(async move {
            let (outcome, bytes) = answer.await?;
            outcome.map(|_| bytes)
        })
    }
}

struct Job {
    id: u64,
    task: String,
    items: Vec<Json>,
}

/// Called with a worker's name and pid when the kernel gives them.
pub type OnInit = Rc<dyn Fn(&str, u32)>;

/// Serves the kernel until its messages end or a task panics, running `tasks` (the
/// registry the kernel's host names). `out` sends a message to the kernel; `platform`
/// gives the worker's timers.
pub async fn serve(
    tasks: Registry,
    inbox: mpsc::UnboundedReceiver<Packet>,
    out: Rc<dyn Fn(Packet)>,
    platform: Rc<dyn Platform>,
) {
    serve_with(tasks, inbox, out, platform, Rc::new(|_: &str, _: u32| {})).await
}

/// [`serve`], calling `on_init` with the worker's name and pid when the kernel gives them
/// (a real worker process sets up its logging there).
pub async fn serve_with(
    tasks: Registry,
    mut inbox: mpsc::UnboundedReceiver<Packet>,
    out: Rc<dyn Fn(Packet)>,
    platform: Rc<dyn Platform>,
    on_init: OnInit,
) {
    let link =
        Rc::new(RemoteLink { out: Rc::clone(&out), next_id: Cell::new(0), pending: Default::default() });
    let identity = Rc::new(RefCell::new((String::from("worker"), 0u32)));
    let (jobs, mut job_queue) = mpsc::unbounded::<Job>();
    send(&out, &FromWorker::Ready);

    let reader = {
        let (link, identity) = (Rc::clone(&link), Rc::clone(&identity));
        async move {
            while let Some(Packet { text, bytes }) = inbox.next().await {
                match decode::<ToWorker>(&text) {
                    Ok(ToWorker::Init { name, pid }) => {
                        on_init(&name, pid);
                        *identity.borrow_mut() = (name, pid);
                    }
                    Ok(ToWorker::Run { job, task, items }) => {
                        let _ = jobs.unbounded_send(Job { id: job, task, items });
                    }
                    Ok(ToWorker::Reply { id, result }) => {
                        if let Some(waiting) = link.pending.borrow_mut().remove(&id) {
                            let _ = waiting.send((result, bytes));
                        }
                    }
                    Err(e) => {
                        let text = format!("worker: ignoring a malformed message: {e}\n");
                        send(&link.out, &FromWorker::Print { text, stderr: true });
                    }
                }
            }
        }
    };

    let runner = async move {
        while let Some(job) = job_queue.next().await {
            let (name, pid) = identity.borrow().clone();
            let print_out = Rc::clone(&out);
            let print: Rc<dyn Fn(String, bool)> =
                Rc::new(move |text, stderr| send(&print_out, &FromWorker::Print { text, stderr }));
            let link: Rc<dyn Link> = link.clone();
            let cx = TaskContext::new(name, pid, link, print, Rc::clone(&platform));
            let began = platform.shared_clock_ms();
            match run_job(&tasks, &cx, &job).await {
                Ok(results) => {
                    let ended_ms = platform.shared_clock_ms();
                    send(&out, &FromWorker::Done { job: job.id, results, began_ms: began, ended_ms })
                }
                Err(message) => {
                    send(&out, &FromWorker::Panicked { message });
                    return;
                }
            }
        }
    };
    future::select(reader.boxed_local(), runner.boxed_local()).await;
}

/// Runs a job's items in order; `Err` carries a panic's message.
async fn run_job(tasks: &Registry, cx: &TaskContext, job: &Job) -> std::result::Result<Vec<Outcome>, String> {
    let mut results = Vec::with_capacity(job.items.len());
    for item in &job.items {
        let task = match tasks.get(&job.task) {
            Ok(task) => task,
            Err(e) => {
                results.push(Err(e));
                continue;
            }
        };
        let (cx, item) = (cx.clone(), item.clone());
        let call = async move { task(cx, item).await };
        match AssertUnwindSafe(call).catch_unwind().await {
            Ok(outcome) => results.push(outcome),
            Err(payload) => return Err(panic_message(payload.as_ref())),
        }
    }
    Ok(results)
}

/// The text a panic was raised with.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic with no message".to_string()
    }
}
