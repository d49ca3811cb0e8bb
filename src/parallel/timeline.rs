//! Sleeps of a run's threads, ended in a fixed order: by due time, then by the order the
//! threads were started. So the numbers-and-letters threads (1 s and 1.5 s) meet at 3 s in
//! a known order, the numbers thread (started first) first. Two rules make that hold on a
//! busy machine:
//! - A sleep ends only when every sleep due before it has ended, whichever task the event
//!   loop happens to poll first (a task woken by its own timer may come up early).
//! - A thread's sleep counts from the moment its previous sleep was due, but from no
//!   earlier than [`SLACK_MS`] ago: a loop of sleeps does not drift with timer lateness, a
//!   thread held up for long does not rush through its next sleeps, and of threads woken
//!   one after the other, the one due first is due first again however late they all are.

use litemap::LiteMap;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures::future::LocalBoxFuture;

use crate::platform::Platform;

/// How far back a sleep may count from: a thread that sleeps again later than this after
/// its previous sleep was due counts from this long ago.
pub const SLACK_MS: f64 = 50.0;

/// Deadline (µs), thread ident, sequence number.
type Key = (i64, u64, u64);

#[derive(Default)]
struct Sleeper {
    /// Its timer has fired.
    fired: bool,
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
        let base = due.get().map_or(now, |due| due.max(now - SLACK_MS));
        let deadline = base + duration.as_secs_f64() * 1000.0;
        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        let key = ((deadline * 1000.0).round() as i64, ident, seq);
        self.sleepers.borrow_mut().insert(key, Sleeper::default());
        let wait = Duration::from_secs_f64(((deadline - now) / 1000.0).max(0.0));
        Sleep { timeline: Rc::clone(self), key, deadline, due, timer: self.platform.sleep(wait), done: false }
    }

    /// Wakes the first pending sleep if its timer has fired. Only the first may end, so
    /// sleeps end in key order, each woken here when the one before it ends, whichever of
    /// their tasks the loop polls first (one may have been woken by its own timer early).
    fn wake_first(&self) {
        let waker = self
            .sleepers
            .borrow_mut()
            .iter_mut()
            .next()
            .filter(|(_, s)| s.fired)
            .and_then(|(_, s)| s.waker.take());
        waker.into_iter().for_each(Waker::wake);
    }

    /// Whether the sleep `key` may end now: its timer has fired and it is the first still
    /// pending.
    fn may_end(&self, key: &Key) -> bool {
        let sleepers = self.sleepers.borrow();
        !sleepers.contains_key(key)
            || sleepers.iter().next().is_some_and(|(first, s)| first == key && s.fired)
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
        }
        let key = self.key;
        if !self.timeline.may_end(&key) {
            if let Some(sleeper) = self.timeline.sleepers.borrow_mut().get_mut(&key) {
                sleeper.waker = Some(cx.waker().clone());
            }
            return Poll::Pending;
        }
        self.timeline.sleepers.borrow_mut().remove(&key);
        self.timeline.wake_first();
        self.due.set(Some(self.deadline));
        self.done = true;
        Poll::Ready(())
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if !self.done {
            self.timeline.sleepers.borrow_mut().remove(&self.key);
            self.timeline.wake_first();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use futures::channel::oneshot;
    use futures::task::noop_waker_ref;

    /// A clock set by hand and timers fired by hand, in any order.
    #[derive(Default)]
    struct HandClock(Cell<f64>, RefCell<Vec<oneshot::Sender<()>>>);

    impl HandClock {
        /// Fires the timers started so far, the last started first.
        fn fire_all_backwards(&self) {
            self.1.borrow_mut().drain(..).rev().for_each(|timer| {
                let _ = timer.send(());
            });
        }
    }

    impl Platform for HandClock {
        fn sleep(&self, _: Duration) -> LocalBoxFuture<'static, ()> {
            let (fire, fired) = oneshot::channel();
            self.1.borrow_mut().push(fire);
            Box::pin(async move {
                let _ = fired.await;
            })
        }
        fn now_ms(&self) -> f64 {
            self.0.get()
        }
        fn spawn(&self, _: LocalBoxFuture<'static, ()>) {
            unreachable!("a timeline never spawns")
        }
    }

    fn timeline() -> (Rc<HandClock>, Rc<Timeline>) {
        let clock = Rc::new(HandClock::default());
        (Rc::clone(&clock), Timeline::new(clock))
    }

    fn due(ms: f64) -> Rc<Cell<Option<f64>>> {
        Rc::new(Cell::new(Some(ms)))
    }

    const STEP: Duration = Duration::from_millis(20);

    #[test]
    fn a_sleep_soon_after_waking_counts_from_when_the_last_one_was_due() {
        let (clock, timeline) = timeline();
        clock.0.set(1_012.0);
        assert_eq!(timeline.sleep(2, due(1_000.0), STEP).deadline, 1_020.0);
        assert_eq!(timeline.sleep(3, Rc::default(), STEP).deadline, 1_032.0, "a first sleep counts from now");
    }

    #[test]
    fn a_late_thread_makes_up_at_most_the_slack() {
        let (clock, timeline) = timeline();
        clock.0.set(1_000.0 + 400.0);
        assert_eq!(timeline.sleep(2, due(1_000.0), STEP).deadline, 1_400.0 - SLACK_MS + 20.0);
    }

    #[test]
    fn threads_woken_in_turn_keep_their_order_however_late() {
        // Due 1 ms apart; woken together, so the first is a hair further past the slack than
        // the second. Each sleeps again in turn: the one due first must be due first again.
        for late in [10.0, 49.5, 50.0, 50.5, 51.0, 300.0] {
            let (clock, timeline) = timeline();
            clock.0.set(1_000.0 + late);
            let first = timeline.sleep(2, due(1_000.0), STEP);
            clock.0.set(1_000.0 + late + 0.1);
            let second = timeline.sleep(3, due(1_001.0), STEP);
            assert!(
                first.key < second.key,
                "woken {late} ms late: {} then {}",
                first.deadline,
                second.deadline
            );
        }
    }

    fn ended(sleep: &mut Sleep) -> bool {
        Pin::new(sleep).poll(&mut Context::from_waker(noop_waker_ref())).is_ready()
    }

    #[test]
    fn sleeps_end_in_order_whichever_task_is_polled_first() {
        let (clock, timeline) = timeline();
        let mut sleeps: Vec<Sleep> =
            (2..=4).map(|ident| timeline.sleep(ident, Rc::default(), STEP)).collect();
        assert!(sleeps.iter_mut().all(|s| !ended(s)), "no timer has fired");
        clock.fire_all_backwards();
        // The tasks come up last first (as when each was woken by its own timer): each
        // must wait until the ones before it have resumed.
        assert!(!ended(&mut sleeps[2]) && !ended(&mut sleeps[1]));
        assert!(ended(&mut sleeps[0]));
        assert!(!ended(&mut sleeps[2]), "the second has not resumed yet");
        assert!(ended(&mut sleeps[1]) && ended(&mut sleeps[2]));
    }

    #[test]
    fn a_dropped_sleep_holds_no_one_back() {
        let (clock, timeline) = timeline();
        let mut sleeps: Vec<Sleep> =
            (2..=3).map(|ident| timeline.sleep(ident, Rc::default(), STEP)).collect();
        clock.fire_all_backwards();
        assert!(!ended(&mut sleeps[1]));
        drop(sleeps.remove(0)); // the first thread was cancelled before it resumed
        assert!(ended(&mut sleeps[0]));
    }
}
