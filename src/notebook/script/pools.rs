//! A script's `Pool`: the kernel's pool of worker processes, each running the task
//! `script.call` (`process_task.rs`) on a function's source and one list of arguments.
//! The pools of a run end with it, as a Rust cell's do.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use script_wire::Value;
use serde_json::Value as Json;

use super::files::raise;
use super::ipc::{parse, raise_parallel, text};
use super::waits::{Reply, Waits};
use crate::notebook::cell::CellContext;
use crate::parallel::{Pool, Results};

/// The task a worker runs a script function with: its argument is `[source, [args...]]`.
pub const SCRIPT_TASK: &str = "script.call";

/// Results given one by one (`imap`), lent to the wait that takes the next.
type Lent = Rc<RefCell<Option<Results<Json>>>>;

/// One run's pools, and the results its `imap`s still give.
#[derive(Default)]
pub struct ScriptPools {
    pools: RefCell<Vec<(u32, Pool)>>,
    results: RefCell<Vec<(u32, Lent)>>,
    next: Cell<u32>,
}

impl ScriptPools {
    fn id(&self) -> u32 {
        let id = self.next.get() + 1;
        self.next.set(id);
        id
    }

    fn pool(&self, args: &[Value]) -> Result<Pool, Value> {
        let id = args.first().and_then(Value::as_num).unwrap_or(0.0) as u32;
        let pools = self.pools.borrow();
        pools.iter().find(|(i, _)| *i == id).map(|(_, pool)| pool.clone()).ok_or_else(|| {
            raise("ValueError", "Pool not running: it was made by an earlier run, whose workers have ended")
        })
    }

    /// `pool OP ...`: `new SIZE`, `size ID`, `map ID SOURCE ARGLISTS CHUNKSIZE`, `imap`
    /// and `imapUnordered` (the same arguments; answer an id for `next ID`), `close ID`,
    /// `terminate ID`, `join ID`.
    pub fn call(&self, cx: &CellContext, waits: &Waits, op: &str, args: &[Value]) -> Result<Reply, Value> {
        Ok(Reply::Now(match op {
            "new" => {
                let size = match args.first() {
                    None | Some(Value::None) => cx.cpu_count(),
                    Some(Value::Num(n)) if n.fract() == 0.0 && *n >= 0.0 && *n <= 64.0 => *n as usize,
                    Some(_) => return Err(raise("ValueError", "a pool has 1 to 64 processes")),
                };
                let pool = cx.pool(size).map_err(raise_parallel)?;
                let id = self.id();
                self.pools.borrow_mut().push((id, pool));
                Value::Num(f64::from(id))
            }
            "size" => Value::Num(self.pool(args)?.size() as f64),
            "map" => {
                let (pool, items, chunksize) = (self.pool(args)?, items(args)?, chunksize(args));
                return Ok(waits.start(async move {
                    let results: Vec<Json> = match chunksize {
                        Some(chunksize) => pool.map_chunked(SCRIPT_TASK, items, chunksize).await,
                        None => pool.map(SCRIPT_TASK, items).await,
                    }
                    .map_err(raise_parallel)?;
                    Ok(text(&Json::Array(results)))
                }));
            }
            "imap" | "imapUnordered" => {
                let (pool, items, chunksize) = (self.pool(args)?, items(args)?, chunksize(args).unwrap_or(1));
                let results = if op == "imap" {
                    pool.imap(SCRIPT_TASK, items, chunksize)
                } else {
                    pool.imap_unordered(SCRIPT_TASK, items, chunksize)
                };
                let id = self.id();
                self.results
                    .borrow_mut()
                    .push((id, Rc::new(RefCell::new(Some(results.map_err(raise_parallel)?)))));
                Value::Num(f64::from(id))
            }
            "next" => return self.next_result(waits, args),
            "close" => {
                self.pool(args)?.close();
                Value::None
            }
            "terminate" => {
                self.pool(args)?.terminate();
                Value::None
            }
            "join" => {
                let pool = self.pool(args)?;
                return Ok(waits.start(async move {
                    pool.join().await.map_err(raise_parallel)?;
                    Ok(Value::None)
                }));
            }
            _ => return Err(raise("AttributeError", format!("'Pool' object has no method '{op}'"))),
        }))
    }

    /// `next ID`: `[done, result's JSON text]` of an `imap`'s results.
    fn next_result(&self, waits: &Waits, args: &[Value]) -> Result<Reply, Value> {
        let id = args.first().and_then(Value::as_num).unwrap_or(0.0) as u32;
        let lent = self.results.borrow().iter().find(|(i, _)| *i == id).map(|(_, r)| Rc::clone(r));
        let Some(lent) = lent else {
            return Err(raise(
                "ValueError",
                "these results belong to an earlier run, whose workers have ended",
            ));
        };
        let Some(mut results) = lent.borrow_mut().take() else {
            return Err(raise("RuntimeError", "the next result is already awaited: await one at a time"));
        };
        Ok(waits.start(async move {
            let next = results.next().await;
            *lent.borrow_mut() = Some(results);
            match next {
                None => Ok(Value::List(vec![Value::Bool(true), Value::None])),
                Some(Ok(json)) => Ok(Value::List(vec![Value::Bool(false), text(&json)])),
                Some(Err(error)) => Err(raise_parallel(error)),
            }
        }))
    }
}

/// The work items of `map ID SOURCE ARGLISTS`: `[source, args]` for each list of arguments.
fn items(args: &[Value]) -> Result<Vec<Json>, Value> {
    let source = args.get(1).and_then(Value::as_str).unwrap_or("");
    let lists = parse(args.get(2).and_then(Value::as_str).unwrap_or(""), "the arguments")?;
    let Json::Array(lists) = lists else {
        return Err(raise("TypeError", "a pool's items must be an array"));
    };
    Ok(lists.into_iter().map(|list| Json::Array(vec![Json::from(source), list])).collect())
}

/// A chunk size given as a whole number of at least one.
fn chunksize(args: &[Value]) -> Option<usize> {
    match args.get(3) {
        Some(Value::Num(n)) if n.fract() == 0.0 && *n >= 1.0 => Some(n.min(1e6) as usize),
        _ => None,
    }
}
