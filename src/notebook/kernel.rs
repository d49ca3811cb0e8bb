//! The kernel: owns the notebook's state (the file system, the execution counter, the
//! running cell) and answers every message from the page with messages back. It is a
//! message-in, message-out state machine: [`Kernel::handle`] takes one request and sends
//! its answers through the outbox; a cell runs as a task on the platform's event loop,
//! which the kernel keeps the abort handle of. It has no browser code:
//! `browser::kernel_worker` only feeds it what `postMessage` brings, and native tests
//! drive the same entry.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::future::{AbortHandle, AbortRegistration, Abortable, LocalBoxFuture};

use super::catalog::Catalog;
use super::cell::{CellContext, CellError, InputSlot};
use super::debugger::BreakpointSlot;
use super::file_watch::FileWatch;
use super::outbox::Outbox;
use super::protocol::{
    Buffer, Empty, ErrorContent, ExecuteInput, ExecuteReply, ExecuteRequest, ExecutionState, FileRequest,
    Header, Message, ReplyStatus, Status, Stream, StreamName, ToKernel, ToPage, WorkerList, WorkerRow,
};
use super::script::{EngineLoader, ScriptEngines};
use super::stop_flag::StopFlag;
use crate::memory::Measure;
use crate::parallel::{Printer, Processes, WorkerHost};
use crate::platform::Platform;
use crate::vfs::FileSystem;

/// The state a kernel keeps between and during cell runs.
pub struct Kernel {
    catalog: Catalog,
    fs: FileSystem,
    execution_count: Cell<u32>,
    outbox: Rc<Outbox>,
    platform: Rc<dyn Platform>,
    input: InputSlot,
    breakpoint: BreakpointSlot,
    processes: Processes,
    /// The cell running now, if any, and how to stop it.
    running: RefCell<Option<Running>>,
    /// Tells the page of every change to the files.
    files: Rc<FileWatch>,
    /// The script cells' engine, loaded on their first run.
    scripts: RefCell<Rc<ScriptEngines>>,
    /// The flag the page raises on Stop, when it can share one (see `stop_flag`).
    stop_flag: RefCell<Option<Rc<dyn StopFlag>>>,
}

/// The running cell.
struct Running {
    cell_id: String,
    stop: AbortHandle,
}

impl Kernel {
    /// A fresh kernel: starting files, counter at zero; its worker processes start on
    /// `workers` (`None`: starting one fails with a clear error).
    pub fn new(
        catalog: Catalog,
        outbox: Rc<Outbox>,
        platform: Rc<dyn Platform>,
        workers: Option<Rc<dyn WorkerHost>>,
    ) -> Rc<Kernel> {
        Kernel::with_files(catalog, FileSystem::new(), outbox, platform, workers)
    }

    /// A kernel over an existing file system (restored from storage).
    pub fn with_files(
        catalog: Catalog,
        fs: FileSystem,
        outbox: Rc<Outbox>,
        platform: Rc<dyn Platform>,
        workers: Option<Rc<dyn WorkerHost>>,
    ) -> Rc<Kernel> {
        super::log_bridge::feed_log_viewer(Rc::clone(&outbox));
        let processes = Processes::new(workers, Rc::clone(&platform), fs.clone());
        let (watched, to_page) = (processes.clone(), Rc::clone(&outbox));
        processes.set_listener(move || to_page.send(None, ToPage::Workers(worker_list(&watched))));
        let files = FileWatch::start(&fs, Rc::clone(&platform), Rc::clone(&outbox));
        Rc::new(Kernel {
            catalog,
            execution_count: Cell::new(0),
            outbox,
            platform,
            input: InputSlot::default(),
            breakpoint: BreakpointSlot::default(),
            processes,
            running: RefCell::new(None),
            files,
            fs,
            scripts: RefCell::default(),
            stop_flag: RefCell::default(),
        })
    }

    /// Lets script cells run, on an engine `loader` makes at the first one.
    pub fn set_script_engine(&self, loader: EngineLoader) {
        *self.scripts.borrow_mut() = Rc::new(ScriptEngines::new(loader));
    }

    /// Shares the flag the page raises on Stop: running scripts read it (see `stop_flag`).
    pub fn share_stop_flag(&self, flag: Rc<dyn StopFlag>) {
        flag.lower();
        *self.stop_flag.borrow_mut() = Some(flag);
    }

    fn stop_flag_raised(&self) -> bool {
        self.stop_flag.borrow().as_ref().is_some_and(|flag| flag.is_raised())
    }

    /// The worker processes cells started (`list()` for a workers panel).
    pub fn processes(&self) -> &Processes {
        &self.processes
    }

    /// The kernel's file system.
    pub fn fs(&self) -> &FileSystem {
        &self.fs
    }

