//! What the runtime needs from its host: a clock and timers. The browser glue provides
//! them with `setTimeout` and `performance.now`; native tests use the standard library.

use std::time::Duration;

use futures::future::LocalBoxFuture;

/// Time, as the host gives it.
pub trait Platform {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()>;
    /// Milliseconds since some fixed moment, for measuring elapsed time.
    fn now_ms(&self) -> f64;
}

/// The native host: blocking sleeps (tests drive one cell at a time) and `Instant`.
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
        Box::pin(async move { std::thread::sleep(duration) })
    }

    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }
}
