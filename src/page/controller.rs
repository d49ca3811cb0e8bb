//! Turns clicks into kernel requests and kernel messages into what the cells show:
//! the run queue, Run all, Stop (interrupt, then restart if the cell never waits),
//! Restart, Clear outputs (all or one cell's) and the `.ipynb` export of what they show.
//! Script cells are cells like the others here: their run request carries their code, and
//! they can be removed (deleted) while the page runs.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::JsCast as _;
use web_sys::{Document, Element};

use super::cell_view::{CellState, CellView};
use super::file_browser::FileBrowser;
use super::kernel_client::{KernelClient, KernelEvent};
use super::log_viewer::LogViewer;
use super::workers_list::WorkersList;
use crate::notebook::ipynb::{self, CellRecord, ScriptRecord};
use crate::notebook::js_cells::JsCells;
use crate::notebook::protocol::{
    BreakpointAction, BreakpointReply, Empty, ExecuteRequest, ExecutionState, InputReply, Message,
    ReplyStatus, ToKernel, ToPage,
};
use crate::notebook::{error_content, Catalog, CellError, Scheduler};

/// How many times in a row a kernel may die before it is ready, before the page gives up
/// restarting it (a module that cannot start in a worker would otherwise loop forever).
const MAX_FAILED_STARTS: u32 = 3;

/// How long Stop waits for a cell to reach a wait before replacing the kernel.
const STOP_GRACE_MS: u32 = 400;

struct Running {
    cell: usize,
    msg_id: String,
    started_ms: f64,
}

struct Inner {
    doc: Document,
    views: Vec<CellView>,
    scheduler: Scheduler,
    running: Option<Running>,
    kernel_ready: bool,
    failed_starts: u32,
    kernel_status: Element,
    stop_timer: Option<Timeout>,
    ticker: Option<Interval>,
    /// Cells with outputs waiting for the next frame, and whether it is asked for.
    to_draw: Vec<usize>,
    frame_asked: bool,
}

/// The page's controller; clones share one state.
#[derive(Clone)]
pub struct Controller {
    inner: Rc<RefCell<Inner>>,
    kernel: Rc<KernelClient>,
    logs: Rc<RefCell<LogViewer>>,
    workers: Rc<WorkersList>,
    files: Rc<FileBrowser>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Controller {
    /// A controller of the kernel the page has started, with no cells yet (they come with
    /// [`Controller::add_views`]).
    pub fn start(
        doc: Document,
        kernel_status: Element,
        (logs, workers, files): (Rc<RefCell<LogViewer>>, WorkersList, Rc<FileBrowser>),
        kernel: Rc<KernelClient>,
    ) -> Controller {
        let controller = Controller {
            inner: Rc::new(RefCell::new(Inner {
                doc,
                views: Vec::new(),
                scheduler: Scheduler::new(),
                running: None,
                kernel_ready: false,
                failed_starts: 0,
                kernel_status,
                stop_timer: None,
                ticker: None,
                to_draw: Vec::new(),
                frame_asked: false,
            })),
            kernel,
            logs,
            workers: Rc::new(workers),
            files,
        };
        let kernel = Rc::clone(&controller.kernel);
        controller
            .files
            .connect(Rc::new(move |req, bytes| kernel.send_with(ToKernel::FileRequest(req), bytes)));
        controller.forget_old_kernel();
        // Last: what the kernel said before there was a controller is handed over here.
        let receiver = controller.clone();
        controller.kernel.set_handler(move |event| receiver.on_kernel_event(event));
        controller
    }

    /// Whether the kernel has said it is ready (and not died since).
    pub fn kernel_ready(&self) -> bool {
        self.inner.borrow().kernel_ready
    }

    /// Adds the views of cells drawn since (the page draws its sections one task at a time).
    pub fn add_views(&self, views: Vec<CellView>) {
        self.inner.borrow_mut().views.extend(views);
        self.pump(); // a queued cell may have been waiting for its view
    }

    fn start_kernel(&self) {
        self.forget_old_kernel();
        self.kernel.start();
    }

    /// Shows the state of a kernel that is starting.
    fn forget_old_kernel(&self) {
        // A new kernel has no workers (the old one's died with it).
        let _ = self.workers.show(&crate::notebook::protocol::WorkerList::default());
        self.files.kernel_lost();
        {
            let mut inner = self.inner.borrow_mut();
            inner.kernel_ready = false;
            set_kernel_status(&inner, "starting");
        }
    }

    fn index_of(inner: &Inner, cell_id: &str) -> Option<usize> {
        inner.views.iter().position(|v| &*v.id == cell_id)
    }

    /// Removes a cell's view (a deleted script cell) from the page and the queue; `false`
    /// (and nothing removed) while it runs.
    pub fn remove_view(&self, cell_id: &str) -> bool {
        {
            let mut inner = self.inner.borrow_mut();
            let Some(i) = Self::index_of(&inner, cell_id) else { return true };
            if inner.running.as_ref().is_some_and(|r| r.cell == i) {
                return false;
            }
            inner.scheduler.remove(cell_id);
            inner.views.remove(i).root().remove();
            // Indices past it move down one.
            if let Some(running) = inner.running.as_mut().filter(|r| r.cell > i) {
                running.cell -= 1;
            }
            inner.to_draw.retain(|c| *c != i);
            for c in inner.to_draw.iter_mut().filter(|c| **c > i) {
                *c -= 1;
            }
        }
        self.pump(); // the next queued cell may have waited behind it
        true
    }

    /// Whether a cell is running now.
    pub fn is_running(&self, cell_id: &str) -> bool {
        let inner = self.inner.borrow();
        inner.running.as_ref().is_some_and(|r| &*inner.views[r.cell].id == cell_id)
    }

    /// Queues one cell.
    pub fn run(&self, cell_id: &str) {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.scheduler.run(cell_id) {
                if let Some(i) = Self::index_of(&inner, cell_id) {
                    inner.views[i].set_state(CellState::Queued);
                }
            }
        }
        self.pump();
    }

