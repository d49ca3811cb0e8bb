//! A script's `Queue`, `Pipe` and `Value`: the kernel's own IPC objects, reached from a
//! cell directly and from a worker process by request, as a Rust task's are. A handle
//! crosses to the script as its JSON (`{"queue": 3}`), the form it has in a task's
//! arguments, so a handle passed to a pool's function reaches the same object.

use std::rc::Rc;

use script_wire::Value;
use serde_json::Value as Json;

use super::files::raise;
use super::waits::{Answer, Reply, Waits};
use crate::notebook::cell::CellContext;
use crate::parallel::{self, Link, Request};

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
    let id = match kind {
        "queue" => cx.queue::<Json>().map_err(raise_parallel)?.id(),
        "value" => cx.shared_value(parse(initial, "a Value's first value")?).map_err(raise_parallel)?.id(),
        _ => return Err(raise("ValueError", format!("there is no IPC object called '{kind}'"))),
    };
    Ok(Value::Str(format!("{{\"{kind}\":{id}}}")))
}

/// `ipc HANDLE OP VALUE`: `OP` on the object of `HANDLE` (JSON text) through `link`, with
/// `VALUE` (JSON text); answered later with the result's JSON text. The request is the one
/// a Rust task's handle would send.
pub fn call(waits: &Waits, link: Rc<dyn Link>, args: &[Value]) -> Result<Reply, Value> {
    let arg = |i: usize| args.get(i).and_then(Value::as_str).unwrap_or("");
    let handle = parse(arg(0), "the handle")?;
    let value = parse(arg(2), "the value")?;
    let object = handle.as_object().filter(|o| o.len() == 1);
    let Some((kind, id)) =
        object.and_then(|o| o.iter().next()).and_then(|(k, v)| Some((k.as_str(), v.as_u64()?)))
    else {
        return Err(raise("TypeError", "this is not a handle of a Queue or a Value"));
    };
    let request = match (kind, arg(1)) {
        ("queue", "put") => Request::QueuePut { id, item: value },
        ("queue", "get") => Request::QueueGet { id, timeout_ms: value.as_f64().filter(|ms| ms.is_finite()) },
        ("queue", "qsize") => Request::QueueSize { id },
        ("value", "get") => Request::Load { id },
        ("value", "set") => Request::Store { id, key: None, value },
        ("value", "add") => Request::Add { id, key: None, delta: value },
        (kind, op) => return Err(raise("AttributeError", format!("'{kind}' object has no method '{op}'"))),
    };
    let answer = link.call(request);
    Ok(waits.start(async move { answer.await.map(|json| text(&json)).map_err(raise_parallel) }))
}
