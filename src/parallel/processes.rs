//! The kernel's process table: every worker started by a cell run, who started it, what
//! it is doing; the routing of each worker's messages (prints to the cell's output,
//! requests to the files and IPC objects, results to the pool or process that owns it);
//! and the means to stop a run's workers or list the live ones.
//!
//! The kernel owns one `Processes` (`Kernel::processes`). Its API for the kernel:
//! - [`Processes::begin_run`] when a cell starts, [`super::Run::end`] when it stops for
//!   any reason (finished, failed, or Stop): the run's workers are terminated and its
//!   threads cancelled. `Kernel::execute` already does both.
//! - [`Processes::list`] for a workers panel, [`Processes::set_listener`] to hear of
//!   every change to that list, [`Processes::stop_all`] to end every worker at once.

use litemap::LiteMap;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use futures::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::group::Spawner;
use super::host::{WorkerEvent, WorkerHandle, WorkerHost};
use super::link::Link;
use super::message::{decode, encode, FromWorker, Outcome, Packet, Request, ToWorker};
use super::shared_memory::SharedMemory;
use super::store::{Served, Store};
use crate::platform::Platform;
use crate::vfs::{FileSystem, IoError};

/// Where a run's printed text goes: the text, and whether it is an error.
pub type Printer = Rc<dyn Fn(String, bool)>;

/// What a worker is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerState {
    /// Started, not yet listening.
    Starting,
    /// Waiting for work.
    Idle,
    /// Running a task.
    Busy,
}

impl WorkerState {
    /// Its name as the workers panel shows it (and as it is serialized).
    pub fn name(self) -> &'static str {
        match self {
            WorkerState::Starting => "starting",
            WorkerState::Idle => "idle",
            WorkerState::Busy => "busy",
        }
    }
}

/// One live worker, as a workers panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkerInfo {
    /// Its name, e.g. `SpawnPoolWorker-3`.
    pub name: String,
    /// Its process id.
    pub pid: u32,
    /// What it is doing.
    pub state: WorkerState,
    /// The task it runs, if busy.
    pub task: Option<String>,
    /// The cell whose run started it.
    pub cell: String,
}

/// What the owner of a worker (a pool, a process) hears.
pub(crate) enum Note {
    /// A job ended: one outcome per item.
    Done { job: u64, results: Vec<Outcome> },
    /// The worker died; its running job, if any, is lost.
    Died { message: String },
}

/// The run a worker belongs to.
#[derive(Clone)]
pub(crate) struct RunTag {
    pub id: u64,
    pub cell: String,
    pub printer: Printer,
    pub spawner: Spawner,
}

struct Entry {
    info: WorkerInfo,
    run: u64,
    handle: Rc<dyn WorkerHandle>,
    ready: bool,
    backlog: Vec<Packet>,
    /// The newest shared-memory object sent to the worker (they are sent in id order).
    memory_sent: u64,
    owner: Rc<dyn Fn(u32, Note)>,
    printer: Printer,
    spawner: Spawner,
}

pub(crate) struct Shared {
    pub(crate) host: Option<Rc<dyn WorkerHost>>,
    pub(crate) platform: Rc<dyn Platform>,
    fs: FileSystem,
    pub(crate) store: Rc<Store>,
    workers: RefCell<LiteMap<u32, Entry>>,
    next_pid: Cell<u32>,
    next_name: Cell<u32>,
    pub(crate) next_run: Cell<u64>,
    listener: RefCell<Option<Rc<dyn Fn()>>>,
    /// Every job sent to a worker, for the timeline of a run (the newest [`KEPT_SPANS`]:
    /// a queue, so dropping the oldest does not move the rest).
    spans: RefCell<VecDeque<JobSpan>>,
}

/// One job on one worker: when it was sent and when its results came back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobSpan {
    /// The run that sent it.
    pub run: u64,
    /// The worker's name.
    pub worker: String,
    /// The worker's pid.
    pub pid: u32,
    /// The job's number.
    pub job: u64,
    /// The task it ran.
    pub task: String,
    /// How many items it carried.
    pub items: usize,
    /// When it was sent, on the platform's clock (ms).
    pub start_ms: f64,
    /// When its results came back, if they did.
    pub end_ms: Option<f64>,
    /// When the worker began and ended it, on this clock too, once its results are back:
    /// its time at work, which the messages' travel does not blur.
    pub worked_ms: Option<(f64, f64)>,
}

/// How many job spans are kept (the oldest are dropped first).
const KEPT_SPANS: usize = 20_000;

/// The process table (cheap to clone; clones share it).
#[derive(Clone)]
pub struct Processes {
    pub(crate) shared: Rc<Shared>,
}

