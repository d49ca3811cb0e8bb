//! What the runtime needs from its host: a clock, timers and a way to start worker
//! processes. The browser glue provides them with `setTimeout`, `performance.now` and web
//! workers; native tests use the standard library and the simulated worker host.

use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::LocalBoxFuture;

use crate::parallel::{SimulatedHost, WorkerHost};

/// Time, as the host gives it.
pub trait Platform {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()>;
    /// Milliseconds since some fixed moment, for measuring elapsed time.
    fn now_ms(&self) -> f64;
    /// What starts worker processes (`None`: processes fail with a clear error).
    fn worker_host(&self) -> Option<Rc<dyn WorkerHost>> {
        None
    }
}

/// The native host: `Instant`, sleeps on a helper thread (so other tasks run meanwhile),
/// and simulated worker processes on the kernel's own thread.
#[derive(Debug)]
pub struct NativePlatform {
    start: std::time::Instant,
}

impl Default for NativePlatform {
    fn default() -> Self {
        NativePlatform { start: std::time::Instant::now() }
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

    fn worker_host(&self) -> Option<Rc<dyn WorkerHost>> {
        Some(Rc::new(SimulatedHost::default()))
    }
}
