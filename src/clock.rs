//! Wall-clock time in milliseconds since 1970, from the host: `Date.now()` in the
//! browser (where `SystemTime` is not available), `SystemTime` natively; and the coarser
//! clock that files' modification times are read from.

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// The time a file's write stamps it with: [`now_ms`], read from the host at most once
/// per turn of the browser's event loop, which a burst of raw writes in one turn shares
/// (Linux's modification times are coarse too: one clock tick covers many writes). The
/// reading is forgotten when the turn ends, and as soon as anyone looks at a stamp
/// ([`stamp_seen`]), so a write that follows a look at a file's time stamps it afresh:
/// its time moves forward. Natively every stamp reads the clock (a cheap call there).
#[inline]
pub fn stamp_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        turn::stamp_ms()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        now_ms()
    }
}

/// Someone read a file's time: the next [`stamp_ms`] reads the clock again.
pub fn stamp_seen() {
    #[cfg(target_arch = "wasm32")]
    turn::forget();
}

/// The reading one turn of the event loop shares.
#[cfg(target_arch = "wasm32")]
mod turn {
    use std::cell::{Cell, OnceCell};

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;

    thread_local! {
        static READING: Cell<Option<f64>> = const { Cell::new(None) };
        /// The function a microtask calls to forget the reading (made once, kept).
        static FORGETTER: OnceCell<Closure<dyn FnMut(JsValue)>> = const { OnceCell::new() };
    }

    /// The reading of this turn (inlined: a raw write asks once per call).
    #[inline]
    pub fn stamp_ms() -> f64 {
        match READING.get() {
            Some(ms) => ms,
            None => read(),
        }
    }

    /// Reads the clock, keeps the reading and has a microtask forget it.
    #[inline(never)]
    fn read() -> f64 {
        let ms = super::now_ms();
        READING.set(Some(ms));
        // A microtask runs once the code running now gives the event loop back.
        FORGETTER.with(|f| {
            let forgetter = f.get_or_init(|| Closure::new(|_: JsValue| forget()));
            let _ = js_sys::Promise::resolve(&JsValue::UNDEFINED).then(forgetter);
        });
        ms
    }

    pub fn forget() {
        READING.set(None);
    }
}
