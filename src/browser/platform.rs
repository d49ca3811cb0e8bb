//! Timers and the clock from the browser (page or worker alike).

use std::time::Duration;

use futures::future::LocalBoxFuture;

use crate::platform::Platform;

/// `setTimeout` for sleeps, `performance.now()` for the clock (finer than a millisecond;
/// `Date.now()` where it is missing), the event loop for tasks.
#[derive(Debug, Default)]
pub struct BrowserPlatform;

impl Platform for BrowserPlatform {
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        Box::pin(gloo_timers::future::sleep(duration))
    }

    fn now_ms(&self) -> f64 {
        high_resolution_now().unwrap_or_else(js_sys::Date::now)
    }

    fn shared_clock_ms(&self) -> f64 {
        let performance = super::global_value("performance");
        let origin = js_sys::Reflect::get(&performance, &"timeOrigin".into()).ok().and_then(|o| o.as_f64());
        match (origin, high_resolution_now()) {
            (Some(origin), Some(now)) => origin + now,
            _ => js_sys::Date::now(),
        }
    }

    fn spawn(&self, task: LocalBoxFuture<'static, ()>) {
        wasm_bindgen_futures::spawn_local(task);
    }
}

/// `performance.now()` of the page or worker this runs in.
fn high_resolution_now() -> Option<f64> {
    use wasm_bindgen::JsCast;
    let performance = super::global_value("performance");
    let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    now.call0(&performance).ok()?.as_f64()
}
