//! What a running cell holds: its inputs, the kernel's file system, a way to print, and
//! its share of the kernel's processes and threads (`crate::parallel`).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;

use super::debugger::{stop_record, BreakpointSlot, Breakpoints, StopOutcome};
use super::display::{bar_chart_bundle, progress_bundle, table_bundle};
use super::form_input::InputNumber;
use super::outbox::Outbox;
use super::protocol::{
    BreakpointAction, BreakpointRequest, DisplayData, Header, InputRequest, Local, Stream, StreamName, ToPage,
};
use super::stop_flag::StopFlag;
use super::throttle::{Flush, LiveDisplay, LiveDisplays};
use crate::exception_name::ExceptionName;
use crate::logging::LogError;
use crate::memory::{Measure, MemoryFigures};
use crate::parallel::{self, Array, Connection, Manager, Pool, Process, Queue, Run, ThreadInfo, Value};
use crate::platform::Platform;
use crate::vfs::{FileSystem, IoError};

/// The handle a cell's code receives: cheap to clone, valid for the whole run.
#[derive(Clone)]
pub struct CellContext {
    inner: Rc<Inner>,
}

struct Inner {
    inputs: BTreeMap<String, String>,
    fs: FileSystem,
    outbox: Rc<Outbox>,
    request: Header,
    platform: Rc<dyn Platform>,
    input: InputSlot,
    run: OnceCell<Run>,
    breakpoints: OnceCell<Breakpoints>,
    memory: OnceCell<Measure>,
    displays: Rc<LiveDisplays>,
    stop_flag: OnceCell<Rc<dyn StopFlag>>,
}

/// Where the answer to the cell's pending `input` prompt is delivered.
pub type InputSlot = Rc<std::cell::RefCell<Option<oneshot::Sender<String>>>>;

impl CellContext {
    /// A context for one run; outputs are sent as answers to `request`, and answers to
    /// its prompts arrive through `input`.
    pub fn new(
        inputs: BTreeMap<String, String>,
        fs: FileSystem,
        outbox: Rc<Outbox>,
        request: Header,
        platform: Rc<dyn Platform>,
        input: InputSlot,
    ) -> CellContext {
        let inner = Inner {
            inputs,
            fs,
            outbox,
            request,
            platform,
            input,
            run: OnceCell::new(),
            breakpoints: OnceCell::new(),
            memory: OnceCell::new(),
            displays: Rc::default(),
            stop_flag: OnceCell::new(),
        };
        CellContext { inner: Rc::new(inner) }
    }

    /// The context with its run's processes and threads (set once, by the kernel).
    pub fn with_run(self, run: Run) -> CellContext {
        let _ = self.inner.run.set(run);
        self
    }

    /// The context with breakpoints, answered through `slot` (set once, by the kernel).
    pub fn with_breakpoints(self, slot: BreakpointSlot) -> CellContext {
        let _ = self.inner.breakpoints.set(Breakpoints::new(slot));
        self
    }

    /// The context with the memory measurement of its run (set once, by the kernel).
    pub fn with_memory(self, measure: Measure) -> CellContext {
        let _ = self.inner.memory.set(measure);
        self
    }

    /// The context with the flag the page raises on Stop (set once, by the kernel).
    pub fn with_stop_flag(self, flag: Rc<dyn StopFlag>) -> CellContext {
        let _ = self.inner.stop_flag.set(flag);
        self
    }

    /// Whether the person pressed Stop during this run, for code that cannot yield to
    /// hear the kernel's message (see `stop_flag`).
    pub fn stop_pressed(&self) -> bool {
        self.inner.stop_flag.get().is_some_and(|flag| flag.is_raised())
    }

    /// The run's live displays, which the kernel flushes when the run ends.
    pub(super) fn live_displays(&self) -> Rc<LiveDisplays> {
        Rc::clone(&self.inner.displays)
    }

    fn run(&self) -> Result<&Run, parallel::Error> {
        self.inner.run.get().ok_or_else(|| parallel::Error::process("this cell runs outside a kernel run"))
    }

