//! Display updates a cell sends often (a progress bar moved at every step of a loop) reach
//! the page at most [`MAX_PER_SECOND`] times a second per display: the page draws one a
//! frame at most anyway, and each message costs it a task, so a flood would only delay
//! what matters (Stop, the reply). The latest state is never lost: it is held and sent
//! once the interval has passed (by a timer of the platform, or by the next update if the
//! cell never waits), when the display is dropped, and when the run ends.
//!
//! [`Throttle`] is the rule alone, with the time passed in; [`LiveDisplay`] applies it
//! with the platform's clock and timers.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use crate::platform::Platform;

/// The most updates of one display sent to the page in a second.
pub const MAX_PER_SECOND: f64 = 30.0;

/// The least time between two updates of one display.
pub const MIN_INTERVAL_MS: f64 = 1000.0 / MAX_PER_SECOND;

/// When to send the updates of one display, given the time of each.
#[derive(Debug)]
pub struct Throttle<T> {
    interval_ms: f64,
    last_sent_ms: Option<f64>,
    held: Option<T>,
    timer_armed: bool,
}

/// What to do after an update or a timer.
#[derive(Debug, PartialEq)]
pub enum Step<T> {
    /// Send this state now.
    Send(T),
    /// The state is held: start a timer for this many ms, then call [`Throttle::due`].
    Arm(f64),
    /// Nothing to do (the state is held and a timer is already armed, or nothing is held).
    Wait,
}

impl<T> Throttle<T> {
    /// A throttle of at least `interval_ms` between sends; `sent_ms` is when the display
    /// was first shown, if it counts as a send.
    pub fn new(interval_ms: f64, sent_ms: Option<f64>) -> Throttle<T> {
        Throttle { interval_ms, last_sent_ms: sent_ms, held: None, timer_armed: false }
    }

    fn wait_ms(&self, now_ms: f64) -> f64 {
        self.last_sent_ms.map_or(0.0, |last| last + self.interval_ms - now_ms)
    }

    /// A new state at `now_ms`: sent now if the interval has passed (a held one is then
    /// stale and dropped), else held in place of any held before.
    pub fn offer(&mut self, now_ms: f64, state: T) -> Step<T> {
        let wait = self.wait_ms(now_ms);
        if wait <= 0.0 {
            self.held = None;
            self.last_sent_ms = Some(now_ms);
            return Step::Send(state);
        }
        self.held = Some(state);
        if std::mem::replace(&mut self.timer_armed, true) {
            Step::Wait
        } else {
            Step::Arm(wait)
        }
    }

    /// The timer armed by a [`Step::Arm`] fired at `now_ms`: the held state, if any, is
    /// sent now, or later if the timer fired early.
    pub fn due(&mut self, now_ms: f64) -> Step<T> {
        self.timer_armed = false;
        if self.held.is_none() {
            return Step::Wait;
        }
        let wait = self.wait_ms(now_ms);
        if wait > 0.0 {
            self.timer_armed = true;
            return Step::Arm(wait);
        }
        self.last_sent_ms = Some(now_ms);
        self.held.take().map_or(Step::Wait, Step::Send)
    }

    /// The held state, to be sent now whatever the interval (the display is going away or
    /// the run ends).
    pub fn flush(&mut self, now_ms: f64) -> Option<T> {
        let held = self.held.take();
        if held.is_some() {
            self.last_sent_ms = Some(now_ms);
        }
        held
    }
}

/// Something whose held state can be sent at once.
pub trait Flush {
    /// Sends the held state, if any.
    fn flush(&self);
}

/// A display whose updates go out through a [`Throttle`] on the platform's clock.
pub struct LiveDisplay<T> {
    throttle: RefCell<Throttle<T>>,
    platform: Rc<dyn Platform>,
    send: Box<dyn Fn(T)>,
    me: Weak<LiveDisplay<T>>,
}

impl<T: 'static> LiveDisplay<T> {
    /// A display just shown (its first state already sent), whose later states `send`
    /// sends.
    pub fn new(platform: Rc<dyn Platform>, send: impl Fn(T) + 'static) -> Rc<LiveDisplay<T>> {
        let throttle = RefCell::new(Throttle::new(MIN_INTERVAL_MS, Some(platform.now_ms())));
        Rc::new_cyclic(|me| LiveDisplay { throttle, platform, send: Box::new(send), me: me.clone() })
    }

    /// A new state: sent now, or held for a moment.
    pub fn update(&self, state: T) {
        let step = self.throttle.borrow_mut().offer(self.platform.now_ms(), state);
        self.step(step);
    }

    fn step(&self, step: Step<T>) {
        match step {
            Step::Send(state) => (self.send)(state),
            Step::Arm(wait_ms) => {
                let (me, timer) =
                    (self.me.clone(), self.platform.sleep(Duration::from_secs_f64(wait_ms / 1000.0)));
                self.platform.spawn(Box::pin(async move {
                    timer.await;
                    // A display dropped meanwhile has flushed its state already.
                    if let Some(display) = me.upgrade() {
                        let step = display.throttle.borrow_mut().due(display.platform.now_ms());
                        display.step(step);
                    }
                }));
            }
            Step::Wait => {}
        }
    }
}

