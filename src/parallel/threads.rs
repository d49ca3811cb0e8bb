//! Threads as Python's `threading` has them under the GIL, made visible: each thread is a
//! task on the kernel's single event loop. Threads interleave only where they wait (a
//! sleep, a join, a lock, an event, a queue) and never run in parallel; they share the
//! kernel's memory. A cell's run ends when its code and all its threads have ended, as a
//! Python program waits for its threads before it exits.
//!
//! A thread ends with `Result<T, E>`: `E` is the caller's error type (a cell's
//! `CellError`), shown as Python's last traceback line (`Kind: message`) by its
//! `Display` when nobody joins the thread, and made from this layer's [`Error`] when the
//! thread cannot start.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::error::Error;
use super::group::Spawner;
use super::processes::Printer;
use super::timeline::{Sleep, Timeline};
use crate::platform::Platform;

/// Who a thread is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadInfo {
    /// Its name (`MainThread` for the cell's own code).
    pub name: String,
    /// Its identifier, unique within the run (`threading.get_ident()`).
    pub ident: u64,
}

/// One thread's life, for a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadSpan {
    /// The thread's name.
    pub name: String,
    /// When it started (ms, the platform's clock).
    pub start_ms: f64,
    /// When it ended, if it has.
    pub end_ms: Option<f64>,
}

/// One turn of a started thread: from when the event loop began to run its code to when
/// the code gave the loop back (at an `await` that waits). Turns are how the GIL is seen:
/// no two of them, of any threads, ever overlap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Turn {
    /// The thread's identifier.
    pub ident: u64,
    /// When it began (ms, the platform's clock).
    pub start_ms: f64,
    /// When it ended.
    pub end_ms: f64,
}

/// The main thread's identifier; started threads count on from it.
const MAIN_IDENT: u64 = 1;

/// How many turns a run keeps (the oldest are dropped first): a thread that loops for
/// a long time must not grow the kernel's memory without end.
const KEPT_TURNS: usize = 20_000;

struct ThreadState {
    info: ThreadInfo,
    due: Rc<Cell<Option<f64>>>,
}

/// The threads of one run.
pub struct Threads {
    timeline: Rc<Timeline>,
    platform: Rc<dyn Platform>,
    /// Each started thread: its name, when it started and when it ended (ms).
    spans: Rc<RefCell<Vec<ThreadSpan>>>,
    /// The latest turns of the started threads (not the main thread's), in order.
    turns: RefCell<VecDeque<Turn>>,
    current: RefCell<Rc<ThreadState>>,
    next_ident: Cell<u64>,
    spawner: Spawner,
    printer: Printer,
}

impl Threads {
    /// The threads of a run whose tasks go to `spawner`; an exception nobody joins is
    /// printed with `printer`.
    pub fn new(platform: Rc<dyn Platform>, spawner: Spawner, printer: Printer) -> Rc<Threads> {
        let main = ThreadState {
            info: ThreadInfo { name: "MainThread".into(), ident: MAIN_IDENT },
            due: Rc::default(),
        };
        Rc::new(Threads {
            timeline: Timeline::new(Rc::clone(&platform)),
            platform,
            spans: Rc::default(),
            turns: RefCell::default(),
            current: RefCell::new(Rc::new(main)),
            next_ident: Cell::new(MAIN_IDENT),
            spawner,
            printer,
        })
    }

    /// The threads started so far, in order, with their start and end times.
    pub fn spans(&self) -> Vec<ThreadSpan> {
        self.spans.borrow().clone()
    }

    /// The latest turns of the started threads, oldest first (at most 20,000).
    pub fn turns(&self) -> Vec<Turn> {
        self.turns.borrow().iter().copied().collect()
    }

    fn record_turn(&self, turn: Turn) {
        let mut turns = self.turns.borrow_mut();
        if turns.len() >= KEPT_TURNS {
            turns.pop_front();
        }
        turns.push_back(turn);
    }

    /// The thread running now (`threading.current_thread()`).
    pub fn current(&self) -> ThreadInfo {
        self.current.borrow().info.clone()
    }

    /// A sleep of the current thread (see [`super::timeline`] for its order).
    pub fn sleep(self: &Rc<Self>, duration: Duration) -> Sleep {
        let current = Rc::clone(&self.current.borrow());
        self.timeline.sleep(current.info.ident, Rc::clone(&current.due), duration)
    }

    /// Marks `future` as the code of the thread running now (the cell's main thread).
    pub fn as_current<F: Future>(self: &Rc<Self>, future: F) -> AsThread<F> {
        let state = Rc::clone(&self.current.borrow());
        AsThread { threads: Rc::clone(self), state, future: Box::pin(future) }
    }

    /// Starts a thread called `name` running `future` (`Thread(...).start()`).
    pub fn spawn<T, E, F>(self: &Rc<Self>, name: &str, future: F) -> ThreadHandle<T, E>
    where
        T: 'static,
        E: ThreadError,
        F: Future<Output = Result<T, E>> + 'static,
    {
        // Only the boxing depends on the future's type: the rest is compiled once per result
        // type, not once per spawning site.
        self.spawn_boxed(name, Box::pin(future))
    }