    /// The value of the cell's input `name` as typed in its form ("" if the cell has none).
    pub fn param(&self, name: &str) -> String {
        self.inner.inputs.get(name).cloned().unwrap_or_default()
    }

    /// The input `name` read as a number; text that is not one, or a whole number its type
    /// cannot hold, is an error naming the input (see [`super::form_input`]).
    pub fn param_as<T: InputNumber>(&self, name: &str) -> Result<T, CellError> {
        super::form_input::parse(name, &self.param(name))
    }

    /// The kernel's file system (the one the file browser shows).
    pub fn fs(&self) -> FileSystem {
        self.inner.fs.clone()
    }

    /// Prints `value` and a newline to the cell's output, at once (Python's `print`).
    pub fn println(&self, value: impl Display) {
        self.write(StreamName::Stdout, format!("{value}\n"));
    }

    /// Prints `value` with no newline.
    pub fn print(&self, value: impl Display) {
        self.write(StreamName::Stdout, value.to_string());
    }

    /// Prints `value` to the error stream, with no newline.
    pub fn eprint(&self, value: impl Display) {
        self.write(StreamName::Stderr, value.to_string());
    }

    /// Prints `value` and a newline to the error stream.
    pub fn eprintln(&self, value: impl Display) {
        self.write(StreamName::Stderr, format!("{value}\n"));
    }

    fn write(&self, name: StreamName, text: String) {
        self.inner.outbox.send(Some(&self.inner.request), ToPage::Stream(Stream { name, text }));
    }

    /// Shows a table (headers, then one row per entry).
    pub fn table(&self, headers: &[&str], rows: &[Vec<String>]) {
        self.display(table_bundle(headers, rows));
    }

    /// Shows a horizontal bar chart of `(label, value)` pairs.
    pub fn bar_chart(&self, title: &str, bars: &[(String, f64)], unit: &str) {
        self.display(bar_chart_bundle(title, bars, unit));
    }

    /// Shows `text` as the cell's result (a script cell's last value), as plain text.
    pub fn show_text(&self, text: &str) {
        let mut data = BTreeMap::new();
        data.insert("text/plain".to_string(), text.to_string());
        self.display(data);
    }

    fn display(&self, data: BTreeMap<String, String>) {
        self.inner
            .outbox
            .send(Some(&self.inner.request), ToPage::DisplayData(DisplayData { data, display_id: None }));
    }

    /// At the busiest instant since `since_ms` (this run's clock), how many of its started
    /// threads were running code: 1 at most, as they take turns (see
    /// [`crate::parallel::Turn`]); 0 if none ran.
    pub fn most_threads_at_once(&self, since_ms: f64) -> usize {
        let Some(run) = self.inner.run.get() else { return 0 };
        let turns: Vec<(f64, f64)> = run
            .thread_turns()
            .iter()
            .filter(|t| t.start_ms >= since_ms)
            .map(|t| (t.start_ms, t.end_ms))
            .collect();
        crate::parallel::most_at_once(&turns)
    }

    /// At the busiest instant since `since_ms`, how many of this run's worker processes
    /// were at work on a job, from the times the workers themselves reported.
    pub fn most_processes_at_once(&self, since_ms: f64) -> usize {
        let Some(run) = self.inner.run.get() else { return 0 };
        let worked: Vec<(f64, f64)> = run
            .processes()
            .spans_of_run(run.id())
            .iter()
            .filter_map(|s| s.worked_ms)
            .filter(|&(start, _)| start >= since_ms)
            .collect();
        crate::parallel::most_at_once(&worked)
    }

