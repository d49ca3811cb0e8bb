//! The task `script.call`, a worker process's side of a script's pool: the worker loads
//! its own engine (once, on its first call) and runs the function's source on one list of
//! arguments; the result goes back as JSON. The function has only its arguments and the
//! library: the kernel refused any function using its cell's names before sending it.
//!
//! In the worker a script can print (into the cell that started the pool), sleep, and use
//! the queues, pipes and values it was passed; files, logging, prompts and displays are
//! the cell's.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use script_wire::{Host, Value};
use serde_json::Value as Json;

use super::engines::{EngineLoader, SharedEngine};
use super::files::raise;
use super::ipc;
use super::pools::SCRIPT_TASK;
use super::run::{is_crash, Session};
use super::waits::{Reply, Waits};
use crate::parallel::tasks::Registry;
use crate::parallel::{Error, Result, TaskContext};

/// Each worker's engine, by pid (the simulated host runs every worker on one thread).
type Engines = Rc<RefCell<Vec<(u32, SharedEngine)>>>;

/// Adds `script.call` to `registry`; a worker makes its engine with `loader`.
pub fn add_script_task(registry: &mut Registry, loader: EngineLoader) {
    let engines: Engines = Rc::default();
    registry.add(SCRIPT_TASK, move |cx: TaskContext, (source, args): (String, Json)| {
        let (loader, engines) = (Rc::clone(&loader), Rc::clone(&engines));
        async move { call(cx, &source, &args, &loader, &engines).await }
    });
}

async fn engine(pid: u32, loader: &EngineLoader, engines: &Engines) -> Result<SharedEngine> {
    if let Some((_, engine)) = engines.borrow().iter().find(|(p, _)| *p == pid) {
        return Ok(Rc::clone(engine));
    }
    let engine = loader().await.map_err(|why| {
        Error::new("RuntimeError", format!("the script engine could not be started in this process: {why}"))
    })?;
    let engine: SharedEngine = Rc::new(RefCell::new(engine));
    engines.borrow_mut().push((pid, Rc::clone(&engine)));
    Ok(engine)
}

async fn call(
    cx: TaskContext,
    source: &str,
    args: &Json,
    loader: &EngineLoader,
    engines: &Engines,
) -> Result<Json> {
    let engine = engine(cx.pid(), loader, engines).await?;
    let waits = Rc::new(Waits::default());
    let host = Rc::new(TaskHost { cx: cx.clone(), waits: Rc::clone(&waits), result: RefCell::new(None) });
    // The arguments' JSON text as a string literal (JSON's strings are JavaScript's).
    let args = crate::json::to_string(&crate::json::to_string(args));
    let code = format!("await __poolCall(({source}\n), {args});");
    let session = Session::new(engine, host.clone(), waits);
    let sleeper = cx.clone();
    let pause = move || -> LocalBoxFuture<'static, ()> {
        let cx = sleeper.clone();
        Box::pin(async move { cx.sleep(Duration::ZERO).await })
    };
    match session.drive(&code, cx.name(), &pause).await {
        Ok(_) => {
            let result = host.result.take().unwrap_or_else(|| "null".into());
            crate::json::read::<Json>(&result).map_err(|e| Error::type_error(e.to_string()))
        }
        Err(error) => {
            if is_crash(&error) {
                engines.borrow_mut().retain(|(pid, _)| *pid != cx.pid());
            }
            let place = match error.line {
                Some(line) => format!(" (line {line} of the function, in {})", cx.name()),
                None => format!(" (in {})", cx.name()),
            };
            Err(Error::new(error.kind.as_str().to_string(), format!("{}{place}", error.message)))
        }
    }
}

/// Answers the calls of a function running in a worker.
struct TaskHost {
    cx: TaskContext,
    waits: Rc<Waits>,
    /// The function's result as JSON text, once it returned.
    result: RefCell<Option<String>>,
}

impl TaskHost {
    fn dispatch(&self, op: &str, args: &[Value]) -> std::result::Result<Reply, Value> {
        let text = |i: usize| args.get(i).and_then(Value::as_str).unwrap_or("");
        Ok(Reply::Now(match op {
            "print" if matches!(args.get(1), Some(Value::Bool(true))) => {
                self.cx.eprint(text(0));
                Value::None
            }
            "print" => {
                self.cx.print(text(0));
                Value::None
            }
            "sleep" => {
                let ms = args.first().and_then(Value::as_num).filter(|ms| ms.is_finite()).unwrap_or(0.0);
                let cx = self.cx.clone();
                return Ok(self.waits.start(async move {
                    cx.sleep(Duration::from_secs_f64(ms.clamp(0.0, 1e9) / 1000.0)).await;
                    Ok(Value::None)
                }));
            }
            "ipc" if text(0) == "new" => {
                return Err(raise(
                    "RuntimeError",
                    "a worker process cannot make a Queue or Value: make it in the cell and pass it as an argument",
                ))
            }
            "ipc" => return ipc::call(&self.waits, Rc::clone(self.cx.link()), args),
            "process" if text(0) == "current" => {
                Value::List(vec![Value::Str(self.cx.name().to_string()), Value::Num(f64::from(self.cx.pid()))])
            }
            "return" => {
                *self.result.borrow_mut() = Some(text(0).to_string());
                Value::None
            }
            _ => {
                let what = match op {
                    "open" | "file" | "os" => "files",
                    "log" => "logging",
                    "input" | "breakpoint" => "prompts",
                    "pool" => "pools of its own",
                    _ => "this",
                };
                return Err(raise(
                    "RuntimeError",
                    format!(
                        "a worker process cannot use {what}: its function gets its data as arguments and \
                         sends back its result (files, logging, prompts and displays are the cell's)"
                    ),
                ));
            }
        }))
    }
}

impl Host for TaskHost {
    fn answer(&self, request: &[u8]) -> Vec<u8> {
        super::waits::answer(request, |op, args| self.dispatch(op, args))
    }
}
