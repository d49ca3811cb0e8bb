//! The notebook's script engine: Boa runs a script cell's JavaScript, in steps the kernel
//! drives, and calls the notebook's standard library through the narrow interface of
//! `script_wire`.
//!
//! - `lib.rs`: [`ScriptEngine`], the kernel's commands (run, step, settle, cancel);
//! - `jobs.rs`: the promise jobs, run by the engine's own steps, unhandled rejections, and
//!   the hook through which the interpreter asks whether Stop was pressed;
//! - `host_call.rs`: the one native function, `__host`, through which the prelude calls
//!   the notebook, and the conversion of values both ways;
//! - `cell_code.rs`: a cell's code as a script, or wrapped when it awaits at its top level;
//! - `free_names.rs`: the names a function takes from outside (a pool's function may not);
//! - `report.rs`: an uncaught error as the kernel reports it, and a value as text;
//! - `prelude.js`: the standard library's JavaScript face (`open`, `os`, `print`, ...);
//! - `wasm.rs`: the browser module's export, and its import of the kernel's answers.
//!
//! Architecture invariant: the engine holds no notebook state. Files, loggers and tasks
//! live in the kernel; the engine keeps only the script's own globals, which is why Stop
//! keeps them and a kernel restart (a new engine) clears them.

mod cell_code;
mod free_names;
mod host_call;
mod jobs;
mod report;
#[cfg(target_arch = "wasm32")]
mod wasm;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context as TaskContext, Poll, Waker};

use boa_engine::{js_string, Context, JsResult, JsValue, NativeFunction, Script, Source};
use script_wire::{Host, Outcome, Value};

use cell_code::CellCode;
use jobs::{EngineHooks, JobQueue, RejectionTracker};

/// Instructions run between two looks at the clock (a few tens of microseconds).
const BUDGET: u32 = 10_000;

/// How deep calls may nest: well inside the native stack, which nested native calls
/// (a callback of `map` calling `map`) also use.
const RECURSION_LIMIT: usize = 400;

/// Iterations of the loops of one function call before it is ended: what ends a loop that
/// no Stop can reach (a pool's task in a worker process; a page that cannot share the
/// Stop flag with its kernel, see `Host::interrupted`).
const LOOP_LIMIT: u64 = 200_000_000;

type Evaluation = Pin<Box<dyn Future<Output = JsResult<JsValue>>>>;

/// One engine: a JavaScript realm whose globals last from cell to cell.
pub struct ScriptEngine {
    context: Rc<RefCell<Context>>,
    jobs: Rc<JobQueue>,
    rejections: Rc<RejectionTracker>,
    run: Option<Run>,
    /// Runs started, which numbers each run's source path (`js-1#3`).
    runs: u32,
    /// The names earlier cells declared (and the library's), which a cell may declare
    /// again (see `cell_code`).
    declared: Vec<String>,
    /// The paths of runs stopped inside their top-level code: their frames stay under
    /// later runs' (see [`ScriptEngine::cancel`]) and are cut from tracebacks.
    stopped: Vec<String>,
}

/// The cell running now.
struct Run {
    /// The source path: the cell's name and the run's number.
    path: String,
    /// The cell's code as the person wrote it.
    code: String,
    /// The top-level code while it runs: stepped, so Stop reaches it at any depth.
    evaluation: Option<Evaluation>,
    /// What the top-level code ended with.
    result: Option<JsResult<JsValue>>,
    /// When the cell's code was wrapped to await at its top level: the names it declares,
    /// made global once it ends.
    exports: Vec<String>,
    wrapped: bool,
    /// Settlements that came while the top-level code ran (jobs run after it).
    settled: Vec<(u32, bool, Value)>,
}

