//! The engine's calls into the notebook during one cell's run, answered at once; or, for a
//! wait (`sleep`, `input`, `breakpoint`, a queue's `get`, a pool's work), with an id whose
//! result the run settles when it comes.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use script_wire::{Host, Value};

use super::files::{os, raise, OpenFiles};
use super::ipc;
use super::logs::ScriptLogs;
use super::pools::ScriptPools;
use super::waits::{Reply, Waits};
use crate::notebook::cell::CellContext;
use crate::notebook::protocol::Local;

/// Answers one run's calls.
pub struct RunHost {
    cx: CellContext,
    files: Rc<OpenFiles>,
    logs: Rc<ScriptLogs>,
    /// The cell's name, which its log records carry as their file.
    cell: String,
    waits: Rc<Waits>,
    /// The pools this run started (their workers end with the run).
    pools: ScriptPools,
    /// The script's threads still running: each ends its crate thread (and so its bar on
    /// the timeline) when told.
    threads: RefCell<Vec<(u32, oneshot::Sender<()>)>>,
    next_thread: Cell<u32>,
}

impl RunHost {
    pub fn new(
        cx: CellContext,
        files: Rc<OpenFiles>,
        logs: Rc<ScriptLogs>,
        waits: Rc<Waits>,
        cell: &str,
    ) -> RunHost {
        RunHost {
            cx,
            files,
            logs,
            cell: cell.to_string(),
            waits,
            pools: ScriptPools::default(),
            threads: RefCell::default(),
            next_thread: Cell::new(0),
        }
    }

    fn wait(&self, answer: impl std::future::Future<Output = super::waits::Answer> + 'static) -> Reply {
        self.waits.start(answer)
    }

    fn dispatch(&self, op: &str, args: &[Value]) -> Result<Reply, Value> {
        let cx = &self.cx;
        let text = |i: usize| args.get(i).and_then(Value::as_str).unwrap_or("");
        Ok(Reply::Now(match op {
            "print" => {
                if matches!(args.get(1), Some(Value::Bool(true))) {
                    cx.eprint(text(0));
                } else {
                    cx.print(text(0));
                }
                Value::None
            }
            "open" => self.files.open(&cx.fs(), args)?,
            "file" => self.files.method(args)?,
            "os" => os(&cx.fs(), text(0), args.get(1..).unwrap_or(&[]))?,
            "log" => self.logs.call(&cx.fs(), &self.cell, text(0), args.get(1..).unwrap_or(&[]))?,
            "sleep" => {
                let ms = args.first().and_then(Value::as_num).filter(|ms| ms.is_finite()).unwrap_or(0.0);
                let cx = cx.clone();
                return Ok(self.wait(async move {
                    cx.sleep(Duration::from_secs_f64(ms.clamp(0.0, 1e9) / 1000.0)).await;
                    Ok(Value::None)
                }));
            }
            "input" => {
                let (cx, prompt) = (cx.clone(), text(0).to_string());
                return Ok(self.wait(async move {
                    cx.input(&prompt).await.map(Value::Str).map_err(|e| raise(e.kind.as_str(), e.message))
                }));
            }
            "breakpoint" => {
                let (cx, name) = (cx.clone(), text(0).to_string());
                let locals = rows(args.get(1)).into_iter().map(|row| {
                    let cell = |i: usize| row.get(i).cloned().unwrap_or_default();
                    Local { name: cell(0), type_name: cell(1), value: cell(2) }
                });
                let locals: Vec<Local> = locals.collect();
                return Ok(self.wait(async move {
                    cx.breakpoint(&name, locals)
                        .await
                        .map(|()| Value::None)
                        .map_err(|e| raise(e.kind.as_str(), e.message))
                }));
            }
            "table" => {
                let headers = rows(Some(&Value::List(vec![args.first().cloned().unwrap_or(Value::None)])));
                let headers: Vec<&str> =
                    headers.first().map(|h| h.iter().map(String::as_str).collect()).unwrap_or_default();
                cx.table(&headers, &rows(args.get(1)));
                Value::None
            }
            "thread" => self.thread(text(0), text(1)),
            "pool" => return self.pools.call(cx, &self.waits, text(0), args.get(1..).unwrap_or(&[])),
            "ipc" if text(0) == "new" => ipc::create(cx, text(1), text(2))?,
            "ipc" => return ipc::call(&self.waits, cx.ipc_link().map_err(ipc::raise_parallel)?, args),
            "process" => match text(0) {
                "cpuCount" => Value::Num(cx.cpu_count() as f64),
                _ => Value::List(vec!["MainProcess".into(), Value::Num(1.0)]),
            },
            "timeline" => Value::Num(cx.show_timeline(text(0)) as f64),
            "memory" => {
                let m = cx.memory();
                Value::List(vec![
                    (m.held_bytes as f64).into(),
                    (m.peak_bytes as f64).into(),
                    (m.allocations as f64).into(),
                ])
            }
            _ => return Err(raise("RuntimeError", format!("the notebook has no call '{op}'"))),
        }))
    }
}

impl RunHost {
    /// `thread start name`: a thread of the run, shown on its timeline, for a script's
    /// async function (it runs in the engine; the crate's thread only keeps its span);
    /// `thread end id`: that function has ended.
    fn thread(&self, op: &str, name: &str) -> Value {
        match op {
            "start" => {
                let id = self.next_thread.get() + 1;
                self.next_thread.set(id);
                let name = if name.is_empty() { format!("Thread-{id}") } else { name.to_string() };
                let (end, ended) = oneshot::channel::<()>();
                let _detached = self.cx.spawn_thread(&name, async move {
                    let _ = ended.await;
                    Ok(())
                });
                self.threads.borrow_mut().push((id, end));
                Value::List(vec![Value::Num(f64::from(id)), Value::Str(name)])
            }
            _ => {
                let id = name.parse::<u32>().unwrap_or(0);
                let mut threads = self.threads.borrow_mut();
                if let Some(at) = threads.iter().position(|(i, _)| *i == id) {
                    let _ = threads.remove(at).1.send(());
                }
                Value::None
            }
        }
    }
}

/// A list of lists of strings (a table's rows), anything else left out.
fn rows(value: Option<&Value>) -> Vec<Vec<String>> {
    let rows = value.and_then(Value::as_list).unwrap_or(&[]);
    rows.iter()
        .map(|row| {
            row.as_list().unwrap_or(&[]).iter().map(|c| c.as_str().unwrap_or("").to_string()).collect()
        })
        .collect()
}

impl Host for RunHost {
    fn answer(&self, request: &[u8]) -> Vec<u8> {
        super::waits::answer(request, |op, args| self.dispatch(op, args))
    }

    fn interrupted(&self) -> bool {
        self.cx.stop_pressed()
    }
}
