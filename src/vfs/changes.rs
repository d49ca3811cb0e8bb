//! The change hub: whoever needs to hear of changes to the files (storage schedules a
//! save, a file browser may list them again) subscribes, each with its own flag.
//!
//! It is edge-triggered, as the cheapest hot path wants: a change sets each
//! subscriber's flag and calls its `wake` only when the flag was clear, that is at the
//! first change since it subscribed or last called [`Subscription::take_changed`].
//! A burst of writes thus costs one flag check per subscriber and per write, with no
//! allocation and no call out (into JavaScript, in the browser) after the first.
//!
//! The hub holds its subscribers weakly: dropping a [`Subscription`] drops its `wake`
//! at once, and it is never called again.

use std::cell::Cell;
use std::rc::{Rc, Weak};

/// One subscriber: its flag and what to call when the flag goes up. `wake` is last, so
/// a subscriber of any closure type can be held as `Subscriber<dyn Fn()>`.
struct Subscriber<F: ?Sized> {
    /// Something changed since the last `take_changed` (and `wake` was called).
    changed: Cell<bool>,
    wake: F,
}

/// A registration with the hub; dropping it unsubscribes.
#[must_use = "dropping the subscription unsubscribes at once"]
pub struct Subscription {
    subscriber: Rc<Subscriber<dyn Fn()>>,
}

impl Subscription {
    /// Whether anything changed since subscribing or the last call; re-arms `wake`, so
    /// the next change calls it again.
    pub fn take_changed(&self) -> bool {
        self.subscriber.changed.replace(false)
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription").field("changed", &self.subscriber.changed.get()).finish()
    }
}

/// The subscribers of one tree.
#[derive(Default)]
pub struct Changes {
    subscribers: Vec<Weak<Subscriber<dyn Fn()>>>,
}

impl Changes {
    /// Adds a subscriber (and forgets those dropped since).
    pub fn subscribe(&mut self, wake: impl Fn() + 'static) -> Subscription {
        self.subscribers.retain(|s| s.strong_count() > 0);
        let subscriber: Rc<Subscriber<dyn Fn()>> = Rc::new(Subscriber { changed: Cell::new(false), wake });
        self.subscribers.push(Rc::downgrade(&subscriber));
        Subscription { subscriber }
    }

    /// Tells every subscriber of a change: sets its flag, and calls its `wake` if the
    /// flag was clear. Runs inside tree operations, so `wake` must not touch the file
    /// system (see `FileSystem::subscribe`).
    #[inline]
    pub fn notify(&self) {
        for subscriber in &self.subscribers {
            if let Some(subscriber) = subscriber.upgrade() {
                if !subscriber.changed.replace(true) {
                    (subscriber.wake)();
                }
            }
        }
    }
}
