//! The kernel: owns the notebook's state (the file system, the execution counter) and runs
//! cells on request, reporting what they print and how they end as protocol messages.
//! It has no browser code; `browser::kernel_worker` feeds it messages inside a web worker.

use std::cell::Cell;
use std::rc::Rc;

use futures::future::{AbortRegistration, Abortable};

use super::catalog::Catalog;
use super::cell::{CellContext, CellError, InputSlot};
use super::outbox::Outbox;
use super::platform::Platform;
use super::protocol::{
    Body, ErrorContent, ExecuteInput, ExecuteReply, ExecuteRequest, ExecutionState, Header, ReplyStatus,
    Status,
};
use crate::vfs::FileSystem;

/// The state a kernel keeps between cell runs.
pub struct Kernel {
    catalog: Catalog,
    fs: FileSystem,
    execution_count: Cell<u32>,
    outbox: Rc<Outbox>,
    platform: Rc<dyn Platform>,
    input: InputSlot,
}

impl Kernel {
    /// A fresh kernel: starting files, counter at zero.
    pub fn new(catalog: Catalog, outbox: Rc<Outbox>, platform: Rc<dyn Platform>) -> Kernel {
        Kernel {
            catalog,
            fs: FileSystem::new(),
            execution_count: Cell::new(0),
            outbox,
            platform,
            input: InputSlot::default(),
        }
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

    /// Sends a status message (`parent` is the request it concerns, if any).
    pub fn status(&self, parent: Option<&Header>, execution_state: ExecutionState) {
        self.outbox.send(parent, Body::Status(Status { execution_state }));
    }

    /// Runs one cell to its end, or until `abort` fires (Stop), sending
    /// `status: busy`, `execute_input`, its outputs, any error, `execute_reply` and
    /// `status: idle`, all answering `request`.
    pub async fn execute(&self, request: &Header, req: ExecuteRequest, abort: AbortRegistration) {
        self.status(Some(request), ExecutionState::Busy);
        let count = self.execution_count.get() + 1;
        self.execution_count.set(count);
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
                let mut inputs = req.inputs;
                for spec in &cell.inputs {
                    inputs.entry(spec.name.to_string()).or_insert_with(|| spec.default.to_string());
                }
                let cx = CellContext::new(
                    inputs,
                    self.fs.clone(),
                    Rc::clone(&self.outbox),
                    request.clone(),
                    Rc::clone(&self.platform),
                    Rc::clone(&self.input),
                );
                match Abortable::new((cell.run)(cx), abort).await {
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
        self.outbox.send(Some(request), Body::ExecuteReply(ExecuteReply { status, execution_count: count }));
        self.status(Some(request), ExecutionState::Idle);
    }

    fn report_error(&self, request: &Header, error: &CellError, cell_id: &str) -> ReplyStatus {
        self.outbox.send(Some(request), Body::Error(error_content(error, cell_id)));
        ReplyStatus::Error
    }
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
    ErrorContent { ename: error.kind.clone(), evalue: error.message.clone(), traceback }
}