    /// Says the kernel is ready (`status: idle` with no parent), as Jupyter's kernels
    /// announce themselves; the page sends nothing before it hears this.
    pub fn announce(&self) {
        self.status(None, ExecutionState::Idle);
    }

    /// Answers one message from the page. A cell starts as a task of its own and answers
    /// as it runs; everything else is answered before this returns, even while a cell
    /// runs (a file request, an interrupt, the reply to a prompt or a breakpoint).
    pub fn handle<D: Buffer>(self: &Rc<Self>, message: Message<ToKernel, D>) {
        let (request, buffers) = (message.header, message.buffers);
        match message.body {
            ToKernel::ExecuteRequest(execute) => self.start(request, execute),
            ToKernel::InterruptRequest(Empty {}) => {
                if let Some(running) = self.running.borrow().as_ref() {
                    running.stop.abort();
                }
                // The page raised the flag before it sent this: the Stop is heard.
                if let Some(flag) = self.stop_flag.borrow().as_ref() {
                    flag.lower();
                }
                self.outbox.send(Some(&request), ToPage::InterruptReply(Empty {}));
            }
            // A reply that finds nothing waiting (it crossed the cell's end) is dropped.
            ToKernel::InputReply(reply) => {
                if let Some(sender) = self.input.borrow_mut().take() {
                    let _ = sender.send(reply.value);
                }
            }
            ToKernel::BreakpointReply(reply) => {
                if let Some(sender) = self.breakpoint.borrow_mut().take() {
                    let _ = sender.send(reply.action);
                }
            }
            ToKernel::FileRequest(file) => self.file_request(&request, file, buffers),
        }
    }

    /// Starts a cell as a task, or refuses it while another runs (the page sends one at
    /// a time; a second would otherwise run interleaved with the first).
    fn start(self: &Rc<Self>, request: Header, execute: ExecuteRequest) {
        if let Some(running) = self.running.borrow().as_ref() {
            let busy = CellError::new(
                "RuntimeError",
                format!("the kernel is still running cell {}; this request was not run", running.cell_id),
            );
            self.report_error(&request, &busy, &execute.cell_id);
            let reply = ExecuteReply {
                status: ReplyStatus::Error,
                execution_count: self.execution_count.get(),
                memory: None,
            };
            self.outbox.send(Some(&request), ToPage::ExecuteReply(reply));
            return;
        }
        let (stop, registration) = AbortHandle::new_pair();
        let cell_id = execute.cell_id.clone();
        *self.running.borrow_mut() = Some(Running { cell_id, stop });
        let kernel = Rc::clone(self);
        self.platform.spawn(Box::pin(async move {
            kernel.execute(&request, execute, registration).await;
            kernel.running.borrow_mut().take(); // it was this run: only one runs at a time
        }));
    }

    /// Sends a status message (`parent` is the request it concerns, if any).
    fn status(&self, parent: Option<&Header>, execution_state: ExecutionState) {
        self.outbox.send(parent, ToPage::Status(Status { execution_state }));
    }