    /// Draws the timeline of this run so far: a lane per worker process with a bar per job
    /// it ran (its time at work), then a lane per thread with a bar for its life (Python hides both; here they
    /// are visible). Returns how many bars it shows.
    pub fn show_timeline(&self, title: &str) -> usize {
        let Some(run) = self.inner.run.get() else { return 0 };
        let spans = run.processes().spans_of_run(run.id());
        let threads = run.thread_spans();
        let origin = spans
            .iter()
            .map(|s| s.start_ms)
            .chain(threads.iter().map(|t| t.start_ms))
            .fold(f64::INFINITY, f64::min);
        let now = self.now_ms();
        let mut lanes: Vec<(String, Vec<super::display::Bar>)> = Vec::new();
        for span in &spans {
            // The worker's own time at work where it is known, else sent to answered.
            let (start_ms, end_ms) = span.worked_ms.unwrap_or((span.start_ms, span.end_ms.unwrap_or(now)));
            let bar = super::display::Bar {
                start_ms: start_ms - origin,
                end_ms: end_ms - origin,
                label: format!("{} ×{}", span.task, span.items),
            };
            match lanes.iter_mut().find(|(name, _)| *name == span.worker) {
                Some((_, bars)) => bars.push(bar),
                None => lanes.push((span.worker.clone(), vec![bar])),
            }
        }
        for thread in &threads {
            let bar = super::display::Bar {
                start_ms: thread.start_ms - origin,
                end_ms: thread.end_ms.unwrap_or(now) - origin,
                label: format!("thread {}", thread.name),
            };
            lanes.push((format!("thread {}", thread.name), vec![bar]));
        }
        self.display(super::display::timeline_bundle(title, &lanes));
        spans.len() + threads.len()
    }

    /// Shows a progress bar for `total` steps, to be moved with [`Progress::update`]; it
    /// is one output, replaced in place at each update (Jupyter's `update_display_data`).
    /// Updates reach the page at most 30 times a second (see `throttle`), the last always.
    pub fn progress(&self, label: &str, total: u64) -> Progress {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = format!("progress-{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let (outbox, request) = (Rc::clone(&self.inner.outbox), self.inner.request.clone());
        let shown = |data| DisplayData { data, display_id: Some(id.clone()) };
        outbox.send(Some(&request), ToPage::DisplayData(shown(progress_bundle(label, 0, total))));
        let label = label.to_string();
        let display = LiveDisplay::new(Rc::clone(&self.inner.platform), move |done| {
            let update =
                DisplayData { data: progress_bundle(&label, done, total), display_id: Some(id.clone()) };
            outbox.send(Some(&request), ToPage::UpdateDisplayData(update));
        });
        let flush: Rc<dyn Flush> = display.clone();
        self.inner.displays.register(Rc::downgrade(&flush));
        Progress { display }
    }

    /// Milliseconds on the host's clock, for measuring how long something takes.
    pub fn now_ms(&self) -> f64 {
        self.inner.platform.now_ms()
    }

    /// Asks the person for a line of text, as Python's `input(prompt)`: the page shows a
    /// field in the cell's output and the cell waits for Enter. The prompt and the answer
    /// are then echoed to the output.
    pub async fn input(&self, prompt: &str) -> Result<String, CellError> {
        let (sender, receiver) = oneshot::channel();
        *self.inner.input.borrow_mut() = Some(sender);
        let request = InputRequest { prompt: prompt.to_string(), password: false };
        self.inner.outbox.send(Some(&self.inner.request), ToPage::InputRequest(request));
        let answer = receiver
            .await
            .map_err(|_| CellError::new("EOFError", "the prompt was closed without an answer"))?;
        self.print(format!("{prompt}{answer}\n"));
        Ok(answer)
    }

    /// Stops at a breakpoint called `name`, as Python's `breakpoint()`: the page shows
    /// `locals` (see [`locals!`](crate::locals)) and the cell waits for Continue. Continue
    /// to the end passes every later breakpoint of the run; Stop ends the run here. Each
    /// stop leaves a table of its locals in the output.
    pub async fn breakpoint(
        &self,
        name: &str,
        locals: impl IntoIterator<Item = Local>,
    ) -> Result<(), CellError> {
        let Some(breakpoints) = self.inner.breakpoints.get() else {
            return Err(CellError::new("RuntimeError", "breakpoints need a kernel to answer them"));
        };
        let Some(hit) = breakpoints.hit(name) else { return Ok(()) };
        let answer = breakpoints.arm()?;
        let request = BreakpointRequest { name: name.to_string(), hit, locals: locals.into_iter().collect() };
        // Dropped when the stop ends, however it ends (Stop drops this future mid-wait).
        let mut record = StopRecord { cx: self, request: request.clone(), outcome: StopOutcome::Stopped };
        self.inner.outbox.send(Some(&self.inner.request), ToPage::BreakpointRequest(request));
        let action = answer
            .await
            .map_err(|_| CellError::new("BdbQuit", "the breakpoint was closed without an answer"))?;
        breakpoints.answered(action);
        record.outcome = match action {
            BreakpointAction::Continue => StopOutcome::Continued,
            BreakpointAction::ContinueToEnd => StopOutcome::ContinuedToEnd,
        };
        Ok(())
    }

    /// The memory this run has used so far: bytes held now relative to its start, the
    /// peak above the start and the allocations made (outside a kernel, measured from the
    /// first call).
    pub fn memory(&self) -> MemoryFigures {
        self.inner.memory.get_or_init(Measure::start).figures()
    }

    /// Waits for `duration` without blocking the kernel (Stop can cancel here). In a
    /// thread, sleeps that thread: threads due at once wake in the order they started.
    pub async fn sleep(&self, duration: Duration) {
        match self.inner.run.get() {
            Some(run) => run.sleep(duration).await,
            None => self.inner.platform.sleep(duration).await,
        }
    }

    /// A pool of `size` worker processes (`multiprocessing.Pool(size)`).
    pub fn pool(&self, size: usize) -> Result<Pool, parallel::Error> {
        self.run()?.pool(size)
    }

    /// How many processors the browser reports (`os.cpu_count()`), the default pool size.
    pub fn cpu_count(&self) -> usize {
        self.inner.run.get().map_or(1, Run::cpu_count)
    }

    /// Whether worker processes run side by side, as web workers do; natively they are
    /// simulated, taking turns on the kernel's thread.
    pub fn processes_side_by_side(&self) -> bool {
        self.inner.run.get().is_some_and(Run::processes_side_by_side)
    }

    /// A process that runs the registered task `task` with `args` once started.
    pub fn process(&self, task: &str, args: impl serde::Serialize) -> Result<Process, parallel::Error> {
        self.run()?.process(task, args)
    }

    /// The way to the run's IPC objects (for handles decoded by hand: a script's).
    pub fn ipc_link(&self) -> Result<Rc<dyn parallel::Link>, parallel::Error> {
        Ok(self.run()?.link())
    }

    /// A queue shared with processes.
    pub fn queue<T>(&self) -> Result<Queue<T>, parallel::Error> {
        Ok(self.run()?.queue())
    }

    /// A duplex pipe: two connected ends.
    pub fn pipe<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
    ) -> Result<(Connection<T>, Connection<T>), parallel::Error> {
        Ok(self.run()?.pipe())
    }