    /// Queues the cells of a Run all, `order` being those it includes in page order.
    pub fn run_all(&self, order: &[&str]) {
        {
            let mut inner = self.inner.borrow_mut();
            for id in inner.scheduler.run_all(order.iter().copied()) {
                if let Some(i) = Self::index_of(&inner, &id) {
                    inner.views[i].set_state(CellState::Queued);
                }
            }
        }
        self.pump();
    }

    /// Starts the next queued cell if the kernel is free.
    fn pump(&self) {
        let mut inner = self.inner.borrow_mut();
        if !inner.kernel_ready || inner.running.is_some() {
            return;
        }
        // The next cell waits while the page has not drawn it yet (Run all clicked early).
        let Inner { scheduler, views, .. } = &mut *inner;
        let mut drawn = None;
        let started = scheduler.start_next_if(|id| {
            drawn = views.iter().position(|v| &*v.id == id);
            drawn.is_some()
        });
        let (Some(cell_id), Some(i)) = (started, drawn) else { return };
        let (inputs, code) = (inner.views[i].input_values(), inner.views[i].code());
        let header = self.kernel.send(ToKernel::ExecuteRequest(ExecuteRequest { cell_id, inputs, code }));
        let Some(header) = header else {
            // The request never left: the cell fails here, and a Run all it belongs to stops.
            let dropped = inner.scheduler.finish(ReplyStatus::Error);
            let error = CellError::new("ConnectionError", "the page could not send the cell to the kernel");
            let doc = inner.doc.clone();
            let view = &mut inner.views[i];
            view.clear_outputs();
            let _ = view.add_output(&doc, &ToPage::Error(error_content(&error, &view.id)));
            view.set_state(CellState::Failed);
            for id in dropped {
                if let Some(j) = Self::index_of(&inner, &id) {
                    inner.views[j].set_state(CellState::Idle);
                }
            }
            return;
        };
        let view = &mut inner.views[i];
        view.clear_outputs();
        view.set_state(CellState::Running);
        inner.running = Some(Running { cell: i, msg_id: header.msg_id, started_ms: now_ms() });
        let ticker = self.clone();
        inner.ticker = Some(Interval::new(200, move || ticker.tick()));
    }

    fn tick(&self) {
        let inner = self.inner.borrow();
        if let Some(running) = &inner.running {
            inner.views[running.cell].set_elapsed(now_ms() - running.started_ms);
        }
    }

