//! The per-thread state, as Python's module-level state: the logger tree, level names,
//! `disable`, the process fields, the output hooks. The kernel is one thread; native tests
//! run each test in its own thread, so each test sees a fresh state.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

use super::handlers::sink::{ConsoleSink, OutputSink, RecordTap};
use super::level::LevelNames;
use super::logger::Tree;
use super::record::{ProcessInfo, RecordFactory};

/// At most this many unreported logging errors are kept (see `take_unreported_errors`).
pub(crate) const MAX_UNREPORTED: usize = 100;

static EPOCHS: AtomicU64 = AtomicU64::new(1);

pub(crate) struct State {
    /// Changes at every reset, so that old `Logger` handles look themselves up again.
    pub(crate) epoch: u64,
    pub(crate) tree: Tree,
    pub(crate) level_names: LevelNames,
    /// Python's `logging.disable` level (`manager.disable`).
    pub(crate) disable: i32,
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
        if super::facade::installed() {
            level_names.add(super::facade::TRACE, "TRACE");
        }
        State {
            epoch: EPOCHS.fetch_add(1, Ordering::Relaxed),
            tree: Tree::new(),
            level_names,
            disable: 0,
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
