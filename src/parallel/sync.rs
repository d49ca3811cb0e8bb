//! `threading.Lock` and `threading.Event` for the kernel's threads: a lock handed to its
//! waiters in the order they came, and a flag that threads wait on.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

#[derive(Default)]
struct Waiter {
    granted: Cell<bool>,
    gone: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

#[derive(Default)]
struct LockState {
    locked: Cell<bool>,
    waiters: RefCell<VecDeque<Rc<Waiter>>>,
}

impl LockState {
    /// Hands the lock to the first waiter still waiting, or unlocks it.
    fn release(&self) {
        loop {
            let next = self.waiters.borrow_mut().pop_front();
            match next {
                Some(waiter) if waiter.gone.get() => continue,
                Some(waiter) => {
                    waiter.granted.set(true);
                    if let Some(waker) = waiter.waker.borrow_mut().take() {
                        waker.wake();
                    }
                    return;
                }
                None => {
                    self.locked.set(false);
                    return;
                }
            }
        }
    }
}

/// A lock (clones share it). `acquire` waits; the guard releases it when dropped.
#[derive(Clone, Default)]
pub struct Lock {
    state: Rc<LockState>,
}

impl Lock {
    /// An unlocked lock.
    pub fn new() -> Lock {
        Lock::default()
    }

    /// Whether some thread holds it.
    pub fn locked(&self) -> bool {
        self.state.locked.get()
    }

    /// Takes the lock at once if it is free (`acquire(blocking=False)`).
    pub fn try_acquire(&self) -> Option<LockGuard> {
        if self.state.locked.replace(true) {
            None
        } else {
            Some(LockGuard { state: Rc::clone(&self.state) })
        }
    }

    /// Waits for the lock, first come first served.
    pub fn acquire(&self) -> Acquire {
        Acquire { state: Rc::clone(&self.state), waiter: None, done: false }
    }
}

/// Holds a [`Lock`] until dropped.
pub struct LockGuard {
    state: Rc<LockState>,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        self.state.release();
    }
}

/// The future of [`Lock::acquire`].
pub struct Acquire {
    state: Rc<LockState>,
    waiter: Option<Rc<Waiter>>,
    done: bool,
}

impl Future for Acquire {
    type Output = LockGuard;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let granted = match &self.waiter {
            None => !self.state.locked.replace(true),
            Some(waiter) => waiter.granted.get(),
        };
        if granted {
            self.done = true;
            return Poll::Ready(LockGuard { state: Rc::clone(&self.state) });
        }
        let waiter = match &self.waiter {
            Some(waiter) => Rc::clone(waiter),
            None => {
                let waiter = Rc::new(Waiter::default());
                self.state.waiters.borrow_mut().push_back(Rc::clone(&waiter));
                self.waiter = Some(Rc::clone(&waiter));
                waiter
            }
        };
        *waiter.waker.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        if let (Some(waiter), false) = (&self.waiter, self.done) {
            waiter.gone.set(true);
            // Granted but never taken: pass the lock on.
            if waiter.granted.get() {
                self.state.release();
            }
        }
    }
}

#[derive(Default)]
struct EventState {
    set: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}

/// A flag threads wait on (clones share it).
#[derive(Clone, Default)]
pub struct Event {
    state: Rc<EventState>,
}

impl Event {
    /// A cleared event.
    pub fn new() -> Event {
        Event::default()
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        self.state.set.set(true);
        let waiters = std::mem::take(&mut *self.state.waiters.borrow_mut());
        waiters.into_iter().for_each(Waker::wake);
    }

    /// Clears the flag.
    pub fn clear(&self) {
        self.state.set.set(false);
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.state.set.get()
    }

    /// Waits until the flag is set.
    pub async fn wait(&self) {
        let state = Rc::clone(&self.state);
        std::future::poll_fn(move |cx| {
            if state.set.get() {
                Poll::Ready(())
            } else {
                state.waiters.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
        .await
    }
}