    /// A value shared with processes.
    pub fn shared_value<T: serde::Serialize>(&self, initial: T) -> Result<Value<T>, parallel::Error> {
        self.run()?.value(initial)
    }

    /// An array shared with processes.
    pub fn shared_array<T: serde::Serialize>(&self, initial: Vec<T>) -> Result<Array<T>, parallel::Error> {
        self.run()?.array(initial)
    }

    /// A manager, whose `dict()` and `list()` are shared with processes.
    pub fn manager(&self) -> Result<Manager, parallel::Error> {
        Ok(Manager::new(self.run()?.clone()))
    }

    /// Starts a thread called `name` running `future` on the kernel's event loop.
    pub fn spawn_thread<T: 'static>(
        &self,
        name: &str,
        future: impl Future<Output = Result<T, CellError>> + 'static,
    ) -> ThreadHandle<T> {
        match self.inner.run.get() {
            Some(run) => run.spawn_thread(name, future),
            None => ThreadHandle::failed(
                name,
                CellError::new("RuntimeError", "this cell runs outside a kernel run"),
            ),
        }
    }

    /// The thread running now (`threading.current_thread()`).
    pub fn current_thread(&self) -> ThreadInfo {
        match self.inner.run.get() {
            Some(run) => run.current_thread(),
            None => ThreadInfo { name: "MainThread".into(), ident: 1 },
        }
    }
}