impl Processes {
    /// A table whose workers start on `host` (`None`: starting a worker fails with a clear
    /// error), sleep and time on `platform`, and have their file requests served from `fs`.
    pub fn new(host: Option<Rc<dyn WorkerHost>>, platform: Rc<dyn Platform>, fs: FileSystem) -> Processes {
        Processes {
            shared: Rc::new(Shared {
                host,
                platform,
                fs,
                store: Rc::new(Store::default()),
                workers: RefCell::new(LiteMap::new()),
                next_pid: Cell::new(1),
                next_name: Cell::new(0),
                next_run: Cell::new(0),
                listener: RefCell::new(None),
                spans: RefCell::default(),
            }),
        }
    }

    /// The live workers, by pid.
    pub fn list(&self) -> Vec<WorkerInfo> {
        self.shared.workers.borrow().values().map(|e| e.info.clone()).collect()
    }

    /// The jobs run `run` sent to its workers, in the order sent (for a timeline).
    pub fn spans_of_run(&self, run: u64) -> Vec<JobSpan> {
        self.shared.spans.borrow().iter().filter(|s| s.run == run).cloned().collect()
    }

    /// Calls `listener` after every change to [`Processes::list`] (a worker started,
    /// became busy or idle, ended).
    pub fn set_listener(&self, listener: impl Fn() + 'static) {
        *self.shared.listener.borrow_mut() = Some(Rc::new(listener));
    }

    /// Terminates every worker of run `run` (its owners are not told: the run is over).
    pub fn stop_run(&self, run: u64) {
        let pids: Vec<u32> =
            self.shared.workers.borrow().values().filter(|e| e.run == run).map(|e| e.info.pid).collect();
        for pid in pids {
            self.shared.terminate(pid);
        }
        self.shared.store.drop_run(run);
    }

    /// Terminates every worker.
    pub fn stop_all(&self) {
        let pids: Vec<u32> = self.shared.workers.borrow().keys().copied().collect();
        for pid in pids {
            self.shared.terminate(pid);
        }
    }

    /// How many workers a pool gets by default (`os.cpu_count()`; 1 without a host).
    pub fn cpu_count(&self) -> usize {
        self.shared.host.as_ref().map_or(1, |h| h.cpu_count().max(1))
    }

    /// Whether the workers run side by side (web workers), not taking turns (simulated).
    pub fn side_by_side(&self) -> bool {
        self.shared.host.as_ref().is_some_and(|h| h.side_by_side())
    }

    /// How many IPC objects exist (they go when their run ends).
    pub fn object_count(&self) -> usize {
        self.shared.store.count()
    }

    /// A link to the kernel's files and objects for code running in the kernel.
    pub fn local_link(&self) -> Rc<dyn Link> {
        Rc::new(LocalLink { shared: Rc::downgrade(&self.shared) })
    }
}

/// The kernel's own way to its objects: a direct call.
struct LocalLink {
    shared: Weak<Shared>,
}

impl Link for LocalLink {
    fn memory(&self, id: u64) -> Option<SharedMemory> {
        self.shared.upgrade().and_then(|shared| shared.store.memory(id))
    }

    fn call(&self, request: Request) -> LocalBoxFuture<'static, Result<Json>> {
        let Some(shared) = self.shared.upgrade() else {
            return Box::pin(async { Err(Error::process("the kernel's process table is gone")) });
        };
        match shared.serve(request) {
            Served::Now(result) => Box::pin(async move { result }),
            Served::Later(future) => future,
        }
    }

    fn file(
        &self,
        request: Request,
        bytes: Option<Vec<u8>>,
    ) -> LocalBoxFuture<'static, Result<Option<Vec<u8>>>> {
        let result = match self.shared.upgrade() {
            Some(shared) => shared.serve_file(request, bytes),
            None => Err(Error::process("the kernel's process table is gone")),
        };
        Box::pin(async move { result })
    }
}

impl Shared {
    fn changed(&self) {
        let listener = self.listener.borrow().clone();
        if let Some(listener) = listener {
            listener();
        }
    }

    /// Fails unless the host's workers know a task called `name` (without a host, starting
    /// the worker fails instead, with the reason).
    pub(crate) fn check_task(&self, name: &str) -> Result<()> {
        self.host.as_ref().map_or(Ok(()), |host| host.tasks().check(name))
    }

    /// A fresh name: `prefix-N`, numbered across all workers as Python numbers them.
    pub(crate) fn next_name(&self, prefix: &str) -> String {
        let n = self.next_name.get() + 1;
        self.next_name.set(n);
        format!("{prefix}-{n}")
    }