    fn spawn_boxed<T: 'static, E: ThreadError>(
        self: &Rc<Self>,
        name: &str,
        future: ThreadFuture<T, E>,
    ) -> ThreadHandle<T, E> {
        let ident = self.next_ident.get() + 1;
        self.next_ident.set(ident);
        let info = ThreadInfo { name: name.to_string(), ident };
        let slot = Rc::new(Slot { result: RefCell::new(None), alive: Cell::new(true), ..Slot::default() });
        let state = Rc::new(ThreadState { info: info.clone(), due: Rc::default() });
        let span = self.spans.borrow().len();
        let start_ms = self.platform.now_ms();
        self.spans.borrow_mut().push(ThreadSpan { name: name.to_string(), start_ms, end_ms: None });
        let task = {
            let (slot, printer) = (Rc::clone(&slot), Rc::clone(&self.printer));
            let (spans, platform) = (Rc::clone(&self.spans), Rc::clone(&self.platform));
            let future = AsThread { threads: Rc::clone(self), state, future };
            async move {
                let result = future.await;
                if let Some(s) = spans.borrow_mut().get_mut(span) {
                    s.end_ms = Some(platform.now_ms());
                }
                slot.alive.set(false);
                if slot.detached.get() {
                    if let Err(e) = &result {
                        report(&printer, &slot.name(), e);
                    }
                } else {
                    *slot.result.borrow_mut() = Some(result);
                }
                slot.waiters.take().into_iter().for_each(Waker::wake);
            }
        };
        *slot.thread_name.borrow_mut() = info.name.clone();
        if !self.spawner.spawn_joinable(Box::pin(task)) {
            slot.alive.set(false);
            *slot.result.borrow_mut() = Some(Err(run_ended()));
        }
        ThreadHandle { info, slot, printer: Rc::clone(&self.printer) }
    }
}

/// What a thread may end with: an error that shows as Python's last traceback line,
/// `Kind: message`, and that a failure of this layer converts into.
pub trait ThreadError: fmt::Display + From<Error> + 'static {}

impl<E: fmt::Display + From<Error> + 'static> ThreadError for E {}

/// The error of a thread started after its run ended (one copy per error type, not one
/// per result type).
#[inline(never)]
fn run_ended<E: From<Error>>() -> E {
    Error::new("RuntimeError", "the cell run has ended").into()
}

/// Prints an exception that no join will see (Python's `threading.excepthook`).
fn report(printer: &Printer, name: &str, error: &dyn fmt::Display) {
    printer(format!("Exception in thread {name}:\n{error}\n"), true);
}

/// A future that runs as a given thread: [`Threads::current`] names it while it runs.
pub struct AsThread<F: Future + ?Sized> {
    threads: Rc<Threads>,
    state: Rc<ThreadState>,
    future: Pin<Box<F>>,
}

/// What a spawned thread runs, boxed.
type ThreadFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>>>>;

impl<F: Future + ?Sized> Future for AsThread<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let previous = self.threads.current.replace(Rc::clone(&self.state));
        let ident = self.state.info.ident;
        let started = (ident != MAIN_IDENT).then(|| self.threads.platform.now_ms());
        let result = self.future.as_mut().poll(cx);
        if let Some(start_ms) = started {
            let end_ms = self.threads.platform.now_ms();
            self.threads.record_turn(Turn { ident, start_ms, end_ms });
        }
        *self.threads.current.borrow_mut() = previous;
        result
    }
}

struct Slot<T, E> {
    result: RefCell<Option<Result<T, E>>>,
    alive: Cell<bool>,
    detached: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
    thread_name: RefCell<String>,
}

impl<T, E> Default for Slot<T, E> {
    fn default() -> Self {
        Slot {
            result: RefCell::new(None),
            alive: Cell::new(false),
            detached: Cell::new(false),
            waiters: RefCell::new(Vec::new()),
            thread_name: RefCell::new(String::new()),
        }
    }
}

impl<T, E> Slot<T, E> {
    fn name(&self) -> String {
        self.thread_name.borrow().clone()
    }
}

/// A started thread that ends with `Result<T, E>`. Dropping it detaches the thread (it
/// still runs to its end, and an error it ends with is printed).
pub struct ThreadHandle<T, E: ThreadError> {
    info: ThreadInfo,
    slot: Rc<Slot<T, E>>,
    printer: Printer,
}

impl<T, E: ThreadError> ThreadHandle<T, E> {
    /// A thread that could not start: joining it gives `error`.
    pub fn failed(name: &str, error: E) -> ThreadHandle<T, E> {
        let slot = Rc::new(Slot::default());
        *slot.result.borrow_mut() = Some(Err(error));
        *slot.thread_name.borrow_mut() = name.to_string();
        let printer: Printer = Rc::new(|_, _| {});
        ThreadHandle { info: ThreadInfo { name: name.to_string(), ident: 0 }, slot, printer }
    }

    /// The thread's name.
    pub fn name(&self) -> &str {
        &self.info.name
    }

    /// The thread's identifier.
    pub fn ident(&self) -> u64 {
        self.info.ident
    }

    /// Whether it is still running.
    pub fn is_alive(&self) -> bool {
        self.slot.alive.get()
    }

    /// Waits for the thread to end and takes what it returned (or the error it raised).
    pub async fn join(self) -> Result<T, E> {
        let slot = Rc::clone(&self.slot);
        std::future::poll_fn(|cx| match slot.result.borrow_mut().take() {
            Some(result) => Poll::Ready(result),
            None => {
                slot.waiters.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
        .await
    }
}

impl<T, E: ThreadError> Drop for ThreadHandle<T, E> {
    fn drop(&mut self) {
        self.slot.detached.set(true);
        if let Some(Err(e)) = self.slot.result.borrow_mut().take() {
            report(&self.printer, &self.info.name, &e);
        }
    }
}

/// Lets the run's other threads take a turn before the current one goes on, as CPython's
/// interpreter hands the GIL to another thread every few milliseconds: a thread doing
/// long CPU work in slices calls it between slices, so threads interleave (and still
/// never run at the same time). No timer is involved: the thread is simply polled again
/// after the others.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future of [`yield_now`].
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
