//! Timers and the clock from the browser (page or worker alike).

use std::rc::Rc;
use std::time::Duration;

use futures::future::LocalBoxFuture;

use super::process_host::BrowserHost;
use crate::notebook::Platform;
use crate::parallel::WorkerHost;

/// `setTimeout` for sleeps, `performance.now()` for the clock (finer than a millisecond;
/// `Date.now()` where it is missing), web workers for processes.
#[derive(Debug, Default)]
pub struct BrowserPlatform;

impl Platform for BrowserPlatform {
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        Box::pin(gloo_timers::future::sleep(duration))
    }

    fn now_ms(&self) -> f64 {
        high_resolution_now().unwrap_or_else(js_sys::Date::now)
    }

    fn worker_host(&self) -> Option<Rc<dyn WorkerHost>> {
        Some(Rc::new(BrowserHost::default()))
    }
}

/// `performance.now()` of the page or worker this runs in.
fn high_resolution_now() -> Option<f64> {
    use wasm_bindgen::JsCast;
    let performance = super::global_value("performance");
    let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    now.call0(&performance).ok()?.as_f64()
}
