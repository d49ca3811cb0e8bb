//! The kernel: owns the notebook's state (the file system, the execution counter) and runs
//! cells on request, reporting what they print and how they end as protocol messages.
//! It has no browser code; `browser::kernel_worker` feeds it messages inside a web worker.

use std::cell::Cell;
use std::rc::Rc;

use futures::future::{AbortRegistration, Abortable};

use super::catalog::Catalog;
use super::cell::{CellContext, CellError, InputSlot};
use super::debugger::BreakpointSlot;
use super::outbox::Outbox;
use super::protocol::{
    Body, BreakpointAction, ErrorContent, ExecuteInput, ExecuteReply, ExecuteRequest, ExecutionState,
    FileRequest, Header, ReplyStatus, Status, Stream, StreamName, WorkerList, WorkerRow,
};
use crate::memory::Measure;
use crate::parallel::{Printer, Processes, WorkerHost};
use crate::platform::Platform;
use crate::vfs::FileSystem;

/// The state a kernel keeps between cell runs.
pub struct Kernel {
    catalog: Catalog,
    fs: FileSystem,
    execution_count: Cell<u32>,
    outbox: Rc<Outbox>,
    platform: Rc<dyn Platform>,
    input: InputSlot,
    breakpoint: BreakpointSlot,
    processes: Processes,
}

impl Kernel {
    /// A fresh kernel: starting files, counter at zero; its worker processes start on
    /// `workers` (`None`: starting one fails with a clear error).
    pub fn new(
        catalog: Catalog,
        outbox: Rc<Outbox>,
        platform: Rc<dyn Platform>,
        workers: Option<Rc<dyn WorkerHost>>,
    ) -> Kernel {
        Kernel::with_files(catalog, FileSystem::new(), outbox, platform, workers)
    }

    /// A kernel over an existing file system (restored from storage).
    pub fn with_files(
        catalog: Catalog,
        fs: FileSystem,
        outbox: Rc<Outbox>,
        platform: Rc<dyn Platform>,
        workers: Option<Rc<dyn WorkerHost>>,
    ) -> Kernel {
        super::log_bridge::feed_log_viewer(Rc::clone(&outbox));
        let processes = Processes::new(workers, Rc::clone(&platform), fs.clone());
        let (watched, to_page) = (processes.clone(), Rc::clone(&outbox));
        processes.set_listener(move || to_page.send(None, Body::Workers(worker_list(&watched))));
        Kernel {
            catalog,
            fs,
            execution_count: Cell::new(0),
            outbox,
            platform,
            input: InputSlot::default(),
            breakpoint: BreakpointSlot::default(),
            processes,
        }
    }

    /// The worker processes cells started (`list()` for a workers panel).
    pub fn processes(&self) -> &Processes {
        &self.processes
    }

    /// The kernel's file system.
    pub fn fs(&self) -> &FileSystem {
        &self.fs
    }

    /// Delivers the page's answer to the running cell's prompt; `false` if none is pending.
    pub fn reply_input(&self, value: String) -> bool {
        match self.input.borrow_mut().take() {
            Some(sender) => sender.send(value).is_ok(),
            None => false,
        }
    }

    /// Lets the running cell go on from the breakpoint it waits at; `false` if it waits
    /// at none.
    pub fn reply_breakpoint(&self, action: BreakpointAction) -> bool {
        match self.breakpoint.borrow_mut().take() {
            Some(sender) => sender.send(action).is_ok(),
            None => false,
        }
    }

    /// Sends a status message (`parent` is the request it concerns, if any).
    pub fn status(&self, parent: Option<&Header>, execution_state: ExecutionState) {
        self.outbox.send(parent, Body::Status(Status { execution_state }));
    }

    /// Runs one cell to its end, or until `abort` fires (Stop), sending
    /// `status: busy`, `execute_input`, its outputs, any error, `execute_reply` and
    /// `status: idle`, all answering `request`. The reply carries what the run allocated.
    pub async fn execute(&self, request: &Header, req: ExecuteRequest, abort: AbortRegistration) {
        self.status(Some(request), ExecutionState::Busy);
        let count = self.execution_count.get() + 1;
        self.execution_count.set(count);
        let measure = Measure::start();
        let status = match self.catalog.find(&req.cell_id) {
            None => self.report_error(
                request,
                &CellError::new("KeyError", format!("no cell with id '{}'", req.cell_id)),
                &req.cell_id,
            ),
            Some(cell) => {
                self.outbox.send(
                    Some(request),
                    Body::ExecuteInput(ExecuteInput { cell_id: req.cell_id.clone(), execution_count: count }),
                );
                self.fs.set_owner(cell.id);
                let mut inputs = req.inputs;
                for spec in &cell.inputs {
                    inputs.entry(spec.name.to_string()).or_insert_with(|| spec.default.to_string());
                }
                let printer: Printer = {
                    let (outbox, request) = (Rc::clone(&self.outbox), request.clone());
                    Rc::new(move |text, stderr| {
                        let name = if stderr { StreamName::Stderr } else { StreamName::Stdout };
                        outbox.send(Some(&request), Body::Stream(Stream { name, text }));
                    })
                };
                // The run drives the cell with its threads; ending it (finished or
                // stopped) terminates the workers it started.
                let run = self.processes.begin_run(cell.id, printer);
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
                let _log_output = super::log_bridge::CellLogOutput::route(&self.outbox, request);
                let outcome = Abortable::new(run.drive((cell.run)(cx)), abort).await;
                run.end();
                match outcome {
                    Ok(Ok(())) => ReplyStatus::Ok,
                    Ok(Err(error)) => self.report_error(request, &error, cell.id),
                    Err(_aborted) => {
                        let stopped = CellError::new("KeyboardInterrupt", "stopped by the Stop button");
                        self.report_error(request, &stopped, cell.id);
                        ReplyStatus::Aborted
                    }
                }
            }
        };
        self.input.borrow_mut().take(); // a prompt left unanswered ends with its cell
        self.breakpoint.borrow_mut().take(); // and so does a stop at a breakpoint
        self.fs.set_owner("kernel");
        // Files dropped open whose closing failed: Python prints these as "Exception ignored".
        for note in self.fs.take_unraisable() {
            let text = format!("{note}\n");
            self.outbox.send(Some(request), Body::Stream(Stream { name: StreamName::Stderr, text }));
        }
        let memory = Some(measure.figures());
        self.outbox
            .send(Some(request), Body::ExecuteReply(ExecuteReply { status, execution_count: count, memory }));
        self.status(Some(request), ExecutionState::Idle);
    }

    /// Answers a file request from the page (the file browser, uploads and downloads).
    pub fn file_request(&self, request: &Header, req: FileRequest) {
        let reply = super::file_ops::answer(&self.fs, req);
        self.outbox.send(Some(request), Body::FileReply(reply));
    }

    fn report_error(&self, request: &Header, error: &CellError, cell_id: &str) -> ReplyStatus {
        self.outbox.send(Some(request), Body::Error(error_content(error, cell_id)));
        ReplyStatus::Error
    }
}

/// The live workers as the page lists them.
fn worker_list(processes: &Processes) -> WorkerList {
    let workers = processes
        .list()
        .into_iter()
        .map(|w| WorkerRow {
            name: w.name,
            pid: w.pid,
            state: format!("{:?}", w.state).to_lowercase(),
            task: w.task,
            cell: w.cell,
        })
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
    traceback.push(format!("Traceback (cell {cell_id}):"));
    traceback.push(format!("{}: {}", error.kind, error.message));
    ErrorContent { ename: error.kind.as_str().to_string(), evalue: error.message.clone(), traceback }
}
