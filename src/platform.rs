//! What every layer needs from its host: a clock, timers and a way to run a task in the
//! background. The browser glue provides them with `setTimeout`, `performance.now` and
//! the page's or worker's event loop (`browser::BrowserPlatform`); native code and tests
//! use [`NativePlatform`]. It sits below `parallel` and `notebook`, which both use it;
//! starting worker processes is `parallel::WorkerHost`'s job, not the platform's.

use std::cell::RefCell;
use std::future::Future;
use std::time::Duration;

use futures::channel::oneshot;
use futures::executor::{LocalPool, LocalSpawner};
use futures::future::LocalBoxFuture;
use futures::task::LocalSpawnExt;

/// Time and tasks, as the host gives them.
pub trait Platform {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()>;
    /// Milliseconds since some fixed moment, for measuring elapsed time.
    fn now_ms(&self) -> f64;
    /// Milliseconds on a clock that every worker of this kernel reads alike, so that their
    /// times can be compared (the browser's `performance.timeOrigin + now()`, since each
    /// worker's `now()` counts from its own start). Natively the workers share the
    /// kernel's platform, so this is [`Platform::now_ms`].
    fn shared_clock_ms(&self) -> f64 {
        self.now_ms()
    }
    /// Runs `task` on this thread's event loop, beside whatever runs now.
    fn spawn(&self, task: LocalBoxFuture<'static, ()>);
}

/// The native host: `Instant`, sleeps on a helper thread (so other tasks run meanwhile),
/// and spawned tasks in a local pool that whoever owns the platform drives
/// ([`NativePlatform::run_until`]), as the browser's event loop drives its tasks.
pub struct NativePlatform {
    start: std::time::Instant,
    tasks: RefCell<LocalPool>,
    spawner: LocalSpawner,
}

impl Default for NativePlatform {
    fn default() -> Self {
        let tasks = LocalPool::new();
        let spawner = tasks.spawner();
        NativePlatform { start: std::time::Instant::now(), tasks: RefCell::new(tasks), spawner }
    }
}

impl std::fmt::Debug for NativePlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativePlatform").field("start", &self.start).finish_non_exhaustive()
    }
}

impl NativePlatform {
    /// Drives the spawned tasks, and `future` with them, until `future` completes. Not
    /// to be called from inside one of the spawned tasks (the pool is running then): it
    /// then drives `future` alone.
    pub fn run_until<F: Future>(&self, future: F) -> F::Output {
        match self.tasks.try_borrow_mut() {
            Ok(mut tasks) => tasks.run_until(future),
            Err(_) => futures::executor::block_on(future),
        }
    }

    /// Drives the spawned tasks until none can make progress without waiting.
    pub fn run_until_stalled(&self) {
        if let Ok(mut tasks) = self.tasks.try_borrow_mut() {
            tasks.run_until_stalled();
        }
    }
}

impl Platform for NativePlatform {
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        let (done, wait) = oneshot::channel::<()>();
        std::thread::spawn(move || {
            std::thread::sleep(duration);
            let _ = done.send(());
        });
        Box::pin(async move {
            let _ = wait.await;
        })
    }

    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }

    fn spawn(&self, task: LocalBoxFuture<'static, ()>) {
        // Fails only when the pool is gone, and the pool lives as long as the platform.
        let _ = self.spawner.spawn_local(task);
    }
}
