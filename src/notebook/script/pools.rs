//! A script's `Pool`: the kernel's pool of worker processes, each running the task
//! `script.call` (`process_task.rs`) on a function's source and one list of arguments.
//! The pools of a run end with it, as a Rust cell's do.

use std::cell::{Cell, RefCell};

use script_wire::Value;
use serde_json::Value as Json;

use super::files::raise;
use super::ipc::{parse, raise_parallel, text};
use super::waits::{Reply, Waits};
use crate::notebook::cell::CellContext;
use crate::parallel::Pool;

/// The task a worker runs a script function with: its argument is `[source, [args...]]`.
pub const SCRIPT_TASK: &str = "script.call";

/// One run's pools.
#[derive(Default)]
pub struct ScriptPools {
    pools: RefCell<Vec<(u32, Pool)>>,
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

    /// `pool OP ...`: `new SIZE`, `size ID`, `map ID SOURCE ARGLISTS CHUNKSIZE` (the
    /// library's `imap` maps one item at a time), `close ID`, `terminate ID`, `join ID`.
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
                    let results: Vec<Json> =
                        pool.map_chunked(SCRIPT_TASK, items, chunksize).await.map_err(raise_parallel)?;
                    Ok(text(&Json::Array(results)))
                }));
            }
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

/// The chunk size: a whole number of at least one (the library computes Python's default).
fn chunksize(args: &[Value]) -> usize {
    match args.get(3) {
        Some(Value::Num(n)) if n.fract() == 0.0 && *n >= 1.0 => n.min(1e6) as usize,
        _ => 1,
    }
}
