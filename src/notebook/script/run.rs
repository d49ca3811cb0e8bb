//! One script's run: the engine is stepped a time slice at a time, with the event loop let
//! through between slices (so Stop, prompts and file requests are heard), and the host's
//! waits are settled as they end. A cell's run is [`run`]; a worker process runs a pool's
//! function through the same [`Session`] (`process_task.rs`).

use std::rc::Rc;
use std::time::Duration;

use futures::future::{select_all, FutureExt, LocalBoxFuture};
use script_wire::{command, Host, Outcome, Value};

use super::engines::{ScriptEngines, SharedEngine};
use super::host::RunHost;
use super::waits::Waits;
use crate::notebook::cell::{CellContext, CellError};

/// How long the engine runs before the kernel's event loop gets a turn: Stop is heard
/// within about this, plus the message's way.
const SLICE_MS: f64 = 20.0;

/// Runs `code` as script cell `name`, to its end, an uncaught error, or Stop (when this
/// future is dropped: the engine's run is then cancelled and its globals kept).
pub async fn run(cx: CellContext, code: &str, name: &str, engines: &ScriptEngines) -> Result<(), CellError> {
    let engine = engines.engine().await?;
    let waits = Rc::new(Waits::default());
    let host = Rc::new(RunHost::new(cx.clone(), engines.files(), engines.logs(), Rc::clone(&waits), name));
    let session = Session::new(engine, host, waits);
    let pause_cx = cx.clone();
    let pause = move || -> LocalBoxFuture<'static, ()> {
        let cx = pause_cx.clone();
        Box::pin(async move { cx.sleep(Duration::ZERO).await })
    };
    let result = session.drive(code, name, &pause).await;
    if matches!(&result, Err(e) if is_crash(e)) {
        engines.discard();
    }
    if let Ok(Some(text)) = &result {
        cx.show_text(text);
    }
    result.map(drop)
}

/// Whether the engine itself failed (it starts afresh at the next run).
pub fn is_crash(error: &CellError) -> bool {
    error.kind.as_str() == "ScriptEngineCrash"
}

/// One run of an engine with its host: cancelled if dropped before it ends.
pub struct Session {
    engine: SharedEngine,
    host: Rc<dyn Host>,
    waits: Rc<Waits>,
    /// Cleared when the run ends by itself.
    cancel_on_drop: bool,
}

impl Session {
    /// A run of `engine`, whose calls `host` answers and whose waits it starts in `waits`.
    pub fn new(engine: SharedEngine, host: Rc<dyn Host>, waits: Rc<Waits>) -> Session {
        Session { engine, host, waits, cancel_on_drop: true }
    }

    fn call(&self, command: Value) -> Result<Outcome, CellError> {
        let Ok(mut engine) = self.engine.try_borrow_mut() else {
            return Err(CellError::new("RuntimeError", "the script engine is busy with another run"));
        };
        let answer = engine.call(&command.encode(), &self.host);
        drop(engine);
        Value::decode(&answer).ok().and_then(|v| Outcome::from_value(&v).ok()).ok_or_else(|| {
            CellError::new(
                "ScriptEngineCrash",
                "the script engine stopped answering; it starts afresh at the next run",
            )
        })
    }

    /// Runs `code` (named `name` in tracebacks) to its end: the text of its last value
    /// (if it shows one), or its error. `pause` lets the event loop through between slices.
    pub async fn drive(
        mut self,
        code: &str,
        name: &str,
        pause: &dyn Fn() -> LocalBoxFuture<'static, ()>,
    ) -> Result<Option<String>, CellError> {
        let mut waits = Vec::new();
        let mut outcome = self.call(command::run(code, name))?;
        if outcome == Outcome::Ok {
            outcome = self.call(command::step(SLICE_MS))?;
        }
        loop {
            waits.extend(self.waits.take());
            outcome = match outcome {
                Outcome::Busy => {
                    pause().await;
                    // Waits that ended meanwhile are settled now (the engine holds them
                    // until its top-level code ends).
                    let mut still = Vec::with_capacity(waits.len());
                    for mut wait in waits.drain(..) {
                        match (&mut wait).now_or_never() {
                            Some((id, answer)) => {
                                self.call(command::settle(f64::from(id), answer))?;
                            }
                            None => still.push(wait),
                        }
                    }
                    waits = still;
                    self.call(command::step(SLICE_MS))?
                }
                Outcome::Waiting if waits.is_empty() => {
                    return Err(CellError::new(
                        "RuntimeError",
                        "the script waits for something that never comes",
                    ));
                }
                Outcome::Waiting => {
                    let ((id, answer), _, rest) = select_all(std::mem::take(&mut waits)).await;
                    waits = rest;
                    self.call(command::settle(f64::from(id), answer))?;
                    self.call(command::step(SLICE_MS))?
                }
                Outcome::Done(shown) => {
                    self.cancel_on_drop = false;
                    return Ok(shown);
                }
                Outcome::Failed(failure) => {
                    self.cancel_on_drop = false;
                    let mut error = CellError::new(failure.name, failure.message);
                    error.frames = failure.frames.into_iter().rev().collect();
                    error.line = failure.line;
                    return Err(error);
                }
                Outcome::Ok => {
                    return Err(CellError::new("RuntimeError", "the script engine answered out of turn"))
                }
            };
        }
    }
}

impl Drop for Session {
    /// Stop drops the run mid-way: the engine ends the script where it is.
    fn drop(&mut self) {
        if self.cancel_on_drop {
            let _ = self.call(command::cancel());
        }
    }
}
