//! A script's `Queue`, `Pipe` and `Value`: the kernel's own IPC objects, reached from a
//! cell directly and from a worker process by request, as a Rust task's are. A handle
//! crosses to the script as its JSON (`{"queue": 3}`), the form it has in a task's
//! arguments, so a handle passed to a pool's function reaches the same object.

use std::rc::Rc;
use std::time::Duration;

use script_wire::Value;
use serde_json::Value as Json;

use super::files::raise;
use super::waits::{Answer, Reply, Waits};
use crate::notebook::cell::CellContext;
use crate::parallel::{self, decode_with, Link, Queue};

/// A parallel error as the script's exception.
pub fn raise_parallel(error: parallel::Error) -> Value {
    raise(error.kind.as_str(), error.message)
}

/// JSON text as a value, or a `ValueError` naming `what`.
pub fn parse(text: &str, what: &str) -> Result<Json, Value> {
    crate::json::read::<Json>(text).map_err(|e| raise("ValueError", format!("{what} is not JSON: {e}")))
}

/// A value as JSON text for the script.
pub fn text(json: &Json) -> Value {
    Value::Str(crate::json::to_string(json))
}

/// `ipc new KIND INITIAL`: a new queue, or shared value holding `INITIAL` (JSON text),
/// as its handle's JSON text.
pub fn create(cx: &CellContext, kind: &str, initial: &str) -> Answer {
    let handle = match kind {
        "queue" => serde_json::to_value(cx.queue::<Json>().map_err(raise_parallel)?),
        "value" => {
            let initial = parse(initial, "a Value's first value")?;
            serde_json::to_value(cx.shared_value(initial).map_err(raise_parallel)?)
        }
        _ => return Err(raise("ValueError", format!("there is no IPC object called '{kind}'"))),
    };
    handle.map(|json| text(&json)).map_err(|e| raise("TypeError", e.to_string()))
}

/// `ipc HANDLE OP VALUE`: `OP` on the object of `HANDLE` (JSON text) through `link`, with
/// `VALUE` (JSON text); answered later with the result's JSON text.
pub fn call(waits: &Waits, link: Rc<dyn Link>, args: &[Value]) -> Result<Reply, Value> {
    let arg = |i: usize| args.get(i).and_then(Value::as_str).unwrap_or("");
    let handle = parse(arg(0), "the handle")?;
    let op = arg(1).to_string();
    let value = parse(arg(2), "the value")?;
    let is = |key: &str| handle.as_object().is_some_and(|o| o.len() == 1 && o.contains_key(key));
    if is("queue") {
        let queue: Queue<Json> = decode_with(&link, handle).map_err(raise_parallel)?;
        let timeout = value.as_f64().filter(|ms| ms.is_finite() && *ms >= 0.0);
        return Ok(waits.start(async move {
            let result = match op.as_str() {
                "put" => queue.put(value).await.map(|()| Json::Null),
                "get" => match timeout {
                    Some(ms) => queue.get_timeout(Duration::from_secs_f64(ms.min(1e9) / 1000.0)).await,
                    None => queue.get().await,
                },
                "qsize" => queue.qsize().await.map(Json::from),
                _ => return Err(unknown("Queue", &op)),
            };
            result.map(|json| text(&json)).map_err(raise_parallel)
        }));
    }
    if is("value") {
        let shared: parallel::Value<Json> = decode_with(&link, handle).map_err(raise_parallel)?;
        return Ok(waits.start(async move {
            let result = match op.as_str() {
                "get" => shared.get().await,
                "set" => shared.set(value).await.map(|()| Json::Null),
                "add" => shared.add(value).await,
                _ => return Err(unknown("Value", &op)),
            };
            result.map(|json| text(&json)).map_err(raise_parallel)
        }));
    }
    Err(raise("TypeError", "this is not a handle of a Queue or a Value"))
}

fn unknown(class: &str, op: &str) -> Value {
    raise("AttributeError", format!("'{class}' object has no method '{op}'"))
}
