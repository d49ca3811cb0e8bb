//! IndexedDB's requests as futures, on `web-sys` alone: a request (or a transaction)
//! resolves through two short-lived listeners, removed when it ends. One function per
//! kind of wait and no generic code: this is all the storage needs of a wrapper crate,
//! at a few hundred bytes of the first load instead of several KB.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbOpenDbRequest, IdbRequest, IdbTransaction};

/// What a wait ended with: the result, or the browser's error (a `DOMException`).
pub type Outcome = Result<JsValue, JsValue>;

/// Sets `on_ok` and `on_err` on `target` and waits until one fires; `ok` and `err` read
/// what to answer. Both listeners are removed (and dropped) when it ends.
async fn wait(
    set: &dyn Fn(Option<&js_sys::Function>, Option<&js_sys::Function>),
    ok: Box<dyn Fn() -> Outcome>,
    err: Box<dyn Fn() -> JsValue>,
) -> Outcome {
    let (sender, receiver) = oneshot::channel::<Outcome>();
    let sender = Rc::new(RefCell::new(Some(sender)));
    let on_ok = {
        let sender = Rc::clone(&sender);
        Closure::<dyn FnMut()>::new(move || {
            if let Some(sender) = sender.borrow_mut().take() {
                let _ = sender.send(ok());
            }
        })
    };
    let on_err = Closure::<dyn FnMut()>::new(move || {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(Err(err()));
        }
    });
    set(Some(on_ok.as_ref().unchecked_ref()), Some(on_err.as_ref().unchecked_ref()));
    let _unset = Unset(set); // also when the wait is dropped before it ends
    receiver.await.unwrap_or_else(|_| Err(JsValue::from_str("IndexedDB request dropped")))
}

/// Removes the listeners a wait set, before their closures go.
struct Unset<'a>(&'a dyn Fn(Option<&js_sys::Function>, Option<&js_sys::Function>));

impl Drop for Unset<'_> {
    fn drop(&mut self) {
        (self.0)(None, None);
    }
}

/// The result of `request` once it succeeds.
pub async fn done(request: &IdbRequest) -> Outcome {
    let (r1, r2, r3) = (request.clone(), request.clone(), request.clone());
    wait(
        &move |ok, err| {
            r1.set_onsuccess(ok);
            r1.set_onerror(err);
        },
        Box::new(move || r2.result()),
        Box::new(move || r3.error().ok().flatten().map_or(JsValue::UNDEFINED, JsValue::from)),
    )
    .await
}

/// Waits until `tx` commits (`Ok`), or fails or is aborted (`Err`).
pub async fn committed(tx: &IdbTransaction) -> Outcome {
    let (t1, t2) = (tx.clone(), tx.clone());
    wait(
        &move |ok, err| {
            t1.set_oncomplete(ok);
            t1.set_onabort(err);
            t1.set_onerror(err);
        },
        Box::new(|| Ok(JsValue::UNDEFINED)),
        Box::new(move || match t2.error() {
            Some(error) => error.into(),
            None => JsValue::from_str("the transaction was aborted"),
        }),
    )
    .await
}

/// Waits until an open request is blocked by another connection (an older version's tab
/// that does not close): `Ok` then. Never ends if it is not blocked.
pub async fn blocked(request: &IdbOpenDbRequest) -> Outcome {
    let request = request.clone();
    wait(
        &move |ok, _| request.set_onblocked(ok),
        Box::new(|| Ok(JsValue::UNDEFINED)),
        Box::new(|| JsValue::UNDEFINED),
    )
    .await
}

/// The text of a browser error, for the storage notice.
pub fn error_text(error: &JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    error.as_string().unwrap_or_else(|| "IndexedDB failed".to_string())
}