impl<T: 'static> Flush for LiveDisplay<T> {
    fn flush(&self) {
        let held = self.throttle.borrow_mut().flush(self.platform.now_ms());
        if let Some(state) = held {
            (self.send)(state);
        }
    }
}

/// The live displays of one run, flushed when it ends (however it ends), so the page ends
/// on the last state the cell set even if the display outlives the run.
#[derive(Default)]
pub struct LiveDisplays {
    displays: RefCell<Vec<Weak<dyn Flush>>>,
}

impl LiveDisplays {
    /// Adds a display (forgetting those already dropped).
    pub fn register(&self, display: Weak<dyn Flush>) {
        let mut displays = self.displays.borrow_mut();
        displays.retain(|d| d.strong_count() > 0);
        displays.push(display);
    }

    /// Sends the held state of every display still alive.
    pub fn flush(&self) {
        let alive: Vec<_> = self.displays.borrow().iter().filter_map(Weak::upgrade).collect();
        alive.iter().for_each(|d| d.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A round interval, so that the expected waits are exact.
    const MS: f64 = 40.0;

    #[test]
    fn the_first_update_after_the_interval_goes_at_once() {
        let mut t = Throttle::new(MS, Some(0.0));
        assert_eq!(t.offer(MS, 1), Step::Send(1));
        let mut fresh = Throttle::new(MS, None);
        assert_eq!(fresh.offer(5.0, 1), Step::Send(1), "nothing sent yet: no wait");
    }

    #[test]
    fn updates_within_the_interval_are_held_and_the_latest_wins() {
        let mut t = Throttle::new(MS, Some(0.0));
        assert_eq!(t.offer(1.0, 1), Step::Arm(MS - 1.0), "one timer for the held state");
        assert_eq!(t.offer(2.0, 2), Step::Wait, "the timer is armed already");
        assert_eq!(t.offer(3.0, 3), Step::Wait);
        assert_eq!(t.due(MS), Step::Send(3), "the timer sends the latest");
        assert_eq!(t.due(MS + 1.0), Step::Wait, "nothing left");
        assert_eq!(t.flush(MS + 2.0), None);
    }

    #[test]
    fn a_loop_that_never_waits_still_sends_at_the_rate() {
        // 10,000 updates over one second, each 0.1 ms apart; no timer can fire meanwhile.
        let mut t = Throttle::new(MIN_INTERVAL_MS, Some(0.0));
        let mut sent = Vec::new();
        for i in 1..=10_000u32 {
            if let Step::Send(v) = t.offer(f64::from(i) * 0.1, i) {
                sent.push(v);
            }
        }
        assert!((28..=30).contains(&sent.len()), "{} sent", sent.len());
        assert_eq!(t.flush(1000.0), Some(10_000), "the last state is held, and flushed");
        for pair in sent.windows(2) {
            assert!(
                f64::from(pair[1] - pair[0]) * 0.1 >= MIN_INTERVAL_MS - 1e-9,
                "{pair:?}: sends are an interval apart"
            );
        }
    }

    #[test]
    fn a_timer_that_fires_early_is_armed_again() {
        let mut t = Throttle::new(MS, Some(0.0));
        assert_eq!(t.offer(10.0, 'a'), Step::Arm(MS - 10.0));
        assert_eq!(t.due(20.0), Step::Arm(MS - 20.0));
        assert_eq!(t.offer(21.0, 'b'), Step::Wait, "still armed");
        assert_eq!(t.due(MS), Step::Send('b'));
    }

    #[test]
    fn flushing_sends_the_held_state_once() {
        let mut t = Throttle::new(MS, Some(0.0));
        assert_eq!(t.offer(1.0, 7), Step::Arm(MS - 1.0));
        assert_eq!(t.flush(2.0), Some(7));
        assert_eq!(t.flush(3.0), None);
        assert_eq!(t.offer(4.0, 8), Step::Wait, "the first timer is still armed");
        assert_eq!(t.due(MS), Step::Arm(2.0), "a flush counts as a send: the next waits for it");
        assert_eq!(t.due(MS + 2.0), Step::Send(8));
        assert_eq!(t.due(MS + 3.0), Step::Wait, "the timer finds nothing");
    }
}