    /// Starts a worker called `name` for `run`; `owner` hears its results and its death
    /// (with its pid).
    pub(crate) fn start(
        self: &Rc<Self>,
        run: &RunTag,
        name: String,
        owner: Rc<dyn Fn(u32, Note)>,
    ) -> Result<u32> {
        let host =
            self.host.clone().ok_or_else(|| Error::process("this platform cannot start worker processes"))?;
        let pid = self.next_pid.get() + 1;
        self.next_pid.set(pid);
        let weak = Rc::downgrade(self);
        let events: Rc<dyn Fn(WorkerEvent)> = Rc::new(move |event| {
            if let Some(shared) = weak.upgrade() {
                shared.on_event(pid, event);
            }
        });
        let handle = host.start(&name, events, &run.spawner)?;
        let init = encode(&ToWorker::Init { name: name.clone(), pid })?;
        let info = WorkerInfo { name, pid, state: WorkerState::Starting, task: None, cell: run.cell.clone() };
        let entry = Entry {
            info,
            run: run.id,
            handle,
            ready: false,
            backlog: vec![init.into()],
            memory_sent: 0,
            owner,
            printer: Rc::clone(&run.printer),
            spawner: run.spawner.clone(),
        };
        self.workers.borrow_mut().insert(pid, entry);
        self.changed();
        Ok(pid)
    }

    /// Sends worker `pid` a job: `task` on each of `items`.
    pub(crate) fn run_job(&self, pid: u32, job: u64, task: &str, items: Vec<Json>) -> Result<()> {
        let items_len = items.len();
        let text = encode(&ToWorker::Run { job, task: task.to_string(), items })?;
        {
            let mut workers = self.workers.borrow_mut();
            let entry = workers
                .get_mut(&pid)
                .ok_or_else(|| Error::process(format!("no live process with pid {pid}")))?;
            entry.info.state = WorkerState::Busy;
            entry.info.task = Some(task.to_string());
            let span = JobSpan {
                run: entry.run,
                worker: entry.info.name.clone(),
                pid,
                job,
                task: task.to_string(),
                items: items_len,
                start_ms: self.platform.now_ms(),
                end_ms: None,
                worked_ms: None,
            };
            let mut spans = self.spans.borrow_mut();
            if spans.len() >= KEPT_SPANS {
                spans.pop_front();
            }
            spans.push_back(span);
        }
        self.send(pid, text.into());
        self.changed();
        Ok(())
    }

    /// Stops worker `pid` at once; its owner is not told.
    pub(crate) fn terminate(&self, pid: u32) {
        let entry = self.workers.borrow_mut().remove(&pid);
        if let Some(entry) = entry {
            entry.handle.terminate();
            self.changed();
        }
    }

    fn send(&self, pid: u32, packet: Packet) {
        let (handle, memory) = {
            let mut workers = self.workers.borrow_mut();
            let Some(entry) = workers.get_mut(&pid) else { return };
            if !entry.ready {
                entry.backlog.push(packet);
                return;
            }
            (Rc::clone(&entry.handle), self.new_memory(entry))
        };
        handle.send_with_memory(packet, &memory);
    }

    /// The shared-memory objects `entry`'s worker has not been given yet (every one made
    /// before a message goes with it, so a handle the message carries finds its memory).
    fn new_memory(&self, entry: &mut Entry) -> Vec<SharedMemory> {
        let memory = self.store.memory_after(entry.memory_sent);
        if let Some(last) = memory.last() {
            entry.memory_sent = last.layout().id;
        }
        memory
    }