    /// Runs one cell to its end, or until `abort` fires (Stop), sending
    /// `status: busy`, `execute_input`, its outputs, any error, `execute_reply` and
    /// `status: idle`, all answering `request`. The reply carries what the run allocated.
    async fn execute(&self, request: &Header, mut req: ExecuteRequest, abort: AbortRegistration) {
        self.status(Some(request), ExecutionState::Busy);
        let count = self.execution_count.get() + 1;
        self.execution_count.set(count);
        let measure = Measure::start();
        let script = req.code.take();
        let cell = match script {
            Some(_) => None,
            None => match self.catalog.find(&req.cell_id) {
                Some(cell) => Some(cell),
                None => {
                    let unknown = CellError::new("KeyError", format!("no cell with id '{}'", req.cell_id));
                    let status = self.report_error(request, &unknown, &req.cell_id);
                    return self.finish(request, status, count, measure);
                }
            },
        };
        self.outbox.send(
            Some(request),
            ToPage::ExecuteInput(ExecuteInput { cell_id: req.cell_id.clone(), execution_count: count }),
        );
        let cell_id = cell.map_or(req.cell_id.as_str(), |cell| cell.id);
        self.fs.set_owner(cell_id);
        let mut inputs = req.inputs;
        for spec in cell.iter().flat_map(|cell| cell.inputs.iter()) {
            inputs.entry(spec.name.to_string()).or_insert_with(|| spec.default.to_string());
        }
        let printer: Printer = {
            let (outbox, request) = (Rc::clone(&self.outbox), request.clone());
            Rc::new(move |text, stderr| {
                let name = if stderr { StreamName::Stderr } else { StreamName::Stdout };
                outbox.send(Some(&request), ToPage::Stream(Stream { name, text }));
            })
        };
        // The run drives the cell with its threads; ending it (finished or
        // stopped) terminates the workers it started.
        let run = self.processes.begin_run(cell_id, printer);
        let cx = CellContext::new(
            inputs,
            self.fs.clone(),
            Rc::clone(&self.outbox),
            request.clone(),
            Rc::clone(&self.platform),
            Rc::clone(&self.input),
        )
        .with_run(run.clone())
        .with_breakpoints(Rc::clone(&self.breakpoint))
        .with_memory(measure);
        let cx = match self.stop_flag.borrow().as_ref() {
            Some(flag) => cx.with_stop_flag(Rc::clone(flag)),
            None => cx,
        };
        let _log_output = super::log_bridge::CellLogOutput::route(&self.outbox, request);
        let displays = cx.live_displays();
        let scripts = Rc::clone(&self.scripts.borrow());
        let body: LocalBoxFuture<'_, Result<(), CellError>> = match (cell, &script) {
            (Some(cell), _) => (cell.run)(cx),
            (None, code) => {
                Box::pin(super::script::run(cx, code.as_deref().unwrap_or(""), cell_id, &scripts))
            }
        };
        let outcome = Abortable::new(run.drive(body), abort).await;
        run.end();
        displays.flush(); // the page ends on the last state of each display, before the reply
        let status = match outcome {
            Ok(Ok(())) => ReplyStatus::Ok,
            // Ended by the Stop flag before Stop's message came (a script that never
            // yielded): stopped, as if the message had been heard.
            Ok(Err(error)) if self.stop_flag_raised() => {
                self.report_error(request, &error, cell_id);
                ReplyStatus::Aborted
            }
            Ok(Err(error)) => self.report_error(request, &error, cell_id),
            Err(_aborted) => {
                let stopped = CellError::new("KeyboardInterrupt", "stopped by the Stop button");
                self.report_error(request, &stopped, cell_id);
                ReplyStatus::Aborted
            }
        };
        self.finish(request, status, count, measure)
    }

    /// Ends a run: what it left waiting is dropped, the files' notes are printed, and the
    /// reply (with the memory the run used) and `status: idle` are sent.
    fn finish(&self, request: &Header, status: ReplyStatus, count: u32, measure: Measure) {
        self.input.borrow_mut().take(); // a prompt left unanswered ends with its cell
        self.breakpoint.borrow_mut().take(); // and so does a stop at a breakpoint
        self.fs.set_owner("kernel");
        // Files dropped open whose closing failed: Python prints these as "Exception ignored".
        for note in self.fs.take_unraisable() {
            let text = format!("{note}\n");
            self.outbox.send(Some(request), ToPage::Stream(Stream { name: StreamName::Stderr, text }));
        }
        let memory = Some(measure.figures());
        self.outbox.send(
            Some(request),
            ToPage::ExecuteReply(ExecuteReply { status, execution_count: count, memory }),
        );
        self.status(Some(request), ExecutionState::Idle);
    }

    /// Answers a file request from the page (the file browser, uploads and downloads),
    /// with the bytes that came with it; a file's contents go back as buffers likewise.
    fn file_request<D: Buffer>(&self, request: &Header, req: FileRequest, buffers: Vec<D>) {
        super::file_ops::answer(&self.fs, &self.files, req, buffers, |reply, buffers| {
            self.outbox.send_with(Some(request), ToPage::FileReply(reply), buffers)
        });
    }

    fn report_error(&self, request: &Header, error: &CellError, cell_id: &str) -> ReplyStatus {
        self.outbox.send(Some(request), ToPage::Error(error_content(error, cell_id)));
        ReplyStatus::Error
    }
}

/// The live workers as the page lists them.
fn worker_list(processes: &Processes) -> WorkerList {
    let workers = processes
        .list()
        .into_iter()
        .map(|w| WorkerRow { name: w.name, pid: w.pid, state: w.state, task: w.task, cell: w.cell })
        .collect();
    WorkerList { workers }
}

/// An error as Jupyter's `error` content. The traceback reads top-down as Python's does:
/// the deepest cause first, then each error it led to, ending with the one the cell raised.
pub fn error_content(error: &CellError, cell_id: &str) -> ErrorContent {
    let mut traceback = Vec::new();
    for cause in error.causes.iter().rev() {
        traceback.push(cause.clone());
        traceback.push(String::new());
        traceback.push("The error above led to the one below:".to_string());
        traceback.push(String::new());
    }
    if error.frames.is_empty() {
        traceback.push(format!("Traceback (cell {cell_id}):"));
    } else {
        traceback.push("Traceback (most recent call last):".to_string());
        traceback.extend(error.frames.iter().map(|frame| format!("  {frame}")));
    }
    traceback.push(error.to_string()); // `Kind: message`
    ErrorContent {
        ename: error.kind.as_str().to_string(),
        evalue: error.message.clone(),
        traceback,
        line: error.line,
    }
}