    /// Draws the outputs of `cell` at the next frame, with whatever else comes until then:
    /// a cell may send thousands of messages a second, the page draws once a frame.
    fn draw_soon(&self, inner: &mut Inner, cell: usize) {
        if !inner.to_draw.contains(&cell) {
            inner.to_draw.push(cell);
        }
        if inner.frame_asked {
            return;
        }
        let controller = self.clone();
        let frame = wasm_bindgen::closure::Closure::once_into_js(move || controller.draw_frame());
        let asked = web_sys::window().map(|w| w.request_animation_frame(frame.unchecked_ref()));
        inner.frame_asked = matches!(asked, Some(Ok(_)));
        if !inner.frame_asked {
            draw_now(inner, cell); // no frames to wait for
        }
    }

    fn draw_frame(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.frame_asked = false;
        for cell in std::mem::take(&mut inner.to_draw) {
            draw_now(&mut inner, cell);
        }
    }

    /// Sends the answer typed at the running cell's prompt.
    fn answer_prompt(&self, msg_id: &str, value: String) {
        let mut inner = self.inner.borrow_mut();
        let Some(running) = inner.running.as_ref().filter(|r| r.msg_id == msg_id) else { return };
        let cell = running.cell;
        inner.views[cell].remove_prompt();
        self.kernel.send(ToKernel::InputReply(InputReply { value }));
    }

    /// Lets the running cell go on from its breakpoint.
    fn answer_breakpoint(&self, msg_id: &str, action: BreakpointAction) {
        let mut inner = self.inner.borrow_mut();
        let Some(running) = inner.running.as_ref().filter(|r| r.msg_id == msg_id) else { return };
        let cell = running.cell;
        let view = &mut inner.views[cell];
        view.remove_prompt();
        view.set_state(CellState::Running);
        self.kernel.send(ToKernel::BreakpointReply(BreakpointReply { action }));
    }

    /// Stop: drops the queue and interrupts the running cell; if it has not ended within
    /// a moment (it never waits), the kernel is replaced.
    pub fn stop(&self) {
        let mut inner = self.inner.borrow_mut();
        for id in inner.scheduler.stop() {
            if let Some(i) = Self::index_of(&inner, &id) {
                inner.views[i].set_state(CellState::Idle);
            }
        }
        let Some(running) = &inner.running else { return };
        let msg_id = running.msg_id.clone();
        self.kernel.raise_stop_flag();
        self.kernel.send(ToKernel::InterruptRequest(Empty {}));
        let controller = self.clone();
        inner.stop_timer = Some(Timeout::new(STOP_GRACE_MS, move || {
            let still_running =
                controller.inner.borrow().running.as_ref().is_some_and(|r| r.msg_id == msg_id);
            if still_running {
                let error = CellError::new(
                    "KeyboardInterrupt",
                    "the cell never paused, so Stop restarted the kernel (its in-memory state starts over)",
                );
                controller.abandon_running(&error, ReplyStatus::Aborted);
                controller.start_kernel();
            }
        }));
    }

    /// Restart: stops everything and starts a fresh kernel.
    pub fn restart(&self) {
        {
            let mut inner = self.inner.borrow_mut();
            for id in inner.scheduler.stop() {
                if let Some(i) = Self::index_of(&inner, &id) {
                    inner.views[i].set_state(CellState::Idle);
                }
            }
        }
        let error = CellError::new("KeyboardInterrupt", "the kernel was restarted");
        self.abandon_running(&error, ReplyStatus::Aborted);
        self.start_kernel();
    }

    /// Clears every cell's outputs.
    pub fn clear_outputs(&self) {
        let mut inner = self.inner.borrow_mut();
        let running = inner.running.as_ref().map(|r| r.cell);
        for (i, view) in inner.views.iter_mut().enumerate() {
            if Some(i) != running {
                view.clear_outputs();
            }
        }
    }

    /// Clears one cell's outputs (not while it runs: its outputs are still arriving).
    pub fn clear_output(&self, cell_id: &str) {
        let mut inner = self.inner.borrow_mut();
        let running = inner.running.as_ref().map(|r| r.cell);
        if let Some(i) = Self::index_of(&inner, cell_id).filter(|i| Some(*i) != running) {
            inner.views[i].clear_outputs();
        }
    }

