//! How a handle (a queue, a pipe end, a shared value) reaches the kernel that owns its
//! object: directly in the kernel, by request and reply in a worker. A handle crosses to a
//! worker as its id alone; the worker gives it its own link while it decodes the arguments.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::message::Request;
use super::shared_memory::SharedMemory;

/// Sends a request to the kernel's objects and files, and waits for the answer.
pub trait Link {
    /// Serves `request`; the answer is JSON (or the error the kernel raised).
    fn call(&self, request: Request) -> LocalBoxFuture<'static, Result<Json>>;

    /// Serves a file request with a file's bytes beside it both ways: a write's contents
    /// go with [`Request::WriteFile`], a read's come back (never as JSON text).
    fn file(
        &self,
        request: Request,
        bytes: Option<Vec<u8>>,
    ) -> LocalBoxFuture<'static, Result<Option<Vec<u8>>>>;

    /// Object `id`'s shared memory, if it has some and this side can reach it.
    fn memory(&self, id: u64) -> Option<SharedMemory> {
        let _ = id;
        None
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<dyn Link>>> = const { RefCell::new(None) };
}

/// Runs `f` (decoding values) with `link` given to every handle decoded meanwhile.
pub fn with_link<R>(link: &Rc<dyn Link>, f: impl FnOnce() -> R) -> R {
    let previous = CURRENT.with(|c| c.replace(Some(Rc::clone(link))));
    let result = f();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    result
}

/// The link of the values being decoded, if any.
pub(crate) fn current_link() -> Option<Rc<dyn Link>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Decodes `value` as a `T`, giving `link` to the handles inside it.
pub fn decode_with<T: serde::de::DeserializeOwned>(link: &Rc<dyn Link>, value: Json) -> Result<T> {
    with_link(link, || serde_json::from_value(value)).map_err(Error::from)
}

/// Calls through `link`, or fails because the handle was decoded without one.
pub(crate) async fn call(link: &Option<Rc<dyn Link>>, what: &str, request: Request) -> Result<Json> {
    match link {
        Some(link) => link.call(request).await,
        None => Err(Error::value(format!("this {what} is detached: it was decoded outside a task or cell"))),
    }
}
