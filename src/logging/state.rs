//! The per-thread state that records and handlers read, as Python's module-level state:
//! level names, when logging started, the process fields, the record factory, the output
//! hooks and the errors no hook took. The loggers themselves are kept by `super::logger`.
//! The kernel is one thread; native tests run each test in its own thread, so each test
//! sees a fresh state.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

use super::hooks::{ConsoleSink, OutputSink, RecordTap};
use super::level::{LevelNames, TRACE};
use super::record::{ProcessInfo, RecordFactory};

/// At most this many unreported logging errors are kept (see `take_unreported_errors`).
pub(crate) const MAX_UNREPORTED: usize = 100;

/// Whether the `log` crate writes through this package (one logger per process, so one
/// flag for every thread): a fresh state then names `TRACE`.
static FACADE_INSTALLED: AtomicBool = AtomicBool::new(false);

/// Whether the `log` facade is installed.
pub(crate) fn facade_installed() -> bool {
    FACADE_INSTALLED.load(Ordering::Acquire)
}

/// Records that the `log` facade is installed.
pub(crate) fn set_facade_installed() {
    FACADE_INSTALLED.store(true, Ordering::Release);
}

pub(crate) struct State {
    pub(crate) level_names: LevelNames,
    /// When this state started, for `relativeCreated`.
    pub(crate) start_ms: f64,
    pub(crate) process: ProcessInfo,
    pub(crate) factory: Option<RecordFactory>,
    pub(crate) output_sink: Option<OutputSink>,
    pub(crate) console_sink: Option<ConsoleSink>,
    pub(crate) record_tap: Option<RecordTap>,
    pub(crate) unreported: VecDeque<String>,
}

impl State {
    fn new() -> State {
        let mut level_names = LevelNames::default();
        if facade_installed() {
            level_names.add(TRACE, "TRACE");
        }
        State {
            level_names,
            start_ms: crate::clock::now_ms(),
            process: ProcessInfo::default(),
            factory: None,
            output_sink: None,
            console_sink: None,
            record_tap: None,
            unreported: VecDeque::new(),
        }
    }

    /// A fresh state that keeps the host's hooks (sinks) and process fields.
    pub(crate) fn fresh(&self) -> State {
        State {
            process: self.process.clone(),
            output_sink: self.output_sink.clone(),
            console_sink: self.console_sink.clone(),
            record_tap: self.record_tap.clone(),
            ..State::new()
        }
    }
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::new());
}

/// Runs `f` on this thread's state. `None` only if the state is in use further up the
/// stack (a bug in this module, never a user's doing) or the thread is ending.
pub(crate) fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    STATE.try_with(|s| s.try_borrow_mut().ok().map(|mut s| f(&mut s))).ok().flatten()
}