    /// The notebook with what every cell shows now, as an `.ipynb` file's text; the script
    /// cells of `scripts` in their places.
    pub fn export_ipynb(&self, catalog: &Catalog, scripts: &JsCells) -> String {
        let inner = self.inner.borrow();
        let inputs: Vec<_> = inner.views.iter().map(|v| v.input_values()).collect();
        let codes: Vec<_> = inner.views.iter().map(|v| v.code()).collect();
        let mut records = ipynb::Records::new();
        for ((view, inputs), code) in inner.views.iter().zip(&inputs).zip(&codes) {
            let (execution_count, outputs, code) = (view.execution_count(), view.outputs(), code.as_deref());
            records.insert(&*view.id, CellRecord { execution_count, inputs, outputs, code });
        }
        // The script cells in page order, each with its code (read above) and what its
        // view shows.
        let mut scripts_out = Vec::new();
        for cell in scripts.cells() {
            let Some(i) = Self::index_of(&inner, &cell.id) else { continue };
            let view = &inner.views[i];
            let (execution_count, outputs) = (view.execution_count(), view.outputs());
            let code = codes[i].as_deref().unwrap_or_default();
            scripts_out.push(ScriptRecord {
                id: &cell.id,
                after: cell.after,
                code,
                execution_count,
                outputs,
            });
        }
        ipynb::notebook_text(catalog, &records, &scripts_out)
    }

    /// Ends the running cell from the page's side (its kernel is gone or going).
    fn abandon_running(&self, error: &CellError, status: ReplyStatus) {
        self.kernel.terminate();
        let mut inner = self.inner.borrow_mut();
        let Some(running) = inner.running.take() else { return };
        inner.stop_timer = None;
        inner.ticker = None;
        let doc = inner.doc.clone();
        let view = &mut inner.views[running.cell];
        view.remove_prompt();
        let _ = view.add_output(&doc, &ToPage::Error(error_content(error, &view.id)));
        view.set_elapsed(now_ms() - running.started_ms);
        view.set_state(if status == ReplyStatus::Aborted { CellState::Stopped } else { CellState::Failed });
        for id in inner.scheduler.finish(status) {
            if let Some(i) = Self::index_of(&inner, &id) {
                inner.views[i].set_state(CellState::Idle);
            }
        }
    }

    fn on_kernel_event(&self, event: KernelEvent) {
        match event {
            KernelEvent::Message(message) => self.on_message(message),
            KernelEvent::Died(reason) => {
                let error =
                    CellError::new("KernelDied", format!("the kernel stopped unexpectedly: {reason}"));
                self.abandon_running(&error, ReplyStatus::Error);
                let gave_up = {
                    let mut inner = self.inner.borrow_mut();
                    if !inner.kernel_ready {
                        inner.failed_starts += 1;
                    }
                    let gave_up = inner.failed_starts >= MAX_FAILED_STARTS;
                    if gave_up {
                        set_kernel_status(&inner, &format!("failed to start ({reason}); reload the page"));
                    }
                    gave_up
                };
                if !gave_up {
                    self.start_kernel();
                }
            }
        }
    }

