//! The tasks of one cell run, on the kernel's single event loop: its threads, the kernel's
//! side of its workers' waiting requests, and (natively) its simulated workers. The run's
//! future ([`Group::drive`]) polls them together with the cell's own code, so they need no
//! executor of their own, and dropping that future (Stop) cancels all of them.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use futures::future::LocalBoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};

/// A set of tasks driven with a run's main future.
#[derive(Default)]
pub struct Group {
    tasks: RefCell<FuturesUnordered<LocalBoxFuture<'static, ()>>>,
    incoming: RefCell<Vec<LocalBoxFuture<'static, ()>>>,
    /// Tasks the run waits for before it ends (threads, started processes).
    joinable: Rc<Cell<usize>>,
    waker: RefCell<Option<Waker>>,
    closed: Cell<bool>,
}

/// A weak handle that spawns onto a group (nothing once the group is gone or cleared).
#[derive(Clone, Default)]
pub struct Spawner {
    group: Weak<Group>,
}

impl Spawner {
    /// Runs `task` with the group; the run does not wait for it. `false` if the group ended.
    pub fn spawn(&self, task: LocalBoxFuture<'static, ()>) -> bool {
        self.group.upgrade().is_some_and(|g| g.spawn(task, false))
    }

    /// Runs `task` with the group; the run ends only after it. `false` if the group ended.
    pub fn spawn_joinable(&self, task: LocalBoxFuture<'static, ()>) -> bool {
        self.group.upgrade().is_some_and(|g| g.spawn(task, true))
    }
}

/// Decrements the joinable count when its task ends or is dropped.
struct Joinable(Rc<Cell<usize>>);

impl Drop for Joinable {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

impl Group {
    /// An empty group.
    pub fn new() -> Rc<Group> {
        Rc::new(Group::default())
    }

    /// A spawner onto this group.
    pub fn spawner(self: &Rc<Self>) -> Spawner {
        Spawner { group: Rc::downgrade(self) }
    }

    fn spawn(&self, task: LocalBoxFuture<'static, ()>, joinable: bool) -> bool {
        if self.closed.get() {
            return false;
        }
        let task = if joinable {
            self.joinable.set(self.joinable.get() + 1);
            let guard = Joinable(Rc::clone(&self.joinable));
            Box::pin(async move {
                task.await;
                drop(guard);
            })
        } else {
            task
        };
        self.incoming.borrow_mut().push(task);
        if let Some(waker) = self.waker.borrow().as_ref() {
            waker.wake_by_ref();
        }
        true
    }

    /// Drops every task (cancelling them) and refuses new ones.
    pub fn clear(&self) {
        self.closed.set(true);
        let incoming = std::mem::take(&mut *self.incoming.borrow_mut());
        let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
        drop(incoming);
        drop(tasks);
    }

    /// Runs `main` with the group's tasks; resolves to `main`'s output once `main` and
    /// every joinable task have ended (as Python waits for its threads at exit).
    pub fn drive<F: Future>(self: &Rc<Self>, main: F) -> Drive<F> {
        Drive { group: Rc::clone(self), main: Box::pin(main), output: None }
    }

    /// Polls the tasks until none is ready.
    fn poll_tasks(&self, cx: &mut Context<'_>) {
        loop {
            let incoming = std::mem::take(&mut *self.incoming.borrow_mut());
            self.tasks.borrow_mut().extend(incoming);
            // The borrow is held while a task runs: a task that spawns only touches
            // `incoming`, picked up by the next turn of this loop.
            while let Poll::Ready(Some(())) = self.tasks.borrow_mut().poll_next_unpin(cx) {}
            if self.incoming.borrow().is_empty() {
                break;
            }
        }
    }
}

/// The future of [`Group::drive`].
pub struct Drive<F: Future> {
    group: Rc<Group>,
    main: Pin<Box<F>>,
    output: Option<F::Output>,
}

// The main future is boxed and the output is never pinned, so moving a `Drive` is fine.
impl<F: Future> Unpin for Drive<F> {}

impl<F: Future> Future for Drive<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        *this.group.waker.borrow_mut() = Some(cx.waker().clone());
        if this.output.is_none() {
            if let Poll::Ready(output) = this.main.as_mut().poll(cx) {
                this.output = Some(output);
            }
        }
        this.group.poll_tasks(cx);
        if this.group.joinable.get() == 0 {
            if let Some(output) = this.output.take() {
                return Poll::Ready(output);
            }
        }
        Poll::Pending
    }
}
