//! The engine's calls into the notebook during one run, answered at once; or, for a wait
//! (`sleep`, `input`, `breakpoint`), with an id whose result the run settles when it comes.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::LocalBoxFuture;
use script_wire::{answer, Host, Value};

use super::files::{os, raise, Answer, OpenFiles};
use super::logs::ScriptLogs;
use crate::notebook::cell::CellContext;
use crate::notebook::protocol::Local;

/// A wait the script started: its id, and the future of its answer.
pub type Wait = LocalBoxFuture<'static, (u32, Answer)>;

/// Answers one run's calls.
pub struct RunHost {
    cx: CellContext,
    files: Rc<OpenFiles>,
    logs: Rc<ScriptLogs>,
    /// The cell's name, which its log records carry as their file.
    cell: String,
    waits: RefCell<Vec<Wait>>,
    next_wait: Cell<u32>,
    /// The script's threads still running: each ends its crate thread (and so its bar on
    /// the timeline) when told.
    threads: RefCell<Vec<(u32, oneshot::Sender<()>)>>,
}

impl RunHost {
    pub fn new(cx: CellContext, files: Rc<OpenFiles>, logs: Rc<ScriptLogs>, cell: &str) -> RunHost {
        RunHost {
            cx,
            files,
            logs,
            cell: cell.to_string(),
            waits: RefCell::default(),
            next_wait: Cell::new(0),
            threads: RefCell::default(),
        }
    }

    /// The waits started and not yet handed to the run.
    pub fn take_waits(&self) -> Vec<Wait> {
        self.waits.take()
    }

    fn wait(&self, answer: impl std::future::Future<Output = Answer> + 'static) -> Reply {
        let id = self.next_wait.get() + 1;
        self.next_wait.set(id);
        self.waits.borrow_mut().push(Box::pin(async move { (id, answer.await) }));
        Reply::Later(id)
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

/// A call's answer: now, or later under an id.
enum Reply {
    Now(Value),
    Later(u32),
}

impl RunHost {
    /// `thread start name`: a thread of the run, shown on its timeline, for a script's
    /// async function (it runs in the engine; the crate's thread only keeps its span);
    /// `thread end id`: that function has ended.
    fn thread(&self, op: &str, name: &str) -> Value {
        match op {
            "start" => {
                let id = self.next_wait.get() + 1;
                self.next_wait.set(id);
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
        let reply = match Value::decode(request) {
            Ok(Value::List(items)) if !items.is_empty() => {
                let op = items[0].as_str().unwrap_or("");
                match self.dispatch(op, &items[1..]) {
                    Ok(Reply::Now(value)) => answer::ok(value),
                    Ok(Reply::Later(id)) => answer::pending(id),
                    Err(error) => error_answer(&error),
                }
            }
            _ => {
                answer::error("RuntimeError", "the script engine sent a call the notebook cannot read", None)
            }
        };
        reply.encode()
    }
}

/// The `[class, message, errno]` of an error as the host's answer.
fn error_answer(error: &Value) -> Value {
    let parts = error.as_list().unwrap_or(&[]);
    let mut answer = vec![Value::from("error")];
    answer.extend(parts.iter().cloned());
    Value::List(answer)
}
