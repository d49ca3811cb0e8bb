//! Timers and the clock from the browser (page or worker alike).

use std::time::Duration;

use futures::future::LocalBoxFuture;

use crate::notebook::Platform;

/// `setTimeout` for sleeps, `Date.now` for the clock.
#[derive(Debug, Default)]
pub struct BrowserPlatform;

impl Platform for BrowserPlatform {
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        Box::pin(gloo_timers::future::sleep(duration))
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
}
