//! The waits a script starts (a sleep, a prompt, a queue's `get`, a pool's results): each
//! call that cannot answer at once is answered later under an id, and the run settles it
//! in the engine when its future ends.

use std::cell::{Cell, RefCell};
use std::future::Future;

use futures::future::LocalBoxFuture;
use script_wire::{answer as reply, Value};

/// What a call answers: its result, or the error to raise (`[class, message, errno]`).
pub type Answer = Result<Value, Value>;

/// A wait the script started: its id, and the future of its answer.
pub type Wait = LocalBoxFuture<'static, (u32, Answer)>;

/// A call's answer: now, or later under an id.
pub enum Reply {
    Now(Value),
    Later(u32),
}

/// The waits started and not yet handed to the run.
#[derive(Default)]
pub struct Waits {
    started: RefCell<Vec<Wait>>,
    next: Cell<u32>,
}

impl Waits {
    /// Starts waiting for `answer`: the script gets a promise for the id.
    pub fn start(&self, answer: impl Future<Output = Answer> + 'static) -> Reply {
        let id = self.next.get() + 1;
        self.next.set(id);
        self.started.borrow_mut().push(Box::pin(async move { (id, answer.await) }));
        Reply::Later(id)
    }

    /// The waits started since the last take.
    pub fn take(&self) -> Vec<Wait> {
        self.started.take()
    }
}

/// A host's answer to the encoded call `request` (`[op, ...args]`), which `dispatch`
/// serves.
pub fn answer(request: &[u8], dispatch: impl FnOnce(&str, &[Value]) -> Result<Reply, Value>) -> Vec<u8> {
    let answer = match Value::decode(request) {
        Ok(Value::List(items)) if !items.is_empty() => {
            let op = items[0].as_str().unwrap_or("");
            match dispatch(op, &items[1..]) {
                Ok(Reply::Now(value)) => reply::ok(value),
                Ok(Reply::Later(id)) => reply::pending(id),
                Err(error) => error_answer(&error),
            }
        }
        _ => reply::error("RuntimeError", "the script engine sent a call the notebook cannot read", None),
    };
    answer.encode()
}

/// The `[class, message, errno]` of an error as the host's answer.
fn error_answer(error: &Value) -> Value {
    let parts = error.as_list().unwrap_or(&[]);
    let mut answer = vec![Value::from("error")];
    answer.extend(parts.iter().cloned());
    Value::List(answer)
}
