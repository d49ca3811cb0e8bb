//! Sleeps of a run's threads, woken in a fixed order. A thread's sleep counts from the
//! moment its previous sleep was due (when it slept again within [`SLACK_MS`] of waking),
//! so a loop of sleeps does not drift with timer lateness; and threads due at the same
//! instant resume in the order they were started. So the numbers-and-letters threads
//! (1 s and 1.5 s) meet at 3 s in a known order: the numbers thread, started first, first.

use litemap::LiteMap;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures::future::LocalBoxFuture;

use crate::notebook::Platform;

/// How long after its wake-up a thread may sleep again and still count from when it was due.
pub const SLACK_MS: f64 = 50.0;

/// Deadline (µs), thread ident, sequence number.
type Key = (i64, u64, u64);

#[derive(Default)]
struct Sleeper {
    fired: bool,
    released: bool,
    waker: Option<Waker>,
}

/// The pending sleeps of one run.
pub struct Timeline {
    platform: Rc<dyn Platform>,
    sleepers: RefCell<LiteMap<Key, Sleeper>>,
    seq: Cell<u64>,
}

impl Timeline {
    /// A timeline on `platform`'s timers and clock.
    pub fn new(platform: Rc<dyn Platform>) -> Rc<Timeline> {
        Rc::new(Timeline { platform, sleepers: RefCell::new(LiteMap::new()), seq: Cell::new(0) })
    }

    /// A sleep of `duration` for the thread `ident`, whose previous sleep was due at `due`
    /// (updated when this one ends).
    pub fn sleep(self: &Rc<Self>, ident: u64, due: Rc<Cell<Option<f64>>>, duration: Duration) -> Sleep {
        let now = self.platform.now_ms();
        let base = match due.get() {
            Some(due) if now - due <= SLACK_MS => due,
            _ => now,
        };
        let deadline = base + duration.as_secs_f64() * 1000.0;
        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        let key = ((deadline * 1000.0).round() as i64, ident, seq);
        self.sleepers.borrow_mut().insert(key, Sleeper::default());
        let wait = Duration::from_secs_f64(((deadline - now) / 1000.0).max(0.0));
        Sleep { timeline: Rc::clone(self), key, deadline, due, timer: self.platform.sleep(wait), done: false }
    }

    /// Releases, in order, the fired sleeps that no earlier unfired sleep holds back.
    fn release(&self) {
        let mut wake = Vec::new();
        for (_, sleeper) in self.sleepers.borrow_mut().iter_mut() {
            if sleeper.released {
                continue;
            }
            if !sleeper.fired {
                break;
            }
            sleeper.released = true;
            wake.extend(sleeper.waker.take());
        }
        wake.into_iter().for_each(Waker::wake);
    }
}

/// The future of [`Timeline::sleep`].
pub struct Sleep {
    timeline: Rc<Timeline>,
    key: Key,
    deadline: f64,
    due: Rc<Cell<Option<f64>>>,
    timer: LocalBoxFuture<'static, ()>,
    done: bool,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        let fired = self.timeline.sleepers.borrow().get(&self.key).is_none_or(|s| s.fired);
        if !fired && self.timer.as_mut().poll(cx).is_ready() {
            if let Some(sleeper) = self.timeline.sleepers.borrow_mut().get_mut(&self.key) {
                sleeper.fired = true;
            }
            self.timeline.release();
        }
        let key = self.key;
        let mut sleepers = self.timeline.sleepers.borrow_mut();
        match sleepers.get_mut(&key) {
            Some(sleeper) if !sleeper.released => {
                sleeper.waker = Some(cx.waker().clone());
                Poll::Pending
            }
            _ => {
                sleepers.remove(&key);
                drop(sleepers);
                self.due.set(Some(self.deadline));
                self.done = true;
                Poll::Ready(())
            }
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if !self.done {
            self.timeline.sleepers.borrow_mut().remove(&self.key);
            self.timeline.release();
        }
    }
}