impl ScriptEngine {
    /// A fresh realm with the standard library.
    pub fn new() -> Result<ScriptEngine, String> {
        let jobs = Rc::new(JobQueue::default());
        let rejections = Rc::new(RejectionTracker::default());
        let mut context = Context::builder()
            .job_executor(Rc::clone(&jobs))
            .host_hooks(Rc::new(EngineHooks { rejections: Rc::clone(&rejections) }))
            .build()
            .map_err(|e| e.to_string())?;
        let limits = context.runtime_limits_mut();
        limits.set_recursion_limit(RECURSION_LIMIT);
        limits.set_loop_iteration_limit(LOOP_LIMIT);
        let natives: [(&str, usize, NativeFunction); 5] = [
            ("__host", 1, NativeFunction::from_fn_ptr(host_call::host)),
            ("__show", 1, NativeFunction::from_fn_ptr(report::show_native)),
            ("__encode", 1, NativeFunction::from_fn_ptr(host_call::encode_utf8)),
            ("__decode", 1, NativeFunction::from_fn_ptr(host_call::decode_utf8)),
            ("__freeNames", 1, NativeFunction::from_fn_ptr(free_names::free_names_native)),
        ];
        for (name, length, function) in natives {
            context
                .register_global_callable(js_string!(name), length, function)
                .map_err(|e| e.to_string())?;
        }
        context.insert_data(host_call::Pending::default());
        let prelude =
            Source::from_bytes(include_str!("prelude.js")).with_path(std::path::Path::new(report::PRELUDE));
        context.eval(prelude).map_err(|e| format!("the script library did not load: {e}"))?;
        let declared = cell_code::library_names(include_str!("prelude.js"), &mut context);
        let known = free_names::known_globals(&mut context, &declared);
        context.insert_data(known);
        Ok(ScriptEngine {
            context: Rc::new(RefCell::new(context)),
            jobs,
            rejections,
            run: None,
            runs: 0,
            declared,
            stopped: Vec::new(),
        })
    }

    /// Runs one command (see `script_wire::command`) and answers its outcome.
    pub fn command(&mut self, command: &Value, host: &Rc<dyn Host>) -> Outcome {
        let items = command.as_list().unwrap_or(&[]);
        let text = |i: usize| items.get(i).and_then(Value::as_str).unwrap_or("");
        let num = |i: usize| items.get(i).and_then(Value::as_num).unwrap_or(0.0);
        host_call::with_host(host, || match items.first().and_then(Value::as_str) {
            Some("run") => self.start(text(1), text(2)),
            Some("step") => self.step(num(1)),
            Some("settle") => {
                let ok = matches!(items.get(2), Some(Value::Bool(true)));
                self.settle(num(1) as u32, ok, items.get(3).cloned().unwrap_or(Value::None))
            }
            Some("cancel") => {
                self.cancel();
                Outcome::Ok
            }
            _ => report::internal("an unknown command from the kernel"),
        })
    }

    // The evaluation holds the realm for as long as it runs, across its budget's yields:
    // nothing else borrows it meanwhile (a settlement waits for it, see `settle`).
    #[allow(clippy::await_holding_refcell_ref)]
    fn start(&mut self, code: &str, name: &str) -> Outcome {
        self.cancel();
        self.runs += 1;
        let path = format!("{name}#{}", self.runs);
        let mut context = self.context.borrow_mut();
        let CellCode { source, exports, wrapped, declares } =
            match CellCode::prepare(code, &self.declared, &mut context) {
                Ok(prepared) => prepared,
                Err(error) => return report::failure(&error, &path, code, &self.stopped, &mut context),
            };
        let source = Source::from_bytes(&source).with_path(std::path::Path::new(&path));
        let script = match Script::parse(source, None, &mut context) {
            Ok(script) => script,
            Err(error) => return report::failure(&error, &path, code, &self.stopped, &mut context),
        };
        drop(context);
        for name in declares {
            if !self.declared.contains(&name) {
                self.declared.push(name);
            }
        }
        let shared = Rc::clone(&self.context);
        let evaluation: Evaluation = Box::pin(async move {
            let mut context = shared.borrow_mut();
            script.evaluate_async_with_budget(&mut context, BUDGET).await
        });
        self.run = Some(Run {
            path,
            code: code.to_string(),
            evaluation: Some(evaluation),
            result: None,
            exports,
            wrapped,
            settled: Vec::new(),
        });
        Outcome::Ok
    }