    fn on_event(self: &Rc<Self>, pid: u32, event: WorkerEvent) {
        let Packet { text, bytes } = match event {
            WorkerEvent::Died(message) => return self.died(pid, message),
            WorkerEvent::Message(packet) => packet,
        };
        let Ok(message) = decode::<FromWorker>(&text) else {
            return self.died(pid, format!("it sent a malformed message: {text}"));
        };
        match message {
            FromWorker::Ready => self.ready(pid),
            FromWorker::Log { record } => {
                // As a QueueListener would, but the kernel's logger levels still apply.
                if crate::logging::get_logger(&record.name).is_enabled_for(record.levelno) {
                    crate::logging::handle_record(&record);
                }
            }
            FromWorker::Print { text, stderr } => {
                let printer = self.workers.borrow().get(&pid).map(|e| Rc::clone(&e.printer));
                if let Some(printer) = printer {
                    printer(text, stderr);
                }
            }
            FromWorker::Request { id, request } if request.is_file() => {
                match self.serve_file(request, bytes) {
                    Ok(bytes) => self.reply_with(pid, id, Ok(Json::Null), bytes),
                    Err(e) => self.reply(pid, id, Err(e)),
                }
            }
            FromWorker::Request { id, request } => match self.serve(request) {
                Served::Now(result) => self.reply(pid, id, result),
                Served::Later(answer) => {
                    let spawner = self.workers.borrow().get(&pid).map(|e| e.spawner.clone());
                    let weak = Rc::downgrade(self);
                    let task = async move {
                        let result = answer.await;
                        if let Some(shared) = weak.upgrade() {
                            shared.reply(pid, id, result);
                        }
                    };
                    if let Some(spawner) = spawner {
                        spawner.spawn(Box::pin(task));
                    }
                }
            },
            FromWorker::Done { job, results, began_ms, ended_ms } => {
                let now = self.platform.now_ms();
                // The shared clock, moved to this one (they differ by a constant).
                let shift = self.platform.shared_clock_ms() - now;
                if let Some(span) =
                    self.spans.borrow_mut().iter_mut().rev().find(|s| s.pid == pid && s.job == job)
                {
                    span.end_ms = Some(now);
                    span.worked_ms = Some((began_ms - shift, ended_ms - shift));
                }
                let owner = {
                    let mut workers = self.workers.borrow_mut();
                    let Some(entry) = workers.get_mut(&pid) else { return };
                    entry.info.state = WorkerState::Idle;
                    entry.info.task = None;
                    Rc::clone(&entry.owner)
                };
                self.changed();
                owner(pid, Note::Done { job, results });
            }
            FromWorker::Panicked { message } => self.died(pid, format!("panicked: {message}")),
        }
    }

    fn ready(&self, pid: u32) {
        let (handle, backlog) = {
            let mut workers = self.workers.borrow_mut();
            let Some(entry) = workers.get_mut(&pid) else { return };
            entry.ready = true;
            if entry.info.state == WorkerState::Starting {
                entry.info.state = WorkerState::Idle;
            }
            (Rc::clone(&entry.handle), std::mem::take(&mut entry.backlog))
        };
        for packet in backlog {
            let memory = {
                let mut workers = self.workers.borrow_mut();
                workers.get_mut(&pid).map(|entry| self.new_memory(entry)).unwrap_or_default()
            };
            handle.send_with_memory(packet, &memory);
        }
        self.changed();
    }

    fn reply(&self, pid: u32, id: u64, result: Outcome) {
        self.reply_with(pid, id, result, None);
    }

    /// Replies with a file's bytes beside the outcome (a read's).
    fn reply_with(&self, pid: u32, id: u64, result: Outcome, bytes: Option<Vec<u8>>) {
        match encode(&ToWorker::Reply { id, result }) {
            Ok(text) => self.send(pid, Packet { text, bytes }),
            Err(e) => {
                if let Ok(text) = encode(&ToWorker::Reply { id, result: Err(e) }) {
                    self.send(pid, text.into());
                }
            }
        }
    }

    fn died(&self, pid: u32, message: String) {
        let entry = self.workers.borrow_mut().remove(&pid);
        let Some(entry) = entry else { return };
        entry.handle.terminate();
        self.changed();
        let text = format!("process {} (pid {pid}) died: {message}", entry.info.name);
        (entry.owner)(pid, Note::Died { message: text });
    }

    /// Serves a request from a worker or from the kernel's own code; a read or a write
    /// of a whole file goes to [`Shared::serve_file`], with its bytes.
    pub(crate) fn serve(&self, request: Request) -> Served {
        let file = |result: std::result::Result<Json, IoError>| Served::Now(result.map_err(Error::from));
        match request {
            Request::ReadFile { .. } | Request::WriteFile { .. } => Served::Now(Err(Error::value(
                "a file's bytes travel beside the message: ask with Link::file",
            ))),
            Request::AppendText { path, text } => file(self.fs.open(&path, "a").and_then(|mut f| {
                f.write(&text)?;
                f.close()?;
                Ok(Json::Null)
            })),
            other => self.store.serve(other, &self.platform),
        }
    }

    /// Serves a whole-file request: a read answers the file's bytes, a write takes
    /// `bytes` (a write without them is refused, a read with them ignores them).
    pub(crate) fn serve_file(&self, request: Request, bytes: Option<Vec<u8>>) -> Result<Option<Vec<u8>>> {
        match (request, bytes) {
            (Request::ReadFile { path }, _) => Ok(Some(self.fs.read_file(&path)?)),
            (Request::WriteFile { path }, Some(data)) => {
                self.fs.write_file(&path, &data)?;
                Ok(None)
            }
            (Request::WriteFile { path }, None) => {
                Err(Error::value(format!("a write of {path:?} came without its bytes")))
            }
            // `on_event` and `LocalLink::file` bring only the two above.
            _ => Err(Error::value("only a read or a write of a whole file goes with bytes")),
        }
    }
}