/// An error that ends a cell: a kind, a message and what caused it, shown like a traceback.
/// It displays as the traceback's last line, `Kind: message` (a thread nobody joins is
/// reported with it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct CellError {
    /// The error's kind, e.g. `FileNotFoundError`.
    pub kind: ExceptionName,
    /// Its message.
    pub message: String,
    /// The chain of causes, outermost first.
    pub causes: Vec<String>,
    /// A script cell's error: where it was raised, outermost call first
    /// (`File "js-1", line 3, column 5, in f`).
    pub frames: Vec<String>,
    /// A script cell's error: the cell's line it was raised at, from 1.
    pub line: Option<u32>,
}

impl CellError {
    /// An error of class `kind` (`"ValueError"`, a cell's own `"AgeError"`) with
    /// `message`. A `kind` that is no class name becomes an `Exception` whose message
    /// starts with that text (see [`ExceptionName::of_error`]): nothing panics.
    pub fn new(kind: impl Into<Cow<'static, str>>, message: impl Into<String>) -> CellError {
        let (kind, message) = ExceptionName::of_error(kind.into(), message.into());
        CellError { kind, message, causes: Vec::new(), frames: Vec::new(), line: None }
    }

    /// Adds the cause of this error, as Python's `raise ... from cause`.
    pub fn caused_by(mut self, cause: impl Into<String>) -> CellError {
        self.causes.push(cause.into());
        self
    }

    /// Adds the line this is called from, in `function`, as the outermost frame of the
    /// error's traceback so far (`File "src/exercises/debugging.rs", line 90, in divide`).
    /// Rust errors carry no call stack: a function that wants its frame shown records it
    /// where the error is raised, and again where it passes the error on.
    #[track_caller]
    pub fn passing_through(mut self, function: &str) -> CellError {
        let at = std::panic::Location::caller();
        self.frames.insert(0, format!("File \"{}\", line {}, in {function}", at.file(), at.line()));
        self
    }
}

impl From<parallel::Error> for CellError {
    /// A move: the class name was checked when the error was made (a cell's many `?`s on
    /// parallel calls stay small).
    fn from(error: parallel::Error) -> CellError {
        CellError {
            kind: error.kind,
            message: error.message,
            causes: Vec::new(),
            frames: Vec::new(),
            line: None,
        }
    }
}

impl From<IoError> for CellError {
    fn from(error: IoError) -> CellError {
        CellError::new(error.kind().python_name(), error.message())
    }
}

impl From<LogError> for CellError {
    fn from(error: LogError) -> CellError {
        CellError::new(error.python_name(), error.message())
    }
}

/// What a cell returns.
pub type CellResult = Result<(), CellError>;

/// A thread a cell started: its code ends with a [`CellError`], as the cell's does.
pub type ThreadHandle<T> = parallel::ThreadHandle<T, CellError>;

/// Leaves the record of a breakpoint stop in the output when the stop ends.
struct StopRecord<'a> {
    cx: &'a CellContext,
    request: BreakpointRequest,
    outcome: StopOutcome,
}

impl Drop for StopRecord<'_> {
    fn drop(&mut self) {
        self.cx.display(stop_record(&self.request, self.outcome));
    }
}

/// A progress bar in a cell's output (see [`CellContext::progress`]). Dropping it sends
/// the last state it was given, if that is still held back.
pub struct Progress {
    display: Rc<LiveDisplay<u64>>,
}

impl Progress {
    /// Shows `done` of the total steps: cheap to call at every step of a loop.
    pub fn update(&self, done: u64) {
        self.display.update(done);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.display.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::CellError;

    #[test]
    fn a_kind_that_is_no_class_name_becomes_exception_and_stays_in_the_message() {
        let error = CellError::new("AgeError", "age must be positive");
        assert_eq!(error.to_string(), "AgeError: age must be positive");
        let error = CellError::new(String::from("Value Error"), "bad");
        assert_eq!((error.kind.as_str(), error.message.as_str()), ("Exception", "\"Value Error\": bad"));
        assert_eq!(CellError::new("", "empty").to_string(), "Exception: \"\": empty");
    }
}