    /// Runs for at most `ms` milliseconds: the top-level code first, then the promise
    /// jobs it left, then says whether the cell is done, busy or waiting on the host.
    fn step(&mut self, ms: f64) -> Outcome {
        let Some(run) = self.run.as_mut() else {
            return report::internal("a step with no script running");
        };
        // A slice of at most a minute; NaN or infinity (a malformed command) is no time at all.
        let ms = if ms.is_finite() { ms.clamp(0.0, 60_000.0) } else { 0.0 };
        let deadline = web_time::Instant::now() + std::time::Duration::from_secs_f64(ms / 1000.0);
        if let Some(evaluation) = run.evaluation.as_mut() {
            let mut cx = TaskContext::from_waker(Waker::noop());
            loop {
                if let Poll::Ready(result) = evaluation.as_mut().poll(&mut cx) {
                    run.evaluation = None;
                    run.result = Some(result);
                    break;
                }
                if web_time::Instant::now() >= deadline {
                    return Outcome::Busy;
                }
            }
        }
        let mut context = self.context.borrow_mut();
        if let Some(Err(error)) = &run.result {
            let outcome = report::failure(error, &run.path, &run.code, &self.stopped, &mut context);
            drop(context);
            self.cancel();
            return outcome;
        }
        for (id, ok, value) in std::mem::take(&mut run.settled) {
            host_call::settle(id, ok, &value, &mut context);
        }
        loop {
            match self.jobs.run_one(&mut context) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    let outcome = report::failure(&error, &run.path, &run.code, &self.stopped, &mut context);
                    drop(context);
                    self.cancel();
                    return outcome;
                }
            }
            if web_time::Instant::now() >= deadline {
                return Outcome::Busy;
            }
        }
        if let Some(reason) = self.rejections.take_unhandled() {
            let error = boa_engine::JsError::from_opaque(reason);
            let outcome = report::failure(&error, &run.path, &run.code, &self.stopped, &mut context);
            drop(context);
            self.cancel();
            return outcome;
        }
        let value = match run.result.take() {
            Some(Ok(value)) => value,
            _ => JsValue::undefined(),
        };
        // A cell wrapped for its top-level awaits ends when its promise does.
        let promise = if run.wrapped { report::settled_promise(&value) } else { None };
        let value = match promise {
            Some(Ok(Some(inner))) => inner,
            Some(Ok(None)) => {
                run.result = Some(Ok(value));
                return if host_call::pending_count(&context) > 0 || !run.settled.is_empty() {
                    Outcome::Waiting
                } else {
                    drop(context);
                    self.cancel();
                    report::internal("the cell's top-level await waits for something that never comes")
                };
            }
            Some(Err(reason)) => {
                let error = boa_engine::JsError::from_opaque(reason);
                let outcome = report::failure(&error, &run.path, &run.code, &self.stopped, &mut context);
                drop(context);
                self.cancel();
                return outcome;
            }
            None => value,
        };
        if host_call::pending_count(&context) > 0 {
            run.result = Some(Ok(value));
            return Outcome::Waiting;
        }
        let shown = if run.wrapped {
            cell_code::export(&value, &run.exports, &mut context);
            None
        } else {
            report::show(&value, &mut context)
        };
        drop(context);
        self.run = None;
        Outcome::Done(shown)
    }

    fn settle(&mut self, id: u32, ok: bool, value: Value) -> Outcome {
        match self.run.as_mut() {
            // The top-level code holds the realm: the settlement waits for it to end.
            Some(run) if run.evaluation.is_some() => run.settled.push((id, ok, value)),
            _ => host_call::settle(id, ok, &value, &mut self.context.borrow_mut()),
        }
        Outcome::Ok
    }

    /// Ends the running cell where it is. Its top-level evaluation is dropped mid-way,
    /// which Boa leaves as frames under the next run's: harmless, and cut from tracebacks.
    fn cancel(&mut self) {
        if let Some(run) = self.run.take() {
            if run.evaluation.is_some() {
                self.stopped.push(run.path);
            }
        }
        self.jobs.clear();
        self.rejections.clear();
        if let Ok(context) = self.context.try_borrow() {
            host_call::forget_pending(&context);
        }
    }
}

impl script_wire::Engine for ScriptEngine {
    fn call(&mut self, command: &[u8], host: &Rc<dyn Host>) -> Vec<u8> {
        let outcome = match Value::decode(command) {
            Ok(command) => self.command(&command, host),
            Err(error) => report::internal(&error.to_string()),
        };
        outcome.to_value().encode()
    }
}