    fn on_message(&self, message: Message<ToPage, js_sys::ArrayBuffer>) {
        let mut inner = self.inner.borrow_mut();
        // Outputs belong to the running request; a panic report has no parent but is its too.
        let for_running = inner
            .running
            .as_ref()
            .map(|r| (r.cell, message.parent_header.as_ref().is_none_or(|p| p.msg_id == r.msg_id)));
        match &message.body {
            ToPage::Status(status) => {
                let label = match status.execution_state {
                    ExecutionState::Starting => "starting",
                    ExecutionState::Busy => "busy",
                    ExecutionState::Idle => "idle",
                };
                set_kernel_status(&inner, label);
                if status.execution_state == ExecutionState::Idle && !inner.kernel_ready {
                    inner.kernel_ready = true;
                    super::dom::mark_time("notebook-ready"); // start-up figure: cells runnable
                    inner.failed_starts = 0;
                    drop(inner);
                    self.kernel.share_stop_flag();
                    self.files.kernel_ready();
                    self.pump();
                }
            }
            ToPage::ExecuteInput(input) => {
                if let Some((cell, true)) = for_running {
                    inner.views[cell].set_count(input.execution_count);
                }
            }
            ToPage::Stream(_) | ToPage::DisplayData(_) | ToPage::UpdateDisplayData(_) | ToPage::Error(_) => {
                if let Some((cell, true)) = for_running {
                    if inner.views[cell].queue_output(&message.body) {
                        self.draw_soon(&mut inner, cell);
                    }
                }
            }
            ToPage::ExecuteReply(reply) => {
                if let Some((cell, true)) = for_running {
                    let Some(running) = inner.running.take() else { return };
                    inner.stop_timer = None;
                    inner.ticker = None;
                    draw_now(&mut inner, cell); // the cell shows its last outputs as it ends
                    let view = &mut inner.views[cell];
                    view.remove_prompt();
                    view.set_count(reply.execution_count);
                    view.set_elapsed(now_ms() - running.started_ms);
                    if let Some(figures) = &reply.memory {
                        view.set_memory(figures);
                    }
                    view.set_state(match reply.status {
                        ReplyStatus::Ok => CellState::Done,
                        ReplyStatus::Error => CellState::Failed,
                        ReplyStatus::Aborted => CellState::Stopped,
                    });
                    for id in inner.scheduler.finish(reply.status) {
                        if let Some(i) = Self::index_of(&inner, &id) {
                            inner.views[i].set_state(CellState::Idle);
                        }
                    }
                    drop(inner);
                    self.pump();
                }
            }
            ToPage::InputRequest(request) => {
                let (Some((cell, true)), Some(running)) = (for_running, inner.running.as_ref()) else {
                    return;
                };
                let msg_id = running.msg_id.clone();
                draw_now(&mut inner, cell); // what the cell printed before it asks
                let doc = inner.doc.clone();
                let controller = self.clone();
                let on_answer = move |value| controller.answer_prompt(&msg_id, value);
                if let Err(e) =
                    inner.views[cell].show_prompt(&doc, &request.prompt, request.password, on_answer)
                {
                    super::dom::log_error("cannot show a prompt", e);
                }
            }
            ToPage::BreakpointRequest(stop) => {
                let (Some((cell, true)), Some(running)) = (for_running, inner.running.as_ref()) else {
                    return;
                };
                let msg_id = running.msg_id.clone();
                draw_now(&mut inner, cell); // what the cell showed before it stopped
                let doc = inner.doc.clone();
                let view = &mut inner.views[cell];
                let controller = self.clone();
                let on_choice = move |action: Option<BreakpointAction>| match action {
                    Some(action) => controller.answer_breakpoint(&msg_id, action),
                    None => controller.stop(),
                };
                match view.show_breakpoint(&doc, stop, on_choice) {
                    Ok(()) => view.set_state(CellState::Paused),
                    Err(e) => super::dom::log_error("cannot show a breakpoint", e),
                }
            }
            ToPage::InterruptReply(_) => {}
            ToPage::FilesChanged(change) => self.files.on_files_changed(change),
            ToPage::FileReply(r) => self.files.on_reply(message.parent_header.as_ref(), r, &message.buffers),
            ToPage::LogRecord(entry) => self.logs.borrow_mut().add(entry.clone()),
            ToPage::Workers(list) => {
                if let Err(e) = self.workers.show(list) {
                    super::dom::log_error("cannot show the workers", e);
                }
            }
            ToPage::Storage(status) => show_storage(&inner.doc, status),
            ToPage::FilesReplaced(replaced) => self.files.on_files_replaced(replaced),
        }
    }
}

/// Shows (as text) or hides the notice that the files live in memory only.
fn show_storage(doc: &Document, status: &crate::notebook::protocol::StorageStatus) {
    let Some(notice) = doc.get_element_by_id("storage-notice") else { return };
    match status.notice() {
        Some(text) => {
            notice.set_text_content(Some(&text));
            let _ = notice.remove_attribute("hidden");
        }
        None => {
            notice.set_text_content(None);
            let _ = notice.set_attribute("hidden", "");
        }
    }
}

/// Draws what waits to be drawn in `cell`'s outputs.
fn draw_now(inner: &mut Inner, cell: usize) {
    inner.to_draw.retain(|c| *c != cell);
    let doc = inner.doc.clone();
    if let Err(e) = inner.views[cell].draw_pending(&doc) {
        super::dom::log_error("cannot show an output", e);
    }
}

fn set_kernel_status(inner: &Inner, label: &str) {
    inner.kernel_status.set_text_content(Some(&format!("Kernel: {label}")));
    let _ = inner.kernel_status.set_attribute("data-state", label);
}
