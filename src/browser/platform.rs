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
        let origin = PERFORMANCE.with(|p| p.as_ref().and_then(|p| p.origin));
        match (origin, high_resolution_now()) {
            (Some(origin), Some(now)) => origin + now,
            _ => js_sys::Date::now(),
        }
    }

    fn spawn(&self, task: LocalBoxFuture<'static, ()>) {
        wasm_bindgen_futures::spawn_local(task);
    }
}

/// The page's or worker's `performance`, its `now` and its `timeOrigin`, looked up once
/// rather than at every reading (a started thread's clock is read twice per turn).
struct Performance {
    this: wasm_bindgen::JsValue,
    now: js_sys::Function,
    origin: Option<f64>,
}

thread_local! {
    static PERFORMANCE: Option<Performance> = {
        use wasm_bindgen::JsCast;
        let this = super::global_value("performance");
        let now = js_sys::Reflect::get(&this, &"now".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let origin = js_sys::Reflect::get(&this, &"timeOrigin".into()).ok().and_then(|o| o.as_f64());
        now.map(|now| Performance { this, now, origin })
    };
}

/// `performance.now()` of the page or worker this runs in.
fn high_resolution_now() -> Option<f64> {
    PERFORMANCE.with(|p| p.as_ref().and_then(|p| p.now.call0(&p.this).ok()?.as_f64()))
}
